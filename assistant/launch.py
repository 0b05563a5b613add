"""The `relazione` program's entry point (the console script and `python -m assistant`).

It imports the CLI with the cyclic garbage collector paused, then freezes what the imports
built. Importing the app creates a few hundred thousand objects that live as long as the
process (modules, pydantic's model schemas, SQLAlchemy's tables, the question parser's
patterns), and nothing of it becomes garbage; with the collector on, every few hundred of them
start a collection that walks the growing heap again: 40-55 ms of a cold `relazione ask`
(measured with `gc.callbacks`, `bench/startup.py`). `gc.freeze` moves them to the permanent
generation, which later collections skip, and the collector is on again for the command
itself, so an ingestion's garbage is collected as usual.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def collector_paused(freeze: bool = False) -> Iterator[None]:
    """No cyclic collection meanwhile (the collector's state is restored after). With `freeze`,
    for imports that build long-lived state: what exists by then goes to the permanent
    generation, which later collections skip. Not for data a cache may drop later: a frozen
    cycle is never collected."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if collecting:
            gc.enable()


def main() -> None:
    with collector_paused(freeze=True):
        from .cli import main as run
    run()
