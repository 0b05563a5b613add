"""Achievement (grado di raggiungimento) and weights of the Ente, its areas and objectives:
one item, every item of a level, a ranking, and the same items across years."""

from __future__ import annotations

from ingest.scoring import NodeScore

from .. import fact_ids as ids
from .base import Composed, Context, Table, basis_note, chart_of, in_scope
from .method import answer_method
from .registry import handler, when
from .trends import compare_indicators

_WHAT = {"ente": "dell'Ente", "area": "dell'area", "strategic": "dell'obiettivo strategico", "operational": "dell'obiettivo operativo"}
_THE = {"ente": "l'Ente", "area": "l'area", "strategic": "l'obiettivo strategico", "operational": "l'obiettivo operativo"}


def _of_ente(view) -> str:
    """'della Camera di commercio di Ravenna' (the Camera by name: a store may hold several)."""
    ente = view.report.ente or ""
    return f"della {ente}" if ente.lower().startswith("camera") else (f"dell'Ente {ente}".strip() if ente else "dell'Ente")


def _aid(node: NodeScore, field: str = "achievement") -> ids.FactId:
    return ids.node(node.level, node.code, field)


@handler(
    "achievement",
    when(subjects={"ente", "area", "objective"}),
    when(measures={"achievement", "weight"}),
    when(acts={"rank"}, subjects={"indicator"}),
    when(subjects={"indicator"}, ref_kinds={"area", "strategic", "operational"}),
)
def answer_achievement(ctx: Context) -> Composed:
    plan = ctx.plan
    nodes = _named_nodes(ctx)
    later = [y for y in plan.years if y > ctx.view.year]
    if plan.subject in ("indicator", "objective", "area") and plan.measure == "target" and later:
        return _later_targets(ctx, later[-1])
    if plan.measure == "algorithm" and not nodes:
        return answer_method(ctx)
    if plan.act == "compare":
        return compare_years(ctx, nodes)
    if plan.act == "rank":
        return _rank(ctx)
    if nodes:
        return _detail(ctx, nodes)
    if plan.subject == "area" or plan.group == "area":
        return _areas(ctx)
    if plan.level == "operational":
        return _operational(ctx)
    return _overview(ctx)


def _operational(ctx: Context) -> Composed:
    """Every operational objective with its achievement ('gli obiettivi operativi')."""
    view, w = ctx.view, ctx.w
    nodes = [n for n in view.scorecard.nodes("operational") if n.achievement is not None]
    if not nodes:
        return Composed(intent="achievement", body=f"Nel {view.year} gli obiettivi operativi non hanno valori di "
                                                   f"raggiungimento{_none_at(ctx, 'operational') or basis_note(view)}.")
    below = [n for n in nodes if n.band != "raggiunto"]
    n = ctx.book.count(ids.count("operational-scored", view.year), len(nodes), "Obiettivi operativi con un grado di raggiungimento")
    nb = ctx.book.count(ids.count("operational-below", view.year), len(below), "Obiettivi operativi non pienamente raggiunti")
    first = (f"Nel {view.year}{basis_note(view)} {w.n(n)} obiettivi operativi hanno un grado di raggiungimento; "
             f"{w.n(nb)} non sono pienamente raggiunti.")
    rows = [[o.code, w.label(o.title), w.n(_aid(o, "weight")), w.n(_aid(o)), o.band or ""] for o in nodes]
    table = Table(columns=["Obiettivo operativo", "Titolo", "Peso", "Raggiungimento", "Valutazione"], rows=rows)
    return Composed(intent="achievement", body=first + "\n\n" + table.markdown(), table=table, chart=_node_chart(ctx, nodes))


def _named_nodes(ctx: Context) -> list[NodeScore]:
    card = ctx.view.scorecard
    out = []
    for ref in ctx.plan.refs_of("area", "strategic", "operational"):
        node = card.node(ref.kind, ref.code)  # type: ignore[arg-type]
        if node is None and ref.kind != "area":
            node = card.node("operational" if ref.kind == "strategic" else "strategic", ref.code)
        if node is not None:
            out.append(node)
    return out


_WHAT_BELOW = {"strategic": "degli obiettivi strategici", "operational": "degli obiettivi operativi"}
_THE_OF = {"area": "dell'area", "strategic": "dell'obiettivo strategico", "operational": "dell'obiettivo operativo"}


def _asked_below(ctx: Context, node: NodeScore) -> list[NodeScore]:
    """The objectives under `node` the question asks about ('gli obiettivi operativi dell'area 1'), if any."""
    level = ctx.plan.level
    if ctx.plan.subject != "objective" or level is None or level == node.level or node.level == "operational":
        return []
    if node.level == "area" and level == "operational":
        return [o for s in node.children for o in s.children]
    return list(node.children) if level in ("strategic", "operational") and node.children else []


def _detail(ctx: Context, nodes: list[NodeScore]) -> Composed:
    """Each node named: its achievement (or weight), and what it was computed from."""
    view, book, w = ctx.view, ctx.book, ctx.w
    basis = basis_note(view)
    lines: list[str] = []
    for node in nodes:
        weight = book.get(_aid(node, "weight"))
        title = f"{node.code} {w.name(node.title)}"
        if ctx.plan.measure == "weight" and ctx.plan.subject == "indicator" and node.indicators:
            # 'gli indicatori dell'obiettivo 2.3: quanto pesano?'
            lines.append(f"Nel {view.year} i pesi degli indicatori {_THE_OF[node.level]} {title}:")
            for score in node.indicators:
                ind = next(i for i in view.report.indicators() if i.key == score.key)
                lines.append(f"- {w.name(ind.name)}: {w.n(ids.indicator(ind.key, 'weight'))}")
            lines.append("")
            continue
        below = _asked_below(ctx, node)
        if ctx.plan.measure == "weight" and below:  # 'gli obiettivi strategici dell'area 3: quanto pesano?'
            lines.append(f"Nel {view.year} i pesi {_WHAT_BELOW[ctx.plan.level or 'strategic']} {_THE_OF[node.level]} {title}:")
            lines += [f"- {c.code} {w.label(c.title)}: {w.n(_aid(c, 'weight'))}" for c in below if book.get(_aid(c, "weight"))]
            lines.append("")
            continue
        if ctx.plan.measure == "weight" and weight is not None:
            lines.append(f"Nel {view.year} {_THE[node.level]} {title} pesa {w.n(weight)}"
                         + (f"; il suo grado di raggiungimento è {w.n(_aid(node))} ({node.band})." if node.achievement is not None else "."))
            continue
        if node.achievement is None:
            lines.append(f"L'obiettivo {node.code} non ha indicatori misurati nel {view.year}{basis}.")
            continue
        lines.append(f"Nel {view.year}{basis} il grado di raggiungimento {_WHAT[node.level]} {title}"
                     + (f" (peso {w.n(weight)})" if weight is not None else "") + " è "
                     f"{w.n(_aid(node))} ({node.band}), media ponderata di {node.basis}:")
        children = node.children if node.level == "area" or not node.indicators else ()
        if ctx.plan.level == "operational" and node.level == "area":  # 'gli obiettivi operativi dell'area 1'
            children = tuple(o for s in node.children for o in s.children)
            lines[-1] = lines[-1][:-1] + "; i suoi obiettivi operativi:"
        elif ctx.plan.level == "operational" and node.level == "strategic" and node.children:
            children = node.children  # 'gli obiettivi operativi dell'obiettivo 1.1'
            lines[-1] = lines[-1][:-1] + "; i suoi obiettivi operativi:"
        for child in children:
            if child.achievement is not None:
                lines.append(f"- {child.code} {w.label(child.title)}: {w.n(_aid(child))}")
        for score in node.indicators if ctx.plan.level != "operational" else ():  # listing objectives: not the indicators
            ind = next(i for i in view.report.indicators() if i.key == score.key)
            if score.achievement is None:
                continue
            k = ind.key
            lines.append(f"- {w.name(ind.name)} (peso {w.n(ids.indicator(k, 'weight'))}): consuntivo {w.n(ids.indicator(k, 'actual'))}, "
                         f"target {ind.target.operator} {w.n(ids.indicator(k, 'target'))}, raggiungimento {w.n(ids.indicator(k, 'achievement'))}")
        lines.append("")
    chart = None
    if len(nodes) == 1 and ctx.plan.measure != "weight":
        node = nodes[0]
        kids = node.children if node.level == "area" or not node.indicators else ()
        chart = _node_chart(ctx, kids, title=f"Grado di raggiungimento {view.year}: {_short(node.code, node.title)}") if kids else None
    return Composed(intent="achievement", body="\n".join(lines).strip(), chart=chart)


def _strategic_table(ctx: Context) -> Table:
    w = ctx.w
    rows = [[s.code, w.label(s.title), w.n(_aid(s, "weight")), w.n(_aid(s)), s.band or ""]
            for a in ctx.view.scorecard.root.children for s in a.children if s.achievement is not None]
    return Table(columns=["Obiettivo strategico", "Titolo", "Peso", "Raggiungimento", "Valutazione"], rows=rows)


def _overview(ctx: Context) -> Composed:
    view, w = ctx.view, ctx.w
    root = view.scorecard.root
    lines = [f"Nel {view.year}{basis_note(view)} il grado di raggiungimento complessivo {_of_ente(view)} è "
             f"{w.n(_aid(root))} ({root.band}).", "", "Per area strategica:"]
    for area in root.children:
        lines.append(f"- Area {area.code} – {area.title} (peso {w.n(_aid(area, 'weight'))}): {w.n(_aid(area))}, {area.band}.")
    table = _strategic_table(ctx)
    lines += ["", table.markdown()]
    below = [s for a in root.children for s in a.children if s.band and s.band != "raggiunto"]
    if below:
        lines += ["", "Obiettivi strategici non pienamente raggiunti: " + ", ".join(
            f"{s.code} ({w.n(_aid(s))})" for s in below) + "."]
    strategic = [s for a in root.children for s in a.children] if ctx.plan.subject == "objective" else []
    chart = _node_chart(ctx, strategic or root.children, "weight" if ctx.plan.measure == "weight" else "achievement")
    return Composed(intent="achievement", body="\n".join(lines), table=table, chart=chart)


def _node_chart(ctx: Context, nodes, field: str = "achievement", title: str | None = None):
    """Bars of the nodes' achievements (or weights), with the 'raggiunto' threshold."""
    what = "Peso" if field == "weight" else "Grado di raggiungimento"
    chart = chart_of(title or f"{what} {ctx.view.year}",
                     [(_short(n.code, n.title), "", ctx.book.get(_aid(n, field))) for n in nodes])
    if chart is not None and field == "achievement":
        chart = chart.model_copy(update={"threshold": ctx.view.scorecard.policy.achieved_from})
    return chart


def _short(code: str, title: str) -> str:
    label = f"{code} {title}".strip() if code != "ente" else "Ente"
    return label if len(label) <= 48 else label[:47] + "…"


def _areas(ctx: Context) -> Composed:
    view, w = ctx.view, ctx.w
    areas = view.scorecard.root.children
    if ctx.plan.measure == "weight":
        listed = "; ".join(f"area {a.code} – {a.title} {w.n(_aid(a, 'weight'))}" for a in areas)
        lines = [f"Nel {view.year} i pesi delle aree strategiche sono: {listed}."]
    else:
        listed = "; ".join(f"area {a.code} – {a.title} {w.n(_aid(a))} ({a.band})" for a in areas if a.achievement is not None)
        lines = [f"Nel {view.year}{basis_note(view)} il grado di raggiungimento per area è: {listed}."]
    rows = [[a.code, a.title, w.n(_aid(a, "weight")), w.n(_aid(a)) if a.achievement is not None else "", a.band or ""] for a in areas]
    return Composed(intent="achievement", body="\n".join(lines), chart=_node_chart(ctx, areas, ctx.plan.measure or "achievement"),
                    table=Table(columns=["Area", "Titolo", "Peso", "Raggiungimento", "Valutazione"], rows=rows))


def _rank(ctx: Context) -> Composed:
    """The best or worst items of the level asked (by achievement, or by weight when the
    question asks for the weights), with the whole ranking as a table."""
    view, w, plan = ctx.view, ctx.w, ctx.plan
    worst = plan.rank == "worst"
    field = "weight" if plan.measure == "weight" else "achievement"
    if plan.subject == "indicator":
        card = view.scorecard.indicators
        items = [(card[i.key].achievement if field == "achievement" else i.weight_pct, i.key,
                  f"{i.operational_objective or i.strategic_objective} {w.label(i.name)}", ids.indicator(i.key, field))
                 for i in view.report.indicators() if in_scope(i, plan)]
        kind = "gli indicatori"
    else:
        level = "area" if plan.subject == "area" else (plan.level or "strategic")
        items = [(n.achievement if field == "achievement" else n.weight_pct, n.code, f"{n.code} {w.label(n.title)}", _aid(n, field))
                 for n in view.scorecard.nodes(level) if _within(n.code, plan)]  # type: ignore[arg-type]
        kind = {"area": "le aree", "strategic": "gli obiettivi strategici", "operational": "gli obiettivi operativi"}[level]
    scopes = plan.refs_of("area", "strategic", "operational")
    if scopes:
        kind += " " + ", ".join(("dell'area " if r.kind == "area" else "dell'obiettivo ") + r.code for r in scopes)
    items = [i for i in items if i[0] is not None and ctx.book.get(i[3]) is not None]
    items.sort(key=lambda i: i[0], reverse=not worst)
    what = "peso" if field == "weight" else "grado di raggiungimento"
    if not items:
        level = "indicator" if plan.subject == "indicator" else level
        return Composed(intent="achievement", body=f"Nel {view.year} non ci sono valori di {what} da confrontare"
                                                   f"{_none_at(ctx, level)}.")
    top = items[0][0]
    ties = [i for i in items if i[0] == top]
    value = w.n(ties[0][3])
    if len(ties) == len(items):
        first = f"Nel {view.year} tutti {kind} hanno lo stesso {what}: {value}."
    else:
        which = "più basso" if worst else "più alto"
        first = f"Il {what} {which} nel {view.year} è di {', '.join(i[2] for i in ties)}: {value}."
        if plan.subject == "indicator" and field == "achievement" and len(ties) == 1:
            first = first[:-1] + _gap(ctx, ties[0][1]) + "."
    rows = [[label, w.n(fid)] for _, _, label, fid in items]
    table = Table(columns=["Voce (in ordine)", "Peso" if field == "weight" else "Raggiungimento"], rows=rows)
    chart = chart_of(f"{'Peso' if field == 'weight' else 'Grado di raggiungimento'} {view.year}",
                     [(_short(label.split(" ", 1)[0], label.split(" ", 1)[-1]), "", ctx.book.get(fid)) for _, _, label, fid in items[:20]])
    return Composed(intent="achievement", body=first + "\n\n" + table.markdown(), table=table, chart=chart)


def _none_at(ctx: Context, level: str) -> str:
    """Why a level has no values: ': i dati del 2020 coprono solo ...' when another level has them."""
    view = ctx.view
    if level == "indicator" or view.basis == "relazione":
        return ""
    held = [lv for lv in ("strategic", "operational") if any(n.achievement is not None for n in view.scorecard.nodes(lv))]
    if not held or level in held:
        return ""
    names = {"strategic": "gli obiettivi strategici", "operational": "gli obiettivi operativi"}
    n = ctx.book.count(ids.count("indicators-of-year", view.year), len(view.report.indicators()), "Indicatori con dati nell'anno")
    return (f"{basis_note(view)}: i dati del {view.year} coprono {ctx.w.n(n)} indicatori, tutti sotto "
            + " e ".join(names[lv] for lv in held))


def _gap(ctx: Context, key: str) -> str:
    """' (consuntivo 0 N. contro target = 5 N., scostamento 5 N.)': how far the indicator is from its target."""
    ind = next(i for i in ctx.view.report.indicators() if i.key == key)
    actual, target = ctx.book.get(ids.indicator(key, "actual")), ctx.book.get(ids.indicator(key, "target"))
    # the gap every indicator's facts already hold (`facts.indicator_facts`), as the deviations cite it
    gap = ctx.book.get(ids.computed("diff", ids.indicator(key, "actual"), ids.indicator(key, "target")))
    if actual is None or target is None or gap is None or ind.target is None:
        return ""
    return (f" (consuntivo {ctx.w.n(actual)} contro target {ind.target.operator} {ctx.w.n(target)}, "
            f"scostamento {ctx.w.n(gap, signed=True)})")


def _within(code: str, plan) -> bool:
    """A node under the areas and objectives the plan names (any, when none)."""
    scopes = plan.refs_of("area", "strategic", "operational")
    return not scopes or any(code.startswith(r.code + ".") for r in scopes)


def compare_years(ctx: Context, nodes: list[NodeScore]) -> Composed:
    """The same nodes (or every area / strategic objective) in two years, with the change in
    percentage points."""
    view, book, w, plan = ctx.view, ctx.book, ctx.w, ctx.plan
    earlier = [y for y in (plan.years or ()) if y < view.year and y in ctx.years]
    before = earlier[0] if earlier else max((y for y in ctx.years if y < view.year), default=None)
    if before is None:
        missing = [y for y in plan.years if y not in ctx.years] or [view.year - 1]
        note = f"Per il {missing[0]} non ci sono dati nello store (anni disponibili: {', '.join(map(str, ctx.years))})."
        shown = _detail(ctx, nodes) if nodes else _overview(ctx)
        return Composed(intent="achievement", body=note + "\n\n" + shown.body, table=shown.table)
    other = ctx.other_year(before)
    if other is None:
        return _overview(ctx)
    other_view, other_book = other
    book.import_year(other_book, before)
    if plan.subject == "indicator":
        return compare_indicators(ctx, before, other_view)
    if not nodes:
        level = "area" if plan.subject in ("area", None) or plan.group == "area" else "strategic"
        nodes = [view.scorecard.root] if plan.subject == "ente" else view.scorecard.nodes(level)  # type: ignore[arg-type]
    rows, changes = [], []
    for node in nodes:
        now = book.get(_aid(node))
        old = book.get(_aid(node).of_year(before))
        if now is None or old is None:
            continue
        diff = book.difference(now, old, f"Variazione del grado di raggiungimento {_WHAT[node.level]} {node.code} dal {before} al {view.year}")
        changes.append((diff.value, node, old, now, diff))
        rows.append([f"{node.code} {w.label(node.title)}" if node.level != "ente" else "Ente", w.n(old), w.n(now), w.n(diff, signed=True)])
    if not changes:
        return _overview(ctx)
    table = Table(columns=["Voce", str(before), str(view.year), "Variazione"], rows=rows)
    bars = [(_short(n.code, n.title), str(y), f) for _, n, old, now, _ in changes for y, f in ((before, old), (view.year, now))]
    chart = chart_of(f"Grado di raggiungimento: {before} e {view.year}", bars)
    return Composed(intent="achievement", body=_compare_opening(ctx, before, changes) + "\n\n" + table.markdown(), table=table,
                    chart=chart)


def _compare_opening(ctx: Context, before: int, changes: list) -> str:
    w, year = ctx.w, ctx.view.year
    if len(changes) == 1:
        _, node, old, now, diff = changes[0]
        who = _of_ente(ctx.view) if node.level == "ente" else f"{_WHAT[node.level]} {node.code} {w.name(node.title)}"
        if diff.value == 0:
            return f"Il grado di raggiungimento {who} è {w.n(now)} sia nel {before} sia nel {year}."
        verb = "scende" if diff.value < 0 else "sale"
        return (f"Il grado di raggiungimento {who} {verb} dal {w.n(old)} del {before} al {w.n(now)} del {year} "
                f"({w.n(diff, signed=True)}).")
    down = [c for c in changes if c[0] < 0]
    up = [c for c in changes if c[0] > 0]
    worst = min(changes, key=lambda c: c[0])
    parts = [f"dal {before} al {year} il grado di raggiungimento scende in {len(down)} voci su {len(changes)} e sale in {len(up)}"]
    if worst[0] < 0:
        _, node, old, now, diff = worst
        parts.append(f"il calo maggiore è di {node.code} {w.name(node.title)} (da {w.n(old)} a {w.n(now)})")
    return parts[0][0].upper() + parts[0][1:] + ("; " + parts[1] if len(parts) > 1 else "") + "."


def _later_targets(ctx: Context, year: int) -> Composed:
    """The targets the Piano sets for a later year, for the indicators of the scope named."""
    view, w = ctx.view, ctx.w
    inds = [i for i in view.report.indicators() if in_scope(i, ctx.plan) and year in i.targets_by_year]
    if not inds:
        return Composed(intent="achievement", body=f"Il Piano nello store non fissa target per il {year} per questi indicatori.")
    rows = [[i.operational_objective or i.strategic_objective or "", w.label(i.name),
             f"{i.targets_by_year[year].operator} {w.n(ids.indicator(i.key, f'target{year}'))}"] for i in inds]
    table = Table(columns=["Obiettivo", "Indicatore", f"Target {year}"], rows=rows)
    scope = ",".join(r.key() for r in ctx.plan.refs_of("area", "strategic", "operational")) or "ente"
    n = ctx.book.count(ids.count(f"targets{year}:{scope}", view.year), len(inds), f"Indicatori con un target {year} nel Piano")
    first = (f"Il Piano fissa per il {year} il target di {w.n(n)} indicatore:" if len(inds) == 1
             else f"Il Piano fissa per il {year} i target di {w.n(n)} indicatori:")
    return Composed(intent="achievement", body=first + "\n\n" + table.markdown(), table=table)
