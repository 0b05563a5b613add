"""The files an ingestion reads, in the order it reads them: those named, and the readable
files of the folders named; Relazioni and Piani before files of actual values (which are
matched to a Piano). The readers (pdfplumber...) are imported only to list a folder."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable


def ingest_order(paths: Iterable[Path]) -> list[Path]:
    """Relazioni and Piani before files of actual values (which are matched to a Piano)."""
    from .pipeline import FORMATS, needs_plan

    def rank(p: Path) -> tuple[int, str]:
        return (1 if p.suffix.lower() in FORMATS and needs_plan(p.name) else 0, p.name)

    return sorted(paths, key=rank)


def expand(paths: Iterable[Path]) -> list[Path]:
    from .pipeline import FORMATS

    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += [
                c for c in sorted(p.iterdir())
                if c.is_file() and c.suffix.lower() in FORMATS and not c.name.upper().startswith("README")
            ]
        else:
            out.append(p)
    return ingest_order(out)
