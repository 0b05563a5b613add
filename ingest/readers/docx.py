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
from .registry import PageProgress

READING_STAGE = "lettura documento Word"
_HEADING_STYLE_RE = re.compile(r"^(?:heading|titolo|überschrift|titre)\s*(\d)$", re.IGNORECASE)


# WordprocessingML elements, read straight from the document's XML (lxml, through python-docx's
# parts): one pass over the body, no python-docx proxy object per paragraph, run or cell (the
# proxies' XPath lookups were most of the reading time)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _R, _HYPERLINK = (_W + t for t in ("p", "tbl", "tr", "tc", "r", "hyperlink"))
_T, _BR = _W + "t", _W + "br"
_RUN_TEXT = {_W + "tab": "\t", _W + "ptab": "\t", _W + "cr": "\n", _W + "noBreakHyphen": "-"}
_FALSE = ("0", "false", "off")


def read_docx(data: bytes, name: str, progress: PageProgress | None = None) -> BlockStream:
    document = _open(data, name)
    styles = _Styles(document)
    items = [e for e in document.element.body.iterchildren(_P, _TBL)]
    blocks: list[Block] = []
    tables: list[TableLayout] = []
    headings: list[tuple[int, str]] = []
    paragraphs = 0
    for done, item in enumerate(items, start=1):
        path = tuple(text for _, text in headings)
        if item.tag == _TBL:
            rows, layout = _table(item, len(tables) + 1, path)
            blocks += rows
            tables.append(layout)
        else:
            paragraphs += 1
            block = _paragraph(item, styles, Loc(paragraph=paragraphs, headings=path))
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


class _Styles:
    """Paragraph style names by style id, each with the names of the styles it is based on."""

    def __init__(self, document) -> None:
        self.names: dict[str, str] = {}
        self.based_on: dict[str, str] = {}
        self.default: str | None = None
        for style in document.styles.element.iterchildren(_W + "style"):
            if style.get(_W + "type") != "paragraph":
                continue
            sid = style.get(_W + "styleId") or ""
            self.names[sid] = _val(style.find(_W + "name")) or ""
            if (base := _val(style.find(_W + "basedOn"))) is not None:
                self.based_on[sid] = base
            if style.get(_W + "default") in ("1", "true", "on"):
                self.default = sid

    def chain(self, sid: str | None) -> list[str]:
        """The style's name and those of the styles it is based on (the default style when the
        paragraph names none, or one the document does not define)."""
        sid = sid if sid in self.names else self.default
        names: list[str] = []
        while sid is not None and sid in self.names and len(names) < 20:
            names.append(self.names[sid].strip())
            sid = self.based_on.get(sid)
        return names


def _val(element) -> str | None:
    return element.get(_W + "val") if element is not None else None


def _runs(p) -> list:
    """The runs of a paragraph, those inside hyperlinks included."""
    out = []
    for child in p.iterchildren(_R, _HYPERLINK):
        if child.tag == _R:
            out.append(child)
        else:
            out.extend(child.iterchildren(_R))
    return out


def _run_text(r) -> str:
    parts = []
    for e in r:
        if e.tag == _T:
            parts.append(e.text or "")
        elif e.tag == _BR:
            parts.append("\n" if e.get(_W + "type", "textWrapping") == "textWrapping" else "")
        elif (text := _RUN_TEXT.get(e.tag)) is not None:
            parts.append(text)
    return "".join(parts)


def _on(r, prop: str) -> bool:
    """A run's direct formatting switch (w:b, w:i) is on."""
    rpr = r.find(_W + "rPr")
    flag = rpr.find(_W + prop) if rpr is not None else None
    return flag is not None and (flag.get(_W + "val") or "true").lower() not in _FALSE


def _paragraph(p, styles: _Styles, loc: Loc) -> Text | None:
    runs = [(r, _run_text(r)) for r in _runs(p)]
    text = clean_text(join_wrapped("".join(t for _, t in runs).split("\n")))
    if not text:
        return None
    kind, level = _kind(p, styles, [r for r, t in runs if t.strip()])
    return Text(text, loc, kind=kind, level=level)


def _kind(p, styles: _Styles, runs: list) -> tuple[TextKind, int]:
    ppr = p.find(_W + "pPr")
    names = styles.chain(_val(ppr.find(_W + "pStyle")) if ppr is not None else None)
    for name in names:
        if name.lower() in ("title", "titolo"):
            return "heading", 1
        if m := _HEADING_STYLE_RE.match(name):
            return "heading", int(m.group(1))
        if name.lower() in ("caption", "didascalia"):
            return "caption", 0
    outline = _val(ppr.find(_W + "outlineLvl")) if ppr is not None else None
    if outline is not None and outline.isdigit() and int(outline) < 9:
        return "heading", int(outline) + 1
    if ppr is not None and ppr.find(_W + "numPr") is not None or any(n.lower().startswith(("list", "elenco")) for n in names):
        return "item", 0
    if runs and all(_on(r, "b") for r in runs):
        return "bold", 0
    if runs and all(_on(r, "i") for r in runs):
        return "caption", 0
    return "para", 0


def _int(element, default: int) -> int:
    value = _val(element)
    return int(value) if value is not None and value.isdigit() else default


def _table(tbl, number: int, path: tuple[str, ...]) -> tuple[list[Row], TableLayout]:
    """Rows of a table, one cell per grid column; merged cells as the module says."""
    rows: list[Row] = []
    above: dict[int, str] = {}
    width = 0
    for index, tr in enumerate(tbl.iterchildren(_TR), start=1):
        trpr = tr.find(_W + "trPr")
        cells: list[str] = [""] * (_int(trpr.find(_W + "gridBefore"), 0) if trpr is not None else 0)
        spanned: list[int] = []
        bold = True
        for tc in tr.iterchildren(_TC):
            column = len(cells)
            tcpr = tc.find(_W + "tcPr")
            merge = tcpr.find(_W + "vMerge") if tcpr is not None else None
            if merge is not None and (_val(merge) or "continue") == "continue":
                text = above.get(column, "")
                if text:
                    spanned.append(column)
            else:
                # each paragraph of the cell on its own line(s)
                runs = [[(r, _run_text(r)) for r in _runs(p)] for p in tc.iterchildren(_P)]
                lines = [line for p in runs for line in "".join(t for _, t in p).split("\n")]
                text = clean_cell(join_wrapped(lines))
                bold = bold and all(_on(r, "b") for p in runs for r, t in p if t.strip())
                above[column] = text
            span = _int(tcpr.find(_W + "gridSpan"), 1) if tcpr is not None else 1
            cells += [text] + [""] * (span - 1)
        width = max(width, len(cells))
        if any(cells):
            rows.append(Row(tuple(cells), Loc(table=number, row=index, headings=path),
                            bold=bold and any(cells), spanned=tuple(spanned)))
    source = rows[0].loc if rows else Loc(table=number, headings=path)
    return rows, TableLayout(number=number, source=source, strategy="cells", rows=len(rows), columns=width)
