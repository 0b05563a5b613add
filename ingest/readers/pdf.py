"""Reader for PDF exports: pdfplumber's table cells plus the text lines outside the tables.

One pass per page: `find_tables` gives the bordered cells (wrapped text inside a cell comes
joined by newlines), `extract_text_lines` gives the text lines with their fonts; lines that
fall inside a table's box are dropped, the others become headings (larger font), bold lines,
captions (oblique) or paragraphs. Blocks are emitted in top-to-bottom order.
"""

from __future__ import annotations

import io
from collections import Counter

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from ..errors import UnreadableFile
from ..model import Loc
from . import ocr
from .blocks import Block, BlockStream, Row, Text, clean_cell, clean_text, join_wrapped
from .registry import Reader

ProgressFn = ocr.PageProgress


def _open(data: bytes, name: str) -> pdfplumber.PDF:
    if not data:
        raise UnreadableFile("il file è vuoto (0 byte)", path=name)
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise UnreadableFile("il file non è un PDF (intestazione %PDF mancante)", path=name)
    if b"%%EOF" not in data[-4096:]:
        raise UnreadableFile("il PDF è incompleto o troncato (manca la fine del file)", path=name)
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        _ = pdf.pages  # forces the document structure to be read
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect):
            raise UnreadableFile("il PDF è protetto da password (cifrato): non può essere letto", path=name) from None
        raise UnreadableFile(f"il PDF è danneggiato e non può essere letto ({type(cause).__name__})", path=name) from None
    except Exception as exc:  # pdfminer raises many types on broken files
        raise UnreadableFile(f"il PDF è danneggiato e non può essere letto ({type(exc).__name__})", path=name) from None
    return pdf


def read_pdf(data: bytes, name: str, progress: ProgressFn | None = None, *, scanned_ok: bool = False) -> BlockStream:
    """Blocks of every page. Scanned pages (no text layer, a page-wide image) go through OCR
    first (`ocr.py`) and the OCR'd file is read again; `scanned_ok` is that second reading."""
    pdf = _open(data, name)
    blocks: list[Block] = []
    scanned: list[int] = []
    chars_seen = 0
    try:
        total = len(pdf.pages)
        if total == 0:
            raise UnreadableFile("il PDF non ha pagine", path=name)
        for number, page in enumerate(pdf.pages, start=1):
            try:
                if not scanned_ok and ocr.is_scanned_page(page):
                    scanned.append(number)  # read after OCR, below
                    page_blocks, nchars = [], 0
                else:
                    page_blocks, nchars = _page_blocks(page, number)
            except UnreadableFile:
                raise
            except Exception as exc:
                raise UnreadableFile(
                    f"la pagina {number} del PDF è danneggiata ({type(exc).__name__})", path=name
                ) from None
            chars_seen += nchars
            blocks.extend(page_blocks)
            page.close()
            if progress:
                progress(number, total)
    finally:
        pdf.close()
    if scanned:
        ocr_data = ocr.ocr_pdf(data, name, scanned, progress)
        return ocr.as_scanned(read_pdf(ocr_data, name, progress, scanned_ok=True), scanned)
    if chars_seen == 0:
        raise UnreadableFile(
            "la scansione non contiene testo leggibile (pagine bianche, fotografie o testo illeggibile)"
            if scanned_ok
            else "il PDF non contiene testo (né pagine acquisite da scanner da leggere con l'OCR)",
            path=name,
        )
    return BlockStream(tuple(blocks), pages=total)


def _page_blocks(page, number: int) -> tuple[list[Block], int]:
    loc = Loc(page=number)
    placed: list[tuple[float, int, Block]] = []
    tables = page.find_tables(_table_settings(page))
    boxes = [t.bbox for t in tables]
    for table in tables:
        for row, cells in zip(table.rows, table.extract()):
            texts = tuple(clean_cell(join_wrapped((c or "").split("\n"))) for c in cells)
            if any(texts):
                top = row.bbox[1] if row.bbox else table.bbox[1]
                placed.append((top, 0, Row(texts, loc)))
    lines = page.extract_text_lines(return_chars=True, strip=True)
    body_size = _body_font_size(lines)
    outside = [ln for ln in lines if not _inside(ln, boxes)]
    for top, block in _text_blocks(outside, body_size, loc):
        placed.append((top, 1, block))
    placed.sort(key=lambda item: (round(item[0], 1), item[1]))
    return [b for _, _, b in placed], len(page.chars)


def _table_settings(page) -> dict:
    """Close rows cut by a page break.

    A row that runs over the page end keeps its vertical borders but loses the bottom
    border on this page (and the top border on the next), so the lattice finder would drop
    it. A full-width line where the vertical borders stop closes those cells; the two
    halves are joined again as a continuation row by the table parser.
    """
    verticals = [e for e in page.edges if e["orientation"] == "v"]
    if not verticals:
        return {}
    top = min(e["top"] for e in verticals)
    bottom = max(e["bottom"] for e in verticals)
    return {"explicit_horizontal_lines": [top, bottom]}


def _inside(line: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    mid = (line["top"] + line["bottom"]) / 2
    x_mid = (line["x0"] + line["x1"]) / 2
    return any(x0 - 1 <= x_mid <= x1 + 1 and top - 1 <= mid <= bottom + 1 for x0, top, x1, bottom in boxes)


def _body_font_size(lines: list[dict]) -> float:
    sizes: Counter[float] = Counter()
    for ln in lines:
        for ch in ln.get("chars", ()):
            sizes[round(ch["size"], 1)] += 1
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _line_style(line: dict, body_size: float) -> tuple[str, int]:
    chars = [c for c in line.get("chars", ()) if not c["text"].isspace()]
    if not chars:
        return "para", 0
    size = max(round(c["size"], 1) for c in chars)
    bold = all("Bold" in c["fontname"] for c in chars)
    oblique = all("Oblique" in c["fontname"] or "Italic" in c["fontname"] for c in chars)
    if body_size and size >= body_size * 1.8:
        return "heading", 1
    if body_size and size >= body_size * 1.3:
        return "heading", 2
    if bold:
        return "bold", 0
    if oblique:
        return "caption", 0
    return "para", 0


def _text_blocks(lines: list[dict], body_size: float, loc: Loc) -> list[tuple[float, Block]]:
    """Group consecutive lines of the same style into blocks; a wide gap starts a new block."""
    out: list[tuple[float, Block]] = []
    current: list[dict] = []
    current_style: tuple[str, int] | None = None

    def flush() -> None:
        if not current:
            return
        kind, level = current_style or ("para", 0)
        text = clean_text(join_wrapped([ln["text"] for ln in current]))
        if text:
            out.append((current[0]["top"], Text(text, loc, kind=kind, level=level)))  # type: ignore[arg-type]

    previous: dict | None = None
    for ln in lines:
        style = _line_style(ln, body_size)
        height = ln["bottom"] - ln["top"]
        gap = ln["top"] - previous["bottom"] if previous else 0.0
        starts_item = ln["x0"] > (current[0]["x0"] + 2) if current else False
        if current and (style != current_style or gap > height * 0.9 or starts_item or style[0] == "heading"):
            flush()
            current = []
        if not current:
            current_style = style
        current.append(ln)
        previous = ln
    flush()
    return out


READER = Reader(name="pdf", label="PDF", formats={".pdf": "pdf"}, blocks=read_pdf)
