"""Resources table: preventivo, consuntivo and their ratio per line, under its category."""

from __future__ import annotations

from ..model import Quantity, ResourceLine
from ..numbers import NumberError, parse_quantity
from ..readers.blocks import Row
from .schema import Schema


class ResourcesTable:
    def __init__(self) -> None:
        self.category = ""
        self.lines: list[ResourceLine] = []

    def start(self, schema: Schema) -> None:
        pass

    def row(self, row: Row) -> None:
        values: list[Quantity] = []
        texts: list[str] = []
        for cell in row.cells:
            if not cell:
                continue
            try:
                values.append(parse_quantity(cell))
            except NumberError:
                texts.append(cell)
        if not texts or not values:
            return
        if len(texts) >= 2:
            self.category = texts[0]
        padded = values + [None] * (3 - len(values))  # type: ignore[list-item]
        self.lines.append(
            ResourceLine(
                category=self.category, label=texts[-1],
                preventivo=padded[0], consuntivo=padded[1], ratio=padded[2], source=row.loc,
            )
        )
