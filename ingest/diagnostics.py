"""What the PDF libraries say while reading, kept for the user instead of printed raw.

pdfminer (under pdfplumber) logs a warning for every damaged object of a broken PDF ("Not
adding object 170 to xref because position ..."); with no logging configured Python prints
each as a raw line on the terminal. `collect_library_warnings` gathers them for the reading
that is under way (per thread and task: the app reads several files at once), and the
caller shows one clear line, the details on request (`--verbose`). The loggers never
propagate to the root logger, so that nothing reaches the terminal raw.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator

LIBRARY_LOGGERS = ("pdfminer", "pdfplumber", "pypdfium2")
# a broken file can log thousands of lines: keep the first ones, count them all
KEEP = 50

_current: ContextVar["_Collected | None"] = ContextVar("library_warnings", default=None)


class _Collected:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.count = 0

    def add(self, line: str) -> None:
        self.count += 1
        if len(self.lines) < KEEP:
            self.lines.append(line)


class _Handler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        collected = _current.get()
        if collected is None:
            return  # outside a reading: dropped (never printed raw)
        try:
            collected.add(f"{record.name}: {record.getMessage()}")
        except Exception:  # a malformed log record must not stop a reading
            collected.count += 1


_HANDLER = _Handler(level=logging.WARNING)


def _install() -> None:
    for name in LIBRARY_LOGGERS:
        logger = logging.getLogger(name)
        if _HANDLER not in logger.handlers:
            logger.addHandler(_HANDLER)
        logger.propagate = False


@contextmanager
def collect_library_warnings() -> Iterator[_Collected]:
    """Collect the PDF libraries' warnings logged inside the block (this thread/task only)."""
    _install()
    collected = _Collected()
    token = _current.set(collected)
    try:
        yield collected
    finally:
        _current.reset(token)


def more(count: int) -> tuple[str, ...]:
    """The line that closes a kept list when more were logged than kept."""
    return (f"... e altre {count - KEEP} segnalazioni",) if count > KEEP else ()


def count_of(lines: tuple[str, ...] | list[str]) -> int:
    """How many were logged, from a kept list (closed by `more`)."""
    if lines and lines[-1].startswith("... e altre "):
        return len(lines) - 1 + int(lines[-1].split()[3])
    return len(lines)


def summary(count: int) -> str:
    """One line for the user: 'il PDF ha 5 anomalie di struttura (lette comunque)'."""
    what = "1 anomalia" if count == 1 else f"{count} anomalie"
    return f"il lettore PDF ha segnalato {what} di struttura del file"
