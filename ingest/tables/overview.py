"""Overview tables: the achievement of the Ente, of each area and strategic objective
(section 1 and section 3.3), with the weights they print."""

from __future__ import annotations

from ..model import OverviewEntry, WeightSource
from ..numbers import NumberError, is_weight, parse_quantity, parse_weight
from ..readers.blocks import Row
from .objectives import ObjectiveTree
from .patterns import AREA_RE, CODE_HEADING_RE
from .schema import Schema


class OverviewTable:
    def __init__(self, tree: ObjectiveTree):
        self.tree = tree
        self.table: str = "section_1"
        self.entries: list[OverviewEntry] = []

    def start(self, schema: Schema) -> None:
        self.table = schema.overview_table

    def row(self, row: Row) -> None:
        cells = [c for c in row.cells if c]
        if len(cells) < 2:
            return
        achievement = None
        try:
            achievement = parse_quantity(cells[-1])
            cells = cells[:-1]
        except NumberError:
            pass
        weight = None
        if len(cells) >= 2 and is_weight(cells[0]):
            weight = parse_weight(cells[0])
            cells = cells[1:]
        label = cells[0]
        table = self.table
        source = WeightSource(weight_pct=weight, source=row.loc) if weight is not None else None
        common = dict(table=table, achievement=achievement, source=row.loc)
        if label.lower() == "ente":
            self.entries.append(OverviewEntry(level="ente", title="Ente", **common))
        elif m := AREA_RE.match(label):
            number, title = int(m["num"]), m["title"].strip()
            self.tree.area_heading(number, title, row.loc, source, table)
            self.entries.append(OverviewEntry(level="area", code=str(number), title=title, weight_pct=weight, **common))
        elif m := CODE_HEADING_RE.match(label):
            code, title = m["code"], m["title"].strip()
            builder = self.tree.strategic_objective(code, title, row.loc)
            if source is not None:
                builder.weight_sources.setdefault(table, source)
            self.entries.append(OverviewEntry(level="strategic", code=code, title=title, weight_pct=weight, **common))
