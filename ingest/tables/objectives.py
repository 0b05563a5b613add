"""The objective tree as the tables reveal it: areas, strategic and operational objectives.

Performance tables and the overview tables both add to it; each objective keeps the weight
printed for it by each table (`weight_sources`), and `build` turns it into typed `Area`s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..model import Area, Indicator, Loc, OperationalObjective, StrategicObjective, WeightSource
from .common import Problems


@dataclass
class ObjectiveBuilder:
    code: str
    title: str
    source: Loc
    weight_pct: Decimal | None = None
    nested_under: str | None = None
    indicators: list[Indicator] = field(default_factory=list)


@dataclass
class StrategicBuilder:
    code: str
    title: str
    area: int
    source: Loc
    bsc: str | None = None
    weight_sources: dict[str, WeightSource] = field(default_factory=dict)
    indicators: list[Indicator] = field(default_factory=list)
    operational: dict[str, ObjectiveBuilder] = field(default_factory=dict)


@dataclass
class AreaBuilder:
    number: int
    title: str
    source: Loc
    weight_sources: dict[str, WeightSource] = field(default_factory=dict)


@dataclass
class ObjectiveTree:
    problems: Problems
    areas: dict[int, AreaBuilder] = field(default_factory=dict)
    strategic: dict[str, StrategicBuilder] = field(default_factory=dict)
    known_strategic: set[str] = field(default_factory=set)
    area: int | None = None  # the area the rows being read belong to
    current_strategic: StrategicBuilder | None = None
    current_operational: ObjectiveBuilder | None = None

    def area_heading(self, number: int, title: str, loc: Loc, weight: WeightSource | None, key: str) -> AreaBuilder:
        area = self.areas.get(number)
        if area is None:
            area = self.areas[number] = AreaBuilder(number, title.strip(), loc)
        if weight is not None:
            area.weight_sources.setdefault(key, weight)
        self.area = number
        return area

    def strategic_objective(self, code: str, title: str, loc: Loc) -> StrategicBuilder:
        """The builder of a strategic objective, created under the current area when new."""
        builder = self.strategic.get(code)
        if builder is None:
            area = self.area if self.area is not None else int(code.split(".")[0])
            builder = self.strategic[code] = StrategicBuilder(code, title, area, loc)
            self.known_strategic.add(code)
        return builder

    def operational_heading(self, code: str, title: str, weight: Decimal | None, loc: Loc) -> None:
        parent = self._strategic_for(code)
        if parent is None:
            self.problems.add(loc, f"obiettivo operativo {code} fuori da un obiettivo strategico: ignorato", title)
            return
        builder = parent.operational.get(code)
        if builder is None:
            nested = [c for c in parent.operational if code.startswith(c + ".")]
            builder = parent.operational[code] = ObjectiveBuilder(
                code, title, loc, weight, nested_under=max(nested, key=len) if nested else None
            )
        self.current_operational = builder

    def _strategic_for(self, code: str) -> StrategicBuilder | None:
        prefixes = [s for c, s in self.strategic.items() if code.startswith(c + ".")]
        if prefixes:
            return max(prefixes, key=lambda s: len(s.code))
        return self.current_strategic

    def build(self) -> tuple[Area, ...]:
        areas: list[Area] = []
        for number in sorted(self.areas):
            ab = self.areas[number]
            strategics = [s for s in self.strategic.values() if s.area == number]
            areas.append(
                Area(
                    number=number,
                    title=ab.title,
                    weight_pct=first_weight(ab.weight_sources),
                    weight_sources=ab.weight_sources,
                    source=ab.source,
                    strategic_objectives=tuple(_build_strategic(s) for s in strategics),
                )
            )
        for s in self.strategic.values():
            if s.area not in self.areas:
                areas.append(
                    Area(number=s.area, title=f"Area {s.area}", source=s.source, strategic_objectives=(_build_strategic(s),))
                )
        return tuple(sorted(areas, key=lambda a: a.number))


_WEIGHT_PRIORITY = ("section_3_1", "piano_3_1", "section_3_2", "piano_3_2", "section_1", "section_3_3")


def first_weight(sources: dict[str, WeightSource]) -> Decimal | None:
    for key in _WEIGHT_PRIORITY:
        if key in sources:
            return sources[key].weight_pct
    return next((w.weight_pct for w in sources.values()), None)


def _build_strategic(s: StrategicBuilder) -> StrategicObjective:
    return StrategicObjective(
        code=s.code,
        title=s.title,
        bsc_perspective=s.bsc,
        weight_pct=first_weight(s.weight_sources),
        weight_sources=s.weight_sources,
        source=s.source,
        indicators=tuple(s.indicators),
        operational_objectives=tuple(
            OperationalObjective(
                code=o.code, title=o.title, weight_pct=o.weight_pct, nested_under=o.nested_under,
                source=o.source, indicators=tuple(o.indicators),
            )
            for o in s.operational.values()
        ),
    )
