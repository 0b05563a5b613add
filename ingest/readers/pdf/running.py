"""Running headers and footers: the lines a document repeats at the top or bottom of its pages
(the report's title, "pag. 3", a page number alone, the Ente's name).

A line is running when the same text, digits aside, stands at about the same height in the top
or bottom band of at least `MIN_SHARE` of the pages (and of three pages at least), apart from
the page's other text (a blank gap between them). Found over the whole document, never from a
file's coordinates. A table's header row repeated on each page is not running text: it is
recognised as a header (alone, or with the lines packed against it: a header whose cells wrap
or are centred at different heights), and the lines packed against it are part of it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Callable

from .geometry import Line, PageContent, group_lines

BAND = 0.14  # top and bottom share of the page height where running lines stand
MIN_SHARE = 0.4
MIN_PAGES = 3
Y_TOLERANCE = 6.0  # points

_DIGITS_RE = re.compile(r"\d+")


def _key(band: str, line: Line) -> tuple[str, str]:
    return band, _DIGITS_RE.sub("#", " ".join(line.text.lower().split()))


def _band(page: PageContent, line: Line) -> tuple[str, float] | None:
    if line.bottom <= page.height * BAND:
        return "top", line.top
    if line.top >= page.height * (1 - BAND):
        return "bottom", page.height - line.bottom
    return None


def running_lines(pages: list[PageContent], is_header: Callable[[list[Line]], bool]) -> dict[int, list[Line]]:
    """Per page number, its running lines; `is_header` tells a table's header row from its lines."""
    lines = {p.number: group_lines(p.words) for p in pages}
    hits: dict[tuple[str, str], list[tuple[float, int]]] = defaultdict(list)
    for page in pages:
        for line in lines[page.number]:
            if (where := _band(page, line)) is not None:
                hits[_key(where[0], line)].append((where[1], page.number))
    needed = max(MIN_PAGES, MIN_SHARE * sum(1 for p in pages if p.words))
    repeated = {key: _heights(found, needed) for key, found in hits.items()}
    repeated = {key: ys for key, ys in repeated.items() if ys}
    out: dict[int, list[Line]] = {}
    for page in pages:
        page_lines = lines[page.number]
        marked = [_is_candidate(page, ln, repeated) and not _in_header(page_lines, i, is_header) for i, ln in enumerate(page_lines)]
        running = [ln for i, ln in enumerate(page_lines) if marked[i] and _apart(page_lines, marked, i)]
        if running:
            out[page.number] = running
    return out


def _heights(found: list[tuple[float, int]], needed: float) -> list[tuple[float, float]]:
    """Height windows (within Y_TOLERANCE) where the line stands on enough distinct pages."""
    found.sort()
    windows: list[tuple[float, float]] = []
    start = 0
    for end in range(len(found)):
        while found[end][0] - found[start][0] > Y_TOLERANCE:
            start += 1
        pages = {p for _, p in found[start : end + 1]}
        if len(pages) >= needed:
            windows.append((found[start][0], found[end][0]))
    return windows


def _is_candidate(page: PageContent, line: Line, repeated: dict) -> bool:
    where = _band(page, line)
    if where is None:
        return False
    windows = repeated.get(_key(where[0], line), ())
    return any(lo - 0.01 <= where[1] <= hi + 0.01 for lo, hi in windows)


def _in_header(lines: list[Line], i: int, is_header: Callable[[list[Line]], bool]) -> bool:
    """The line is a table's header row, or one line of it (with up to three lines packed
    against it, closer than half a line)."""
    low = high = i
    while low > 0 and high - low < 3 and _packed(lines[low - 1], lines[low]):
        low -= 1
    while high + 1 < len(lines) and high - low < 6 and _packed(lines[high], lines[high + 1]):
        high += 1
    return any(
        is_header(lines[a : b + 1])
        for a in range(low, i + 1) for b in range(i, min(high, a + 3) + 1)
    )


def _packed(above: Line, below: Line) -> bool:
    return below.top - above.bottom < 0.5 * min(above.size, below.size)


def _apart(lines: list[Line], marked: list[bool], i: int) -> bool:
    """No line of the page's body is packed against this one (closer than half a line)."""
    line = lines[i]
    for j in (i - 1, i + 1):
        if 0 <= j < len(lines) and not marked[j]:
            other = lines[j]
            gap = other.top - line.bottom if j > i else line.top - other.bottom
            if gap < 0.5 * min(line.size, other.size):
                return False
    return True


def without_running(page: PageContent, lines: list[Line]) -> None:
    """Take the words of the page's running lines out of it."""
    if lines:
        drop = {id(w) for line in lines for w in line.words}
        page.words = [w for w in page.words if id(w) not in drop]
