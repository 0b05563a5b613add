"""OCR for scanned PDF pages: image-only pages get a text layer, then read like any PDF.

A page with (almost) no printed characters and an image over most of its surface is a scan.
`ocr_pdf` runs ocrmypdf (Tesseract with its Italian data) on those pages only, with deskew and
page rotation, and returns a PDF whose scanned pages carry invisible words at the positions of
the printed ones: the PDF reader then reads them with the same code as a digital page (words,
lines, tables by word positions). The numbers read this way are doubtful by nature: the report
records which pages were OCR'd (`Report.ocr_pages`) and `ingest.ocr_checks` checks them.

Set-up: Debian's `tesseract-ocr` and `tesseract-ocr-ita` (scripts/install-system-packages.sh);
without them a scan is refused with one line naming the packages to install.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Iterator, Protocol, Sequence

from ..errors import IngestError, UnreadableFile
from .blocks import BlockStream
from .ocr_tidy import tidy_stream

LANGUAGE = "ita"
PACKAGES = {"tesseract": "tesseract-ocr", LANGUAGE: "tesseract-ocr-ita"}

# A page is a scan when it prints fewer characters than this (a stamp, a page number, a
# scanner's label) and an image covers at least this share of it.
SCAN_MAX_CHARS = 40
SCAN_MIN_IMAGE_SHARE = 0.5

# Tesseract's page segmentation: 4 = a single column of text of variable sizes. With the
# table rulings erased from the image it reads each cell's lines as lines; 11 (sparse text)
# and 3 (automatic) lost far more numbers of the value columns (see bench/ingest.py).
PAGE_SEGMENTATION = 4
# seconds of Tesseract per page before the page is left without text (and reported empty)
PAGE_TIMEOUT = 180


class PageProgress(Protocol):
    def __call__(self, done: int, total: int, stage: str = ...) -> None: ...


class OcrUnavailable(IngestError):
    """A scan, but Tesseract (or its Italian data) is not installed."""


# the progress callback of the OCR job running in this thread (read by the ocrmypdf plugin)
current_progress: ContextVar[PageProgress | None] = ContextVar("ocr_progress", default=None)


def is_scanned_page(page) -> bool:
    """A pdfplumber page with (almost) no text and an image over most of it."""
    if len(page.chars) >= SCAN_MAX_CHARS:
        return False
    area = float(page.width * page.height) or 1.0
    return any(_image_area(img, page) / area >= SCAN_MIN_IMAGE_SHARE for img in page.images)


def _image_area(img: dict, page) -> float:
    x0, x1 = max(img["x0"], 0), min(img["x1"], page.width)
    top, bottom = max(img["top"], 0), min(img["bottom"], page.height)
    return max(0.0, float(x1 - x0)) * max(0.0, float(bottom - top))


def missing_packages() -> list[str]:
    """Debian packages OCR needs that are not installed (empty when OCR can run)."""
    exe = shutil.which("tesseract")
    if exe is None:
        return list(PACKAGES.values())
    return [] if LANGUAGE in _languages(exe, os.environ.get("TESSDATA_PREFIX")) else [PACKAGES[LANGUAGE]]


@lru_cache(maxsize=4)
def _languages(exe: str, tessdata: str | None) -> frozenset[str]:
    try:
        listed = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(line.strip() for line in listed.splitlines()[1:] if line.strip())


def jobs() -> int:
    """Pages OCR'd at once: the processors this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def as_scanned(stream: BlockStream, pages: Sequence[int]) -> BlockStream:
    """The OCR'd file's stream with the marks a scan adds removed from `pages` (`ocr_tidy`),
    which it records as read by OCR."""
    return replace(tidy_stream(stream, tuple(pages)), ocr_pages=tuple(sorted(pages)))


def ocr_options(pages: Sequence[int]) -> dict:
    """What ocrmypdf is asked to do (also the bare baseline of bench/ingest.py)."""
    return dict(
        language=[LANGUAGE],
        pages=",".join(str(p) for p in sorted(pages)),
        mode="force",  # the chosen pages only: a stamp or page number on a scan is read again
        deskew=True,
        rotate_pages=True,  # a page scanned sideways or upside down
        tesseract_pagesegmode=PAGE_SEGMENTATION,
        tesseract_timeout=PAGE_TIMEOUT,
        output_type="pdf",  # no PDF/A conversion: the file is read, not archived
        optimize=0,
        jobs=jobs(),
        use_threads=True,  # no fork of a process that runs the app's threads; Tesseract runs apart anyway
    )


def ocr_pdf(data: bytes, name: str, pages: Sequence[int], progress: PageProgress | None = None) -> bytes:
    """`data` with a text layer on `pages` (1-based); the other pages are kept as they are."""
    if missing := missing_packages():
        first = min(pages)
        raise OcrUnavailable(
            f"la pagina {first} è una scansione e per leggerla serve l'OCR: installa i pacchetti "
            f"{' e '.join(missing)} (sudo apt-get install {' '.join(missing)})",
            path=name,
        )
    import ocrmypdf  # deferred: half a second to import, and only scans need it

    with tempfile.TemporaryDirectory(prefix="relazione-ocr-") as tmp, quiet(), _reporting(progress):
        source, target = Path(tmp) / "scan.pdf", Path(tmp) / "ocr.pdf"
        source.write_bytes(data)
        try:
            ocrmypdf.ocr(source, target, **ocr_options(pages), progress_bar=True, plugins=["ingest.readers.ocr_plugin"])
        except ocrmypdf.exceptions.MissingDependencyError as exc:
            raise OcrUnavailable(
                f"l'OCR non può partire ({_first_line(exc)}): installa i pacchetti "
                f"{' e '.join(PACKAGES.values())} (sudo apt-get install {' '.join(PACKAGES.values())})",
                path=name,
            ) from None
        except ocrmypdf.exceptions.ExitCodeException as exc:
            raise UnreadableFile(f"la scansione non può essere letta dall'OCR ({_first_line(exc)})", path=name) from None
        finally:
            from .ocr_plugin import take_rulings

            found = take_rulings(source)
        from .ocr_layer import finish  # rulings drawn back, the invisible text in its printed size

        return finish(target, found, {p - 1 for p in pages})


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


@contextmanager
def quiet() -> Iterator[None]:
    """ocrmypdf logs its steps and warnings; the user sees one line per file, never those.

    Also puts back sys.stdout and sys.stderr: pikepdf 10.18's `check_linearization`, which
    ocrmypdf calls on its output, leaves sys.stderr pointing at a StringIO when the file is
    not linearized, and every later message (the CLI's error line) would vanish.
    """
    logger = logging.getLogger("ocrmypdf")
    if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(logging.NullHandler())
    logger.propagate = False
    stdout, stderr = sys.stdout, sys.stderr
    try:
        yield
    finally:
        sys.stdout, sys.stderr = stdout, stderr


@contextmanager
def _reporting(progress: PageProgress | None) -> Iterator[None]:
    token = current_progress.set(progress)
    try:
        yield
    finally:
        current_progress.reset(token)
