"""The wall-clock limit of an ingestion with OCR: each page recognised moves the deadline on by
the time it took, up to `max_ocr_page_seconds`; a page that stalls still runs into the limit."""

from __future__ import annotations

import time

import pytest

from conftest import SHARED_PDFS
from ingest.limits import Deadline, LimitExceeded, Limits
from ingest.progress import OCR_STAGE, READING_STAGE


def _steps(page_seconds: float = 5):
    now = [0.0]
    deadline = Deadline("scan.pdf", Limits(max_seconds=10, max_ocr_page_seconds=page_seconds), clock=lambda: now[0])
    return now, deadline, deadline.wrap(None)


def test_pages_recognised_in_time_do_not_count():
    now, deadline, step = _steps()
    now[0] = 1
    step(READING_STAGE, 1, 3)
    now[0] = 2
    step(OCR_STAGE, 0, 3)
    for page, at in ((1, 6), (2, 10), (3, 14)):  # 4 s a page: within the 5 s allowance
        now[0] = at
        step(OCR_STAGE, page, 3)
    assert deadline.ocr_allowance == 12
    now[0] = 21.5  # 21.5 s of wall clock, 9.5 of them not OCR
    step(READING_STAGE, 1, 3)
    now[0] = 22.5
    with pytest.raises(LimitExceeded, match="tempo massimo di 10 secondi"):
        step(READING_STAGE, 2, 3)


def test_a_stalled_page_counts_beyond_its_allowance():
    now, deadline, step = _steps()
    step(OCR_STAGE, 0, 3)
    now[0] = 4
    step(OCR_STAGE, 1, 3)
    now[0] = 40  # the second page took 36 s: 5 of them are allowed
    with pytest.raises(LimitExceeded) as exc:
        step(OCR_STAGE, 2, 3)
    assert deadline.ocr_allowance == 4 + 5
    assert "riconoscimento testo (OCR)" in str(exc.value) and "per pagina letta con l'OCR" in str(exc.value)


def test_without_an_allowance_ocr_counts_like_any_other_step():
    now, deadline, step = _steps(page_seconds=0)
    step(OCR_STAGE, 0, 2)
    now[0] = 11
    with pytest.raises(LimitExceeded):
        step(OCR_STAGE, 1, 2)


def _read_scan(limits: Limits):
    """The two scanned pages read as the pipeline reads them (its deadline wrapping the reader's
    progress), with OCR slowed to 4 s a page (a busy machine)."""
    from ingest.readers.pdf import read_pdf

    scan = SHARED_PDFS / "scanned-relazione-pages.pdf"

    def slow(stage: str, done: int, total: int) -> None:
        if stage == OCR_STAGE and done < total:
            time.sleep(4)

    deadline = Deadline(scan.name, limits)
    step = deadline.wrap(slow)
    stream = read_pdf(scan.read_bytes(), scan.name, lambda done, total, stage=READING_STAGE: step(stage, done, total))
    deadline.check()
    return stream, deadline


@pytest.mark.slow  # OCR
def test_a_scan_whose_ocr_outlasts_the_limit_is_still_read():
    stream, deadline = _read_scan(Limits(max_seconds=6, max_ocr_page_seconds=60))
    assert stream.ocr_pages == (1, 2) and deadline.ocr_allowance >= 8
    with pytest.raises(LimitExceeded, match="riconoscimento testo"):
        _read_scan(Limits(max_seconds=6, max_ocr_page_seconds=0))
