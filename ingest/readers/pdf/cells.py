"""A table as the PDF strategies hand it over, and the text of one cell from its words."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Literal

from ..blocks import clean_cell, join_wrapped
from .geometry import Line, Word, group_lines, split_segments

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
    # columns of the last row whose text ends in a word filling its line alone (`open_word`)
    open_words: dict[int, str] = field(default_factory=dict)


_PUNCT = ".,;:()[]«»\"'’/"
LEXICON_LANGUAGE = "it"  # the language of the documents read (Relazioni of Italian Camere)


@dataclass(frozen=True)
class Vocabulary:
    """The words of a document (lower case, without surrounding punctuation): what tells a word
    broken by a narrow column from two words wrapped on two lines."""

    words: frozenset[str] = frozenset()  # every word printed
    # words printed beside another word of the same cell line: never the first half of a word
    # a column broke (that half stands alone on its line)
    inside: frozenset[str] = frozenset()

    def __contains__(self, word: object) -> bool:
        return word in self.words


def vocabulary(pages: list[list[Word]]) -> Vocabulary:
    """The vocabulary of a document from the words of each of its pages."""
    words: set[str] = set()
    inside: set[str] = set()
    for page_words in pages:
        for line in group_lines(page_words):
            for segment in split_segments(line.words):
                texts = [w.text.lower().strip(_PUNCT) for w in segment]
                words.update(texts)
                if len(texts) > 1:
                    inside.update(texts)
    return Vocabulary(frozenset(words), frozenset(inside))


@functools.cache
def _lexicon() -> dict[str, float]:
    """The words of the documents' language, with their frequency (wordfreq's large list)."""
    import wordfreq

    return wordfreq.get_frequency_dict(LEXICON_LANGUAGE, wordlist="large")


def cell_text(words: list[Word], vocab: Vocabulary | frozenset[str] | None = None, right: float | None = None) -> str:
    """The text of a cell: its lines top to bottom, a wrapped word's hyphen kept, and a word or
    number broken by a narrow column ('internazionalizza' + 'zione', '23.532,9' + '3') joined
    again. `right` is where the cell's text may reach (its right edge less its padding); by
    default, its widest line."""
    if not words:
        return ""
    lines = group_lines(words)
    vocab = vocab if vocab is not None else Vocabulary()
    reach = right if right is not None else max(ln.x1 for ln in lines)
    parts: list[str] = []
    previous = None
    for line in lines:
        text = line.text
        if parts and previous is not None and _broken(previous, line, vocab, reach):
            parts[-1] += text
        else:
            parts.append(text)
        previous = line
    return clean_cell(join_wrapped(parts))


def _broken(before: Line, after: Line, vocab: Vocabulary | frozenset[str], reach: float) -> bool:
    """A renderer breaks a word only when it does not fit a line by itself: a line of one word
    followed by a line that goes on with it. A number then goes on with a digit (or follows a
    comma, which never ends a number); a word, as `continues_word` says."""
    last = before.words[-1].text
    first = after.words[0].text
    if _NUMBER_TAIL_RE.search(last) and first[:1].isdigit():
        return len(before.words) == 1 or last.endswith(",")
    if len(before.words) != 1:
        return False
    letter = (after.words[0].x1 - after.words[0].x0) / max(len(first), 1)
    return continues_word(last, first, vocab, fills=before.x1 + 1.2 * letter >= reach)


def open_word(words: list[Word], reach: float) -> str | None:
    """The last word of a cell when it fills the cell's last line alone: a word that the page
    end may have cut, going on in the same cell on the next page."""
    if not words:
        return None
    last = group_lines(words)[-1]
    word = last.words[-1]
    if len(last.words) != 1 or not word.text[-1:].isalpha():
        return None
    return word.text if word.x1 + 0.6 * word.size >= reach else None


def continues_word(last: str, first: str, vocab: Vocabulary | frozenset[str] | None, fills: bool = True) -> bool:
    """Whether `first`, printed at the start of a line, goes on with the word `last` that ended
    the line above (`fills`: it filled that line, so the next letter would not have fit): the
    two halves make a word the document prints whole elsewhere (or its part after a '/' or an
    apostrophe does); or, when it filled the line, they make a word of the language that the
    first half is not (or that half is no word at all, in the language or elsewhere in the
    document); or, when it did not, the first half is no word at all and the two make one."""
    if not last[-1:].isalpha() or not first[:1].isalpha():
        return False
    vocab = vocab if vocab is not None else Vocabulary()
    if (last + first).lower().strip(_PUNCT) in vocab:
        return True
    # 'formativi/inform' + 'ativi': the part after the last '/' or apostrophe makes the word
    parts = _SEPARATOR_RE.split(last.lower())
    head = parts[-1].strip(_PUNCT)
    tail = _SEPARATOR_RE.split(first.lower())[0].strip(_PUNCT)
    if len(parts) > 1 and head + tail in vocab:
        return True
    if not head:
        return False
    lexicon = _lexicon()
    inside = vocab.inside if isinstance(vocab, Vocabulary) else vocab
    if not fills:
        # the next letter might have fit (a renderer that breaks a long word where its column
        # ends while other lines reach further): only a first half that is no word at all,
        # and halves that make one, are a broken word
        return head not in lexicon and head not in inside and head + tail in lexicon
    head = head.rsplit("-", 1)[-1]  # 'scuole-imprese' + 'e': the word is the part after the hyphen
    if head + tail in lexicon:
        return True
    return head not in lexicon and head not in inside
