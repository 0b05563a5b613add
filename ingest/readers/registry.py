"""Which reader reads which file: one module per input format, each declaring its suffixes.

Every reader module of this package defines `READER`, a `Reader` that names the format, the
suffixes it reads (each with the `SourceFormat` stored on the report) and its read function.
A document reader (PDF, DOCX, TXT/MD) turns the file into the `BlockStream` the table and
section parsers consume; a reader of actual values (CSV/XLSX) returns a `Report` directly,
matched to a Piano. The pipeline, the CLI help, the app's upload types and the "formato non
supportato" message are all derived from `READERS`.

Adding a format is one module with its `READER` plus its name in `_MODULES`. Reader modules
import their heavy libraries (pdfplumber, python-docx, openpyxl) inside their functions, so
listing the formats costs nothing.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Mapping, Protocol

from ..errors import UnsupportedFormat
from ..model import SourceFormat

if TYPE_CHECKING:
    from ..limits import Limits
    from ..model import Report
    from ..progress import ProgressFn
    from .blocks import BlockStream


class PageProgress(Protocol):
    """Progress of a document reader: `done` of `total` units (pages) of a stage."""

    def __call__(self, done: int, total: int, stage: str = ...) -> None: ...


BlockReader = Callable[[bytes, str, "PageProgress | None"], "BlockStream"]


class ActualsReader(Protocol):
    def __call__(
        self, data: bytes, name: str, fmt: SourceFormat, digest: str, *,
        plan: Report | None, progress: ProgressFn | None = None, limits: Limits = ...,
    ) -> Report: ...


@dataclass(frozen=True)
class Reader:
    name: str  # 'pdf', 'docx', 'text', 'actuals'
    label: str  # how a user names the format: 'PDF', 'TXT/MD'
    formats: Mapping[str, SourceFormat] = field(default_factory=dict)  # '.md' -> 'txt'
    blocks: BlockReader | None = None  # documents: rows and text in reading order
    actuals: ActualsReader | None = None  # files of actual values: a Report, matched to a Piano

    @property
    def suffixes(self) -> tuple[str, ...]:
        return tuple(self.formats)

    @property
    def needs_plan(self) -> bool:
        return self.actuals is not None


# reader modules of this package, in the order formats are listed to users
_MODULES = ("pdf", "docx", "text", "actuals")


@cache
def readers() -> tuple[Reader, ...]:
    return tuple(importlib.import_module(f"{__package__}.{m}").READER for m in _MODULES)


def suffixes() -> tuple[str, ...]:
    """Every suffix a reader reads ('.pdf', '.docx', ...)."""
    return tuple(s for r in readers() for s in r.suffixes)


def formats_label() -> str:
    """'PDF, DOCX, TXT/MD o CSV/XLSX', for messages and help."""
    labels = [r.label for r in readers()]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " o " + labels[-1]


def reader_for(name: str) -> tuple[Reader, SourceFormat]:
    """The reader of a file name and the format it stores, or `UnsupportedFormat`."""
    suffix = Path(name).suffix.lower()
    for reader in readers():
        if suffix in reader.formats:
            return reader, reader.formats[suffix]
    raise UnsupportedFormat(
        f"formato non supportato ({suffix or 'senza estensione'}): servono {formats_label()}", path=name
    )
