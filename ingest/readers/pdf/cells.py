"""A table as the PDF strategies hand it over, and the text of one cell from its words."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from ..blocks import clean_cell, join_wrapped
from .geometry import Line, Word, group_lines

Strategy = Literal["cells", "rules", "words"]

_NUMBER_TAIL_RE = re.compile(r"\d[\d.,]*$")
_SEPARATOR_RE = re.compile(r"[/'’]")


@dataclass
class PageTable:
    """One table (or the part of it on one page), rows top to bottom, cells left to right."""

    top: float
    bottom: float
    x0: float
    x1: float
    strategy: Strategy
    columns: int
    rows: list[tuple[float, tuple[str, ...]]] = field(default_factory=list)  # (top, cells)
    spanned: dict[int, tuple[int, ...]] = field(default_factory=dict)  # row index -> cells from merged cells above
    # 1-based rows (header included) whose text could not be put in one column each
    unassigned: list[tuple[int, str]] = field(default_factory=list)
    # the column edges of a table read from word positions, carried to its continuation
    model: object | None = None
    # rows with no header of their own that go on with the table read before them
    continues: bool = False


_PUNCT = ".,;:()[]«»\"'’/"


def vocabulary(words) -> frozenset[str]:
    """The words a document prints whole (lower case, without surrounding punctuation): what
    tells a word broken by a narrow column from two words wrapped on two lines."""
    return frozenset(w.text.lower().strip(_PUNCT) for w in words)


def cell_text(words: list[Word], vocab: frozenset[str] = frozenset()) -> str:
    """The text of a cell: its lines top to bottom, a wrapped word's hyphen kept, and a word or
    number broken by a narrow column ('internazionalizza' + 'zione', '23.532,9' + '3') joined
    again."""
    if not words:
        return ""
    lines = group_lines(words)
    parts: list[str] = []
    previous = None
    for line in lines:
        text = line.text
        if parts and previous is not None and _broken(previous, line, vocab):
            parts[-1] += text
        else:
            parts.append(text)
        previous = line
    return clean_cell(join_wrapped(parts))


def _broken(before: Line, after: Line, vocab: frozenset[str]) -> bool:
    """A renderer breaks a word only when it does not fit a line by itself: a line of one word
    followed by a line that goes on with it. A number then goes on with a digit (or follows a
    comma, which never ends a number); a word, when the two halves make a word the document
    prints whole elsewhere (or its part after a '/' or an apostrophe does)."""
    last = before.words[-1].text
    first = after.words[0].text
    if _NUMBER_TAIL_RE.search(last) and first[:1].isdigit():
        return len(before.words) == 1 or last.endswith(",")
    if len(before.words) != 1 or not last[-1:].isalpha() or not first[:1].isalpha():
        return False
    if (last + first).lower().strip(_PUNCT) in vocab:
        return True
    # 'formativi/inform' + 'ativi': the part after the last '/' or apostrophe makes the word
    parts = _SEPARATOR_RE.split(last.lower())
    return len(parts) > 1 and (parts[-1] + _SEPARATOR_RE.split(first.lower())[0]).strip(_PUNCT) in vocab
