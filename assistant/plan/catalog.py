"""The store's own names, for the plan parser: Enti, areas, objectives, indicators and the
lines of the financial and resource tables, each with its code.

Built from the reports of one Ente (every year in the store), or from the corpus files for a
test that needs no store. Plain data: the parser reads it, never the store.
"""

from __future__ import annotations

import re
from typing import Iterable

from pydantic import BaseModel, ConfigDict

from ingest.model import Report

from .model import RefKind


class Name(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: RefKind
    code: str  # area number, objective code, indicator key, table line
    name: str  # what the document prints
    parent: str = ""  # the objective an indicator or operational objective belongs to
    alias: str = ""  # a code the document prints beside the name (an indicator's KPI code, 'EC27')


class Catalog(BaseModel):
    model_config = ConfigDict(frozen=True)

    enti: tuple[str, ...] = ()
    names: tuple[Name, ...] = ()
    years: tuple[int, ...] = ()  # years with data (a Relazione or actuals)

    def by_code(self, kind: str, code: str) -> Name | None:
        return next((n for n in self.names if n.kind == kind and n.code == code), None)

    def by_alias(self, alias: str) -> list[Name]:
        """The names printed with this code ('ec27' -> the indicator with KPI code EC27)."""
        folded = alias.lower()
        return [n for n in self.names if n.alias and n.alias.lower() == folded]

    def objective(self, code: str) -> Name | None:
        return self.by_code("strategic", code) or self.by_code("operational", code)

    @classmethod
    def from_reports(cls, reports: Iterable[Report], enti: Iterable[str] = (), years: Iterable[int] = ()) -> "Catalog":
        """The union of the names of `reports` (the latest report wins a code's name)."""
        names: dict[tuple[str, str], Name] = {}
        for report in reports:
            for name in _names(report):
                names[(name.kind, name.code)] = name
        return cls(enti=tuple(sorted(set(enti))), names=tuple(names.values()), years=tuple(sorted(set(years))))


def _names(report: Report) -> Iterable[Name]:
    for area in report.areas:
        yield Name(kind="area", code=str(area.number), name=area.title)
        for s in area.strategic_objectives:
            yield Name(kind="strategic", code=s.code, name=s.title, parent=str(area.number))
            for o in s.operational_objectives:
                yield Name(kind="operational", code=o.code, name=o.title, parent=s.code)
    for ind in report.indicators():
        yield Name(kind="indicator", code=ind.key, name=ind.name, parent=ind.operational_objective or ind.strategic_objective or "",
                   alias=ind.kpi_code or "")
    if report.financial is not None:
        for line in report.financial.lines:
            yield Name(kind="financial", code=line.label, name=line.label)
    for r in report.resources:
        yield Name(kind="resource", code=r.label, name=r.label)


def city(ente: str) -> str:
    """'Camera di commercio di Ravenna' -> 'Ravenna'; 'CCIAA di Forlì-Cesena' -> 'Forlì-Cesena'."""
    m = re.search(r"\b(?:di|della|del|dell')\s+(.+)$", ente, re.IGNORECASE)
    tail = m.group(1) if m else ente
    while (m := re.match(r"(?:commercio|industria|artigianato|agricoltura)[,\s]+(?:e\s+)?(?:di\s+|della\s+|del\s+)?(.+)$", tail, re.I)):
        tail = m.group(1)
    return tail.strip()
