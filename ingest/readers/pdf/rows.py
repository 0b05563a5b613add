"""Rows and cells of a table region read from word positions: rows cut at rules, at the edges
of shaded boxes and at blanks wider than a cell's line spacing, or where cells start again in
two columns while a cell merged over the rows runs on (`_Flow`); cells merged over rows that
rules show; words a narrow column broke across rows joined again."""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass, field

from .cells import PageTable, Vocabulary, cell_text, continues_word
from .columns import Columns
from .geometry import Box, Line, PageContent, Word, group_lines


@dataclass
class Region:
    columns: Columns
    header: list[Line]
    lines: list[Line] = field(default_factory=list)
    continues: bool = False  # goes on with the previous table's columns

    @property
    def all_lines(self) -> list[Line]:
        return self.header + self.lines



def read_region(region: Region, page: PageContent, after: float) -> PageTable | None:
    """The rows and cells of a table region; `after` is the top of the page's next line."""
    columns = region.columns
    lines = region.all_lines
    if not lines:
        return None
    top = min(ln.top for ln in lines)
    bottom = max(ln.bottom for ln in lines)
    size = Counter(round(w.size, 1) for ln in lines for w in ln.words).most_common(1)[0][0]
    rules = [b for b in page.hrules if b.x0 < columns.x1 and b.x1 > columns.x0 and top - 2 <= b.top <= bottom + 2]
    shades = [b for b in page.shades if b.x0 < columns.x1 and b.x1 > columns.x0 and b.bottom > top - 2 and b.top < bottom + 2]
    cuts = _cuts(rules, shades, columns)
    # the rule closing the last row may stand further below its text than a cell's padding
    # (text centred in a tall row): it still closes the cells merged over the rows above it
    closing = [b for b in page.hrules if b.x0 < columns.x1 and b.x1 > columns.x0 and bottom + 2 < b.top < min(after, bottom + 2 * size)]
    # data between a rule above and one below, with none across it: rules part this table's
    # rows, and these lines are one row (centred in a tall row, or a single row on the page)
    ruled_rows = bool(closing) and any(b.top < region.lines[0].top for b in rules) if region.lines else False
    bands, moved = _bands(region, cuts, size, shades if not rules else [], ruled_rows)
    table = PageTable(top=top, bottom=bottom, x0=columns.x0, x1=columns.x1, strategy="rules" if rules else "words", columns=columns.count, model=columns)
    # rules show merged cells only when they part rows (at two heights inside the table at
    # least): a rule under the header alone draws no cells
    between = {round((b.top + b.bottom) / 2) for b in rules if top + 1 < (b.top + b.bottom) / 2 < bottom - 1}
    merged = _merged_cells(region, rules + closing, bands, size, page.vocab) if len(between) >= 2 else {}
    grid: list[list[list[Word]]] = [[[] for _ in range(columns.count)] for _ in bands]
    band_pieces = []
    for number, (_, band_lines) in enumerate(bands):
        pieces = [(k, p) for k, ln in enumerate(band_lines) for p in columns.pieces(ln.words)]
        band_pieces.append([(k, p) for k, p in pieces if id(p[1][0]) not in moved])
        for _, (column, words, _spans) in pieces:
            row = moved.get(id(words[0]), number)
            if (row, column) not in merged:
                grid[row][column].extend(words)
    _rejoin_broken_words(grid, 1 if region.header else 0, page.vocab)
    for number, (band_top, _) in enumerate(bands, start=1):
        pieces = band_pieces[number - 1]
        texts = [cell_text(ws, page.vocab) for ws in grid[number - 1]]
        spanned: list[int] = []
        for (row_index, column), (text, first) in merged.items():
            if row_index == number - 1:
                texts[column] = text
                if not first:
                    spanned.append(column)
        if _ambiguous(pieces, columns):
            table.unassigned.append((number, " | ".join(t for t in texts if t)))
        if any(texts):
            if spanned:
                table.spanned[len(table.rows)] = tuple(spanned)
            table.rows.append((band_top, tuple(texts)))
    return table


def _rejoin_broken_words(grid: list[list[list[Word]]], first: int, vocab: Vocabulary | None) -> None:
    """A word a narrow column broke, whose rest went to the next row (rows told apart by
    nothing but lines): its first half alone on the cell's last line, no word at all, and the
    two halves a word of the language. The rest goes back to the word's cell."""
    for row in range(first + 1, len(grid)):
        for column, words in enumerate(grid[row]):
            above = grid[row - 1][column]
            if not words or not above:
                continue
            last_line = group_lines(above)[-1].words
            head = min(words, key=lambda w: (round(w.top, 1), w.x0))
            if len(last_line) == 1 and continues_word(last_line[0].text, head.text, vocab, fills=False):
                above.append(head)
                words.remove(head)


def _ambiguous(pieces: list[tuple[int, tuple[int, list[Word], bool]]], columns: Columns) -> bool:
    """A row whose pieces cannot be put one to a column: two pieces of one line in the same
    column, or a piece printed across columns over a column where another piece of the row
    starts (a wrapped line under the piece's own start is its continuation)."""
    spans = [(line, column, columns.index(words[-1].x1 - 1) if spanning else column)
             for line, (column, words, spanning) in pieces]
    for i, (line_a, start_a, end_a) in enumerate(spans):
        for line_b, start_b, end_b in spans[i + 1:]:
            if line_a == line_b and start_a == start_b:
                return True
            if start_a < start_b <= end_a or start_b < start_a <= end_b:
                return True
    return False


def _cuts(rules: list[Box], shades: list[Box], columns: Columns) -> list[float]:
    """Heights where a row ends: rules across most of the table, edges of shaded boxes."""
    width = columns.x1 - columns.x0
    ys: list[float] = []
    for rule in rules:
        if min(rule.x1, columns.x1) - max(rule.x0, columns.x0) >= 0.3 * width or _rule_spans_cell(rule, columns):
            ys.append((rule.top + rule.bottom) / 2)
    for shade in shades:
        ys += [shade.top, shade.bottom]
    ys.sort()
    merged: list[float] = []
    for y in ys:
        if not merged or y - merged[-1] > 1.5:
            merged.append(y)
    return merged


def _rule_spans_cell(rule: Box, columns: Columns) -> bool:
    """A rule under one cell (a border drawn cell by cell) counts as a row's end too."""
    c = columns.index((rule.x0 + rule.x1) / 2)
    left, right = columns.edges[c], columns.edges[c + 1]
    return min(rule.x1, right) - max(rule.x0, left) >= 0.5 * (right - left)


def _bands(region: Region, cuts: list[float], size: float, shades: list[Box], ruled: bool = False) -> tuple[list[tuple[float, list[Line]]], dict[int, int]]:
    """The rows: the header as one row, then the data lines between the cuts (each line in the
    stretch that holds its middle: a merged cell's text may cross a cut), and within those at
    the gaps wider than a cell's line spacing, or where cells of the row start again in two
    columns at least while a cell merged over rows runs on (`_Flow`). Also the words that
    belong to a row above their line's (by id: the running text of such a merged cell)."""
    rows: list[tuple[float, list[Line]]] = []
    if region.header:
        rows.append((region.header[0].top, list(region.header)))
    lines = region.lines
    if not lines:
        return rows, {}
    inner = sorted(y for y in cuts if lines[0].top + 1 < y < max(ln.bottom for ln in lines) - 1)
    flow = _Flow(region.columns, _cell_break(lines, region.columns, size))
    gap = _row_gap(lines, size, bool(inner) or ruled)
    stretches: dict[int, list[Line]] = {}
    for line in lines:
        stretches.setdefault(bisect.bisect_left(inner, (line.top + line.bottom) / 2), []).append(line)
    previous_key: int | None = None
    for key in sorted(stretches):
        current: list[Line] = []
        reach = 0.0
        # columns the cuts above this stretch do not cross (a shaded cell merged over rows
        # goes on past the shading of the row beside it): text there may run on
        open_columns = _uncut(inner[previous_key:key], shades, region.columns) if previous_key is not None else set()
        previous_key = key
        if not open_columns:
            flow.reset()
        for line in stretches[key]:
            pieces = flow.take(line, len(rows) - 1)
            if not current and open_columns:
                pieces = flow.part(pieces, len(rows) - 1, open_columns)
            elif current and gap is not None and line.top - reach >= gap:
                rows.append((current[0].top, current))
                current = []
                flow.reset()
            elif current and flow.starts_again(pieces):
                rows.append((current[0].top, current))
                current = []
                pieces = flow.part(pieces, len(rows) - 1)
            reach = max(reach, line.bottom) if current else line.bottom
            current.append(line)
            flow.fill(pieces)
        rows.append((current[0].top, current))
    return rows, flow.moved


class _Flow:
    """The cells of the row being read, column by column, to tell a new row whose cells start
    under the last ones (a blank wider than a cell's line spacing in two columns at least)
    while the text of a cell merged over both rows runs on in its column without a break: that
    text stays in the row where it starts."""

    def __init__(self, columns: Columns, blank: float | None) -> None:
        self.columns = columns
        self.blank = blank
        self.moved: dict[int, int] = {}  # id(word) -> row index
        self.bottoms: dict[int, float] = {}  # column -> bottom of its text in the current row
        self.running: dict[int, tuple[float, int]] = {}  # column -> (bottom, row) of merged text

    def reset(self) -> None:
        self.bottoms, self.running = {}, {}

    def take(self, line: Line, previous: int) -> list[tuple[int, list[Word]]]:
        """The line's pieces (column, words) that belong to the current row: running text of a
        merged cell goes to its own row."""
        out: list[tuple[int, list[Word]]] = []
        for column, words, _ in self.columns.pieces(line.words):
            run = self.running.get(column)
            if run is not None and self.blank is not None and min(w.top for w in words) - run[0] < self.blank:
                for w in words:
                    self.moved[id(w)] = run[1]
                self.running[column] = (max(w.bottom for w in words), run[1])
                continue
            self.running.pop(column, None)
            out.append((column, words))
        for column, (bottom, _) in list(self.running.items()):
            if self.blank is None or line.top - bottom >= self.blank:
                del self.running[column]
        return out

    def starts_again(self, pieces: list[tuple[int, list[Word]]]) -> bool:
        if self.blank is None:
            return False
        again = {c for c, ws in pieces if c in self.bottoms and min(w.top for w in ws) - self.bottoms[c] >= self.blank}
        return len(again) >= 2

    def part(self, pieces: list[tuple[int, list[Word]]], row: int, only: set[int] | None = None) -> list[tuple[int, list[Word]]]:
        """A new row starts with `pieces`; the text of the last row that runs on without a
        break (here or on the lines below; in the columns `only`, when given) is a merged
        cell's and stays in `row`. The pieces left to the new row."""
        if self.blank is None:
            self.reset()
            return pieces
        if only is not None:
            self.bottoms = {c: b for c, b in self.bottoms.items() if c in only}
        stay: list[tuple[int, list[Word]]] = []
        running: dict[int, tuple[float, int]] = {}
        for column, words in pieces:
            bottom = self.bottoms.get(column)
            if bottom is not None and min(w.top for w in words) - bottom < self.blank:
                for w in words:
                    self.moved[id(w)] = row
                running[column] = (max(w.bottom for w in words), row)
            else:
                stay.append((column, words))
        starting = {c for c, _ in stay}
        # text merged over more rows than two still runs on in its own row
        kept = {c: run for c, run in self.running.items() if c not in starting}
        self.running = kept | {c: (b, row) for c, b in self.bottoms.items() if c not in starting} | running
        self.bottoms = {}
        return stay

    def fill(self, pieces: list[tuple[int, list[Word]]]) -> None:
        for column, words in pieces:
            self.bottoms[column] = max(self.bottoms.get(column, 0.0), max(w.bottom for w in words))


def _uncut(cuts: list[float], shades: list[Box], columns: Columns) -> set[int]:
    """The columns that no shaded box's edge at these heights crosses (empty without shading:
    rules and shading across the table part every column)."""
    if not shades or not cuts:
        return set()
    out = set(range(columns.count))
    for shade in shades:
        if any(abs(shade.top - y) <= 1.5 or abs(shade.bottom - y) <= 1.5 for y in cuts):
            for c in list(out):
                left, right = columns.edges[c], columns.edges[c + 1]
                if min(shade.x1, right) - max(shade.x0, left) >= 0.5 * (right - left):
                    out.discard(c)
    return out


def _cell_break(lines: list[Line], columns: Columns, size: float) -> float | None:
    """The blank between two blocks of text in one column: wider than the most common spacing
    of the lines of a column's text by a fifth of the font size (None: too few lines, or no
    column breaks)."""
    last: dict[int, float] = {}
    gaps: list[float] = []
    for line in lines:
        for column, words, _ in columns.pieces(line.words):
            top = min(w.top for w in words)
            if column in last and top > last[column] - 1:
                gaps.append(round(top - last[column], 1))
            last[column] = max(w.bottom for w in words)
    if len(gaps) < 3:
        return None
    leading = Counter(gaps).most_common(1)[0][0]
    blank = leading + max(1.0, 0.2 * size)
    return blank if any(g >= blank for g in gaps) else None


def _row_gap(lines: list[Line], size: float, cut: bool) -> float | None:
    """The blank that separates rows: wider than the spacing of a cell's wrapped lines (the most
    common gap) by a fifth of the font size. When no gap is that much wider, rows are not told
    apart by spacing alone: with rules or shading to cut them, None; without, every gap wider
    than a cell's line spacing parts rows (every line is a row when all are alike: the parser
    joins wrapped ones back)."""
    raw = [b.top - a.bottom for a, b in zip(lines, lines[1:]) if b.top > a.bottom - 1]
    if not raw:
        return None
    gaps = [round(g, 1) for g in raw]
    leading = Counter(gaps).most_common(1)[0][0]
    threshold = leading + max(1.0, 0.2 * size)
    if any(g >= threshold for g in gaps):
        return threshold
    if cut:
        return None
    # the most common gap is between rows (cells of one line, or lines of different cells
    # interleaved by vertical centring): rows part at it, wrapped lines of a cell (never
    # further apart than half the type size) do not
    apart = [g for g in raw if g > 0.45 * size]
    return min(apart or raw) - 0.01


def _merged_cells(
    region: Region, rules: list[Box], bands, size: float, vocab: Vocabulary | None
) -> dict[tuple[int, int], tuple[str, bool]]:
    """Cells that rules show merged over rows: in a column, the stretch between two of its rules
    (or its last rule and the table's end, where a page cuts a merged cell) that covers several
    rows and holds one block of text (no row gap in it)."""
    columns = region.columns
    out: dict[tuple[int, int], tuple[str, bool]] = {}
    first = 1 if region.header else 0
    # a row stands in the stretch between two rules that holds its first line's middle (as
    # `_bands` cut it): its top may rise above the rule when its cells are centred vertically
    middles = [(b[1][0].top + b[1][0].bottom) / 2 for b in bands]
    end = max(ln.bottom for ln in region.all_lines) + 1.0
    for c in range(columns.count):
        left, right = columns.edges[c], columns.edges[c + 1]
        ys = sorted((r.top + r.bottom) / 2 for r in rules if min(r.x1, right) - max(r.x0, left) >= 0.5 * (right - left))
        if ys and ys[-1] < end:
            ys.append(end)  # no rule under the column's last cell: it runs to the table's end (or the page's)
        for upper, lower in zip(ys, ys[1:]):
            covered = [k for k in range(first, len(bands)) if upper < middles[k] < lower]
            if len(covered) < 2:
                continue
            words = [w for ln in region.lines for w in ln.words if upper < w.yc < lower and columns.index(w.xc) == c]
            if not words or _has_gap(words, size):
                continue
            text = cell_text(words, vocab)
            for k in covered:
                out[(k, c)] = (text, k == covered[0])
    return out


def _has_gap(words: list[Word], size: float) -> bool:
    spans = sorted((w.top, w.bottom) for w in words)
    reach = spans[0][1]
    for top, bottom in spans[1:]:
        if top - reach > 0.5 * size:
            return True
        reach = max(reach, bottom)
    return False
