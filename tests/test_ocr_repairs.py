"""The pieces that make a scan read like a digital PDF: rulings found in the image and erased
for Tesseract, value cells put right, stray marks removed from OCR'd text."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ingest.model import FindingKind, Loc
from ingest.ocr_numbers import repair_cells, repair_value, repaired_finding
from ingest.readers.ocr_tidy import tidy_cell, tidy_text
from ingest.readers.rulings import erase, find_rulings, pdf_strokes

DPI = 200


def _grid_page(angle: float = 0.0) -> tuple[np.ndarray, list[int], list[int]]:
    """A greyscale page with a 4x3 table (2 px rules), a word in each cell and a tall heading."""
    image = Image.new("L", (1600, 1000), 245)
    draw = ImageDraw.Draw(image)
    xs, ys = [100, 500, 900, 1400], [200, 330, 460, 590, 720]
    for x in xs:
        draw.line([(x, ys[0]), (x, ys[-1])], fill=20, width=2)
    for y in ys:
        draw.line([(xs[0], y), (xs[-1], y)], fill=20, width=2)
    font = ImageFont.load_default(size=28)
    for y in ys[:-1]:
        for x in xs[:-1]:
            draw.text((x + 4, y + 6), "lll 1.150 N.", fill=30, font=font)  # strokes touching the left rule
    draw.text((100, 60), "Relazione sulla performance", fill=10, font=ImageFont.load_default(size=64))
    if angle:
        image = image.rotate(angle, fillcolor=245)
    return np.asarray(image), xs, ys


def test_rulings_are_found_where_the_table_is_drawn():
    grey, xs, ys = _grid_page()
    rulings = find_rulings(grey, DPI)
    horizontal = sorted(round(r.pos) for r in rulings if r.axis == "h")
    vertical = sorted(round(r.pos) for r in rulings if r.axis == "v")
    assert len(horizontal) == len(ys) and all(abs(a - b) <= 2 for a, b in zip(horizontal, ys))
    assert len(vertical) == len(xs) and all(abs(a - b) <= 2 for a, b in zip(vertical, xs))
    for r in rulings:  # full length, no letter taken for a line
        span = (xs[0], xs[-1]) if r.axis == "h" else (ys[0], ys[-1])
        assert abs(r.start - span[0]) <= 3 and abs(r.end - span[1]) <= 3


def test_a_slightly_turned_table_still_gives_one_line_per_rule():
    grey, xs, ys = _grid_page(angle=0.15)
    rulings = find_rulings(grey, DPI)
    assert sum(r.axis == "h" for r in rulings) == len(ys)
    assert sum(r.axis == "v" for r in rulings) == len(xs)


def test_erasing_keeps_the_letters_that_touch_a_rule():
    grey, xs, ys = _grid_page()
    rulings = find_rulings(grey, DPI)
    clean = erase(grey, rulings, DPI)
    assert (clean[ys[2], xs[0] + 20 : xs[1] - 20] > 200).all()  # the rule is gone
    assert (clean[ys[0] + 10 : ys[1] - 10, xs[1]] > 200).all()
    cell = (slice(ys[0] + 6, ys[1] - 6), slice(xs[0] + 3, xs[1] - 3))
    assert (grey[cell] < 128).sum() * 0.9 < (clean[cell] < 128).sum()  # the writing stays
    assert find_rulings(clean, DPI) == []


def test_a_blank_page_has_no_rulings():
    assert find_rulings(np.full((800, 600), 255, np.uint8), DPI) == []


def test_strokes_land_on_the_page_in_points():
    grey, xs, ys = _grid_page()
    ops = pdf_strokes(find_rulings(grey, DPI), 72 / DPI, 72 / DPI, 1000 * 72 / DPI).decode()
    assert ops.startswith("q 0 G 0.5 w") and ops.endswith("Q")
    strokes = [[float(v) for v in line.split()[:5:1] if v not in ("m",)] for line in ops.splitlines()[1:-1]]
    top_rule = max(strokes, key=lambda xy: xy[1])  # the highest horizontal stroke: the table's top
    assert abs(top_rule[0] - xs[0] * 72 / DPI) < 0.5 and abs(top_rule[1] - (1000 - ys[0]) * 72 / DPI) < 0.5


@pytest.mark.parametrize("read,fixed", [
    ("GN.", "6 N."), ("ON.", "0 N."), ("IN.", "1 N."), ("LN:", "1 N."), ("TN.", "7 N."), ("l Ni", "1 N."),
    ("2N,", "2 N."), ("1N..", "1 N."), ("20N..", "20 N."), ("5O0N.", "500 N."), ("8nN.", "8 N."),
    (">= IN.", ">= 1 N."), (">=l N.", ">=1 N."), ("93,62. %", "93,62 %"), ("98;56 %", "98,56 %"),
    ("100,00% .", "100,00 %"), ("-1:761.588,00", "-1.761.588,00"), ("342. N. / 344 N.", "342 N. / 344 N."),
    ("39 N. 139 N.", "39 N. / 39 N."), ("-444.238,00 -", "-444.238,00"),
    (">=ESN.", ">= 5 N."), (">=E1N.", ">= 1 N."),
    ("|21.524.200 N.", "21.524.200 N."), ("1.761.590,00 € /7.648.:240,00 €", "1.761.590,00 € /7.648.240,00 €"),
])
def test_misread_values_are_put_right(read, fixed):
    assert repair_value(read) == fixed


@pytest.mark.parametrize("cell", [
    "SS N.",  # perhaps '>= 5 N.': two letters and no digit are not guessed
    "EC27", "È 7", "»569.310,00",  # '»' may have been a minus: left unread
    "N. Report attività PID", "Numero imprese", "BSC1", "EC05.1", "3.2.1", "Indice di liquidità", "N.",
])
def test_words_and_codes_are_left_alone(cell):
    assert repair_value(cell) == cell


@pytest.mark.parametrize("read,fixed", [("ECOS.1", "EC05.1"), ("ESl2.3", "ES12.3"), ("EC05.1", "EC05.1"),
                                        ("ASL.x", "ASL.x"), ("Ecos.1", "Ecos.1")])
def test_kpi_codes_get_their_digits_back(read, fixed):
    from ingest.ocr_numbers import repair_kpi_code

    assert repair_kpi_code(read) == fixed
    assert repair_cells(["50,%", read, "Indice di struttura primario"]) == (None if read == fixed else ["50,%", fixed, "Indice di struttura primario"])


def test_only_cells_that_do_not_read_are_repaired_and_the_change_is_a_finding():
    cells = ["33,33. %", "Area 2 - Sviluppo e valorizzazione del territorio", "100,%", "1N.", "SS N."]
    fixed = repair_cells(cells)
    assert fixed == ["33,33 %", cells[1], "100,%", "1N.", "SS N."]  # '1N.' reads: never touched
    assert repair_cells(["Numero imprese", "1.150 N."]) is None
    finding = repaired_finding(cells, fixed, Loc(page=2))
    assert finding.kind == FindingKind.ocr_number_repaired and finding.source.page == 2
    assert "«33,33. %» letto come «33,33 %»" in finding.message and finding.printed == "33,33. %"


@pytest.mark.parametrize("read,clean", [
    ("Internazionalizzazione (D1) :", "Internazionalizzazione (D1)"),
    ("Risorse destinate alla digitalizzazione I Risorse stanziare", "Risorse destinate alla digitalizzazione / Risorse stanziare"),
    ("Patrimonio netto/ Immob", "Patrimonio netto / Immob"),
    ("customer Statistica Prezzi Studi economici IN. risposte", "customer Statistica Prezzi Studi economici / N. risposte"),
    ("(Proventi strutturali* - Oneri strutturali) ! Proventi", "(Proventi strutturali* - Oneri strutturali) / Proventi"),
    ("N. risposte con giudizio positivo /.N. risposte", "N. risposte con giudizio positivo / N. risposte"),
    ("turismo e_ territorio", "turismo e territorio"),
    ("N. Progetti.realizzati per promuovere", "N. Progetti realizzati per promuovere"),
    ("(progetto 20%). in collaborazione", "(progetto 20%) in collaborazione"),
    ("tutela ambientale e dello —. sviluppo", "tutela ambientale e dello sviluppo"),
    ("certificazioni ‘ambientali e sociali", "certificazioni ambientali e sociali"),
    ("centri specializzati e mentor.", "centri specializzati e mentor"),
    ("Area1-Competitività delle imprese", "Area 1-Competitività delle imprese"),
])
def test_stray_marks_of_a_scan_are_removed_from_cells(read, clean):
    assert tidy_cell(read) == clean


@pytest.mark.parametrize("cell", [
    "N. iniziative/progetti attivati", "RASL 31.12.2018 - N. imprese", "art. 67 co. 3 ccnl 21/05/2018",
    "dell’Informatizzazione dei servizi", "Tempi medi del servizio R.I.", "sito www.ra.camcom.gov.it",
    "(( 560 N. - 167 N. ) / 167 N. ) * 100", "23.532,93 %",
])
def test_printed_text_is_left_as_printed(cell):
    assert tidy_cell(cell) == cell


def test_paragraphs_lose_only_stray_marks():
    assert tidy_text("Vengono riportati . di seguito i risultati.") == "Vengono riportati di seguito i risultati."


def test_a_garbled_operator_takes_the_one_the_document_prints_most():
    row = ["50,%", "Percentuale attività", "19 N. / 11 N.", "172,73%", "SE 90,00 %"]
    assert repair_cells(row, ">=")[-1] == ">= 90,00 %"
    assert repair_cells(row) is None  # no operator read yet on the scanned pages: no guess
    assert repair_cells(["Numero imprese", "N. Report attività"], ">=") is None


def test_garbled_objective_codes_come_back_from_the_other_mentions():
    from ingest.readers.blocks import BlockStream, Row
    from ingest.readers.ocr_codes import restore_codes

    def row(page, *cells):
        return Row(tuple(cells), Loc(page=page))

    stream = BlockStream((
        row(1, "1.1 Internazionalizzazione (D1)", "25,%"),  # the overview, digital or well read
        row(1, "1.2.1 Punto Impresa Digitale (PID)"),
        row(1, "1.2.1.1 Punto Impresa Digitale (PID) (art. 67 co.3 ccnl 21/05/2018)"),
        row(2, "11 Internazionalizzazione (D1) (Prospettiva BSC: BSC1)", "25,%"),
        row(2, "L2.1.1 Punto Impresa Digitale (PID) (art. 67 co.3 cenl 21/05/2018)"),
        row(2, "1.21 Punto Impresa Digitale (PID)"),
        row(2, "Internazionalizzazione (D1)"),  # a title printed without its code: left alone
        row(2, "12.1 Punto Impresa Digitale (PID) (art. 67 co.3 ccnl 21/05/2018)"),  # other digits: left
        row(1, "11 Internazionalizzazione (D1)"),  # not a scanned page: left alone
        row(2, "OS 1.2.1 Punto Impresa Digitale (PID)"),  # an abbreviation before the code is printed
        row(2, "csi 5 1.2.1 Punto Impresa Digitale (PID)"),  # specks before it are not
    ))
    out = [b.cells[0] for b in restore_codes(stream, {2}).blocks]
    assert out[3] == "1.1 Internazionalizzazione (D1) (Prospettiva BSC: BSC1)"
    assert out[4] == "1.2.1.1 Punto Impresa Digitale (PID) (art. 67 co.3 cenl 21/05/2018)"
    assert out[5] == "1.2.1 Punto Impresa Digitale (PID)"
    assert out[6:] == ["Internazionalizzazione (D1)", "12.1 Punto Impresa Digitale (PID) (art. 67 co.3 ccnl 21/05/2018)",
                       "11 Internazionalizzazione (D1)", "OS 1.2.1 Punto Impresa Digitale (PID)",
                       "1.2.1 Punto Impresa Digitale (PID)"]


def _with_row_scanned(stream, line: int, cells: dict[int, str], scanned: bool = True):
    """`stream` with the row of `line` moved to page 5 and `cells` (index: text) in it; page 5
    recorded as read by OCR when `scanned`."""
    from dataclasses import replace

    from ingest.readers.blocks import Row

    def changed(block):
        if not (isinstance(block, Row) and block.loc.line == line):
            return block
        new = [cells.get(i, c) for i, c in enumerate(block.cells)]
        return replace(block, cells=tuple(new), loc=block.loc.model_copy(update={"page": 5}))

    return replace(stream, blocks=tuple(changed(b) for b in stream.blocks), ocr_pages=(5,) if scanned else ())


# indicator 3.1/1.4/1 of the corpus text: line 186, '49 N. / 52 N.' | '94,23 %' | '>= 75,00 %' in cells 7-9
_ROW_LINE, _MEASURES, _ACTUAL, _TARGET = 186, 7, 8, 9


@pytest.mark.parametrize("cell,field", [(_ACTUAL, "actual"), (_TARGET, "target"), (_MEASURES, "measures")])
def test_one_unreadable_value_of_a_scanned_row_leaves_the_row_with_a_finding(monkeypatch, cell, field):
    from conftest import RELAZIONE_TXT
    from ingest import pipeline
    from ingest.checks import check_report
    from ingest.readers.text import read_text
    from ingest.scoring import score_report

    stream = _with_row_scanned(read_text(RELAZIONE_TXT.read_bytes(), RELAZIONE_TXT.name), _ROW_LINE, {cell: "SS %"})
    from ingest.readers import text

    monkeypatch.setattr(text, "read_text", lambda *_: stream)  # the text reader, giving this stream
    report = pipeline.read_report(RELAZIONE_TXT.read_bytes(), RELAZIONE_TXT.name)  # accepted: complete
    assert len(list(report.indicators())) == 128
    row = next(i for i in report.indicators() if i.source.line == _ROW_LINE)
    assert not getattr(row, field) and row.name.startswith("Percentuale di soddisfazione customer")
    unread = [f for f in report.problems if f.kind == FindingKind.unparseable_number]
    assert len(unread) == 1 and unread[0].source.page == 5 and unread[0].printed == "SS %"
    assert "illeggibile nella scansione" in unread[0].message
    score_report(report), check_report(report)  # a row without one of its values is scored and checked


@pytest.mark.parametrize("cells,scanned", [
    ({_ACTUAL: "SS %"}, False), ({_ACTUAL: "SS %", _TARGET: "SS", _MEASURES: "on. / CONA"}, True),
])
def test_an_unreadable_value_off_a_scan_or_no_readable_value_drop_the_row(cells, scanned):
    from conftest import RELAZIONE_TXT
    from ingest.readers.text import read_text
    from ingest.tables import parse_tables

    stream = _with_row_scanned(read_text(RELAZIONE_TXT.read_bytes(), RELAZIONE_TXT.name), _ROW_LINE, cells, scanned)
    tables = parse_tables(stream)
    assert tables.indicator_count == 127
    assert [f.kind for f in tables.problems] == [FindingKind.row_not_parsed]


def test_two_unreadable_values_of_a_scanned_row_leave_the_row_with_two_findings():
    from conftest import RELAZIONE_TXT
    from ingest.readers.text import read_text
    from ingest.tables import parse_tables

    stream = _with_row_scanned(read_text(RELAZIONE_TXT.read_bytes(), RELAZIONE_TXT.name), _ROW_LINE,
                               {_ACTUAL: "CONA", _MEASURES: "on."}, True)
    tables = parse_tables(stream)
    assert tables.indicator_count == 128
    unread = [f for f in tables.problems if f.kind == FindingKind.unparseable_number]
    assert sorted(f.printed for f in unread) == ["CONA", "on."] and all(f.source.page == 5 for f in unread)


def _one_page_pdf(content: bytes) -> bytes:
    import io

    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(300, 200))
    page = pdf.pages[0]
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica))
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.obj.Contents = pdf.make_stream(content)
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def test_the_invisible_text_of_a_scan_gets_its_printed_size_and_keeps_its_place(tmp_path):
    """ocrmypdf sets an OCR'd line in the height of its capitals (0.72 of the printed size):
    the OCR'd file is rewritten so that the reader measures words in the printed size."""
    import io

    import pdfplumber

    from ingest.readers.ocr_layer import INK_HEIGHT_EM, finish

    content = (b"BT 3 Tr 20 100 Td /F1 7.2 Tf 120 Tz (Camera ) Tj 40 0 Td 90 Tz (di ) Tj ET\n"
               b"BT 0 Tr 20 50 Td /F1 10 Tf (Visibile) Tj ET")  # printed text: never touched
    path = tmp_path / "ocr.pdf"
    path.write_bytes(_one_page_pdf(content))

    def words(data: bytes) -> list[tuple]:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            found = pdf.pages[0].extract_words(extra_attrs=["size"])
            return [(w["text"], round(w["x0"], 2), round(w["x1"], 2), round(w["size"], 2)) for w in found]

    before, after = words(path.read_bytes()), words(finish(path, {}, {0}))
    assert [w[:3] for w in after] == [w[:3] for w in before]  # same words, same places, same widths
    assert [w[3] for w in before] == [7.2, 7.2, 10] and [w[3] for w in after] == [round(7.2 / INK_HEIGHT_EM, 2)] * 2 + [10]
    assert words(finish(path, {}, set())) == before  # a page not OCR'd is left as it was
