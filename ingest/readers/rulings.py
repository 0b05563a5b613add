"""The ruling lines of a scanned page, found in its image.

A scan's table borders are pixels, not the vector lines pdfplumber reads from a digital PDF.
`find_rulings` finds them in the (deskewed) page image: long horizontal and vertical runs of
dark pixels, joined across the few pixels of a line's thickness or of a slight residual tilt,
and across small gaps (a broken stroke, noise). The OCR step then does two things with them:
Tesseract gets the image without the lines (a border touching a letter is read as '|' or 'l'),
and the OCR'd page gets them back as thin vector strokes (`pdf_strokes`), so that the PDF
reader finds the same cells as in a digital PDF. Letters are never long enough to pass for a
line: a horizontal ruling is at least a third of an inch, a vertical one a fifth.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import ndimage

MIN_H_INCH = 0.35  # shortest horizontal ruling
MIN_V_INCH = 0.20  # shortest vertical ruling (a one-line cell's side)
MAX_THICK_INCH = 0.04  # thicker than this is a filled area (a shaded cell, a photo), not a line
GAP_INCH = 0.04  # a stroke broken by less than this is one line


@dataclass(frozen=True)
class Ruling:
    """A line in image pixels: `pos` across it (y of a horizontal one), `start`..`end` along it."""

    axis: Literal["h", "v"]
    pos: float
    start: int
    end: int


def otsu_threshold(grey: np.ndarray) -> int:
    """The grey level that best splits ink from paper (Otsu)."""
    hist = np.bincount(grey.ravel(), minlength=256).astype(np.float64)
    levels = np.arange(256)
    w0 = np.cumsum(hist)
    s0 = np.cumsum(levels * hist)
    total, total_sum = w0[-1], s0[-1]
    w1 = total - w0
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (s0 * total - total_sum * w0) ** 2 / (w0 * w1)
    between = np.nan_to_num(between[:-1], nan=-1.0)
    if between.max() <= 0:  # one grey level only (a blank page): nothing is ink
        return 0
    return int(np.argmax(between))


def _long_runs(dark: np.ndarray, length: int) -> np.ndarray:
    """The dark pixels that belong to a horizontal run of at least `length` pixels."""
    h, w = dark.shape
    padded = np.zeros((h, w + 2), np.int8)
    padded[:, 1:-1] = dark
    edges = np.diff(padded, axis=1).ravel()
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    keep = (ends - starts) >= length
    out = np.zeros((h, w), bool)
    for s, e in zip(starts[keep], ends[keep]):
        row, col = divmod(int(s), w + 1)
        out[row, col : col + int(e - s)] = True
    return out


def _lines(dark: np.ndarray, axis: Literal["h", "v"], dpi: float) -> list[Ruling]:
    """Rulings along one axis (the image is transposed for vertical ones)."""
    min_len = int(dpi * (MIN_H_INCH if axis == "h" else MIN_V_INCH))
    gap, thick = max(1, int(dpi * GAP_INCH)), max(2, int(dpi * MAX_THICK_INCH))
    runs = _long_runs(dark if axis == "h" else dark.T, min_len)
    # one object per stroke: small gaps along a row closed (a 1-D max then min filter: a third
    # of the time of a 2-D binary closing, the same lines), then the rows of a thick or slightly
    # tilted line joined by 8-connectivity
    joined = runs.copy()
    rows = np.flatnonzero(runs.any(axis=1))  # a row with no run stays empty: filter the others only
    along = np.ascontiguousarray(runs[rows]).view(np.uint8)
    joined[rows] |= ndimage.minimum_filter1d(ndimage.maximum_filter1d(along, gap, axis=1), gap, axis=1).view(bool)
    labels, _ = ndimage.label(joined, structure=np.ones((3, 3), bool))
    out = []
    for index, box in enumerate(ndimage.find_objects(labels), start=1):
        rows, cols = box
        if cols.stop - cols.start < min_len:
            continue
        mask = labels[box] == index
        per_col = mask.sum(axis=0)
        # a tilted line spans a few more rows than it is thick; a filled area spans many in every column
        if np.median(per_col[per_col > 0]) > thick:
            continue
        ys, _ = np.nonzero(mask)
        out.append(Ruling(axis, float(rows.start + ys.mean()), int(cols.start), int(cols.stop - 1)))
    return out


def find_rulings(grey: np.ndarray, dpi: float) -> list[Ruling]:
    """Horizontal and vertical rulings of a greyscale page image (uint8, paper light).

    A vertical ruling must meet a horizontal one (a table's sides join its rules): the stem
    of a large heading letter is as tall as a one-line cell's side, but stands alone.
    """
    dark = grey < min(otsu_threshold(grey), 200)
    horizontal = _lines(dark, "h", dpi)
    reach = max(2, int(dpi * GAP_INCH))
    vertical = [v for v in _lines(dark, "v", dpi) if any(_meets(v, h, reach) for h in horizontal)]
    return horizontal + vertical


def _meets(v: Ruling, h: Ruling, reach: int) -> bool:
    """The vertical ruling `v` touches or crosses the horizontal `h` (within `reach` pixels)."""
    across = h.start - reach <= v.pos <= h.end + reach
    along = v.start - reach <= h.pos <= v.end + reach
    return across and along


def erase(grey: np.ndarray, rulings: list[Ruling], dpi: float) -> np.ndarray:
    """The image with the rulings painted white.

    Along each line, piece by piece (a slightly tilted line moves across pixel rows), the
    stroke is the rows that are dark over nearly all the piece, plus the adjacent rows dark
    over most of it (the stroke's blurred edge). The top of a capital letter touching the
    rule is dark over part of the piece only, and stays: 'TOTALE' must not become 'IVIALE'.
    The row on each side of the stroke (its blurred edge) is whitened too, but not where the
    row beyond is ink: there a letter touches the rule.
    """
    out = grey.copy()
    dark = grey < min(otsu_threshold(grey), 200)
    half = max(2, int(dpi * MAX_THICK_INCH))
    piece = max(8, int(dpi * 0.5))
    for r in rulings:
        # a vertical line is a horizontal one of the transposed image
        view_out, view_dark = (out, dark) if r.axis == "h" else (out.T, dark.T)
        lo, hi = max(int(r.pos) - half, 0), min(int(r.pos) + half + 1, view_dark.shape[0])
        for a in range(r.start, r.end + 1, piece):
            b = min(a + piece, r.end + 1)
            share = view_dark[lo:hi, a:b].mean(axis=1)
            core = np.flatnonzero(share > 0.85)
            if not core.size:
                continue
            top, bottom = core.min(), core.max()
            while top > 0 and share[top - 1] > 0.5:
                top -= 1
            while bottom + 1 < share.size and share[bottom + 1] > 0.5:
                bottom += 1
            first, last = lo + top, lo + bottom
            view_out[first : last + 1, a:b] = 255
            # the stroke's soft edge, one row each side, except under a letter that goes on
            for edge, beyond in ((first - 1, first - 2), (last + 1, last + 2)):
                if 0 <= beyond < view_dark.shape[0] and 0 <= edge < view_dark.shape[0]:
                    free = ~view_dark[beyond, a:b]
                    view_out[edge, a:b][free] = 255
    return out


def pdf_strokes(rulings: list[Ruling], scale_x: float, scale_y: float, height: float) -> bytes:
    """PDF drawing operators for the rulings (image pixels -> points; PDF y grows upwards)."""
    ops = ["q 0 G 0.5 w"]
    for r in rulings:
        if r.axis == "h":
            y = height - r.pos * scale_y
            ops.append(f"{r.start * scale_x:.2f} {y:.2f} m {r.end * scale_x:.2f} {y:.2f} l S")
        else:
            x = r.pos * scale_x
            ops.append(f"{x:.2f} {height - r.start * scale_y:.2f} m {x:.2f} {height - r.end * scale_y:.2f} l S")
    ops.append("Q")
    return "\n".join(ops).encode("ascii")


def zones(rulings: list[Ruling], size: tuple[int, int], dpi: float) -> list[tuple[int, int, int, int]]:
    """The page cut along its rulings into rectangles (left, top, width, height in pixels)
    that cover it without overlapping: each cell the rulings enclose, and the rest of the page
    around and between the tables.

    Tesseract reads each zone as a block of its own, so that a text line never runs from one
    cell into the next: read whole, a page of table cells set at slightly different heights
    gets lines made of pieces of neighbouring cells, placed at a height none of them has, and
    misread. Rows of the grid with the same free runs make one rectangle.
    """
    width, height = size
    scale = 2  # a grid of 2x2 pixels: cells are wide, and the runs are found 4x faster
    w, h = (width + scale - 1) // scale, (height + scale - 1) // scale
    walls = np.zeros((h, w), bool)
    for r in _snapped(rulings, max(2, int(dpi * GAP_INCH))):
        at = min(int(r.pos) // scale, (h if r.axis == "h" else w) - 1)
        lo, hi = max(r.start // scale, 0), r.end // scale + 1
        if r.axis == "h":
            walls[at, lo:hi] = True
        else:
            walls[lo:hi, at] = True
    open_: dict[tuple[int, int], int] = {}  # a free run (start, end) of the rows above -> its first row
    out: list[tuple[int, int, int, int]] = []
    padded = np.ones((h + 1, w + 2), np.int8)
    padded[:h, 1:-1] = walls
    for y in range(h + 1):
        edges = np.diff(padded[y])  # -1: a free run starts, +1: it ends
        runs = set(zip(np.flatnonzero(edges == -1).tolist(), np.flatnonzero(edges == 1).tolist()))
        for run in [r for r in open_ if r not in runs]:
            top = open_.pop(run)
            out.append((run[0] * scale, top * scale, (run[1] - run[0]) * scale, (y - top) * scale))
        for run in runs - open_.keys():
            open_[run] = y
    least = max(4, int(dpi * MAX_THICK_INCH))  # thinner than a rule's thickness: no text fits
    return [
        (x, y, min(zw, width - x), min(zh, height - y))
        for x, y, zw, zh in out
        if min(zw, width - x) >= least and min(zh, height - y) >= least
    ]


def _snapped(rulings: list[Ruling], reach: int) -> list[Ruling]:
    """The rulings with each end that stops short of, or runs just past, a ruling across it
    (within `reach` pixels) set on that ruling: a cell's side then closes the cell, and a
    merged cell's edge does not jog by a pixel where a rule meets it (a jog would cut it in two)."""
    out = []
    for r in rulings:
        across = [c.pos for c in rulings if c.axis != r.axis and c.start - reach <= r.pos <= c.end + reach]
        start = min(across, key=lambda p: abs(p - r.start), default=r.start)
        end = min(across, key=lambda p: abs(p - r.end), default=r.end)
        out.append(Ruling(r.axis, r.pos,
                          int(round(start)) if abs(start - r.start) <= reach else r.start,
                          int(round(end)) if abs(end - r.end) <= reach else r.end))
    return out
