"""Which reader reads which file: one line per input format, one module per reader.

`READERS` names each format (how a user calls it, the suffixes it reads, each with the
`SourceFormat` stored on the report) and the function that reads it, as '.module:function'
relative to this package (the reader of actual values is `ingest.actuals` itself). A document reader (PDF, DOCX, TXT/MD) turns the file into the
`BlockStream` the table and section parsers consume; a reader of actual values (CSV/XLSX)
returns a `Report` directly, matched to a Piano. The pipeline, the CLI help, the app's upload
types and the "formato non supportato" message are all derived from `READERS`.

Adding a format is one module with its read function plus its line here. The line is data:
listing the formats (every CLI start prints them in its help) loads no reader module; a
reader's module is imported when it first reads a file.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Literal, Mapping, Protocol

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
    reads: Literal["blocks", "actuals"] = "blocks"  # rows and text in reading order, or a Report of actual values
    function: str = ""  # '.pdf:read_pdf': the module (relative to this package) and its function that reads the format

    @property
    def suffixes(self) -> tuple[str, ...]:
        return tuple(self.formats)

    @property
    def needs_plan(self) -> bool:
        return self.reads == "actuals"

    @property
    def blocks(self) -> BlockReader | None:
        """The document reader (None for files of actual values)."""
        return self._load() if self.reads == "blocks" else None

    @property
    def actuals(self) -> ActualsReader | None:
        """The reader of actual values (None for documents)."""
        return self._load() if self.reads == "actuals" else None

    def _load(self) -> Callable:
        module, _, name = self.function.partition(":")
        return getattr(importlib.import_module(module, __package__), name)


# in the order formats are listed to users
READERS: tuple[Reader, ...] = (
    Reader("pdf", "PDF", {".pdf": "pdf"}, "blocks", ".pdf:read_pdf"),
    Reader("docx", "DOCX", {".docx": "docx"}, "blocks", ".docx:read_docx"),
    Reader("text", "TXT/MD", {".txt": "txt", ".md": "txt"}, "blocks", ".text:read_text"),
    Reader("actuals", "CSV/XLSX", {".csv": "csv", ".xlsx": "xlsx"}, "actuals", "..actuals:read_actuals"),
)


def readers() -> tuple[Reader, ...]:
    return READERS


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
