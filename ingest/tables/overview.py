"""Overview tables: the achievement of the Ente, of each area and strategic objective
(section 1 and section 3.3), with the weights they print."""

from __future__ import annotations

from ..model import OverviewEntry, WeightSource
from ..numbers import NumberError, is_weight, parse_quantity, parse_weight
from ..readers.blocks import Row, join_wrapped
from .objectives import AreaBuilder, ObjectiveTree, StrategicBuilder
from .patterns import AREA_RE, CODE_HEADING_RE
from .schema import Schema


class OverviewTable:
    def __init__(self, tree: ObjectiveTree):
        self.tree = tree
        self.table: str = "section_1"
        self.entries: list[OverviewEntry] = []
        self.last: AreaBuilder | StrategicBuilder | None = None  # what the last row named
        self.label_column = 0

    def start(self, schema: Schema) -> None:
        self.table = schema.overview_table
        self.last = None

    def _goes_on(self, row: Row) -> bool:
        """A line of the last area's or objective's title wrapped onto a row of its own (a table
        whose rows are cut at each line): text under the title's column and no number anywhere;
        it goes on with the title (of the entry, and of the tree when this table named it)."""
        if self.last is None or not self.entries or self.label_column >= len(row.cells):
            return False
        text = row.cells[self.label_column]
        # besides the title, only what a number's unit may leave on its own line ('%')
        others = [c for i, c in enumerate(row.cells) if c and i != self.label_column and c.strip("%€ ")]
        if not text or others or AREA_RE.match(text) or CODE_HEADING_RE.match(text) or text.lower() == "ente":
            return False
        entry = self.entries[-1]
        title = join_wrapped([entry.title, text])
        if self.last.title == entry.title:
            self.last.title = title
        self.entries[-1] = entry.model_copy(update={"title": title})
        return True

    def row(self, row: Row) -> None:
        cells = [c for c in row.cells if c]
        if self._goes_on(row):
            return
        self.last = None
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
        self.label_column = next(i for i, c in enumerate(row.cells) if c == label)
        table = self.table
        source = WeightSource(weight_pct=weight, source=row.loc) if weight is not None else None
        common = dict(table=table, achievement=achievement, source=row.loc)
        if label.lower() == "ente":
            self.entries.append(OverviewEntry(level="ente", title="Ente", **common))
        elif m := AREA_RE.match(label):
            number, title = int(m["num"]), m["title"].strip()
            self.last = self.tree.area_heading(number, title, row.loc, source, table)
            self.entries.append(OverviewEntry(level="area", code=str(number), title=title, weight_pct=weight, **common))
        elif m := CODE_HEADING_RE.match(label):
            code, title = m["code"], m["title"].strip()
            builder = self.last = self.tree.strategic_objective(code, title, row.loc)
            if source is not None:
                builder.weight_sources.setdefault(table, source)
            self.entries.append(OverviewEntry(level="strategic", code=code, title=title, weight_pct=weight, **common))
