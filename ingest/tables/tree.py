"""The performance tree table: each strategic objective's missione, programma, BSC
perspective and COFOG classification."""

from __future__ import annotations

import re

from ..model import TreeEntry
from ..readers.blocks import Row
from .patterns import AREA_RE, CODE_HEADING_RE
from .schema import Schema

_MISSIONE_RE = re.compile(r"^\d{3}-")
_PROGRAMMA_RE = re.compile(r"^\d{1,2}$")
_BSC_RE = re.compile(r"^(BSC.*?)(?:\s+(\d{1,2}))?$")


class TreeTable:
    def __init__(self) -> None:
        self.area: int | None = None
        self.entries: list[TreeEntry] = []

    def start(self, schema: Schema) -> None:
        pass

    def row(self, row: Row) -> None:
        code = title = None
        missione = programma = prospettiva = None
        rest: list[str] = []
        for cell in (c for c in row.cells if c):
            if m := AREA_RE.match(cell):
                self.area = int(m["num"])
            elif (m := CODE_HEADING_RE.match(cell)) and code is None:
                code, title = m["code"], m["title"]
            elif _MISSIONE_RE.match(cell):
                missione = cell
            elif _PROGRAMMA_RE.match(cell):
                programma = cell
            elif cell.startswith("BSC"):
                m2 = _BSC_RE.match(cell)
                prospettiva = m2.group(1) if m2 else cell
                if m2 and m2.group(2) and programma is None:
                    programma = m2.group(2)
            else:
                rest.append(cell)
        if code is None:
            if self.entries and rest:  # a COFOG description wrapped onto its own row
                last = self.entries[-1]
                self.entries[-1] = last.model_copy(update={"cofog": f"{last.cofog or ''} {' '.join(rest)}".strip()})
            return
        self.entries.append(
            TreeEntry(
                area=self.area, strategic_objective=code, title=title or "", missione=missione,
                programma=programma, prospettiva=prospettiva, cofog=" ".join(rest) or None, source=row.loc,
            )
        )
