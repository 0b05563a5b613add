"""A year scored from a Piano (targets by year) plus a file of actual values (consuntivi)."""

from __future__ import annotations

from .model import Area, Indicator, OperationalObjective, Report, StrategicObjective
from .textnorm import fold


def year_report(plan: Report, actuals: Report) -> Report:
    """The plan's objective tree for `actuals.year`: that year's targets, the file's actual values.

    Only indicators with a target for the year are kept (a Piano sets operational targets
    for its first year only). Each indicator points at both files: the actual value at its
    CSV/XLSX row, the target at the Piano's row.
    """
    year = actuals.year
    values = {(a.objective, fold(a.indicator)): a for a in actuals.actuals if a.year == year}

    def indicator(ind: Indicator) -> Indicator | None:
        target = ind.targets_by_year.get(year)
        if target is None:
            return None
        code = ind.operational_objective or ind.strategic_objective
        actual = values.get((code, fold(ind.name)))
        return ind.model_copy(
            update={
                "target": target,
                "actual": actual.value if actual else None,
                "actual_source": actual.source if actual else None,
                "actual_file": actuals.source_file if actual else None,
                "target_source": ind.source,
                "target_file": plan.source_file,
            }
        )

    def keep(items) -> tuple[Indicator, ...]:
        return tuple(i for i in (indicator(x) for x in items) if i is not None)

    def operational(o: OperationalObjective) -> OperationalObjective:
        return o.model_copy(update={"indicators": keep(o.indicators)})

    def strategic(s: StrategicObjective) -> StrategicObjective:
        return s.model_copy(
            update={
                "indicators": keep(s.indicators),
                "operational_objectives": tuple(operational(o) for o in s.operational_objectives),
            }
        )

    def area(a: Area) -> Area:
        return a.model_copy(update={"strategic_objectives": tuple(strategic(s) for s in a.strategic_objectives)})

    return Report(
        ente=plan.ente,
        year=year,
        kind="consuntivi",
        title=f"Performance {year}: {plan.title} e consuntivi {year}",
        source_file=actuals.source_file,
        sha256=actuals.sha256,
        source_format=actuals.source_format,
        synthetic=plan.synthetic or actuals.synthetic,
        areas=tuple(area(a) for a in plan.areas),
        tables=plan.tables,
        problems=actuals.problems,
    )
