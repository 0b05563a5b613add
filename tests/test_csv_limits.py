"""Files of actual values that are too big, too long or malformed: each refused in one Italian
line, before its cells are parsed where that can be known, never with Python's message."""

from __future__ import annotations

import re

import pytest

from conftest import CONSUNTIVI_CSV, run_cli

CSV = CONSUNTIVI_CSV.read_text(encoding="utf-8")
HEADER, *ROWS = [line for line in CSV.split("\n") if line.strip()]


def refused(data: bytes | str, name: str = "consuntivi-2020.csv", **options):
    from ingest.errors import IngestError
    from ingest.pipeline import read_report

    with pytest.raises(IngestError) as info:
        read_report(data.encode("utf-8") if isinstance(data, str) else data, name, **options)
    message = str(info.value)
    assert "\n" not in message and "Traceback" not in message
    return info.value


def _csv_with(value: str, column: int = 3) -> str:
    cells = ROWS[0].split(";")
    cells[column] = value
    return "\n".join([HEADER, ";".join(cells), *ROWS[1:]]) + "\n"


def _long_rows(count: int, pad: int) -> str:
    """`count` rows of the corpus CSV in turn, each indicator name made `pad` characters longer
    (and unique): a big file within the row and field limits."""
    body = []
    for i in range(count):
        cells = ROWS[i % len(ROWS)].split(";")
        cells[2] = f"{cells[2]} {'x' * pad}{i}"
        body.append(";".join(cells))
    return "\n".join([HEADER, *body]) + "\n"


@pytest.mark.slow  # writes and reads tens of MB
def test_a_50_mb_csv_is_refused_quickly(piano):
    from ingest.limits import LimitExceeded

    row = ROWS[0] + "\n"
    data = (HEADER + "\n" + row * (49 * 1024 * 1024 // len(row))).encode("utf-8")
    exc = refused(data, plan=piano)
    assert isinstance(exc, LimitExceeded) and "righe" in str(exc)
    exc = refused(data + row.encode() * 30_000, plan=piano)  # over 50 MB: refused for its size
    assert isinstance(exc, LimitExceeded) and "file troppo grande" in str(exc)


@pytest.mark.slow  # writes and reads tens of MB
def test_a_big_csv_within_the_row_limit_is_refused_against_its_plan(piano):
    """About 48 MB in 99.000 rows (under the 100.000 rows limit, every field under its limit):
    more rows than a year of the Piano can have, refused before any cell is parsed."""
    from ingest.limits import LimitExceeded

    data = _long_rows(99_000, 400)
    assert len(data) > 45 * 1024 * 1024
    exc = refused(data, plan=piano)
    assert isinstance(exc, LimitExceeded)
    assert "99.000 righe" in str(exc) and f"il Piano ha {len(piano.indicators())} indicatori" in str(exc)


def test_a_few_repeated_rows_are_still_findings_not_a_refusal(piano):
    from ingest.pipeline import read_report

    report = read_report((CSV + "\n".join(ROWS[:10]) + "\n").encode("utf-8"), "consuntivi-2020.csv", plan=piano)
    assert len(report.actuals) == len(ROWS) + 10
    assert [f.kind.value for f in report.problems] == ["duplicate_row"] * 10


def test_a_long_cell_is_quoted_short_in_messages(piano):
    from ingest.pipeline import read_report

    long_name = "Indicatore sconosciuto " + "x" * 5_000
    report = read_report(_csv_with(long_name, column=2).encode("utf-8"), "consuntivi-2020.csv", plan=piano,
                         allow_partial=True)
    [unknown] = [f for f in report.problems if f.kind.value == "unknown_indicator"]
    assert "Indicatore sconosciuto xxx" in unknown.message and "…" in unknown.message
    assert len(unknown.message) < 200


def test_csv_rows_and_field_size(piano):
    from ingest.limits import LimitExceeded, Limits

    exc = refused(CSV, plan=piano, limits=Limits(max_csv_rows=5))
    assert isinstance(exc, LimitExceeded) and "più di 5 righe" in str(exc)
    exc = refused(_csv_with("x" * 200_000, column=2), plan=piano)
    assert isinstance(exc, LimitExceeded) and "riga 2" in str(exc) and "10.000 caratteri" in str(exc)
    exc = refused(_csv_with("x" * 20_000, column=2), plan=piano)  # under csv's own field limit
    assert isinstance(exc, LimitExceeded) and "riga 2" in str(exc) and "10.000 caratteri" in str(exc)


@pytest.fixture(scope="module")
def piano_dir(tmp_path_factory, piano):
    """A data dir holding the Piano only (store, no index: refused files never reach it)."""
    from assistant.store import Store

    d = tmp_path_factory.mktemp("piano") / "data"
    store = Store(f"sqlite:///{d / 'relazione.db'}")
    store.save(piano, lambda doc_id: [], None)
    store.engine.dispose()
    return d


@pytest.mark.parametrize("content", [
    'anno;obiettivo;indicatore;consuntivo;unita\n2020;"1.1;x;1;N.\n',
    "anno;obiettivo;indicatore;consuntivo;unita\n2020;1.1;" + "x" * 200_000 + ";1;N.\n",
    "anno;obiettivo\n\x00\x00\x00\x00",
])
def test_csv_errors_are_one_line_never_python_s(piano_dir, tmp_path, cli, content):
    path = tmp_path / "consuntivi-2020.csv"
    path.write_text(content, encoding="utf-8")
    result = cli("ingest", str(path), env={"RELAZIONE_DATA_DIR": str(piano_dir)})  # an exception would raise here
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("Errore: ") and "imprevisto" not in line and not re.search(r"\w+Error\b", line)


@pytest.mark.slow  # writes and reads 50 MB per case
@pytest.mark.parametrize("rows,pad", [(99_000, 400), (60_000, 850)], ids=["48MB-in-rows", "over-50MB"])
def test_cli_refuses_a_50_mb_csv_in_one_line(piano_dir, tmp_path, rows, pad):
    path = tmp_path / "consuntivi-2020.csv"
    path.write_text(_long_rows(rows, pad), encoding="utf-8")
    before = path.stat().st_size
    result = run_cli("ingest", str(path), env={"RELAZIONE_DATA_DIR": str(piano_dir)}, timeout=120)
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    expected = "file troppo grande" if before > 50 * 1024 * 1024 else "non è un file di consuntivi"
    assert line.startswith("Errore: ") and "consuntivi-2020.csv: " in line and expected in line and len(line) < 300
