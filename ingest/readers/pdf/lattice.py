"""Tables with drawn cells: pdfplumber's table finder on the page's rules only (lines and
thin boxes, never shading), each word put in the cell under its centre.

A cell merged over several rows (a Word table's merged objective column) gives its text to
every row it spans; a cell merged over several columns is one cell. A row cut by the page
end keeps its vertical borders but loses its bottom border: a rule where the vertical
borders stop closes it (the parser joins the two halves again).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from .cells import PageTable, Vocabulary, cell_text, open_word
from .geometry import PageContent, Word, group_lines, split_segments

SNAP = 3.0  # points


@dataclass
class Grid:
    """A table of drawn cells found on a page, its words put in their cells; read into rows
    once the whole document is known (`read`)."""

    bbox: tuple[float, float, float, float]
    cells: list[tuple[float, float, float, float]]
    xs: list[float]
    ys: list[float]
    slot: dict[tuple[int, int], int]
    by_cell: dict[int, list[Word]]

    def read(self, vocab: Vocabulary) -> PageTable:
        return _rows(self, vocab)


def lattice_tables(page, content: PageContent) -> list[Grid]:
    """The tables of drawn cells on a pdfplumber page (none when the page has no rules)."""
    if not content.vrules or not content.hrules:
        return []
    verticals = [o for o in content.rule_objects if _is_vertical(o)]
    horizontals: list = [o for o in content.rule_objects if not _is_vertical(o)]
    top = min(float(o["top"]) for o in verticals)
    bottom = max(float(o["bottom"]) for o in verticals)
    settings = {
        "vertical_strategy": "explicit",
        "horizontal_strategy": "explicit",
        "explicit_vertical_lines": verticals,
        "explicit_horizontal_lines": horizontals + [top, bottom],
    }
    out = []
    for table in page.find_tables(settings):
        grid = _grid(table, content.words)
        if grid is not None:
            out.append(grid)
    return out


def _is_vertical(obj: dict) -> bool:
    return float(obj["bottom"]) - float(obj["top"]) > float(obj["x1"]) - float(obj["x0"])


def _grid(table, words: list[Word]) -> Grid | None:
    x0, top, x1, bottom = table.bbox
    inside = [w for w in words if x0 <= w.xc <= x1 and top <= w.yc <= bottom]
    cells = table.cells
    xs = sorted({round(c[0], 1) for c in cells})
    ys = sorted({round(c[1], 1) for c in cells})
    slot: dict[tuple[int, int], int] = {}
    for index, (cx0, ctop, cx1, cbottom) in enumerate(cells):
        for ci in range(bisect.bisect_left(xs, round(cx0, 1)), bisect.bisect_left(xs, round(cx1, 1) - 0.05)):
            for ri in range(bisect.bisect_left(ys, round(ctop, 1)), bisect.bisect_left(ys, round(cbottom, 1) - 0.05)):
                slot[(ri, ci)] = index
    by_cell: dict[int, list[Word]] = {}
    for w in inside:
        ri = bisect.bisect_right(ys, w.yc) - 1
        ci = bisect.bisect_right(xs, w.xc) - 1
        if (index := slot.get((ri, ci))) is not None:
            by_cell.setdefault(index, []).append(w)
    if _not_a_grid(by_cell, len(xs)) or _rows_not_drawn(by_cell, cells):
        return None
    return Grid(table.bbox, cells, xs, ys, slot, by_cell)


def _rows(grid: Grid, vocab: Vocabulary) -> PageTable:
    x0, top, x1, bottom = grid.bbox
    cells = grid.cells
    texts = {i: cell_text(ws, vocab, _reach(cells[i], ws)) for i, ws in grid.by_cell.items()}
    result = PageTable(top=top, bottom=bottom, x0=x0, x1=x1, strategy="cells", columns=len(grid.xs))
    last = 0
    for ri, y in enumerate(grid.ys):
        row: list[str] = []
        spanned: list[int] = []
        for ci, x in enumerate(grid.xs):
            index = grid.slot.get((ri, ci))
            starts_here = index is not None and round(cells[index][0], 1) == x
            # a cell merged over rows repeats its text on each; over columns, it is one cell
            row.append(texts.get(index, "") if starts_here else "")  # type: ignore[arg-type]
            if starts_here and row[-1] and round(cells[index][1], 1) < y:  # type: ignore[index]
                spanned.append(ci)
        if any(row):
            if spanned:
                result.spanned[len(result.rows)] = tuple(spanned)
            result.rows.append((y, tuple(row)))
            last = ri
    if result.rows:
        result.open_words = _open_words(grid, last)
    return result


def _open_words(grid: Grid, ri: int) -> dict[int, str]:
    """Per column, the word a row's cell ends in when it fills its last line alone: the page
    end may have cut it (read for the table's last row, which may go on overleaf)."""
    out: dict[int, str] = {}
    for ci, x in enumerate(grid.xs):
        index = grid.slot.get((ri, ci))
        if index is None or round(grid.cells[index][0], 1) != x:
            continue
        words = grid.by_cell.get(index, [])
        if word := open_word(words, _reach(grid.cells[index], words)):
            out[ci] = word
    return out


def _reach(cell: tuple[float, float, float, float], words: list[Word]) -> float:
    """How far right a cell's text may go: its right border less the padding its text keeps
    from the left one."""
    return cell[2] - max(min(w.x0 for w in words) - cell[0], 0.0) if words else cell[2]


def _rows_not_drawn(by_cell: dict[int, list[Word]], cells: list) -> bool:
    """Rules that draw columns but not the rows between them (vertical rules, a rule under the
    header): one drawn row holds several rows of the table, so that half of its cells or more
    hold blocks of text parted by a blank wider than a line's spacing (never seen in a drawn
    cell). The table is then read from word positions, where row gaps part the rows."""
    rows: dict[float, list[bool]] = {}
    for index, words in by_cell.items():
        rows.setdefault(round(cells[index][1], 1), []).append(_blocks_apart(words))
    return any(any(flags) and 2 * sum(flags) >= len(flags) for flags in rows.values())


def _blocks_apart(words: list[Word]) -> bool:
    """A blank between two lines of the cell wider than its closest line spacing by a fifth of
    the type size (a cell's wrapped lines are evenly spaced)."""
    lines = group_lines(words)
    gaps = [b.top - a.bottom for a, b in zip(lines, lines[1:])]
    if len(gaps) < 2:
        return False
    size = min(ln.size for ln in lines)
    return max(gaps) >= min(gaps) + max(1.0, 0.2 * size)


def _not_a_grid(by_cell: dict[int, list[Word]], columns: int) -> bool:
    """Rules that frame rows but draw no columns (a box with rules between rows): the cells
    hold several columns of text each, so the table is read from word positions instead."""
    if columns > 2 or not by_cell:
        return False
    multi = sum(1 for ws in by_cell.values() if any(len(split_segments(ln.words)) > 1 for ln in group_lines(ws)))
    return multi * 2 >= len(by_cell)
