"""Objective codes a scan garbled, given back from the document's other mentions.

A Relazione names each objective several times: '1.1 Internazionalizzazione (D1)' in the
overview, in the performance tree, in table 3.1, again in the DESCRIZIONE column of table
3.2. OCR misreads the short code at the start of a cell far more often than the words after
it ('11 Internazionalizzazione', 'L1, Internazionalizzazione', 'csi 5 1.2 Digitalizzazione'),
and each reading goes wrong in its own way. So the titles read with a well-formed code,
anywhere in the document, make a list; a cell of a scanned page that starts without a code
(or with a few stray characters) and then continues as one of those titles, nearly letter for
letter, gets that title's code back. Nothing else is changed.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import replace

from .blocks import Block, BlockStream, Row

_CODED = re.compile(r"^(?P<code>\d+(?:\.\d+){1,5})\.?\s+(?P<title>\S.{7,})$")
_KEY_CHARS = 60  # a title is known by its letters and digits (the first 60)
_SIMILAR = 0.85


def _key(title: str) -> str:
    return re.sub(r"[^a-zà-ù0-9]", "", title.lower())[:_KEY_CHARS]


def known_titles(blocks: tuple[Block, ...]) -> dict[str, str]:
    """Title key -> code, from every cell that starts with a well-formed code (the code most
    often printed with a title wins)."""
    votes: dict[str, dict[str, int]] = {}
    for block in blocks:
        if not isinstance(block, Row):
            continue
        for cell in block.cells:
            if m := _CODED.match(cell):
                key = _key(m["title"])
                if len(key) >= 8:
                    codes = votes.setdefault(key, {})
                    codes[m["code"]] = codes.get(m["code"], 0) + 1
    return {key: max(codes, key=codes.get) for key, codes in votes.items()}


def restore_code(cell: str, titles: dict[str, str] | _Titles) -> str:
    """The cell with its objective code given back where OCR garbled it and the words after it
    are a known title: one or two short tokens where the code was ('11', 'L1,', 'csi 5'), or a
    code with its points misplaced ('1.21' for '1.2.1'). A title printed without a code, or
    with a code that differs in its digits, is left as printed."""
    if not cell:
        return cell
    if not isinstance(titles, _Titles):
        titles = _Titles(titles)
    tokens = cell.split(" ")
    best: tuple[tuple[float, int, float, str], int, re.Match | None] | None = None
    for n in range(3):
        if len(tokens) <= n or (n and not _stray(tokens[n - 1])):
            break
        text = " ".join(tokens[n:])
        coded = _CODED.match(text)
        hit = _known(coded["title"] if coded else text, titles)
        if hit and (best is None or hit[:3] > best[0][:3]):
            best = (hit, n, coded)
    if best is None:
        return cell
    (*_, code), n, coded = best
    if coded:
        if n:
            return " ".join(tokens[n:])  # stray characters before a well-formed code
        misplaced = coded["code"] != code and _digits(coded["code"]) == _digits(code)
        return f"{code} {coded['title']}" if misplaced else cell
    return f"{code} {' '.join(tokens[n:])}" if n else cell


def _stray(token: str) -> bool:
    """A short token that is no word: a garbled code or a speck read as letters. Two or three
    capitals are an abbreviation printed on purpose ('OS 1.2 Digitalizzazione'), never a speck."""
    return len(token) <= 6 and not re.search(r"[A-Za-zÀ-ÿ]{4}", token) and not re.fullmatch(r"[A-Z]{2,3}", token)


def _digits(code: str) -> str:
    return re.sub(r"\D", "", code)


class _Titles:
    """The known titles with a matcher each (difflib keeps what it learns of its second
    sequence, so each title is indexed once, not once per cell), and the answers so far (a
    document repeats its titles in many cells)."""

    def __init__(self, titles: dict[str, str]):
        self.items = [(t, code, difflib.SequenceMatcher(None, "", t)) for t, code in titles.items() if len(t) >= 12]
        self.seen: dict[str, tuple[float, int, float, str] | None] = {}


def _known(text: str, titles: _Titles) -> tuple[float, int, float, str] | None:
    """(same first letter, length, likeness, code) of the known title `text` starts with,
    nearly letter for letter: aligned on its first letter, then the longest ('1.2.1.1 Punto
    Impresa Digitale (PID) (art. 67...' over '1.2.1 Punto Impresa Digitale (PID)')."""
    key = _key(text)
    if len(key) < 12:
        return None
    if key in titles.seen:
        return titles.seen[key]
    found: tuple[float, int, str] | None = None
    for title, code, matcher in titles.items:
        if len(title) > len(key) + 2:
            continue
        matcher.set_seq1(key[: len(title)])
        if matcher.quick_ratio() < _SIMILAR or (ratio := matcher.ratio()) < _SIMILAR:
            continue
        hit = (float(key[0] == title[0]), len(title), round(ratio, 2), code)
        if found is None or hit[:3] > found[:3]:
            found = hit
    titles.seen[key] = found
    return found


def restore_codes(stream: BlockStream, pages: set[int]) -> BlockStream:
    """The stream with the objective codes of the cells of `pages` restored where lost."""
    known = known_titles(stream.blocks)
    if not known:
        return stream
    titles = _Titles(known)
    blocks = [
        replace(b, cells=tuple(restore_code(c, titles) for c in b.cells))
        if isinstance(b, Row) and b.loc.page in pages else b
        for b in stream.blocks
    ]
    return replace(stream, blocks=tuple(blocks))
