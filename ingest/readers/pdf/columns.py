"""Columns of a table read from word positions: cells of the header row, edges refined on
the data, and which column each piece of a line falls in."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from .geometry import Line, Word, split_segments


@dataclass(frozen=True)
class Columns:
    """Column edges: column i runs from edges[i] to edges[i + 1]."""

    edges: tuple[float, ...]
    size: float = 0.0  # the font size of the table's text
    gutters: tuple[tuple[float, float], ...] = ()  # blank strips the edges stand in (data columns)

    @property
    def count(self) -> int:
        return len(self.edges) - 1

    @property
    def x0(self) -> float:
        return self.edges[0]

    @property
    def x1(self) -> float:
        return self.edges[-1]

    def index(self, x: float) -> int:
        return min(max(bisect.bisect_right(self.edges, x) - 1, 0), self.count - 1)

    def inner(self) -> tuple[float, ...]:
        return self.edges[1:-1]

    def pieces(self, words: list[Word]) -> list[tuple[int, list[Word], bool]]:
        """The words of one line as (column, words, spans): a run of words cut where a column
        edge falls between two of them; `spans` when a word straddles an edge (the run is
        then kept whole, in the column where it starts)."""
        out: list[tuple[int, list[Word], bool]] = []
        for segment in split_segments(words):
            if any(w.x0 + 1 < b < w.x1 - 1 for w in segment for b in self.inner()) or self._spaced_across(segment):
                out.append((self.index(segment[0].x0 + 1), segment, True))
                continue
            current: list[Word] = []
            for w in segment:
                if current and self.index(w.xc) != self.index(current[-1].xc):
                    out.append((self.index(current[0].xc), current, False))
                    current = []
                current.append(w)
            out.append((self.index(current[0].xc), current, False))
        return out

    def _spaced_across(self, segment: list[Word]) -> bool:
        """An edge falls in the gap between two words spaced no wider than the segment's other
        words: one text printed across columns (a heading row), not two cells side by side,
        whose texts stand at least a cell's padding apart."""
        gaps = [(b.x0 - a.x1, self.index(a.xc) != self.index(b.xc)) for a, b in zip(segment, segment[1:])]
        inside = [g for g, crosses in gaps if not crosses]
        if not inside:
            return False
        return any(crosses and g <= max(inside) + 0.3 for g, crosses in gaps)

    def fits(self, line: Line, tolerance: float = 12.0) -> bool:
        """The line stands inside the table and no piece of it straddles a column edge."""
        if line.x0 < self.x0 - tolerance or line.x1 > self.x1 + tolerance:
            return False
        return not any(spans for _, _, spans in self.pieces(line.words))


@dataclass
class HeaderCell:
    x0: float
    x1: float
    parts: list[tuple[float, float, str]]  # (top, x0, text)

    @property
    def text(self) -> str:
        return " ".join(t for _, _, t in sorted(self.parts))


def header_cells(lines: list[Line]) -> list[HeaderCell]:
    """The cells of a header printed over one or more lines: pieces of text that overlap
    horizontally are one cell; a piece over several pieces of another line is a group title
    above its sub-columns and does not make a cell of its own."""
    pieces = [(seg[0].x0, max(w.x1 for w in seg), line_no, seg) for line_no, ln in enumerate(lines) for seg in ln.segments()]
    kept = []
    for x0, x1, line_no, seg in pieces:
        below = [p for p in pieces if p[2] != line_no and p[0] < x1 and p[1] > x0]
        by_line: dict[int, int] = {}
        for p in below:
            by_line[p[2]] = by_line.get(p[2], 0) + 1
        if any(n >= 2 for n in by_line.values()):
            continue
        kept.append((x0, x1, seg))
    cells: list[HeaderCell] = []
    for x0, x1, seg in sorted(kept, key=lambda p: p[0]):
        text = " ".join(w.text for w in seg)
        if cells and x0 < cells[-1].x1 - 0.5:
            cells[-1].x1 = max(cells[-1].x1, x1)
            cells[-1].parts.append((seg[0].top, x0, text))
        else:
            cells.append(HeaderCell(x0, x1, [(seg[0].top, x0, text)]))
    return cells


def columns_from_header(cells: list[HeaderCell], data: list[Word], x0: float, x1: float, size: float) -> Columns:
    """Edges between the header cells, each put where the fewest data words cross it."""
    edges = [min(x0, cells[0].x0) - 1.0]
    for left, right in zip(cells, cells[1:]):
        edges.append(_best_edge(left.x1, right.x0, data))
    edges.append(max(x1, cells[-1].x1) + 1.0)
    return Columns(tuple(edges), size)


def columns_from_data(lines: list[Line]) -> Columns | None:
    """Edges where no word stands (vertical gutters), for a table with no header. Only the lines
    cut in three pieces or more count (data rows): a title across the columns hides no gutter.
    Words of the other lines standing clear beyond the data rows make a column of their own
    (a heading row's weight in a last PESO column)."""
    counts = [len(ln.segments()) for ln in lines]
    least = 3 if any(c >= 3 for c in counts) else 2
    words = [w for ln, c in zip(lines, counts) if c >= least for w in ln.words]
    if not words:
        return None
    size = max(w.size for w in words)
    spans = sorted((w.x0, w.x1) for w in words)
    x0, x1 = spans[0][0], max(e for _, e in spans)
    others = [w for ln, c in zip(lines, counts) if c < least for w in ln.words]
    beyond = [w.x0 for w in others if w.x0 - x1 >= 0.45 * size]
    if beyond:
        spans.append((min(beyond), max(w.x1 for w in others)))
    edges = [min([x0] + [w.x0 for w in others]) - 1.0]
    gutters: list[tuple[float, float]] = []
    reach = spans[0][1]
    for start, end in spans[1:]:
        if start - reach >= 0.45 * size:
            edges.append(max((start + reach) / 2, start - 1.0))
            gutters.append((reach, start))
        reach = max(reach, end)
    edges.append(max([reach] + [w.x1 for w in others]) + 1.0)
    return Columns(tuple(edges), size, tuple(gutters)) if len(edges) > 2 else None


def _best_edge(lo: float, hi: float, data: list[Word]) -> float:
    """Where in the gap [lo, hi] between two header cells the column edge goes: in the last
    stretch crossed by the fewest data words, near its right end (cells are written from their
    left edge, so the next column's text starts where its header does)."""
    if hi <= lo:
        return (lo + hi) / 2
    steps = max(int((hi - lo) / 0.5), 1)
    xs = [lo + (hi - lo) * i / steps for i in range(steps + 1)]
    near = [w for w in data if w.x1 > lo and w.x0 < hi]
    counts = [sum(1 for w in near if w.x0 < x < w.x1) for x in xs]
    least = min(counts)
    end = max(i for i, c in enumerate(counts) if c == least)
    start = end
    while start > 0 and counts[start - 1] == least:
        start -= 1
    return max(xs[start], xs[end] - 1.0) if end > start else xs[end]
