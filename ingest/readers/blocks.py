"""The stream both readers produce: table rows and text blocks, in reading order.

A text rendering and a PDF of the same document give the same stream (cells of a row in
the same positions, wrapped text already joined inside a cell); only `Loc` differs
(a line number or a page number). Everything after the readers works on this stream.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Literal

from ..model import Finding, Layout, Loc

TextKind = Literal["heading", "para", "bold", "caption", "item"]


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]
    loc: Loc
    bold: bool = False
    # a table's first row printed again at the top of a page where the table goes on (a
    # repeated header): not data, but it tells where the columns are on this page
    repeated: bool = False
    # cells whose text comes from a cell merged over this row and rows above it
    spanned: tuple[int, ...] = ()

    def nonempty(self) -> list[tuple[int, str]]:
        return [(i, c) for i, c in enumerate(self.cells) if c]

    @property
    def text(self) -> str:
        return " ".join(c for c in self.cells if c)

    def own(self) -> "Row":
        """The row without the text it takes from cells merged over rows above it."""
        if not self.spanned:
            return self
        cells = tuple("" if i in self.spanned else c for i, c in enumerate(self.cells))
        return Row(cells, self.loc, self.bold, self.repeated)


@dataclass(frozen=True)
class Text:
    text: str
    loc: Loc
    kind: TextKind = "para"
    level: int = 0  # heading level as printed (1 = largest); 0 for non-headings


Block = Row | Text


@dataclass(frozen=True)
class BlockStream:
    blocks: tuple[Block, ...]
    # the document's own page count, when it has pages
    pages: int | None = None
    # pages read through OCR (scans): their words and numbers are doubtful
    ocr_pages: tuple[int, ...] = ()
    # what reading the file found wrong (NUL bytes removed...), kept as findings
    problems: tuple[Finding, ...] = ()
    # how the reader read the file's tables
    layout: Layout | None = None


_TAG_RE = re.compile(r"</?(?:b|i|strong|em)>")
# '**bold**' only when paired around text: the EC27 algorithm prints 'strutturali**)' as data
_BOLD_RE = re.compile(r"\*\*(?=\S)([^*]+?)(?<=\S)\*\*")
_ITALIC_RE = re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])")
_LINK_RE = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def clean_cell(text: str) -> str:
    """Unescape entities, drop <b> tags, paired ** markers and links, normalise whitespace."""
    text = html.unescape(text)
    text = _TAG_RE.sub("", text)
    text = _BOLD_RE.sub(r"\1", text)
    text = _LINK_RE.sub(r"\1", text)
    return " ".join(text.split())


def clean_text(text: str) -> str:
    """Like `clean_cell`, and also drop *italic* markers (narrative text, not table cells)."""
    return _ITALIC_RE.sub(r"\1", clean_cell(text))


def join_wrapped(lines: list[str]) -> str:
    """Join the lines of a wrapped cell: a space between lines, none after a word-hyphen.

    'Utenti-' + 'imprese-territorio' -> 'Utenti-imprese-territorio';
    'N. imprese coinvolte in' + 'iniziative' -> 'N. imprese coinvolte in iniziative'.
    """
    out = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if not out:
            out = line
        elif re.search(r"\w-$", out) and line[:1].isalpha():
            out += line
        else:
            out += " " + line
    return out
