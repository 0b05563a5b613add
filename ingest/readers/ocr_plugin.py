"""The ocrmypdf plugin of `ingest.readers.ocr`: page progress, table rulings and zones, word gaps.

* Progress: ocrmypdf builds a progress bar for each step from the class this plugin returns;
  the bar of the OCR step counts pages (two half-steps per page) and is created in the thread
  that called `ocrmypdf.ocr`, so it reports to that thread's callback ("pagina 7 di 27").
* Rulings: the image Tesseract reads (deskewed, as the page will show) has its ruling lines
  found (`rulings.find_rulings`) and erased, so that a border touching a letter is not read as
  '|' or 'l'; the lines found are kept per page for `ocr.ocr_pdf`, which draws them into the
  OCR'd page. The OCR jobs run in threads of this process, so a dict under a lock is enough.
* Zones: the page cut along its rulings (`rulings.zones`: each cell, and the page around the
  tables) is written next to the image as the UNLV zone file Tesseract reads, so that each
  cell is read as a block of its own and no text line runs across a cell border.
* Word gaps: the engine is ocrmypdf's Tesseract, with the word boxes of its hOCR kept apart
  (`ocr_hocr`) before the text layer is written from them.
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
from ocrmypdf import hookimpl
from ocrmypdf.builtin_plugins import tesseract_ocr
from PIL import Image

from ..progress import OCR_STAGE
from .ocr import current_progress
from .ocr_hocr import separate_words_in_file
from .rulings import Ruling, erase, find_rulings, zones

# (the job's input file, 0-based page) -> (rulings in OCR image pixels, OCR image size)
_found: dict[tuple[str, int], tuple[list[Ruling], tuple[int, int]]] = {}
_lock = threading.Lock()


class PageProgressBar:
    """ocrmypdf's ProgressBar protocol, reporting whole pages of the OCR step."""

    def __init__(self, *, total=None, desc=None, unit=None, disable=False, **kwargs):
        self.report = current_progress.get() if unit == "page" and desc == "OCR" else None
        self.total = int(total or 0)
        self.done = 0.0
        self.shown = 0

    def __enter__(self):
        if self.report and self.total:
            self.report(0, self.total, OCR_STAGE)
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        return False

    def update(self, n: float = 1, *, completed: float | None = None) -> None:
        self.done = completed if completed is not None else self.done + n
        pages = min(int(self.done + 1e-6), self.total)
        if self.report and pages > self.shown:
            self.shown = pages
            self.report(pages, self.total, OCR_STAGE)


@hookimpl
def get_progressbar_class():
    return PageProgressBar


class TableTesseract(tesseract_ocr.TesseractOcrEngine):
    """ocrmypdf's Tesseract engine, with the words of its hOCR kept apart (`ocr_hocr`)."""

    @staticmethod
    def generate_hocr(input_file, output_hocr, output_text, options):
        tesseract_ocr.TesseractOcrEngine.generate_hocr(input_file, output_hocr, output_text, options)
        separate_words_in_file(Path(output_hocr))


@hookimpl
def get_ocr_engine(options):
    return TableTesseract() if tesseract_ocr.get_ocr_engine(options) is not None else None


@hookimpl
def filter_ocr_image(page, image: Image.Image) -> Image.Image:
    image = tesseract_ocr.filter_ocr_image(page=page, image=image)  # Tesseract's size limits first
    dpi = image.info.get("dpi", (300, 300))
    grey = np.asarray(image.convert("L"))
    rulings = find_rulings(grey, float(dpi[0]))
    with _lock:
        _found[(str(page.options.input_file), page.pageno)] = (rulings, image.size)
    if not rulings:
        return image
    _write_zones(page, rulings, image.size, float(dpi[0]))
    cleaned = Image.fromarray(erase(grey, rulings, float(dpi[0])), "L")
    cleaned.info["dpi"] = dpi
    return cleaned


def _write_zones(page, rulings: list[Ruling], size: tuple[int, int], dpi: float) -> None:
    """The page's zones (`rulings.zones`: its cells, and the page around the tables) as the
    UNLV zone file Tesseract reads next to the image it is given (same name, `.uzn`) in every
    page segmentation mode that does not find columns itself (4 does not)."""
    lines = "".join(f"{x} {y} {w} {h} Text\n" for x, y, w, h in zones(rulings, size, dpi))
    page.get_path("ocr.uzn").write_text(lines, encoding="ascii")


def take_rulings(origin: Path) -> dict[int, tuple[list[Ruling], tuple[int, int]]]:
    """The rulings found in the pages of one OCR job (0-based page -> rulings, image size)."""
    key = str(origin)
    with _lock:
        mine = {page: found for (name, page), found in _found.items() if name == key}
        for page in mine:
            del _found[(key, page)]
    return mine
