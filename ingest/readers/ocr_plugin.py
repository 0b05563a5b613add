"""The ocrmypdf plugin of `ingest.readers.ocr`: page progress for the CLI and the app.

ocrmypdf builds a progress bar for each step from the class this plugin returns; the bar of the
OCR step counts pages (two half-steps per page) and is created in the thread that called
`ocrmypdf.ocr`, so it reports to that thread's callback ("pagina 7 di 27").
"""

from __future__ import annotations

from ocrmypdf import hookimpl

from ..progress import OCR_STAGE
from .ocr import current_progress


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
