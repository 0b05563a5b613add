"""Hostile and damaged files, made here from the corpus: each is refused in one Italian line, or
read correctly with a finding; never a traceback, never a crash, never minutes of work."""

from __future__ import annotations

import io
import time
import zipfile
from decimal import Decimal

import pytest

import damaged
from conftest import CONSUNTIVI_CSV, RELAZIONE_PDF, RELAZIONE_TXT, run_cli

TEXT = RELAZIONE_TXT.read_text(encoding="utf-8")
CSV = CONSUNTIVI_CSV.read_text(encoding="utf-8")
NAME = RELAZIONE_TXT.name


def read(data: bytes | str, name: str = NAME, **options):
    from ingest.pipeline import read_report

    return read_report(data.encode("utf-8") if isinstance(data, str) else data, name, **options)


def refused(data: bytes | str, name: str = NAME, **options):
    from ingest.errors import IngestError

    with pytest.raises(IngestError) as info:
        read(data, name, **options)
    message = str(info.value)
    assert "\n" not in message and "Traceback" not in message
    return info.value


# -- damaged copies of the Relazione ------------------------------------------------------------


def test_a_copy_cut_at_30_percent_is_refused_as_incomplete():
    from ingest.errors import IncompleteDocument

    exc = refused(damaged.cut(0.3))
    assert isinstance(exc, IncompleteDocument)
    assert "11 indicatori" in str(exc) and "elencati nella sezione 1" in str(exc) and "--allow-partial" in str(exc)


@pytest.mark.parametrize("fraction", [0.4, 0.5, 0.6, 0.7, 0.8])
def test_copies_cut_anywhere_in_the_tables_are_refused(fraction):
    from ingest.errors import IncompleteDocument

    assert isinstance(refused(damaged.cut(fraction)), IncompleteDocument)


def test_a_partial_copy_is_read_on_request_and_says_so():
    report = read(damaged.cut(0.3), allow_partial=True)
    [finding] = [f for f in report.problems if f.kind.value == "incomplete"]
    assert "11 indicatori" in finding.message and "2.4" in finding.message


def test_number_cells_turned_to_text_are_refused():
    from ingest.errors import IncompleteDocument

    assert isinstance(refused(damaged.number_cells_as_text()), IncompleteDocument)


def test_two_columns_swapped_are_refused():
    from ingest.errors import IngestError

    with pytest.raises(IngestError):
        read(damaged.columns_swapped())


def test_a_duplicated_table_brings_findings(relazione_txt):
    report = read(damaged.duplicated_table(relazione_txt))
    duplicates = [f for f in report.problems if f.kind.value == "duplicate_row"]
    # each repeated row is one finding (a wrapped row at the seam may be read as another name)
    extra = len(report.indicators()) - 128
    assert extra > 10 and extra - 1 <= len(duplicates) <= extra


def test_a_fake_row_brings_a_weights_finding(relazione_txt):
    from ingest.checks import check_report

    text, ind = damaged.fake_row(relazione_txt)
    report = read(text)
    assert len(report.indicators()) == 129
    weights = [f for f in check_report(report) if f.kind.value == "weights_not_100"]
    assert weights and weights[0].strategic_objective == ind.strategic_objective and "200,00%" in weights[0].message


def test_a_relazione_without_an_objective_of_its_piano_is_refused(relazione_txt, piano, tmp_path):
    """Complete against its own overview, but the stored Piano plans one more strategic
    objective (and one more area): refused unless --allow-partial, then a finding says so."""
    from assistant.settings import Settings
    from assistant.workspace import Workspace
    from ingest.errors import IncompleteDocument

    area = piano.areas[-1]
    extra = area.strategic_objectives[0].model_copy(update={"code": "9.1"})
    planned = piano.model_copy(update={"areas": piano.areas + (area.model_copy(
        update={"number": 9, "strategic_objectives": (extra,)}),)})
    ws = Workspace(Settings(data_dir=tmp_path / "data"), index=None)
    with pytest.raises(IncompleteDocument) as info:
        ws.parse_bytes(TEXT.encode("utf-8"), NAME, plan=planned)
    assert "mancano gli obiettivi strategici 9.1 del Piano" in str(info.value) and "--allow-partial" in str(info.value)
    assert "mancano le aree 9 del Piano" in str(info.value)
    report = ws.parse_bytes(TEXT.encode("utf-8"), NAME, plan=planned, allow_partial=True)
    [finding] = [f for f in report.problems if f.kind.value == "incomplete"]
    assert "9.1" in finding.message
    assert ws.parse_bytes(TEXT.encode("utf-8"), NAME, plan=piano).indicators() == relazione_txt.indicators()


def test_the_year_1899_is_refused():
    from ingest.errors import InvalidDocument

    exc = refused(TEXT.replace("2019", "1899"))
    assert isinstance(exc, InvalidDocument) and "anno 1899" in str(exc)


def test_a_table_year_out_of_range_is_a_finding():
    from ingest.model import FinancialTable
    from ingest.validate import validate

    report = read(TEXT)
    table = report.financial
    bad = FinancialTable(title=table.title, years=(1899, *table.years[1:]), lines=table.lines, source=table.source)
    result = validate(report.model_copy(update={"financial": bad}), 2025)
    assert not result.impossible and [f.kind.value for f in result.findings] == ["year_out_of_range"]


def test_values_out_of_scale_are_findings_and_impossible_ones_refusals():
    from ingest.model import Quantity
    from ingest.validate import validate

    report = read(TEXT)
    ind = report.indicators()[0]

    def with_actual(value: str):
        actual = Quantity(value=Decimal(value), unit="N.", raw=f"{value} N.")
        area = report.areas[0]
        s = area.strategic_objectives[0]
        s2 = s.model_copy(update={"indicators": (ind.model_copy(update={"actual": actual}),) + s.indicators[1:]})
        a2 = area.model_copy(update={"strategic_objectives": (s2,) + area.strategic_objectives[1:]})
        return validate(report.model_copy(update={"areas": (a2,) + report.areas[1:]}), 2025)

    assert [f.kind.value for f in with_actual("5e10").findings] == ["implausible_value"]
    assert with_actual("1e308").impossible and with_actual("1e308").impossible[0].startswith("valore impossibile")


# -- files of actual values ---------------------------------------------------------------------


def _csv_with(value: str, column: int = 3) -> str:
    lines = CSV.split("\n")
    cells = lines[1].split(";")
    cells[column] = value
    return "\n".join([lines[0], ";".join(cells)] + lines[2:])


@pytest.mark.parametrize("value", ["1e308", "NaN", "inf", "-Infinity", "1E+400"])
def test_impossible_actual_values_are_refused(piano, value):
    from ingest.errors import InvalidDocument

    exc = refused(_csv_with(value), "consuntivi-2020.csv", plan=piano)
    assert isinstance(exc, InvalidDocument) and "valore impossibile" in str(exc) and "riga 2" in str(exc)


def test_actual_values_of_1899_are_refused(piano):
    from ingest.errors import InvalidDocument

    assert isinstance(refused(CSV.replace("2020;", "1899;"), "consuntivi.csv", plan=piano), InvalidDocument)


def test_a_cut_csv_is_refused_as_incomplete_against_its_plan(piano):
    from ingest.errors import IncompleteDocument

    exc = refused(CSV[: len(CSV) // 2], "consuntivi-2020.csv", plan=piano)
    assert isinstance(exc, IncompleteDocument) and "mancano i consuntivi" in str(exc)


def test_a_repeated_csv_row_is_a_finding(piano):
    report = read(CSV + CSV.split("\n")[1] + "\n", "consuntivi-2020.csv", plan=piano)
    assert [f.kind.value for f in report.problems] == ["duplicate_row"]


def test_indicators_csv_of_a_huge_value_does_not_crash():
    from ingest.italian import fmt_number

    assert fmt_number(Decimal("1e308"), 2).startswith("100.000.000")
    assert fmt_number(Decimal("NaN")) == "n.d."


# -- limits ---------------------------------------------------------------------------------------


def _xlsx_bomb(megabytes: int) -> bytes:
    """A valid .xlsx whose sheet is `megabytes` of XML comments: about 1 KB compressed per MB."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["anno", "obiettivo", "indicatore", "consuntivo", "unita"])
    plain = io.BytesIO()
    book.save(plain)
    source = zipfile.ZipFile(io.BytesIO(plain.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in source.infolist():
            data = source.read(info)
            if info.filename != "xl/worksheets/sheet1.xml":
                bomb.writestr(info.filename, data)
                continue
            head, tail = data.split(b"</sheetData>")
            with bomb.open(info.filename, "w", force_zip64=True) as member:
                member.write(head)
                chunk = b"<!---->" * (1 << 17)
                for _ in range(megabytes * 1024 * 1024 // len(chunk)):
                    member.write(chunk)
                member.write(b"</sheetData>" + tail)
    return out.getvalue()


def test_an_xlsx_zip_bomb_is_refused_before_it_is_opened(piano):
    from ingest.limits import LimitExceeded

    data = _xlsx_bomb(160)
    assert len(data) < 2_000_000
    started = time.perf_counter()
    exc = refused(data, "consuntivi.xlsx", plan=piano)
    assert time.perf_counter() - started < 5  # openpyxl would take minutes (not a timing test: a hang guard)
    assert isinstance(exc, LimitExceeded) and "decompresso" in str(exc)


def test_an_xlsx_with_an_abnormal_ratio_is_refused(piano):
    from ingest.limits import LimitExceeded

    exc = refused(_xlsx_bomb(20), "consuntivi.xlsx", plan=piano)
    assert isinstance(exc, LimitExceeded) and "zip bomb" in str(exc)


def test_a_real_xlsx_passes_the_checks(piano, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    for line in CSV.strip().split("\n"):
        book.active.append(line.split(";"))
    book.save(tmp_path / "consuntivi-2020.xlsx")
    report = read((tmp_path / "consuntivi-2020.xlsx").read_bytes(), "consuntivi-2020.xlsx", plan=piano)
    assert len(report.actuals) == 21


def test_file_size_limit_is_configurable_and_checked_before_reading(tmp_path):
    from ingest.limits import LimitExceeded, Limits
    from ingest.pipeline import read_path

    path = tmp_path / NAME
    path.write_text(TEXT, encoding="utf-8")
    with pytest.raises(LimitExceeded, match="file troppo grande"):
        read_path(path, limits=Limits(max_file_mb=0.01))


def test_pdf_page_limit():
    from ingest.limits import LimitExceeded, Limits

    exc = refused(RELAZIONE_PDF.read_bytes(), RELAZIONE_PDF.name, limits=Limits(max_pdf_pages=5))
    assert isinstance(exc, LimitExceeded) and "pagine" in str(exc) and "il limite è 5" in str(exc)


def test_wall_clock_deadline():
    from ingest.limits import Deadline, LimitExceeded, Limits

    now = [0.0]
    deadline = Deadline("x.pdf", Limits(max_seconds=10), clock=lambda: now[0])
    seen = []
    step = deadline.wrap(lambda stage, done, total: seen.append(done))
    step("lettura pagine", 1, 3)
    now[0] = 11
    with pytest.raises(LimitExceeded, match="tempo massimo di 10 secondi"):
        step("lettura pagine", 2, 3)
    assert seen == [1]


def test_the_wall_clock_limit_stops_a_real_ingestion(tmp_path):
    """The deadline is checked at the pipeline's own steps (here the PDF's pages): a limit far
    below what reading takes stops it with one line, and the store is not written."""
    from assistant.settings import Settings
    from assistant.workspace import Workspace
    from ingest.limits import LimitExceeded

    ws = Workspace(Settings(data_dir=tmp_path / "data", max_ingest_seconds=0.001), index=None)
    with pytest.raises(LimitExceeded, match="supera il tempo massimo") as info:
        ws.ingest(RELAZIONE_PDF)
    assert "\n" not in str(info.value)
    assert ws.documents(history=True) == []


def test_cli_limits_come_from_the_settings(data_dir):
    result = run_cli("ingest", str(RELAZIONE_PDF), env={"RELAZIONE_MAX_PDF_PAGES": "3"})
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("Errore: ") and "il limite è 3" in line


# -- encodings ------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_unicode_text_is_read_like_utf8(encoding, relazione_txt):
    report = read(TEXT.encode(encoding))
    assert report.indicators() == relazione_txt.indicators()
    assert report.sections == relazione_txt.sections


def test_cp1252_text_is_read_correctly():
    from ingest.encoding import decode_text

    sample = "Attività di «orientamento» – costo 1.000 € e più\n" * 20
    for encoding in ("cp1252", "latin-1"):
        data = sample.replace("€", "EUR").replace("–", "-").encode(encoding) if encoding == "latin-1" else sample.encode(encoding)
        decoded = decode_text(data, "x.txt")
        assert decoded.text == data.decode(encoding) and decoded.encoding in ("cp1252", "windows-1252")


@pytest.mark.parametrize("encoding", ["utf-16", "cp1252"])
def test_csv_in_other_encodings(piano, encoding):
    report = read(CSV.encode(encoding), "consuntivi-2020.csv", plan=piano)
    assert len(report.actuals) == 21 and any("attività" in a.indicator for a in report.actuals)


def test_nul_bytes_anywhere_are_removed_with_a_finding():
    from assistant.chunks import chunk_report

    data = TEXT.encode("utf-8")
    at = len(data) // 2
    at = data.rfind(b" ", 0, at)
    report = read(data[:at] + b"\x00\x00\x00" + data[at:])
    assert [f.kind.value for f in report.problems] == ["nul_bytes_removed"] and "3 caratteri NUL" in report.problems[0].message
    assert len(report.indicators()) == 128
    chunks = chunk_report(report, "doc")
    assert not [c for c in chunks if "\x00" in c.model_dump_json().replace("\\u0000", "\x00")]


def test_mostly_binary_text_is_refused():
    exc = refused(b"\x00\x01\x02" * 100 + TEXT.encode()[:200], "x.txt")
    assert "dati binari" in str(exc)


# -- the command line: one line, details on request ---------------------------------------------


def _flipped_pdf(tmp_path):
    import random

    data = bytearray(RELAZIONE_PDF.read_bytes())
    rng = random.Random(1)
    for _ in range(200):
        data[rng.randrange(1000, len(data))] = rng.randrange(256)
    path = tmp_path / "danneggiato.pdf"
    path.write_bytes(bytes(data))
    return path


def test_pdfminer_warnings_never_reach_the_terminal_raw(data_dir, tmp_path):
    path = _flipped_pdf(tmp_path)
    result = run_cli("ingest", str(path))
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("Errore: danneggiato.pdf") and "--verbose" in line
    verbose = run_cli("ingest", str(path), "--verbose")
    lines = verbose.stderr.rstrip().splitlines()
    assert len(lines) > 1 and lines[-1] == line.replace(" (dettagli del lettore PDF con --verbose)", "")
    assert all(x.startswith("  pdfminer") for x in lines[:-1]), lines
