"""The items that meet a condition or a threshold: indicators (or objectives, or areas) that
reached their target, went beyond it, lack an actual or a target, or whose achievement (or
weight) lies within the bounds the question sets ('tra 80 e 100', 'peso superiore al 30%').
The answer counts them against every item of the scope, lists them, and ranks them when asked
('quali hanno superato il target di più?': by the margin over the target)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ingest.model import Indicator
from ingest.scoring import NodeScore

from .. import fact_ids as ids
from ..facts import Fact
from ..plan.model import Bound, QuestionPlan
from .base import Composed, Context, Table, basis_note, chart_of, in_scope, scope_key, scope_words
from .registry import handler, when

_SHOWN = 15  # items written as lines; the table holds them all

# what the items are called, by subject and level: (plural, 'of which')
_KIND = {"indicator": "indicatori", "strategic": "obiettivi strategici", "operational": "obiettivi operativi", "area": "aree"}
_SAID = {
    "met": "hanno raggiunto il target",
    "above_target": "hanno superato il target",
    "missing": "non hanno un consuntivo o un target",
    "below_target": "sono sotto target",
}
_SAID_NODE = {"met": "sono valutati come raggiunti", "below_target": "non sono pienamente raggiunti",
              "missing": "non hanno un grado di raggiungimento"}


@dataclass
class _Item:
    code: str  # the objective's code (an indicator's objective)
    name: str  # the documents' own name (title or indicator name)
    achievement: Decimal | None  # percent
    weight: Decimal | None  # percent
    fid: ids.FactId | None  # the achievement's fact
    weight_fid: ids.FactId | None
    indicator: Indicator | None = None
    node: NodeScore | None = None
    missing: str | None = None
    met: bool | None = None


@handler("selection", when(conditions={"met", "above_target", "missing"}, without_ref_kinds={"indicator"}),
         when(bounded=True, without_ref_kinds={"indicator"}))
def answer_selection(ctx: Context) -> Composed:
    plan, view, book, w = ctx.plan, ctx.view, ctx.book, ctx.w
    level = _level(plan)
    items = _indicators(ctx) if level == "indicator" else _nodes(ctx, level)
    chosen = [i for i in items if _holds(i, plan)]
    where = scope_words(plan)
    what = _what(ctx, level)
    count = book.count(ids.count(f"selection:{level}:{_key(plan)}", view.year), len(chosen),
                       f"{_KIND[level].capitalize()} che {what} nel {view.year}{where}")
    total = book.count(ids.count(f"selection:{level}:all{scope_key(plan)}", view.year), len(items),
                       f"{_KIND[level].capitalize()} nel {view.year}{where}")
    share = book.share(count, total, f"Quota di {_KIND[level]} che {what} nel {view.year}{where}")
    opening = (f"Nel {view.year}{where}{basis_note(view)} {w.n(count)} {_KIND[level]} su {w.n(total)}"
               + (f" ({w.n(share)})" if share is not None else "") + f" {what}")
    if not chosen:
        return Composed(intent="selection", body=opening + ".")
    if plan.condition == "above_target":
        chosen = _by_margin(ctx, chosen)
    elif plan.act == "rank" and plan.bound is None:
        chosen.sort(key=lambda i: i.achievement or Decimal(0), reverse=plan.rank != "worst")
    lines = [opening + ":", ""] + [_line(ctx, i) for i in chosen[:_SHOWN]]
    if len(chosen) > _SHOWN:
        lines.append("- … gli altri nella tabella.")
    weights = plan.bound is not None and plan.bound.measure == "weight"
    chart = chart_of(f"{'Peso' if weights else 'Grado di raggiungimento'} {view.year}",
                     [(f"{i.code} {i.name}"[:48], "", _bar_fact(ctx, i, weights))
                      for i in chosen[:20]])
    return Composed(intent="selection", body="\n".join(lines), table=_table(ctx, chosen, level), chart=chart)


def _level(plan: QuestionPlan) -> str:
    if plan.subject == "area":
        return "area"
    if plan.subject == "objective":
        return plan.level or "strategic"
    return "indicator"


def _indicators(ctx: Context) -> list[_Item]:
    card = ctx.view.scorecard.indicators
    out = []
    for ind in ctx.view.report.indicators():
        if not in_scope(ind, ctx.plan):
            continue
        score = card[ind.key]
        fid = ids.indicator(ind.key, "achievement")
        out.append(_Item(code=ind.operational_objective or ind.strategic_objective, name=ind.name,
                         achievement=score.pct, weight=ind.weight_pct, fid=fid if ctx.book.get(fid) else None,
                         weight_fid=ids.indicator(ind.key, "weight"), indicator=ind, missing=score.missing, met=score.met))
    return out


def _nodes(ctx: Context, level: str) -> list[_Item]:
    scopes = ctx.plan.refs_of("area", "strategic", "operational")
    out = []
    for node in ctx.view.scorecard.nodes(level):  # type: ignore[arg-type]
        if scopes and not any(node.code == r.code or node.code.startswith(r.code + ".") for r in scopes):
            continue
        fid = ids.node(level, node.code, "achievement")  # type: ignore[arg-type]
        out.append(_Item(code=node.code, name=node.title, achievement=node.pct, weight=node.weight_pct,
                         fid=fid if ctx.book.get(fid) else None, weight_fid=ids.node(level, node.code, "weight"),  # type: ignore[arg-type]
                         node=node, missing=None if node.achievement is not None else "nessun indicatore misurato",
                         met=None if node.band is None else node.band == "raggiunto"))
    return out


def _holds(item: _Item, plan: QuestionPlan) -> bool:
    condition, bound = plan.condition, plan.bound
    if condition == "missing" and item.missing is None:
        return False
    if condition in ("met", "above_target") and item.met is not True:
        return False
    if condition == "below_target" and item.met is not False:
        return False
    if condition == "above_target" and not _beyond(item):
        return False
    if bound is not None:
        return bound.holds(item.weight if bound.measure == "weight" else item.achievement)
    return True


def _beyond(item: _Item) -> bool:
    """Strictly beyond the target (an objective: every indicator met, one beyond)."""
    ind = item.indicator
    if ind is None or ind.actual is None or ind.target is None:
        return False
    return ind.actual.value != ind.target.value


def _by_margin(ctx: Context, items: list[_Item]) -> list[_Item]:
    """Indicators by how far beyond their target they went, relative to it (the largest first)."""
    def margin(item: _Item) -> Decimal:
        fact = _margin_fact(ctx, item)
        return abs(fact.value) if fact is not None else Decimal(-1)
    return sorted(items, key=margin, reverse=ctx.plan.rank != "worst")


def _margin_fact(ctx: Context, item: _Item) -> Fact | None:
    ind = item.indicator
    if ind is None:
        return None
    actual, target = ctx.book.get(ids.indicator(ind.key, "actual")), ctx.book.get(ids.indicator(ind.key, "target"))
    if actual is None or target is None:
        return None
    return ctx.book.pct_change(actual, target, f"Scostamento di «{ind.name}» dal target, in % del target")


def _line(ctx: Context, item: _Item) -> str:
    w, ind = ctx.w, item.indicator
    head = f"- {item.code} {w.name(item.name)}"
    if ind is None:
        if item.achievement is None:
            return f"{head}: {item.missing}."
        weight = ctx.book.get(item.weight_fid) if item.weight_fid else None
        return (f"{head}: raggiungimento {w.n(item.fid)} ({item.node.band})" if item.node and item.fid else head) + (
            f", peso {w.n(weight)}." if weight is not None else ".")
    actual, target = ids.indicator(ind.key, "actual"), ids.indicator(ind.key, "target")
    if item.missing is not None:
        have = (f"target {ind.target.operator} {w.n(target)}" if ind.target is not None and ctx.book.get(target)
                else f"consuntivo {w.n(actual)}" if ind.actual is not None and ctx.book.get(actual) else "")
        return f"{head}: {item.missing}" + (f" ({have})." if have else ".")
    text = f"{head}: consuntivo {w.n(actual)} contro target {ind.target.operator} {w.n(target)}"  # type: ignore[union-attr]
    if ctx.plan.condition == "above_target":
        margin = _margin_fact(ctx, item)
        if margin is not None:
            side = "oltre il target" if (margin.value > 0) == (ind.target.operator != "<=") else "sotto il limite"  # type: ignore[union-attr]
            text += f" ({w.n(margin, absolute=True)} {side})"
    if item.fid is not None:
        text += f", raggiungimento {w.n(item.fid)}"
    if ctx.plan.bound is not None and ctx.plan.bound.measure == "weight" and ctx.book.get(item.weight_fid):
        text += f", peso {w.n(item.weight_fid)}"
    return text + "."


def _table(ctx: Context, items: list[_Item], level: str) -> Table:
    w = ctx.w
    if level != "indicator":
        rows = [[i.code, w.label(i.name), w.n(i.weight_fid) if i.weight_fid and ctx.book.get(i.weight_fid) else "",
                 w.n(i.fid) if i.fid else "", (i.node.band or "") if i.node else ""] for i in items]
        return Table(columns=["Codice", "Titolo", "Peso", "Raggiungimento", "Valutazione"], rows=rows)
    rows = []
    for i in items:
        ind = i.indicator
        assert ind is not None
        actual, target = ids.indicator(ind.key, "actual"), ids.indicator(ind.key, "target")
        rows.append([i.code, w.label(i.name), w.n(actual) if ctx.book.get(actual) else "",
                     f"{ind.target.operator} {w.n(target)}" if ind.target is not None and ctx.book.get(target) else "",
                     w.n(i.fid) if i.fid else (i.missing or "")])
    return Table(columns=["Obiettivo", "Indicatore", "Consuntivo", "Target", "Raggiungimento"], rows=rows)


def _what(ctx: Context, level: str) -> str:
    plan = ctx.plan
    parts = []
    if plan.condition is not None:
        parts.append((_SAID if level == "indicator" else _SAID_NODE).get(plan.condition, _SAID.get(plan.condition, "")))
    if plan.bound is not None:
        parts.append(_bound_words(ctx, plan.bound))
    return " e ".join(p for p in parts if p)


def _bound_words(ctx: Context, bound: Bound) -> str:
    """The threshold in words; its numbers are the question's, written as facts of the answer."""
    what = "un peso" if bound.measure == "weight" else "un grado di raggiungimento"

    def pct(name: str, value: Decimal) -> str:
        decimals = 0 if value == value.to_integral() else 2
        fact = ctx.book.add(Fact(id=f"domanda:{name}", value=value, unit="%", decimals=decimals,
                                 label=f"Soglia indicata nella domanda («{bound.said}»)"))
        return ctx.w.n(fact)

    if bound.low is not None and bound.low == bound.high:
        return f"hanno {what} pari a {pct('pari', bound.low)}"
    if bound.low is not None and bound.high is not None:
        return f"hanno {what} tra {pct('da', bound.low)} e {pct('a', bound.high)}"
    if bound.high is not None:
        return f"hanno {what} {'inferiore a' if bound.strict_high else 'fino a'} {pct('a', bound.high)}"
    return f"hanno {what} {'superiore a' if bound.strict_low else 'di almeno'} {pct('da', bound.low)}"  # type: ignore[arg-type]


def _key(plan: QuestionPlan) -> str:
    bound = plan.bound
    said = ""
    if bound is not None:
        low, high = ("" if v is None else str(v) for v in (bound.low, bound.high))
        said = f"{bound.measure}[{low},{high}]"
    return f"{plan.condition or ''}{said}{scope_key(plan)}"


def _bar_fact(ctx: Context, item: _Item, weights: bool) -> Fact | None:
    fid = item.weight_fid if weights else item.fid
    return ctx.book.get(fid) if fid is not None else None
