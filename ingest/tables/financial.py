"""The financial summary: one line per item, one amount per year of the header."""

from __future__ import annotations

import re

from ..model import FinancialLine, FinancialTable, Loc, Quantity
from ..numbers import NumberError, parse_quantity
from ..readers.blocks import Row
from .common import Problems
from .schema import Schema

_TOTAL_RE = re.compile(r"(?i)(totale|risultato|disavanzo|avanzo)")


class FinancialTableReader:
    def __init__(self, problems: Problems):
        self.problems = problems
        self.years: tuple[int, ...] = ()
        self.source: Loc | None = None
        self.lines: list[FinancialLine] = []

    def start(self, schema: Schema, loc: Loc) -> None:
        self.years = schema.fin_years
        self.source = loc

    def row(self, row: Row) -> None:
        label = row.cells[0] if row.cells else ""
        if not label:
            return
        values: dict[int, Quantity | None] = {}
        for year, cell in zip(self.years, row.cells[1:]):
            if not cell:
                values[year] = None
                continue
            try:
                values[year] = parse_quantity(cell)
            except NumberError:
                self.problems.add(row.loc, f"importo {year} non leggibile", cell)
                values[year] = None
        if not any(v is not None for v in values.values()):
            return  # a group label such as 'A) PROVENTI CORRENTI'
        total = bool(_TOTAL_RE.match(label)) or row.bold
        self.lines.append(FinancialLine(label=label, values=values, total=total, source=row.loc))

    def result(self) -> FinancialTable | None:
        if not self.lines or self.source is None:
            return None
        return FinancialTable(
            title="Sintesi dei principali dati di bilancio", years=self.years, lines=tuple(self.lines), source=self.source
        )
