"""Indicators below target (scostamenti), with the cause the narrative of the same year gives."""

from __future__ import annotations

from ingest.causes import cause_query, explains
from ingest.model import Indicator

from .. import fact_ids as ids
from ..grounding import Passage
from ..retrieval import SearchFilters
from ..workspace import YearView
from .base import (
    Composed,
    Context,
    PassageSearch,
    Table,
    basis_note,
    chart_of,
    in_scope,
    indicator_label,
    scope_key,
    scope_words,
)
from .registry import handler, when


def below_target(view: YearView) -> list[Indicator]:
    return [i for i in view.report.indicators() if view.scorecard.indicators[i.key].met is False]


def cause_passage(ind: Indicator, view: YearView, search: PassageSearch) -> Passage | None:
    """A narrative passage of the same year that explains the deviation (see `causes`)."""
    for p in search(cause_query(ind), 5, SearchFilters(ente=view.ente, year=view.year)):
        if explains(ind, p.text):
            return p
    return None


@handler("below_target", when(conditions={"below_target"}, without_ref_kinds={"indicator"}))
def answer_below_target(ctx: Context) -> Composed:
    view, book, w, plan = ctx.view, ctx.book, ctx.w, ctx.plan
    items = [i for i in below_target(view) if in_scope(i, plan)]
    measured = [i for i in view.report.indicators() if in_scope(i, plan)]
    where = scope_words(plan)
    count = book.count(ids.count("below" if not where else f"below{scope_key(plan)}", view.year), len(items),
                       f"Indicatori sotto target nel {view.year}{where}",
                       derived_from=tuple(str(ids.indicator(i.key, "achievement")) for i in items))
    total = book.count(ids.count("indicators" if not where else f"indicators{scope_key(plan)}", view.year),
                       len(measured), f"Indicatori misurati nel {view.year}{where}")
    if plan.act == "rank" and plan.subject in ("objective", "area"):
        return _rank_groups(ctx, items, measured)
    basis = ("dalla Relazione" if view.basis == "relazione" else
             "dal Piano e dai consuntivi, documenti SINTETICI" if view.report.synthetic else "dal Piano e dai consuntivi")
    if not items:
        body = (f"Nel {view.year}{where} nessun indicatore è sotto target: {w.n(total)} indicatori su {w.n(total)} "
                f"hanno raggiunto il target ({basis}).")
        return Composed(intent="below_target", body=body)
    lines = []
    if plan.subject == "objective":
        lines += _objectives_opening(ctx, items) + [""]
    lines += [f"Nel {view.year}{where} ({basis}) {w.n(count)} indicatori su {w.n(total)} sono sotto target:", ""]
    rows, uncaused = [], []
    for ind in items:
        found = _indicator_lines(ctx, ind)
        if found[-1] is None:
            uncaused.append(ind.operational_objective or ind.strategic_objective)
        lines += [ln for ln in found if ln is not None]
        score = view.scorecard.indicators[ind.key]
        rows.append([ind.operational_objective or ind.strategic_objective, w.label(ind.name),
                     w.n(ids.indicator(ind.key, "actual")), f"{ind.target.operator} {w.n(ids.indicator(ind.key, 'target'))}",
                     w.n(ids.indicator(ind.key, "achievement")), score.band or ""])
    table = Table(columns=["Obiettivo", "Indicatore", "Consuntivo", "Target", "Raggiungimento", "Valutazione"], rows=rows)
    if uncaused:
        which = "nessuno di questi scostamenti" if len(uncaused) == len(items) else "gli scostamenti degli obiettivi " + ", ".join(dict.fromkeys(uncaused))
        cause = f"Causa: [causa da indicare] — nessun passaggio dei documenti del {view.year} spiega {which}."
        # a 'why' is answered first: whether the documents give the cause
        lines = [cause, ""] + lines if plan.act == "explain" else lines + ["", cause]
    return Composed(intent="below_target", body="\n".join(lines), table=table)


def _indicator_lines(ctx: Context, ind: Indicator) -> list[str | None]:
    """The indicator's line and, for a 'why', the cause quoted (None: no passage explains it)."""
    view, book, w = ctx.view, ctx.book, ctx.w
    gap = book.get(ids.computed("diff", ids.indicator(ind.key, "actual"), ids.indicator(ind.key, "target")))
    band = view.scorecard.indicators[ind.key].band
    out = [f"- {indicator_label(ind, w)}: consuntivo {w.n(ids.indicator(ind.key, 'actual'))} contro target "
           f"{ind.target.operator} {w.n(ids.indicator(ind.key, 'target'))} (scostamento {w.n(gap, signed=True)}; "
           f"raggiungimento {w.n(ids.indicator(ind.key, 'achievement'))}, {band})."]
    if ctx.plan.act == "explain" and ctx.search is not None:
        passage = cause_passage(ind, view, ctx.search)
        out.append(f"  Causa indicata nel documento:\n\n  {w.quote(passage, limit=400, focus=ind.name + ' causa')}" if passage
                   else None)
    return out


def _objectives_opening(ctx: Context, items: list[Indicator]) -> list[str]:
    """'quali obiettivi non sono stati raggiunti?': the objectives, then their indicators."""
    card, w = ctx.view.scorecard, ctx.w
    codes = {i.strategic_objective for i in items}
    nodes = [n for n in card.nodes("strategic") if n.code in codes and n.achievement is not None]
    listed = ", ".join(f"{n.code} {w.label(n.title)} ({w.n(ids.node('strategic', n.code, 'achievement'))})" for n in nodes)
    return [f"Nel {ctx.view.year}{basis_note(ctx.view)} gli obiettivi strategici non pienamente raggiunti sono: {listed}."]


def _rank_groups(ctx: Context, below: list[Indicator], measured: list[Indicator]) -> Composed:
    """'In quale obiettivo ci sono più indicatori sotto target?': the areas or objectives by how
    many of their indicators are below target (of how many measured), the most first."""
    view, book, w, plan = ctx.view, ctx.book, ctx.w, ctx.plan
    level = "area" if plan.subject == "area" else (plan.level or "strategic")

    def group(ind: Indicator) -> str | None:
        if level == "area":
            return str(ind.area)
        return ind.strategic_objective if level == "strategic" else ind.operational_objective

    titles = {n.code: n.title for n in view.scorecard.nodes(level)}  # type: ignore[arg-type]
    counts: dict[str, list[int]] = {}
    for ind in measured:
        code = group(ind)
        if code is not None:
            counts.setdefault(code, [0, 0])[1] += 1
    for ind in below:
        code = group(ind)
        if code is not None:
            counts[code][0] += 1
    kind = {"area": "area", "strategic": "obiettivo strategico", "operational": "obiettivo operativo"}[level]
    worst_first = plan.rank != "worst"
    order = sorted(counts.items(), key=lambda kv: (kv[1][0], kv[1][0] / kv[1][1]), reverse=worst_first)
    rows, facts = [], {}
    for code, (nb, nt) in order:
        facts[code] = (book.count(ids.count(f"below:{level}:{code}", view.year), nb, f"Indicatori sotto target di {kind} {code}"),
                       book.count(ids.count(f"measured:{level}:{code}", view.year), nt, f"Indicatori misurati di {kind} {code}"))
        rows.append([code, w.label(titles.get(code, "")), w.n(facts[code][0]), w.n(facts[code][1])])
    if not order or order[0][1][0] == 0 and worst_first:
        return Composed(intent="below_target", body=f"Nel {view.year}{basis_note(view)} nessun indicatore è sotto target.")
    top_value = order[0][1][0]
    top = [code for code, (nb, _) in order if nb == top_value]
    which = "più" if worst_first else "meno"
    named = ", ".join(f"{code} {w.name(titles[code]) if titles.get(code) else ''}".strip()
                      + f" ({w.n(facts[code][0])} su {w.n(facts[code][1])})" for code in top)
    plural = {"area": "le aree", "strategic": "gli obiettivi strategici", "operational": "gli obiettivi operativi"}[level]
    first = (f"Nel {view.year}{basis_note(view)} l'{kind} con {which} indicatori sotto target è {named}." if len(top) == 1 else
             f"Nel {view.year}{basis_note(view)} {plural} con {which} indicatori sotto target, a pari merito, sono {named}.")
    table = Table(columns=["Codice", "Titolo", "Sotto target", "Misurati"], rows=rows)
    chart = chart_of(f"Indicatori sotto target per {kind}, {view.year}",
                     [(f"{code} {titles.get(code, '')}"[:48], "", facts[code][0]) for code, _ in order])
    return Composed(intent="below_target", body=first + "\n\n" + table.markdown(), table=table, chart=chart)
