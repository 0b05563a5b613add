"""Progress of one ingestion, as the CLI and the app show it.

`progress(stage, done, total)` is called by the readers and the pipeline; stage is an Italian
label ('lettura pagine', 'riconoscimento testo (OCR)', 'tabelle', 'indicizzazione').
"""

from __future__ import annotations

from typing import Callable

ProgressFn = Callable[[str, int, int], None]

READING_STAGE = "lettura pagine"
OCR_STAGE = "riconoscimento testo (OCR)"


def stage_label(stage: str, done: int, total: int) -> str:
    """The stage's name, with the page for the slow page-by-page stage: 'riconoscimento testo
    (OCR): pagina 7 di 27' (the CLI puts its own 'done/total' column beside it)."""
    return f"{stage}: pagina {done} di {total}" if stage == OCR_STAGE else stage


def progress_text(stage: str, done: int, total: int) -> str:
    """One progress call in words: 'riconoscimento testo (OCR): pagina 7 di 27', 'indicizzazione: 32/44'."""
    if stage == OCR_STAGE:
        return stage_label(stage, done, total)
    return f"{stage}: {done}/{total}" if total > 1 else stage
