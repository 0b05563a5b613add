"""What a table's cells look like: area and objective headings, weights, KPI codes, units."""

from __future__ import annotations

import re
from decimal import Decimal

from ..numbers import is_weight, parse_weight
from ..readers.blocks import Row, Text

AREA_RE = re.compile(r"^Area\s+(?P<num>\d+)\s*[–—-]\s*(?P<title>.+)$", re.IGNORECASE)
CODE_HEADING_RE = re.compile(r"^(?P<code>\d+(?:\.\d+){1,6})\.?\s+(?P<title>[^\d\s].*)$")
BSC_RE = re.compile(r"\s*\(Prospettiva BSC:\s*(?P<bsc>[^)]*)\)\s*$")
KPI_RE = re.compile(r"^[A-Z]{2,4}\d{1,3}(?:\.\d{1,3})?$")
LONE_UNIT_RE = re.compile(r"^(?:%|N\.|€)$")
YEAR_TARGET_RE = re.compile(r"TARGET\s+(\d{4})")
FIN_YEAR_RE = re.compile(r"(\d{4})\s*$")
TRAILING_WEIGHT_RE = re.compile(r"^(?P<head>.*?)\s+(?P<weight>\d{1,3},\d*\s*%|\d{1,3}\s*%)$")
_SECTION_HEADING_RE = re.compile(r"^(?P<num>\d+(?:\.\d+)*)\s*(?:\.|-|–)\s+\S")


def trailing_weight(cells: list[str]) -> Decimal | None:
    """The last cell that is a weight ('25,0%'), if any."""
    for cell in reversed(cells):
        if is_weight(cell):
            return parse_weight(cell)
    return None


def starts_row(cell: str) -> bool:
    """A cell that begins a row of a performance table: a weight, an objective code or an area."""
    return bool(is_weight(cell) or AREA_RE.match(cell) or CODE_HEADING_RE.match(cell))


def is_continuation(row: Row) -> bool:
    """A wrapped row's tail: its first non-empty cell starts nothing (no weight, code or area),
    and it is not a row whose first cells place it (a group label or merged objective cells
    before its weight)."""
    cells = [c for c in row.cells if c]
    if not cells or starts_row(cells[0]):
        return False
    return not any(is_weight(c) for c in cells[1:4]) or len(cells) < 5


def looks_like_indicator(row: Row) -> bool:
    cells = [c for c in row.cells if c]
    return len(cells) >= 5 and is_weight(cells[0]) and any(c.startswith((">=", "<=")) for c in cells)


def text_as_row(block: Text) -> Row | None:
    """'3.1.1 Iniziative di semplificazione amministrativa 25,0%' printed as a bold paragraph."""
    text = block.text
    head, weight = text, ""
    if m := TRAILING_WEIGHT_RE.match(text):
        head, weight = m["head"], m["weight"]
    if AREA_RE.match(head) or CODE_HEADING_RE.match(head):
        return Row((head, weight) if weight else (head,), block.loc, bold=True)
    return None


def section_number_of(block: Text) -> str | None:
    """The number of a numbered section heading ('3.1 - Rendicontazione...' -> '3.1')."""
    if block.kind not in ("heading", "bold"):
        return None
    m = _SECTION_HEADING_RE.match(block.text)
    if not m:
        return None
    if block.kind == "bold" and (TRAILING_WEIGHT_RE.match(block.text) or "Prospettiva BSC" in block.text):
        return None
    return m["num"]
