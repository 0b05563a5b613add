"""`relazione ask --session FILE` and JSONL lines that carry their history: follow-ups from
the command line; 'esporta ...' writes the files."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from assistant.cli import app

pytestmark = pytest.mark.model


@pytest.fixture
def runner(embedded_corpus_ws, cli_env):
    cli_env(embedded_corpus_ws.settings)
    return CliRunner()


def test_a_session_file_carries_the_conversation(runner, tmp_path):
    session = tmp_path / "conversazione.json"
    first = runner.invoke(app, ["ask", "Quanto valeva il diritto annuale nel 2019?", "--session", str(session), "-f", "json"])
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)["plan"]["refs"] == ["financial:1) Diritto Annuale"]
    follow = runner.invoke(app, ["ask", "e nel 2018?", "--session", str(session), "-f", "json"])
    data = json.loads(follow.stdout)
    assert data["plan"]["years"] == [2018] and any(f["id"] == "fin:1) Diritto Annuale:2018" for f in data["facts"])
    assert "4.974.660" in data["answer"]
    assert len(json.loads(session.read_text(encoding="utf-8"))["turns"]) == 2


def test_jsonl_lines_carry_their_history(runner):
    lines = [json.dumps({"question": "e l'area 2?", "history": ["Com'è andata l'area 1 nel 2020?"]}),
             "e l'area 2?"]
    result = runner.invoke(app, ["ask", "-"], input="\n".join(lines) + "\n")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows[0]["plan"]["refs"] == ["area:2"] and rows[0]["year"] == 2020 and "85,17%" in rows[0]["answer"]
    assert rows[0]["session"]["turns"][-1]["text"] == "e l'area 2?"
    assert rows[1]["year"] == 2019  # no history: a question of its own


def test_an_export_asked_in_words_writes_the_files(runner, tmp_path):
    result = runner.invoke(app, ["ask", "esporta il capitolo 2 in markdown", "-o", str(tmp_path), "-f", "json"])
    data = json.loads(result.stdout)
    assert data["intent"] == "export" and data["attachments"][0]["verified"] is True
    written = tmp_path / data["attachments"][0]["name"]
    assert written.exists() and "2. Analisi del contesto e delle risorse" in written.read_text(encoding="utf-8")
    assert str(written) in data["files"]
