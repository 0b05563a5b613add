"""Reader for Word files (.docx), through python-docx.

The body is read in order: paragraphs and tables. Tables give their real cells: a cell merged
over several columns (gridSpan) is one cell followed by empty ones, a cell merged over several
rows (vMerge) gives its text to each row it spans (marked `spanned`, as the PDF reader does).
Headings are told by their style (Title, Heading 1..9, or an outline level), captions by theirs,
list items by their numbering; bold and italic paragraphs as the PDF reader tells them. Places
are what a reader of the Word file can find: table number and row, paragraph number, and the
headings they stand under (`Loc.table`, `row`, `paragraph`, `headings`).
"""

from __future__ import annotations

import io
import re
import zipfile

from ..errors import UnreadableFile
from ..model import Layout, Loc, TableLayout
from .blocks import Block, BlockStream, Row, Text, TextKind, clean_cell, clean_text, join_wrapped
from .registry import PageProgress, Reader

READING_STAGE = "lettura documento Word"
_HEADING_STYLE_RE = re.compile(r"^(?:heading|titolo|überschrift|titre)\s*(\d)$", re.IGNORECASE)


def read_docx(data: bytes, name: str, progress: PageProgress | None = None) -> BlockStream:
    document = _open(data, name)
    from docx.table import Table

    items = list(document.iter_inner_content())
    blocks: list[Block] = []
    tables: list[TableLayout] = []
    headings: list[tuple[int, str]] = []
    paragraphs = 0
    for done, item in enumerate(items, start=1):
        path = tuple(text for _, text in headings)
        if isinstance(item, Table):
            rows, layout = _table(item, len(tables) + 1, path)
            blocks += rows
            tables.append(layout)
        else:
            paragraphs += 1
            block = _paragraph(item, Loc(paragraph=paragraphs, headings=path))
            if block is None:
                continue
            if block.kind == "heading":
                headings = [(lvl, t) for lvl, t in headings if lvl < block.level] + [(block.level, block.text)]
            blocks.append(block)
        if progress and (done == len(items) or done % 50 == 0):
            progress(done, len(items), READING_STAGE)
    if not blocks:
        raise UnreadableFile("il documento Word non contiene testo", path=name)
    return BlockStream(tuple(blocks), layout=Layout(reader="docx", tables=tuple(tables)))


def _open(data: bytes, name: str):
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    if not data:
        raise UnreadableFile("il file è vuoto (0 byte)", path=name)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise UnreadableFile("il file non è un documento Word .docx (non è un archivio OOXML)", path=name)
    try:
        return Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise UnreadableFile(f"il documento Word è danneggiato ({type(exc).__name__})", path=name) from None
    except Exception as exc:  # lxml and zipfile raise many types on broken files
        raise UnreadableFile(f"il documento Word non può essere letto ({type(exc).__name__})", path=name) from None


def _paragraph(paragraph, loc: Loc) -> Text | None:
    text = clean_text(join_wrapped(paragraph.text.split("\n")))
    if not text:
        return None
    kind, level = _kind(paragraph)
    return Text(text, loc, kind=kind, level=level)


def _kind(paragraph) -> tuple[TextKind, int]:
    style = paragraph.style
    names = []
    while style is not None:
        names.append((style.name or "").strip())
        style = style.base_style
    for name in names:
        if name.lower() in ("title", "titolo"):
            return "heading", 1
        if m := _HEADING_STYLE_RE.match(name):
            return "heading", int(m.group(1))
        if name.lower() in ("caption", "didascalia"):
            return "caption", 0
    level = _outline_level(paragraph)
    if level is not None:
        return "heading", level
    if paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None or any(n.lower().startswith(("list", "elenco")) for n in names):
        return "item", 0
    runs = [r for r in paragraph.runs if r.text.strip()]
    if runs and all(r.bold for r in runs):
        return "bold", 0
    if runs and all(r.italic for r in runs):
        return "caption", 0
    return "para", 0


def _outline_level(paragraph) -> int | None:
    from docx.oxml.ns import qn

    p_pr = paragraph._p.pPr
    found = p_pr.find(qn("w:outlineLvl")) if p_pr is not None else None
    if found is None:
        return None
    level = int(found.get(qn("w:val"), "9"))
    return level + 1 if level < 9 else None


def _table(table, number: int, path: tuple[str, ...]) -> tuple[list[Row], TableLayout]:
    """Rows of a table, one cell per grid column; merged cells as the module says."""
    from docx.text.paragraph import Paragraph

    rows: list[Row] = []
    above: dict[int, str] = {}
    width = 0
    for index, tr in enumerate(table._tbl.tr_lst, start=1):
        cells: list[str] = [""] * tr.grid_before
        spanned: list[int] = []
        bold = True
        for tc in tr.tc_lst:
            column = len(cells)
            if tc.vMerge == "continue":
                text = above.get(column, "")
                if text:
                    spanned.append(column)
            else:
                paragraphs = [Paragraph(p, table) for p in tc.p_lst]
                text = clean_cell(join_wrapped([line for p in paragraphs for line in p.text.split("\n")]))
                runs = [r for p in paragraphs for r in p.runs if r.text.strip()]
                bold = bold and all(r.bold for r in runs)
                above[column] = text
            cells += [text] + [""] * (tc.grid_span - 1)
        width = max(width, len(cells))
        if any(cells):
            rows.append(Row(tuple(cells), Loc(table=number, row=index, headings=path),
                            bold=bold and any(cells), spanned=tuple(spanned)))
    source = rows[0].loc if rows else Loc(table=number, headings=path)
    return rows, TableLayout(number=number, source=source, strategy="cells", rows=len(rows), columns=width)


READER = Reader(name="docx", label="DOCX", formats={".docx": "docx"}, blocks=read_docx)
