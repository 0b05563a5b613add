"""The corpus Relazione as a Word file, built with python-docx (scripts/make_layouts.py).

Headings with Word's heading styles, paragraphs, bullet items, and real tables: performance
tables with the area and objectives as cells merged over their indicators (vMerge) and the
header row repeated on each page; wide tables in landscape sections. LibreOffice exports the
same file to PDF.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from docx import Document as new_document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from layout_document import CANONICAL, Document, Paragraph, Table, heading_rows, merged_rows


@dataclass(frozen=True)
class DocxStyle:
    performance: str = "merged"  # merged | headings
    order: tuple[str, ...] = CANONICAL
    table_style: str | None = "Table Grid"
    font_size: float = 7.5


DOCX_LAYOUTS: dict[str, DocxStyle] = {
    "word-merged": DocxStyle(),
    # held out: objectives as heading rows, no borders, another order of the value columns
    "heldout-word-plain": DocxStyle(
        performance="headings", table_style=None, font_size=8,
        order=("weight", "name", "algorithm", "descr", "kpi", "measures", "target", "actual"),
    ),
}


def write_docx(doc: Document, style: DocxStyle, path: Path) -> None:
    word = new_document()
    word.styles["Normal"].font.name = "Liberation Sans"
    word.styles["Normal"].font.size = Pt(9)
    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    landscape = False
    for item in doc.items:
        if isinstance(item, Paragraph):
            if landscape:
                _orientation(word, landscape := False)
            _paragraph(word, item)
            continue
        wide = max(len(r) for r in item.rows) >= 6
        if wide != landscape:
            _orientation(word, landscape := wide)
        _table(word, doc, item, style)
    word.save(str(path))


def _orientation(word, landscape: bool) -> None:
    section = word.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    short, long = Mm(210), Mm(297)
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(12))


def _paragraph(word, p: Paragraph) -> None:
    if p.kind == "heading":
        word.add_heading(p.text, level=min(max(p.level, 1), 4))
    elif p.kind == "item":
        word.add_paragraph(p.text, style="List Bullet")
    else:
        para = word.add_paragraph()
        run = para.add_run(p.text)
        run.bold = p.kind == "bold"
        run.italic = p.kind == "caption"


def _table(word, doc: Document, table: Table, style: DocxStyle) -> None:
    if table.section and style.performance == "merged":
        header, rows = merged_rows(doc.report, table, style.order)
        grid = [[(h, 1) for h in header]] + rows
    elif table.section:
        rows = heading_rows(doc.report, table, style.order)
        width = len(rows[0][1])
        grid = []
        for kind, cells in rows:
            if kind == "heading":
                grid.append([(cells[0], -(width - 1)), (cells[1], 1)])  # title over all but the last column
            else:
                grid.append([(c, 1) for c in cells])
    else:
        width = max(len(r) for r in table.rows)
        grid = [[(c, 1) for c in r + [""] * (width - len(r))] for r in table.rows]
    _write_grid(word, grid, style, 273 if max(len(r) for r in grid) >= 6 else 186)


def _widths(grid: list[list[tuple[str, int]]], width: int, total_mm: float) -> list[float]:
    """Column widths in proportion to the longest text each column holds (capped)."""
    longest = [4] * width
    for row in grid:
        c = 0
        for text, span in row:
            if span >= 0:
                longest[c] = max(longest[c], min(len(text), 60))
            c += max(-span, 1)
    weights = [n + 8 for n in longest]
    return [total_mm * w / sum(weights) for w in weights]


def _write_grid(word, grid: list[list[tuple[str, int]]], style: DocxStyle, total_mm: float) -> None:
    """Cells as (text, span): span > 1 merges down over rows, span < 0 across -span columns,
    span 0 is a place covered by a cell merged from above."""
    width = max(sum(max(-s, 1) for _, s in row) for row in grid)
    t = word.add_table(rows=len(grid), cols=width)
    if style.table_style:
        t.style = style.table_style
    t.autofit = False
    for column, mm in zip(t.columns, _widths(grid, width, total_mm)):
        for cell in column.cells:
            cell.width = Mm(mm)
    _repeat_header(t.rows[0])
    for r, row in enumerate(grid):
        c = 0
        for text, span in row:
            cell = t.cell(r, c)
            if span < 0:
                cell = cell.merge(t.cell(r, c - span - 1))
            elif span > 1:
                cell = cell.merge(t.cell(r + span - 1, c))
            if span != 0:
                _text(cell, text, bold=r == 0, size=style.font_size)
            c += max(-span, 1)


def _text(cell, text: str, bold: bool, size: float) -> None:
    para = cell.paragraphs[0]
    run = para.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)
