"""Tables of the most significant indicators: a label and its value, under the table's group."""

from __future__ import annotations

from ..model import KeyIndicator
from ..numbers import NumberError, parse_quantity
from ..readers.blocks import Row
from .common import Problems
from .schema import Schema


class KeyIndicatorsTable:
    def __init__(self, problems: Problems):
        self.problems = problems
        self.group = ""
        self.items: list[KeyIndicator] = []

    def start(self, schema: Schema) -> None:
        self.group = schema.group

    def row(self, row: Row) -> None:
        cells = [c for c in row.cells if c]
        if len(cells) != 2:
            return
        try:
            value = parse_quantity(cells[1])
        except NumberError:
            self.problems.add(row.loc, "valore non leggibile negli indicatori più significativi", " | ".join(cells))
            return
        self.items.append(KeyIndicator(group=self.group, label=cells[0], value=value, source=row.loc))
