"""Tables read from word positions, for tables whose cells are not all drawn: rules only
between rows, no rules at all, shaded rows, a scan's recognised words.

A table starts at a header row (a line, or up to three lines packed together, that the table
parser recognises: INDICATORE, PESO, TARGET..., in any order and wording it knows), or
continues the previous table (on this page after a paragraph, or from the previous page) when
its lines fall in that table's columns. Columns run between the header's cells, their edges
put where the fewest data words cross them. A line printed across the columns that the rows
follow is a heading row of the table; a line that crosses the columns like a paragraph, a
larger heading, or a wide blank ends it. The region's rows and cells are read by `rows.py`.
"""

from __future__ import annotations

import itertools
import re
import statistics
from typing import Callable

from .cells import PageTable
from .columns import Columns, columns_from_data, columns_from_header, header_cells
from .geometry import Line, PageContent
from .rows import Region, read_region

HeaderTest = Callable[[list[str]], bool]
# a cell that starts with an objective's number ('1.2 Digitalizzazione'): data, never a header
_NUMBERED = re.compile(r"\d+(?:\.\d+)+\.?\s")


def word_tables(
    page: PageContent, lines: list[Line], is_header: HeaderTest, carry: Columns | None, continuing: bool
) -> tuple[list[PageTable], list[Line], Columns | None]:
    """The tables among a page's free lines (outside drawn cells), the lines left as text, and
    the columns of the last table. `carry` is the column model of the last table read before
    this page; `continuing` when the previous page ended inside it."""
    tables: list[PageTable] = []
    text: list[Line] = []
    page.anchors = {}  # for these lines
    i = 0
    last = carry
    while i < len(lines):
        region = _header_region(lines, i, is_header, page)
        if region is None:
            at_top = continuing and not tables and not text
            region = _headerless_region(lines, i, is_header, page, last, at_top)
        if region is None:
            text.append(lines[i])
            i += 1
            continue
        start = i + len(region.header)
        region.lines = _data_lines(lines, start, region.columns, page, region.header, region.columns.size, is_header)
        if not region.lines and not region.header:
            text.append(lines[i])
            i += 1
            continue
        after = lines[start + len(region.lines)].top if start + len(region.lines) < len(lines) else page.height
        table = read_region(region, page, after)
        if table is not None:
            table.continues = region.continues
            tables.append(table)
            last = region.columns
        i = start + len(region.lines)
    return tables, text, last


def _header_region(lines: list[Line], i: int, is_header: HeaderTest, page: PageContent) -> Region | None:
    band = _anchor(lines, i, is_header, page)
    if not band:
        return None
    header = lines[i : i + band]
    size = statistics.median([w.size for ln in header for w in ln.words])
    data = _data_lines(lines, i + band, None, page, header, size, is_header)
    columns = columns_from_header(
        header_cells(header), [w for ln in data for w in ln.words],
        min(ln.x0 for ln in header + data), max(ln.x1 for ln in header + data), size,
    )
    return Region(columns, header)


def _headerless_region(
    lines: list[Line], i: int, is_header: HeaderTest, page: PageContent, last: Columns | None, at_top: bool
) -> Region | None:
    """Rows with no header of their own: the last table going on (after a paragraph, or on a new
    page) when they fall in its columns, or a table of at least three columns found from the
    gutters its words leave."""
    first = lines[i]
    if len(first.segments()) < 2 and not (at_top and last is not None and last.fits(first)):
        return None
    size = last.size if last is not None else first.size
    run = _data_lines(lines, i, None, page, [], size, is_header)
    run = [ln for ln in run[: _run_end(run)]] or [first]
    data = columns_from_data(run)
    if last is not None and all(last.fits(ln) for ln in run) and _agrees(last, data):
        return Region(last, [], continues=True)
    if last is not None and at_top:
        # the rest of the last row overleaf, then the page's text: the lines that fit go on
        fitting = list(itertools.takewhile(last.fits, run))
        if fitting and _agrees(last, columns_from_data(fitting)):
            return Region(last, [], continues=True)
    if data is not None and data.count >= 3:
        return Region(Columns(data.edges, statistics.median([w.size for w in first.words])), [])
    return None


def _run_end(run: list[Line]) -> int:
    """Where a run of table lines stops: at the first line as wide as a paragraph."""
    if not run:
        return 0
    widest = max(ln.x1 for ln in run) - min(ln.x0 for ln in run)
    for k, line in enumerate(run):
        if len(line.segments()) == 1 and line.x1 - line.x0 > 0.6 * widest:
            return k
    return len(run)


def _agrees(columns: Columns, data: Columns | None) -> bool:
    """Every gutter the data leave holds one of the columns' edges (no two data columns in one)."""
    if data is None:
        return True
    inner = columns.inner()
    gutters = data.gutters
    return all(any(lo - 1 <= e <= hi + 1 for e in inner) for lo, hi in gutters)


def _anchor(lines: list[Line], i: int, is_header: HeaderTest, page: PageContent) -> int:
    """How many lines from `i` make a header row the table parser recognises (0: none). A band
    never ends on a line that the next one overlaps (cells of one row printed at different
    heights, as vertically centred header cells are). Asked of most lines several times while
    a page's tables are found: remembered per page and line list."""
    key = (id(lines), i)
    if key not in page.anchors:
        page.anchors[key] = _find_anchor(lines, i, is_header, page)
    return page.anchors[key]


def _find_anchor(lines: list[Line], i: int, is_header: HeaderTest, page: PageContent) -> int:
    for k in range(1, 7):
        band = lines[i : i + k]
        if len(band) < k or (k > 1 and not _packed(band[-2], band[-1], page)):
            return 0
        after = lines[i + k] if i + k < len(lines) else None
        if after is not None and after.top < max(ln.bottom for ln in band) - 0.25 * after.size:
            continue
        cells = header_cells(band)
        if len(cells) >= 2 and not any(_NUMBERED.match(c.text) for c in cells) and is_header([c.text for c in cells]):
            while i + k < len(lines) and _header_goes_on(lines[i + k - 1], lines[i + k], band, page):
                k += 1
                band = lines[i : i + k]
            return k
    return 0


def _packed(above: Line, below: Line, page: PageContent) -> bool:
    """Two lines of one row: no separator between them and no more than a line's spacing."""
    return below.top - above.bottom <= 0.3 * min(above.size, below.size) and not _separated(above, below, page)


def _header_goes_on(above: Line, below: Line, band: list[Line], page: PageContent) -> bool:
    """A wrapped header cell's next line: packed under the header, in its style, within its cells."""
    if not _packed(above, below, page):
        return False
    if all(w.bold for ln in band for w in ln.words) != all(w.bold for w in below.words):
        return False
    cells = header_cells(band)
    return all(any(c.x0 - 2 <= seg[0].x0 and max(w.x1 for w in seg) <= c.x1 + 30 for c in cells) for seg in below.segments())


def _separated(above: Line, below: Line, page: PageContent) -> bool:
    """A rule, or the edge of a shaded box, between two lines."""
    x0, x1 = min(above.x0, below.x0), max(above.x1, below.x1)
    lo, hi = above.bottom - 1, below.top + 1
    for rule in page.hrules:
        if rule.x0 < x1 and rule.x1 > x0 and lo <= (rule.top + rule.bottom) / 2 <= hi:
            return True
    for shade in page.shades:
        if shade.x0 < x1 and shade.x1 > x0 and (lo <= shade.top <= hi or lo <= shade.bottom <= hi):
            return True
    return False


def _starts_rows(line: Line, columns: Columns, continuing: bool) -> bool:
    """A table's rows go on here: the line fits its columns, with cells in two columns at least
    (or anything that fits, at the top of a page that continues the table)."""
    if not columns.fits(line):
        return False
    used = {c for c, _, _ in columns.pieces(line.words)}
    return len(used) >= 2 or continuing


def _data_lines(
    lines: list[Line], start: int, columns: Columns | None, page: PageContent, header: list[Line],
    size: float, is_header: HeaderTest,
) -> list[Line]:
    """The lines of the table below its header, up to the first line that ends it: a heading
    (larger type), another table's header, a blank wider than twice the blank between rows,
    or a line that crosses the columns (like a paragraph) further from the rows above than
    rows are from each other (a title printed across the columns is a row), or a line that
    starts left of the table's cells after more than a row's blank."""
    out: list[Line] = []
    previous = header[-1] if header else None
    left = min(ln.x0 for ln in header) if header else (columns.x0 if columns is not None else None)
    row_gaps: list[float] = []
    for j in range(start, len(lines)):
        line = lines[j]
        if size and line.size > size * 1.25:
            break
        if out and _anchor(lines, j, is_header, page):
            break
        gap = line.top - previous.bottom if previous is not None else 0.0
        typical = statistics.median(row_gaps) if row_gaps else None
        # twice the blank between rows ends the table, once that blank is known (one blank,
        # under a header centred on several lines, may be narrower than the rows')
        if gap > 2.2 * size or (len(row_gaps) >= 2 and gap > max(2.0 * typical, 0.8 * size)):
            break
        near = (typical * 1.4 + 0.5) if typical is not None else 0.8 * size
        if out and gap > near and j + 1 < len(lines) and _anchor(lines, j + 1, is_header, page):
            break  # further than a row, right above another table's header: that table's title
        if columns is not None and not columns.fits(line):
            if previous is None or (gap > near and not _heading_row(lines, j, columns, page, is_header)):
                break
        if left is not None and out and line.x0 < left - 2.0 and gap > near:
            break  # starts left of every cell, after more than a row's blank: a paragraph
        if gap > max(1.5, 0.45 * size):  # wider than the spacing of wrapped lines
            row_gaps.append(gap)
        out.append(line)
        previous = line
    return out


def _heading_row(lines: list[Line], j: int, columns: Columns, page: PageContent, is_header: HeaderTest) -> bool:
    """A line printed across the columns and inside the table's width, that the table's rows
    follow (after at most four more such lines, no further apart than rows are): a heading row
    inside the table (an area, an objective), not a paragraph after it. Another table's header
    below it makes it that table's title; in plain type, without a rule or shading above it,
    it is short or ends in its own weight."""
    line = lines[j]
    if j == 0 or line.x0 < columns.x0 - 2.0 or line.x1 > columns.x1 + 2.0:
        return False
    if not (_separated(lines[j - 1], line, page) or all(w.bold for w in line.words)):
        # in plain type, a heading row is short, or ends in a weight of its own ('... 25%');
        # a paragraph runs across most of the table
        segments = line.segments()
        weighted = len(segments) >= 2 and segments[-1][-1].text.endswith("%")
        if not weighted and line.x1 - line.x0 > 0.6 * (columns.x1 - columns.x0):
            return False
    for k in range(j + 1, min(j + 6, len(lines))):
        below = lines[k]
        if below.top - lines[k - 1].bottom > 2.2 * line.size or _anchor(lines, k, is_header, page):
            return False
        if _starts_rows(below, columns, False):
            return True
        if below.x0 < columns.x0 - 2.0 or below.x1 > columns.x1 + 2.0:
            return False
    return False
