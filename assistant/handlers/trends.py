"""Indicators across two years ('quali indicatori sono peggiorati dal 2019 al 2020?'): each
indicator of the scope present in both years (same key, else same objective and name), its
achievement then and now and the change in percentage points; only those that fell (or rose)
when the question asks so, the largest change first."""

from __future__ import annotations

from ingest.model import Indicator

from .. import fact_ids as ids
from ..workspace import YearView
from .base import Composed, Context, Table, chart_of, in_scope

_SHOWN = 15


def compare_indicators(ctx: Context, before: int, other: YearView) -> Composed:
    view, book, w, plan = ctx.view, ctx.book, ctx.w, ctx.plan
    changes = []
    for ind, old_ind in _pairs(ctx, other):
        now = book.get(ids.indicator(ind.key, "achievement"))
        old = book.get(ids.indicator(old_ind.key, "achievement").of_year(before))
        if now is None or old is None:
            continue
        diff = book.difference(now, old, f"Variazione del raggiungimento di «{ind.name}» dal {before} al {view.year}")
        changes.append((diff.value, ind, old, now, diff))
    if not changes:
        return Composed(intent="achievement", body=f"Nessun indicatore ha un grado di raggiungimento sia nel {before} sia nel {view.year}.")
    scope = "".join(":" + r.key() for r in plan.refs_of("area", "strategic", "operational"))
    total = book.count(ids.count(f"compared{scope}", view.year), len(changes), f"Indicatori con un raggiungimento nel {before} e nel {view.year}")
    down = book.count(ids.count(f"fell{scope}", view.year), sum(1 for c in changes if c[0] < 0),
                      f"Indicatori il cui raggiungimento scende dal {before} al {view.year}")
    up = book.count(ids.count(f"rose{scope}", view.year), sum(1 for c in changes if c[0] > 0),
                    f"Indicatori il cui raggiungimento sale dal {before} al {view.year}")
    opening = (f"Dal {before} al {view.year} il grado di raggiungimento scende per {w.n(down)} indicatori su {w.n(total)} "
               f"e sale per {w.n(up)}")
    chosen = [c for c in changes if (plan.trend != "down" or c[0] < 0) and (plan.trend != "up" or c[0] > 0)]
    chosen.sort(key=lambda c: c[0], reverse=plan.trend == "up")
    if plan.trend is not None and chosen:
        opening += "; " + ("quelli in calo" if plan.trend == "down" else "quelli in crescita") + ", dal cambiamento maggiore:"
    elif chosen:
        opening += "; dal calo maggiore:"
    if plan.trend is not None and not chosen:
        opening += "; nessuno " + ("peggiora" if plan.trend == "down" else "migliora")
    lines = [opening + ("" if chosen else "."), ""]
    for _, ind, old, now, diff in chosen[:_SHOWN]:
        lines.append(f"- {ind.operational_objective or ind.strategic_objective} {w.name(ind.name)}: da {w.n(old)} a {w.n(now)} "
                     f"({w.n(diff, signed=True)}).")
    if len(chosen) > _SHOWN:
        lines.append("- … gli altri nella tabella.")
    rows = [[ind.operational_objective or ind.strategic_objective, w.label(ind.name), w.n(old), w.n(now), w.n(diff, signed=True)]
            for _, ind, old, now, diff in chosen]
    table = Table(columns=["Obiettivo", "Indicatore", str(before), str(view.year), "Variazione"], rows=rows)
    chart = chart_of(f"Grado di raggiungimento: {before} e {view.year}",
                     [(f"{ind.operational_objective or ind.strategic_objective} {ind.name}"[:48], str(y), f)
                      for _, ind, old, now, _ in chosen[:_SHOWN] for y, f in ((before, old), (view.year, now))])
    return Composed(intent="achievement", body="\n".join(lines), table=table if rows else None, chart=chart)


def _pairs(ctx: Context, other: YearView) -> list[tuple[Indicator, Indicator]]:
    """The scope's indicators of this year with the same indicator of the other year."""
    by_key = {i.key: i for i in other.report.indicators()}
    by_name = {(i.operational_objective or i.strategic_objective, i.name): i for i in other.report.indicators()}
    out = []
    for ind in ctx.view.report.indicators():
        if not in_scope(ind, ctx.plan):
            continue
        same = by_key.get(ind.key)
        if same is None or same.name != ind.name:
            same = by_name.get((ind.operational_objective or ind.strategic_objective, ind.name))
        if same is not None:
            out.append((ind, same))
    return out
