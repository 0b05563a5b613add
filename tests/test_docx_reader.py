"""The Word reader on a document made in the test with python-docx: headings by style, list
items, bold and italic paragraphs, line breaks, tables with cells merged over rows and columns,
and the places a reader of the Word file finds (table and row, paragraph, headings)."""

from __future__ import annotations

import io

import pytest

from ingest.readers.blocks import Row, Text
from ingest.readers.docx import read_docx


@pytest.fixture(scope="module")
def stream():
    from docx import Document

    doc = Document()
    doc.add_heading("Relazione 2019", level=1)
    doc.add_heading("3.1 Obiettivi strategici", level=2)
    doc.add_paragraph("Primo paragrafo,").add_run(" che prosegue.")
    doc.add_paragraph("Una voce", style="List Bullet")
    doc.add_paragraph().add_run("Tutto in grassetto").bold = True
    doc.add_paragraph().add_run("Tutto in corsivo").italic = True
    broken = doc.add_paragraph("prima riga")
    broken.add_run().add_break()
    broken.add_run("seconda riga")
    table = doc.add_table(rows=3, cols=3)
    for r, texts in enumerate([("OBIETTIVO", "INDICATORE", "PESO"), ("1.1 Export", "N. imprese", "50%"), ("", "N. eventi", "50%")]):
        for c, text in enumerate(texts):
            if text:
                table.cell(r, c).text = text
    table.cell(1, 0).merge(table.cell(2, 0))  # merged over two rows
    wide = doc.add_table(rows=1, cols=3)
    wide.cell(0, 0).merge(wide.cell(0, 1)).text = "due colonne"
    wide.cell(0, 2).text = "una"
    out = io.BytesIO()
    doc.save(out)
    return read_docx(out.getvalue(), "prova.docx")


def test_paragraphs_by_style_and_formatting(stream):
    texts = [b for b in stream.blocks if isinstance(b, Text)]
    kinds = {t.text: (t.kind, t.level) for t in texts}
    assert kinds["Relazione 2019"] == ("heading", 1)
    assert kinds["3.1 Obiettivi strategici"] == ("heading", 2)
    assert kinds["Primo paragrafo, che prosegue."] == ("para", 0)
    assert kinds["Una voce"] == ("item", 0)
    assert kinds["Tutto in grassetto"] == ("bold", 0)
    assert kinds["Tutto in corsivo"] == ("caption", 0)
    assert kinds["prima riga seconda riga"] == ("para", 0)
    para = next(t for t in texts if t.text.startswith("Primo"))
    assert para.loc.paragraph == 3 and para.loc.headings == ("Relazione 2019", "3.1 Obiettivi strategici")


def test_table_cells_and_merges(stream):
    rows = [b for b in stream.blocks if isinstance(b, Row)]
    assert rows[0].cells == ("OBIETTIVO", "INDICATORE", "PESO")
    assert rows[1].cells == ("1.1 Export", "N. imprese", "50%") and rows[1].spanned == ()
    # the cell merged over two rows gives its text to the second, marked as spanned
    assert rows[2].cells == ("1.1 Export", "N. eventi", "50%") and rows[2].spanned == (0,)
    assert (rows[2].loc.table, rows[2].loc.row) == (1, 3)
    # a cell merged over two columns is one cell followed by an empty one
    assert rows[3].cells == ("due colonne", "", "una") and rows[3].loc.table == 2
    assert [t.strategy for t in stream.layout.tables] == ["cells", "cells"]
