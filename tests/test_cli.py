"""The CLI contracts for reading the store: indicators and findings (run in process with
typer's CliRunner; two smoke tests start the real process)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from assistant.chunks import chunk_report
from assistant.store import Store
from conftest import RELAZIONE_TXT, run_cli


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory, relazione_txt, piano, consuntivi):
    d = tmp_path_factory.mktemp("cli") / "data"
    store = Store(f"sqlite:///{d / 'relazione.db'}")
    for report in (relazione_txt, piano, consuntivi):
        store.save(report, lambda doc_id, r=report: chunk_report(r, doc_id), None)
    store.engine.dispose()
    return {"RELAZIONE_DATA_DIR": str(d)}


def test_indicators_json(cli, store_dir):
    result = cli("indicators", "--year", "2019", "--format", "json", env=store_dir)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["year"] == 2019 and len(data["indicators"]) == 128
    first = data["indicators"][0]
    assert first["indicator"] == "N. imprese coinvolte in iniziative per internazionalizzazione"
    assert first["achievement"] == 100.0 and first["source"]["line"] == 178


def test_below_target_2020(cli, store_dir):
    result = cli("indicators", "--year", "2020", "--below-target", "--format", "json", env=store_dir)
    data = json.loads(result.stdout)
    names = [r["indicator"] for r in data["indicators"]]
    assert data["basis"] == "piano+consuntivi"
    assert len(names) == 11
    assert "Indice di Liquidità immediata" not in names
    assert all(r["achievement"] < 100 for r in data["indicators"])
    assert all(r["source"]["file"].startswith("consuntivi") for r in data["indicators"])
    assert all(r["target_source"]["file"].startswith("piano") for r in data["indicators"])


def test_indicators_csv_is_italian(cli, store_dir):
    result = cli("indicators", "--year", "2020", "--format", "csv", env=store_dir)
    rows = list(csv.DictReader(io.StringIO(result.stdout), delimiter=";"))
    assert len(rows) == 21
    assert rows[0]["raggiungimento_pct"] == "81,82" and rows[0]["target"] == "220"


def test_indicators_table(cli, store_dir):
    result = cli("indicators", "--year", "2020", "--below-target", env={**store_dir, "COLUMNS": "200"})
    assert result.returncode == 0
    assert "81,82%" in result.stdout and "non raggiunto" in result.stdout


def test_findings_json(cli, store_dir):
    result = cli("findings", "--year", "2019", "--format", "json", env=store_dir)
    data = json.loads(result.stdout)
    kinds = [f["kind"] for f in data["findings"]]
    assert kinds.count("consuntivo_mismatch") == 2
    assert kinds.count("narrative_claim_not_in_tables") == 4
    assert kinds.count("target_changed_unexplained") == 2
    pec = next(f for f in data["findings"] if f["kind"] == "consuntivo_mismatch" and f["source"]["line"] == 354)
    assert pec["source"]["file"] == RELAZIONE_TXT.name
    plan_rows = [f for f in data["findings"] if f["plan_source"]]
    assert plan_rows and all(f["plan_source"]["file"].startswith("piano") for f in plan_rows)


def test_unknown_year_is_a_clear_error(cli, store_dir):
    result = cli("indicators", "--year", "2015", env=store_dir)
    assert result.returncode != 0
    assert result.stderr.strip() == "Errore: nessun dato per il 2015: anni disponibili 2019, 2020"


def test_empty_store_is_a_clear_error(cli, tmp_path):
    result = cli("findings", env={"RELAZIONE_DATA_DIR": str(tmp_path / "vuoto")})
    assert result.returncode != 0 and "lo store è vuoto" in result.stderr


def test_deviations_without_a_cause_are_findings(cli, store_dir):
    """2020 has no narrative: each of its 11 deviations is reported as unexplained; 2019 has none."""
    data = json.loads(cli("findings", "--year", "2020", "--format", "json", env=store_dir).stdout)
    unexplained = [f for f in data["findings"] if f["kind"] == "below_target_without_cause"]
    assert len(unexplained) == 11
    assert unexplained[0]["source"]["file"].startswith("consuntivi") and unexplained[0]["source"]["line"] == 2
    data = json.loads(cli("findings", "--year", "2019", "--format", "json", env=store_dir).stdout)
    assert not [f for f in data["findings"] if f["kind"] == "below_target_without_cause"]


@pytest.mark.slow
def test_the_real_process_keeps_stdout_and_stderr_apart(store_dir):
    """Smoke test of the command as a process: the CSV alone on stdout, errors alone on stderr."""
    result = run_cli("indicators", "--year", "2020", "--format", "csv", env=store_dir)
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.splitlines()[0].startswith("sezione;area;")
    result = run_cli("indicators", "--year", "2015", env=store_dir)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.strip() == "Errore: nessun dato per il 2015: anni disponibili 2019, 2020"


@pytest.mark.slow
def test_the_real_process_answers_from_stdin(store_dir):
    result = run_cli("ask", "-", stdin="Qual è il grado di raggiungimento dell'Ente?\n", env=store_dir)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["verified"] and answer["intent"] == "achievement"
