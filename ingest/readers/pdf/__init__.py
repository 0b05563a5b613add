"""Reader for PDF files: tables and text blocks of every page, in reading order.

Each page is read once (`geometry.page_content`: words, rules, shaded boxes). Its tables are
read by the strategy its content allows, decided per table: drawn cells (`lattice`), or word
positions (`words`: rows cut at rules or shading, or at gaps), anchored on the header row the
table parser recognises. Running headers and footers are found over the whole document
(`running`) and never enter a table or a section. A header row repeated at the top of a page
that continues a table is not data; the table goes on. Lines outside the tables become
headings, bold lines, captions or paragraphs (`text`). `BlockStream.layout` says how each
table was read and which rows could not be put in columns.

Scanned pages (no text layer, a page-wide image) go through OCR first (`ocr.py`) and the OCR'd
file is read again by `read_pages`, the entry point for any PDF with a text layer.
"""

from __future__ import annotations

import io

from ...errors import UnreadableFile
from ...model import Layout
from ..blocks import BlockStream
from ..registry import PageProgress

# the page readers (.document) and OCR (..ocr) are imported by the reading functions: a PDF
# that is never read costs nothing

ProgressFn = PageProgress


def _open(data: bytes, name: str):
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

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
    from .. import ocr

    stream, scanned = read_pages(data, name, progress, scanned_ok=scanned_ok)
    if scanned:
        ocr_data = ocr.ocr_pdf(data, name, scanned, progress)
        return ocr.as_scanned(read_pdf(ocr_data, name, progress, scanned_ok=True), scanned)
    return stream


def read_pages(
    data: bytes, name: str, progress: ProgressFn | None = None, *, scanned_ok: bool = True
) -> tuple[BlockStream, list[int]]:
    """The blocks of a PDF's pages read from their text layer, and the pages that are scans
    with no text layer (skipped here; empty unless `scanned_ok` is False)."""
    from .document import read_document

    pdf = _open(data, name)
    try:
        total = len(pdf.pages)
        if total == 0:
            raise UnreadableFile("il PDF non ha pagine", path=name)
        blocks, tables, scanned, chars = read_document(pdf, name, progress, scanned_ok)
    finally:
        pdf.close()
    if not scanned and chars == 0:
        raise UnreadableFile(
            "la scansione non contiene testo leggibile (pagine bianche, fotografie o testo illeggibile)"
            if scanned_ok
            else "il PDF non contiene testo (né pagine acquisite da scanner da leggere con l'OCR)",
            path=name,
        )
    return BlockStream(tuple(blocks), pages=total, layout=Layout(reader="pdf", tables=tuple(tables))), scanned


__all__ = ["read_pdf", "read_pages"]
