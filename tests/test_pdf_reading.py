"""Pieces of the PDF reader on made-up pages: running lines, cells from word positions,
numbers broken by a narrow column, rows whose columns cannot be assigned."""

from __future__ import annotations

from ingest.model import Layout, Loc, TableLayout, UnassignedRow
from ingest.pipeline import unassigned_findings
from ingest.readers.pdf.cells import cell_text
from ingest.readers.pdf.geometry import PageContent, Word
from ingest.readers.pdf.running import running_lines
from ingest.readers.pdf.words import word_tables
from ingest.tables.schema import is_table_header


def _words(text: str, x: float, top: float, size: float = 8.0, bold: bool = False) -> list[Word]:
    out = []
    for token in text.split():
        width = 0.5 * size * len(token)
        out.append(Word(token, x, x + width, top, top + size, size, bold))
        x += width + 0.28 * size
    return out


def test_a_number_broken_by_a_narrow_column_is_joined_again():
    words = _words("23.532,9", 10, 100) + _words("3 %", 10, 109)
    assert cell_text(words) == "23.532,93 %"
    # a wrapped cell keeps its spaces and word hyphens
    assert cell_text(_words("N. imprese coinvolte", 10, 100) + _words("in iniziative", 10, 109)) == "N. imprese coinvolte in iniziative"
    assert cell_text(_words("Utenti-imprese-", 10, 100) + _words("territorio", 10, 109)) == "Utenti-imprese-territorio"


def _page(number: int, lines: list[list[Word]], height: float = 842.0) -> PageContent:
    return PageContent(number, 595.0, height, [w for ln in lines for w in ln])


def test_running_headers_and_footers_are_found_by_repetition():
    pages = []
    for n in range(1, 6):
        pages.append(_page(n, [
            _words("Relazione sulla performance 2019", 40, 20),
            _words(f"Testo della pagina {n} diverso ogni volta", 40, 300 + n * 7),
            _words(f"pag. {n}", 500, 815),
        ]))
    found = running_lines(pages, lambda line: False)
    assert sorted(found) == [1, 2, 3, 4, 5]
    for number, lines in found.items():
        assert {ln.text for ln in lines} == {"Relazione sulla performance 2019", f"pag. {number}"}
    # two pages are not a pattern
    assert running_lines(pages[:2], lambda line: False) == {}


def _row(cells: list[tuple[str, float]], top: float, bold: bool = False) -> list[Word]:
    return [w for text, x in cells for w in _words(text, x, top, bold=bold)]


def test_a_table_without_rules_is_read_from_word_positions():
    xs = [40, 90, 230, 330, 400, 470]
    header = _row(list(zip(["PESO", "INDICATORE", "ALGORITMO", "VALORI", "CONSUNTIVO", "TARGET"], xs)), 100, bold=True)
    row1 = _row(list(zip(["50,0%", "N. imprese", "Numero", "10 N.", "10 N.", ">= 5 N."], xs)), 115)
    row1 += _row([("coinvolte", 90)], 124)
    row2 = _row(list(zip(["50,0%", "N. eventi", "Numero", "3 N.", "3 N.", ">= 2 N."], xs)), 140)
    page = _page(1, [header, row1, row2])
    from ingest.readers.pdf.geometry import group_lines

    tables, text, columns = word_tables(page, group_lines(page.words), is_table_header, None, False)
    assert not text and len(tables) == 1 and columns is not None
    rows = [cells for _, cells in tables[0].rows]
    assert rows[0] == ("PESO", "INDICATORE", "ALGORITMO", "VALORI", "CONSUNTIVO", "TARGET")
    assert rows[1] == ("50,0%", "N. imprese coinvolte", "Numero", "10 N.", "10 N.", ">= 5 N.")
    assert rows[2] == ("50,0%", "N. eventi", "Numero", "3 N.", "3 N.", ">= 2 N.")
    assert tables[0].strategy == "words" and not tables[0].unassigned


def test_rows_whose_columns_cannot_be_assigned_become_findings():
    layout = Layout(reader="pdf", tables=(TableLayout(
        number=3, source=Loc(page=7), strategy="words", rows=10, columns=6, pages=(7,),
        unassigned=(UnassignedRow(source=Loc(page=7), row=4, printed="Totale a cavallo | 12"),),
    ),))
    (finding,) = unassigned_findings(layout)
    assert finding.source.page == 7 and "tabella 3, riga 4" in finding.message
    assert finding.printed == "Totale a cavallo | 12"


def test_a_word_cut_by_a_narrow_column_is_joined_when_the_document_prints_it_whole():
    vocab = frozenset({"informativi", "internazionalizzazione", "per"})
    cut = _words("N. eventi", 10, 100) + _words("formativi/inform", 10, 109) + _words("ativi per", 10, 118)
    assert cell_text(cut, vocab) == "N. eventi formativi/informativi per"
    apostrophe = _words("l'internazionaliz", 10, 100) + _words("zazione", 10, 109)
    assert cell_text(apostrophe, vocab) == "l'internazionalizzazione"
    # two words wrapped on two lines stay two words, whatever the second one holds
    assert cell_text(_words("per", 10, 100) + _words("l'internazionalizzazione", 10, 109), vocab) == "per l'internazionalizzazione"


def test_a_word_broken_where_its_line_is_full_is_joined_when_the_halves_make_a_word():
    # LibreOffice breaks a word too long for a narrow column anywhere, with no hyphen: the
    # first half fills the line (the next letter would not fit); the language tells a broken
    # word from a line that ended at a space
    full = _words("Consolidament", 10, 100)
    reach = full[-1].x1 + 1.0
    assert cell_text(full + _words("o del Sistema", 10, 109), right=reach) == "Consolidamento del Sistema"
    assert cell_text(_words("Potenziamento", 10, 100) + _words("delle attività", 10, 109), right=reach + 4) == "Potenziamento delle attività"
    # 'scuole-imprese' + 'e' is the word 'imprese' followed by 'e', not 'impresee'
    line = _words("scuole-imprese", 10, 100)
    assert cell_text(line + _words("e orientamento", 10, 109), right=line[-1].x1 + 1) == "scuole-imprese e orientamento"
    # a line that ends well before the cell's edge ended at a space, whatever the halves make
    # a first half that is no word at all, and halves that make one, are joined even when the
    # cell's edge seems further (LibreOffice breaks a long word where its column ends)
    assert cell_text(full + _words("o del Sistema", 10, 109), right=reach + 40) == "Consolidamento del Sistema"


def test_a_word_the_page_end_cut_goes_on_overleaf():
    from ingest.readers.pdf.cells import continues_word, open_word

    cut = _words("Revisione", 10, 100) + _words("documentazion", 10, 109)
    assert open_word(cut, cut[-1].x1 + 1) == "documentazion"
    assert open_word(cut, cut[-1].x1 + 30) is None  # room for more letters: the line ended at a space
    assert continues_word("documentazion", "e", None)
    assert not continues_word("Potenziamento", "delle", None)


def test_a_title_printed_across_columns_stays_one_cell():
    from ingest.readers.pdf.columns import Columns

    # the column edge falls in a word space of the title: one piece, over several columns
    title = _words("3.2.3.2.3 Progetto e-learning (art. 67)", 10, 100)
    edge = (title[1].x1 + title[2].x0) / 2
    columns = Columns((5.0, edge, 400.0, 500.0), 8.0)
    (piece,) = columns.pieces(title)
    assert piece[0] == 0 and piece[2] and len(piece[1]) == len(title)
    # two cells side by side stay two pieces, even closer than the gap that cuts segments,
    # when they stand further apart than the words of each
    left = _words("Numero imprese", 10, 100)
    cells = left + _words("12 N.", left[-1].x1 + 3.2, 100)
    edge = left[-1].x1 + 1.6
    assert [p[0] for p in Columns((5.0, edge, 200.0), 8.0).pieces(cells)] == [0, 1]


def _table(lines: list[list[Word]]):
    from ingest.readers.pdf.geometry import group_lines

    page = _page(1, lines)
    return word_tables(page, group_lines(page.words), is_table_header, None, False)


_XS = [40, 150, 260, 330, 400, 470]
_HEADER = ["OBIETTIVO", "INDICATORE", "PESO", "VALORI", "CONSUNTIVO", "TARGET"]


def test_a_cell_merged_over_rows_without_rules_keeps_its_text_in_its_first_row():
    # no rules: the objective's text runs on past its first row (line spacing 9 pt) while the
    # cells of the next row start again under the first row's (a wider blank in their columns)
    header = _row(list(zip(_HEADER, _XS)), 100, bold=True)
    objective = [_words(text, 40, 115 + 9 * k) for k, text in enumerate(["1.3 Orientamento al", "lavoro e alle", "professioni (D4)", "(Prospettiva BSC)"])]
    row1 = _row(list(zip(["N. soggetti", "50%", "10 N.", "10 N.", ">= 5 N."], _XS[1:])), 115)
    row1 += _words("coinvolti", 150, 124) + _words("nelle attività", 150, 133)
    row2 = _row(list(zip(["Percentuale", "50%", "3 N.", "3 N.", ">= 2 N."], _XS[1:])), 147) + _words("attività", 150, 156)
    row3 = _row(list(zip(["1.4 Sviluppo", "Percentuale di", "100%", "4 N.", "4 N.", ">= 3 N."], _XS)), 175)
    row3 += _words("soddisfazione", 150, 184)
    tables, text, _ = _table([header, *objective, row1, row2, row3])
    assert not text and len(tables) == 1
    rows = [cells for _, cells in tables[0].rows]
    assert len(rows) == 4 and rows[3][:2] == ("1.4 Sviluppo", "Percentuale di soddisfazione")
    objective = "1.3 Orientamento al lavoro e alle professioni (D4) (Prospettiva BSC)"
    assert rows[1] == (objective, "N. soggetti coinvolti nelle attività", "50%", "10 N.", "10 N.", ">= 5 N.")
    assert rows[2] == ("", "Percentuale attività", "50%", "3 N.", "3 N.", ">= 2 N.")


def test_a_bold_heading_row_across_the_columns_does_not_end_the_table():
    header = _row(list(zip(_HEADER, _XS)), 100, bold=True)
    row1 = _row(list(zip(["1.1 Export", "N. imprese", "100%", "10 N.", "10 N.", ">= 5 N."], _XS)), 115)
    heading = _words("1.2 Digitalizzazione (D2) (Prospettiva BSC: BSC1 - Utenti-imprese-territorio)", 40, 134, bold=True)
    heading += _words("25%", 470, 134, bold=True)
    row2 = _row(list(zip(["1.2 Digitalizzazione", "Grado di utilizzo", "100%", "3 N.", "3 N.", ">= 2 N."], _XS)), 146)
    tables, text, _ = _table([header, row1, heading, row2])
    assert not text and len(tables) == 1
    rows = [cells for _, cells in tables[0].rows]
    assert len(rows) == 4 and rows[2][0].startswith("1.2 Digitalizzazione (D2)") and rows[2][-1] == "25%"
    assert rows[3][1] == "Grado di utilizzo"
    # a paragraph in regular type after the table is not a heading row
    para = _words("Vengono riportati di seguito i risultati raggiunti sugli obiettivi operativi", 40, 134)
    tables, text, _ = _table([header, row1, para, row2])
    assert [ln.text for ln in text][:1] == [" ".join(w.text for w in para)]


def test_a_data_line_whose_cells_read_like_header_words_does_not_start_a_table():
    # the first line of a row centred vertically: an indicator named 'Indicatore ...' (wrapped)
    # beside an objective's number, a line that alone reads like a header ('INDICATORE | ...')
    names = ["INDICATORE", "OBIETTIVO", "PESO", "VALORI", "CONSUNTIVO", "TARGET"]
    header = _row(list(zip(names, _XS)), 100, bold=True)
    row1 = _row(list(zip(["N. imprese", "1.1 Export", "100%", "10 N.", "10 N.", ">= 5 N."], _XS)), 115)
    row2 = _row([("Indicatore", 40), ("3.2.3.2.1 Progetto", 150)], 134)
    row2 += _row(list(zip(["tempestività", "ITP", "100%", "-15 N.", "-15 N.", "<= -10 N."], _XS)), 143)
    row3 = _row(list(zip(["N. fatture", "3.2.3.2.2 Progetto", "100%", "5 N.", "5 N.", "<= 3 N."], _XS)), 162)
    assert is_table_header(["Indicatore", "3.2.3.2.1 Progetto"])  # what the table parser says alone
    tables, text, _ = _table([header, row1, row2, row3])
    assert not text and len(tables) == 1
    assert [cells[0] for _, cells in tables[0].rows] == ["INDICATORE", "N. imprese", "Indicatore tempestività", "N. fatture"]


def test_a_header_centred_on_three_lines_repeated_on_each_page_is_not_running_text():
    from ingest.readers.pdf.columns import header_cells

    def is_header(band) -> bool:
        cells = header_cells(band)
        return len(cells) >= 2 and is_table_header([c.text for c in cells])

    pages = []
    for n in range(1, 6):
        pages.append(_page(n, [
            _row([("Peso", 40), ("Valore", 400), ("Valore", 470)], 43, bold=True),
            _row([("Indicatori", 150), ("Misure", 330)], 47, bold=True),
            _row([("%", 40), ("raggiunto", 400), ("atteso", 470)], 51, bold=True),
            _words(f"Testo della pagina {n} diverso ogni volta", 40, 300 + n * 7),
        ]))
    assert running_lines(pages, is_header) == {}
    # the same lines are running text when nothing tells them from a header
    assert sorted(running_lines(pages, lambda band: False)) == [1, 2, 3, 4, 5]


def test_a_dotted_rule_is_one_rule():
    from ingest.readers.pdf.geometry import Box, dotted_rules

    # a row of 0.53 pt dots every 1.06 pt, a column of them, and dots too far apart or too few
    row = [Box(50 + 1.06 * k, 50.53 + 1.06 * k, 100.0, 100.53) for k in range(40)]
    column = [Box(300.0, 300.53, 200 + 1.06 * k, 200.53 + 1.06 * k) for k in range(20)]
    scattered = [Box(50 + 9.0 * k, 50.53 + 9.0 * k, 400.0, 400.53) for k in range(10)]
    few = [Box(50 + 1.06 * k, 50.53 + 1.06 * k, 500.0, 500.53) for k in range(3)]
    rules = dotted_rules(row + column + scattered + few)
    assert sorted((round(r.x0), round(r.x1), round(r.top), round(r.bottom)) for r in rules) == [(50, 92, 100, 101), (300, 301, 200, 221)]
