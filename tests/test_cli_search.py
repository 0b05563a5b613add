"""The `relazione search` contract: table, json, jsonl, and one query per line from stdin."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from conftest import ROOT

pytestmark = pytest.mark.model

HIT_FIELDS = {"text", "section", "title", "line", "page", "source", "score"}


@pytest.fixture
def runner(corpus_ws, cli_env):
    cli_env(corpus_ws.settings)
    return CliRunner()


def test_stdin_queries_give_one_json_object_per_line(runner):
    queries = ["perche' e' stato eliminato il progetto Ultranet?", "", "come e' andata l'occupazione in provincia?"]
    result = runner.invoke(app, ["search", "-", "--k", "3"], input="\n".join(queries) + "\n")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 2  # the empty line is skipped
    records = [json.loads(line) for line in lines]
    assert [r["query"] for r in records] == [queries[0], queries[2]]
    for record in records:
        assert set(record) == {"query", "hits"} and len(record["hits"]) == 3
        for hit in record["hits"]:
            assert HIT_FIELDS <= set(hit)
            assert isinstance(hit["score"], float) and isinstance(hit["line"], int) and hit["page"] is None
    assert "Progetto Ultranet" in records[0]["hits"][0]["text"]
    assert records[0]["hits"][0]["line"] == 534 and records[0]["hits"][0]["section"] == "5"


def test_single_query_json_and_filters(runner):
    result = runner.invoke(app, ["search", "bilancio approvato", "--format", "json", "--section", "5", "--year", "2019"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["query"] == "bilancio approvato"
    assert 0 < len(record["hits"]) <= 5 and all(h["section"] == "5" for h in record["hits"])
    result = runner.invoke(app, ["search", "bilancio approvato", "--format", "jsonl", "--k", "1"])
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 1
    assert len(json.loads(result.stdout)["hits"]) == 1


def test_table_format(runner):
    result = runner.invoke(app, ["search", "perche' e' stato eliminato il progetto Ultranet?", "--k", "2"])
    assert result.exit_code == 0, result.output
    assert "riga 534" in result.stdout and "Ultranet" in result.stdout


def test_errors_are_one_line_on_stderr(runner):
    result = runner.invoke(app, ["search", "occupazione", "--ente", "Bergamo"])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == ["Errore: nessun documento per l'Ente 'Bergamo'"]
    result = runner.invoke(app, ["search", "occupazione", "--format", "xml"])
    assert result.exit_code == 2


def test_empty_store_is_a_clean_error(tmp_path, cli_env):
    from assistant.settings import Settings

    cli_env(Settings(data_dir=tmp_path))
    result = CliRunner().invoke(app, ["search", "occupazione"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Errore: lo store è vuoto")


def test_real_process_reads_queries_from_a_pipe(embedded_corpus_ws):
    env = dict(os.environ, RELAZIONE_DATA_DIR=str(embedded_corpus_ws.settings.data_dir), HF_HUB_OFFLINE="1")
    env.pop("RELAZIONE_CHROMA_URL", None)
    proc = subprocess.run(
        [sys.executable, "-m", "assistant", "search", "-", "--k", "2"],
        input="quante imprese erano registrate alla fine del 2019?\nchi deve validare la relazione e quando?\n",
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(records) == 2
    assert any("38.674" in h["text"] for h in records[0]["hits"])
    assert any("documento di validazione" in h["text"] for h in records[1]["hits"])
