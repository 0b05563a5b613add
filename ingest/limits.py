"""Limits on what one ingestion may cost: each refusal is one Italian line.

`Limits` is a typed value the caller passes in (the assistant builds it from its settings;
`ingest/` never reads configuration). Everything that can be checked before reading is
checked before reading: the file's size, a PDF's page count, an .xlsx's uncompressed size
and compression ratio (from the zip directory, before openpyxl opens it). CSV rows and
field sizes are checked while reading, and a `Deadline` bounds the wall-clock time of the
whole ingestion, checked at every progress step (page, row, stage). OCR is slow by nature (a
few seconds a page on a quiet machine, many times that on a busy one): each scanned page
recognised moves the deadline on by the time it took, up to `max_ocr_page_seconds`, so that
a long scan that makes progress is read, and a page that stalls still runs into the limit.
"""

from __future__ import annotations

import io
import time
import zipfile

from pydantic import BaseModel, ConfigDict, Field

from .errors import IngestError
from .italian import fmt_number

MB = 1024 * 1024


class LimitExceeded(IngestError):
    """A file refused because it is too big or too slow to read."""


class Limits(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)

    max_file_mb: float = Field(50, gt=0)
    max_pdf_pages: int = Field(500, gt=0)
    max_xlsx_uncompressed_mb: float = Field(100, gt=0)
    # uncompressed / compressed size of one member of an .xlsx (XML compresses about 10-20x)
    max_xlsx_ratio: float = Field(100, gt=1)
    max_csv_rows: int = Field(100_000, gt=0)
    max_csv_field_chars: int = Field(10_000, gt=0)
    max_seconds: float = Field(600, gt=0)
    # OCR time of one scanned page that does not count against max_seconds (see Deadline)
    max_ocr_page_seconds: float = Field(30, ge=0)


DEFAULT_LIMITS = Limits()

# a member smaller than this is never refused for its ratio (tiny XML compresses well)
_RATIO_FLOOR = MB


def _mb(n: float) -> str:
    return fmt_number(n / MB, 1) + " MB"


def check_size(data: bytes | int, name: str, limits: Limits) -> None:
    """A file's content, or its size in bytes (checked before reading it from disk)."""
    size = data if isinstance(data, int) else len(data)
    if size > limits.max_file_mb * MB:
        raise LimitExceeded(
            f"file troppo grande ({_mb(size)}; il limite è {fmt_number(limits.max_file_mb, 0)} MB)", path=name
        )


def check_pdf_pages(pages: int, name: str, limits: Limits) -> None:
    if pages > limits.max_pdf_pages:
        raise LimitExceeded(
            f"il PDF ha {fmt_number(pages, 0)} pagine: il limite è {fmt_number(limits.max_pdf_pages, 0)}", path=name
        )


def check_xlsx(data: bytes, name: str, limits: Limits) -> None:
    """Refuse an .xlsx whose members would grow too big once decompressed (a zip bomb), from
    the sizes its zip directory declares: Python's zipfile (what openpyxl reads through) never
    returns more than the declared size of a member, so the declared sizes bound the reading."""
    from .errors import UnreadableFile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            members = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnreadableFile("il foglio Excel non può essere letto (non è un file .xlsx valido)", path=name) from None
    total = sum(m.file_size for m in members)
    if total > limits.max_xlsx_uncompressed_mb * MB:
        raise LimitExceeded(
            f"il foglio Excel, decompresso, occuperebbe {_mb(total)}: il limite è "
            f"{fmt_number(limits.max_xlsx_uncompressed_mb, 0)} MB",
            path=name,
        )
    for m in members:
        if m.file_size > _RATIO_FLOOR and m.file_size > limits.max_xlsx_ratio * max(m.compress_size, 1):
            ratio = m.file_size / max(m.compress_size, 1)
            raise LimitExceeded(
                f"il foglio Excel è compresso in modo anomalo ({m.filename}: {fmt_number(ratio, 0)} volte; "
                f"il limite è {fmt_number(limits.max_xlsx_ratio, 0)}): rifiutato come possibile zip bomb",
                path=name,
            )


def csv_rows_exceeded(rows: int, name: str, limits: Limits) -> LimitExceeded:
    return LimitExceeded(
        f"il file ha più di {fmt_number(limits.max_csv_rows, 0)} righe: il limite è "
        f"{fmt_number(limits.max_csv_rows, 0)}",
        path=name,
    )


def csv_field_exceeded(line: int, name: str, limits: Limits) -> LimitExceeded:
    return LimitExceeded(
        f"riga {line}: un campo supera {fmt_number(limits.max_csv_field_chars, 0)} caratteri", path=name
    )


class Deadline:
    """The wall-clock budget of one ingestion, with an allowance per page recognised by OCR."""

    def __init__(self, name: str, limits: Limits, clock=time.monotonic):
        self.name = name
        self.seconds = limits.max_seconds
        self.page_seconds = limits.max_ocr_page_seconds
        self._clock = clock
        self._end = clock() + limits.max_seconds
        self._ocr: tuple[float, int] | None = None  # (time, pages done) at the last OCR step
        self.ocr_allowance = 0.0  # seconds added for pages recognised so far

    def check(self, stage: str = "") -> None:
        if self._clock() > self._end:
            during = f" durante «{stage}»" if stage else ""
            ocr = (f" (più fino a {fmt_number(self.page_seconds, 0)} secondi per pagina letta con l'OCR)"
                   if self._ocr is not None else "")
            raise LimitExceeded(
                f"lettura interrotta{during}: supera il tempo massimo di {fmt_number(self.seconds, 0)} secondi{ocr}",
                path=self.name,
            )

    def ocr_progress(self, done: int) -> None:
        """`done` pages recognised so far: the time since the last OCR step, up to the allowance
        for the pages done since, no longer counts."""
        now = self._clock()
        if self._ocr is not None and done > self._ocr[1]:
            credit = min(now - self._ocr[0], self.page_seconds * (done - self._ocr[1]))
            self._end += credit
            self.ocr_allowance += credit
        self._ocr = (now, done)

    def wrap(self, progress):
        """A progress callback that checks the deadline at every step, then reports it."""
        from .progress import OCR_STAGE

        def step(stage: str, done: int, total: int) -> None:
            if stage == OCR_STAGE:
                self.ocr_progress(done)
            self.check(stage)
            if progress:
                progress(stage, done, total)

        return step
