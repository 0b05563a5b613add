"""Economic interventions: the amount per strategic objective (OS x.y) under its area (AS n)."""

from __future__ import annotations

import re

from ..model import Intervention, Quantity
from ..numbers import NumberError, parse_quantity
from ..readers.blocks import Row
from .common import Problems
from .schema import Schema

_AREA_RE = re.compile(r"^AS\s+(\d+)\b")
_OBJECTIVE_RE = re.compile(r"^OS\s+(\d+(?:\.\d+)+)\s+(.*)$")


class InterventionsTable:
    def __init__(self, problems: Problems):
        self.problems = problems
        self.area: int | None = None
        self.items: list[Intervention] = []

    def start(self, schema: Schema) -> None:
        pass

    def row(self, row: Row) -> None:
        cells = [c for c in row.cells if c]
        if not cells:
            return
        label = cells[0]
        amount = None
        if len(cells) > 1:
            try:
                q = parse_quantity(cells[1])
                amount = Quantity(value=q.value, unit="€", raw=q.raw, decimals=q.decimals)
            except NumberError:
                self.problems.add(row.loc, "importo non leggibile negli interventi economici", cells[1])
        if m := _AREA_RE.match(label):
            self.area = int(m.group(1))
            return
        if m := _OBJECTIVE_RE.match(label):
            self.items.append(
                Intervention(area=self.area, code=m.group(1), title=m.group(2), amount=amount, source=row.loc)
            )
            return
        if label.upper().startswith("TOTALE"):
            self.items.append(Intervention(title=label, amount=amount, total=True, source=row.loc))
