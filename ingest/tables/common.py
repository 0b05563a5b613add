"""What every table reader shares: the row-level problems it reports, and joined rows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Finding, FindingKind, Loc, Severity
from ..numbers import is_weight
from ..readers.blocks import Row


@dataclass
class Problems:
    """Rows that could not be read, kept as findings with their place (never dropped silently)."""

    items: list[Finding] = field(default_factory=list)

    def add(self, loc: Loc, message: str, printed: str | None) -> None:
        self.items.append(
            Finding(kind=FindingKind.row_not_parsed, severity=Severity.warning, message=message, source=loc, printed=printed)
        )


_WEIGHT_TAIL_RE = re.compile(r"^[\d,.]*\s*%?$")


@dataclass
class LogicalRow:
    """A table row after wrapped continuations were joined into it."""

    cells: list[str]
    loc: Loc

    def nonempty(self) -> list[str]:
        return [c for c in self.cells if c]

    def extend(self, row: Row) -> None:
        cells = list(row.cells)
        first = next((i for i, c in enumerate(cells) if c), 0)
        if first < len(self.cells) and is_weight(self.cells[first]) and not _WEIGHT_TAIL_RE.match(cells[first]):
            # a wrapped tail never goes on with a weight: the renderer printed the tail one
            # column to the left (it dropped an empty cell), so it goes on with the next cells
            cells.insert(first, "")
            row = Row(tuple(cells), row.loc, row.bold)
        width = max(len(self.cells), len(row.cells))
        self.cells += [""] * (width - len(self.cells))
        for i, cell in enumerate(row.cells):
            if cell:
                self.cells[i] = f"{self.cells[i]} {cell}".strip() if self.cells[i] else cell
        more = self.loc.more_lines + ((row.loc.line,) if row.loc.line is not None else ())
        rows = self.loc.more_rows + ((row.loc.row,) if row.loc.row is not None and row.loc.table == self.loc.table else ())
        self.loc = self.loc.model_copy(update={"more_lines": more, "more_rows": rows})
