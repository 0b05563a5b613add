"""One indicator (its target, actual, algorithm and measures, across years) and counts of the
objective tree."""

from __future__ import annotations

from ingest.model import Indicator

from .. import fact_ids as ids
from .base import Composed, Context, Table, basis_note, chart_of, in_scope
from .registry import handler, when


@handler("indicator", when(ref_kinds={"indicator"}))
def answer_indicator(ctx: Context) -> Composed:
    report = ctx.view.report
    keys = [r.code for r in ctx.plan.refs_of("indicator")]
    found = [i for k in keys for i in report.indicators() if i.key == k]
    if not found:
        return Composed(intent="indicator", body=_planned(ctx, keys) or _elsewhere(ctx, keys))
    if ctx.plan.act == "compare" and (ctx.plan.years or ctx.plan.measure not in ("target",)):
        compared = _compare_years(ctx, found)
        if compared is not None:
            return compared
    lines: list[str] = []
    if ctx.plan.act == "explain":
        return _explain(ctx, found[0])
    for ind in found[:4]:
        lines += [indicator_sentence(ctx, ind)] + _card(ctx, ind) + [""]
    if len(found) > 4:
        lines.append("Altri indicatori hanno un nome simile: precisa l'obiettivo per vederli.")
    return Composed(intent="indicator", body="\n".join(lines).strip())


def _planned(ctx: Context, keys: list[str]) -> str | None:
    """A target the Piano sets for an indicator the year's data do not measure ('e il target 2021?'
    of an operational indicator, when the later years hold only the strategic ones)."""
    plan = ctx.view.plan
    if plan is None or ctx.plan.measure != "target":
        return None
    ind = next((i for i in plan.indicators() if i.key in keys), None)
    if ind is None:
        return None
    asked = ctx.plan.years or (ctx.view.year,)
    years = [y for y in asked if y in ind.targets_by_year]
    code = ind.operational_objective or ind.strategic_objective
    synthetic = " (documento SINTETICO)" if plan.synthetic else ""
    if not years:
        held = sorted(ind.targets_by_year)
        return (f"Il Piano della performance{synthetic} non fissa un target {', '.join(map(str, asked))} per "
                f"{ctx.w.name(ind.name)} (obiettivo {code}): " + ("; ".join(
                    f"il target {y} è {ind.targets_by_year[y].operator} {ctx.w.n(ids.plan_target(ind.key, y))}" for y in held)
                    or "non ne fissa nessuno") + ".")
    return " ".join(f"Il target {y} di {ctx.w.name(ind.name)} (obiettivo {code}) nel Piano{synthetic} è "
                    f"{ind.targets_by_year[y].operator} {ctx.w.n(ids.plan_target(ind.key, y))}." for y in years)


def _elsewhere(ctx: Context, keys: list[str]) -> str:
    """An indicator the year asked does not measure: the latest other year that does, with its numbers."""
    names = ", ".join(f"“{r.name}”" for r in ctx.plan.refs_of("indicator"))  # not this year's name: no « »
    head = f"Nel {ctx.view.year}{basis_note(ctx.view)} l'indicatore {names} non è tra quelli misurati"
    w, book = ctx.w, ctx.book
    for year in sorted((y for y in ctx.years if y != ctx.view.year), reverse=True):
        other = ctx.other_year(year)
        ind = next((i for i in other[0].report.indicators() if i.key in keys), None) if other else None
        if ind is None or other is None:
            continue
        book.import_year(other[1], year)
        actual, target = (ids.indicator(ind.key, f).of_year(year) for f in ("actual", "target"))
        if book.get(actual) is None or book.get(target) is None or ind.target is None:
            return f"{head}; è misurato nel {year}."
        met = other[0].scorecard.indicators[ind.key].met
        verdict = "" if met is None else (", target raggiunto" if met else ", sotto target")
        return (f"{head}. Nel {year} aveva un consuntivo di {w.n(actual)} contro un target "
                f"{ind.target.operator} {w.n(target)}{verdict}.")
    return f"{head} (anni con dati: {', '.join(map(str, ctx.years))})."


def _explain(ctx: Context, ind: Indicator) -> Composed:
    """'Perché ...' on one indicator: its numbers, what the checks found on it (the OIV's first
    question), and the passage of the narrative that speaks of it."""
    from .deviations import cause_passage
    from .findings import finding_text

    view, w = ctx.view, ctx.w
    lines = [indicator_sentence(ctx, ind)]
    concerns = [f for f in view.findings if f.indicator == ind.name
                and (f.operational_objective or f.strategic_objective) in (None, ind.operational_objective, ind.strategic_objective)]
    if concerns:
        lines += ["", "Rilievi aperti sull'indicatore:"]
        lines += [f"- {finding_text(f, view, ctx.book, w)}" for f in concerns]
    passage = cause_passage(ind, view, ctx.search) if ctx.search is not None else None
    if passage is not None:
        lines += ["", f"Quel che ne dice la Relazione ({w.label(passage.section) or 'testo'}, {w.at(passage.label)}):", "",
                  w.quote(passage, limit=350, focus=f"{ind.name} a causa dovuto per effetto motivo")]
    else:
        lines += ["", "Nessun passaggio della Relazione ne spiega il valore."
                  + ("" if concerns else " Nessun controllo lo segnala.")]
    return Composed(intent="indicator", body="\n".join(lines))


def indicator_sentence(ctx: Context, ind: Indicator) -> str:
    """A sentence that answers: the measure asked, then the rest of the indicator's numbers."""
    view, w, book, plan = ctx.view, ctx.w, ctx.book, ctx.plan
    k, code = ind.key, ind.operational_objective or ind.strategic_objective
    name = f"{w.name(ind.name)} (obiettivo {code})"
    actual, target, ach = (book.get(ids.indicator(k, f)) for f in ("actual", "target", "achievement"))
    target_year = None if plan.act == "explain" else next(  # a 'why' is about the result, not a later target
        (y for y in plan.years if y != view.year and y in ind.targets_by_year), None)
    if target_year is not None:
        t = ind.targets_by_year[target_year]
        return f"Il target {target_year} di {name} nel Piano è {t.operator} {w.n(ids.indicator(k, f'target{target_year}'))}."
    if plan.measure == "weight":
        return f"Nel {view.year} {name} pesa {w.n(ids.indicator(k, 'weight'))}."
    if plan.measure == "algorithm" and ind.algorithm:
        measures = ", ".join(w.n(ids.indicator(k, f"measure{i}")) for i in range(len(ind.measures)))
        result = f"; con i valori misure ({measures}) il consuntivo {view.year} è {w.n(actual)}" if actual is not None and measures else ""
        return f"{name[0].upper()}{name[1:]} si calcola così: {w.name(ind.algorithm)}{result}."
    target_text = f"{ind.target.operator} {w.n(target)}" if target is not None and ind.target else "non indicato"
    met = view.scorecard.indicators[k].met
    verdict = "" if met is None else (" (target raggiunto" if met else " (sotto target") + (f", raggiungimento {w.n(ach)})" if ach else ")")
    if actual is None:
        return f"Nel {view.year}{basis_note(view)} {name} non ha ancora un consuntivo; il target è {target_text}."
    if plan.measure == "target":
        return f"Il target {view.year} di {name} è {target_text}; il consuntivo è {w.n(actual)}{verdict}."
    return f"Nel {view.year}{basis_note(view)} {name} ha un consuntivo di {w.n(actual)} contro un target {target_text}{verdict}."


def _card(ctx: Context, ind: Indicator) -> list[str]:
    """What the opening did not say: table and weight, algorithm, measures, targets of other years."""
    w, view, k = ctx.w, ctx.view, ind.key
    table = "3.1 (obiettivi strategici)" if ind.section == "3.1" else "3.2 (obiettivi operativi)"
    out = [f"- Tabella {table}" + (f", peso {w.n(ids.indicator(k, 'weight'))}" if ctx.plan.measure != "weight" else "")]
    if ind.kpi_code:
        out.append(f"- Codice KPI: {ind.kpi_code}")
    if ind.algorithm and ctx.plan.measure != "algorithm":
        out.append(f"- Algoritmo: {w.name(ind.algorithm)}")
    if ind.measures and not (ctx.plan.measure == "algorithm" and ind.algorithm):  # the opening told them
        out.append("- Valori misure: " + ", ".join(w.n(ids.indicator(k, f"measure{i}")) for i in range(len(ind.measures))))
    for year in sorted(ind.targets_by_year):
        if year != view.year and year not in ctx.plan.years:
            out.append(f"- Target {year} nel Piano: {ind.targets_by_year[year].operator} {w.n(ids.indicator(k, f'target{year}'))}")
    return out


def _compare_years(ctx: Context, found: list[Indicator]) -> Composed | None:
    view, book, w = ctx.view, ctx.book, ctx.w
    before = next((y for y in ctx.plan.years if y < view.year and y in ctx.years), None)
    if before is None and ctx.plan.trend is not None:  # 'è migliorato nel 2020?': against the year before
        before = max((y for y in ctx.years if y < view.year), default=None)
    if before is None:
        return None
    other = ctx.other_year(before)
    if other is None:
        return None
    book.import_year(other[1], before)
    lines, rows = [], []
    for ind in found:
        k = ind.key
        now, old = book.get(ids.indicator(k, "actual")), book.get(ids.indicator(k, "actual").of_year(before))
        if now is None or old is None:
            continue
        t_now, t_old = book.get(ids.indicator(k, "target")), book.get(ids.indicator(k, "target").of_year(before))
        a_now, a_old = book.get(ids.indicator(k, "achievement")), book.get(ids.indicator(k, "achievement").of_year(before))
        lines.append(f"{w.name(ind.name)} (obiettivo {ind.operational_objective or ind.strategic_objective}): "
                     f"{w.n(old)} nel {before} e {w.n(now)} nel {view.year}"
                     + (f" (target {w.n(t_old)} e {w.n(t_now)})" if t_now and t_old else "")
                     + (f"; il raggiungimento passa da {w.n(a_old)} a {w.n(a_now)}." if a_now and a_old else "."))
        rows.append([w.label(ind.name), w.n(old), w.n(now)])
    if not lines:
        return None
    return Composed(intent="indicator", body="\n\n".join(lines),
                    table=Table(columns=["Indicatore", str(before), str(view.year)], rows=rows))


# -- counts ----------------------------------------------------------------------------------------


@handler("count", when(measures={"count"}))
def answer_count(ctx: Context) -> Composed:
    view, book, w = ctx.view, ctx.book, ctx.w
    report, y = view.report, view.year
    areas = ctx.plan.refs_of("area")
    area = next((a for a in report.areas if areas and str(a.number) == areas[0].code), None)
    below = [i for i in view.report.indicators() if view.scorecard.indicators[i.key].met is False]
    objectives = ctx.plan.refs_of("strategic", "operational")
    if ctx.plan.group == "area" and area is None and not objectives:
        return _count_by_area(ctx, below)
    if objectives and area is None:
        return _count_objective(ctx, objectives[0], below)
    if area is not None:
        strategic = area.strategic_objectives
        inds = [i for i in report.indicators() if in_scope(i, ctx.plan)]
        objs = [oo for so in strategic for oo in so.operational_objectives if oo.indicators]
        n = area.number
        f = {
            "strategic": book.count(ids.count(f"area{n}:strategic", y), len(strategic), f"Obiettivi strategici dell'area {n}"),
            "operational": book.count(ids.count(f"area{n}:operational", y), len(objs), f"Obiettivi operativi con indicatori dell'area {n}"),
            "indicators": book.count(ids.count(f"area{n}:indicators", y), len(inds), f"Indicatori dell'area {n}"),
            "below": book.count(ids.count(f"area{n}:below", y), len([i for i in below if in_scope(i, ctx.plan)]),
                                f"Indicatori sotto target dell'area {n}"),
        }
        body = (f"Nel {y} nell'area {n} – {w.label(area.title)} ci sono {w.n(f['strategic'])} obiettivi strategici e "
                f"{w.n(f['operational'])} obiettivi operativi con indicatori; gli indicatori misurati sono {w.n(f['indicators'])}, "
                f"di cui {w.n(f['below'])} sotto target.")
        return Composed(intent="count", body=body)
    inds = report.indicators()
    f = {
        "areas": book.count(ids.count("areas", y), len(report.areas), "Aree strategiche"),
        "strategic": book.count(ids.count("strategic", y), len(report.strategic_objectives()), "Obiettivi strategici"),
        "operational": book.count(ids.count("operational", y), len([o for o in report.operational_objectives() if o.indicators]),
                                  "Obiettivi operativi con indicatori"),
        "indicators": book.count(ids.count("indicators", y), len(inds), f"Indicatori misurati nel {y}"),
        "strategic_ind": book.count(ids.count("strategic-ind", y), len([i for i in inds if i.section == "3.1"]),
                                    "Indicatori degli obiettivi strategici (3.1)"),
        "operational_ind": book.count(ids.count("operational-ind", y), len([i for i in inds if i.section == "3.2"]),
                                      "Indicatori degli obiettivi operativi (3.2)"),
        "below": book.count(ids.count("below", y), len(below), f"Indicatori sotto target nel {y}"),
    }
    who = f"la {report.ente}" if (report.ente or "").lower().startswith("camera") else "l'Ente"
    body = (f"Nel {y} {who} ha {w.n(f['areas'])} aree strategiche, {w.n(f['strategic'])} obiettivi strategici "
            f"e {w.n(f['operational'])} obiettivi operativi con indicatori. Gli indicatori misurati sono {w.n(f['indicators'])}: "
            f"{w.n(f['strategic_ind'])} degli obiettivi strategici e {w.n(f['operational_ind'])} degli obiettivi operativi; "
            f"{w.n(f['below'])} sono sotto target.")
    return Composed(intent="count", body=body)


def _count_objective(ctx: Context, ref, below: list[Indicator]) -> Composed:
    """The indicators (and operational objectives) under one objective, and how many are below target."""
    view, book, w, y = ctx.view, ctx.book, ctx.w, ctx.view.year
    inds = [i for i in view.report.indicators() if in_scope(i, ctx.plan)]
    kind = "obiettivo strategico" if ref.kind == "strategic" else "obiettivo operativo"
    title = f" {w.label(ref.name)}" if ref.name else ""
    if not inds:
        return Composed(intent="count", body=f"Nel {y} l'{kind} {ref.code}{title} non ha indicatori misurati.")
    n = book.count(ids.count(f"{ref.kind}{ref.code}:indicators", y), len(inds), f"Indicatori dell'{kind} {ref.code}")
    nb = book.count(ids.count(f"{ref.kind}{ref.code}:below", y), len([i for i in below if in_scope(i, ctx.plan)]),
                    f"Indicatori sotto target dell'{kind} {ref.code}")
    body = f"Nel {y} l'{kind} {ref.code}{title} ha {w.n(n)} indicatori misurati, di cui {w.n(nb)} sotto target."
    sub = [o for s in view.report.strategic_objectives() if s.code == ref.code for o in s.operational_objectives if o.indicators]
    if sub:
        no = book.count(ids.count(f"{ref.kind}{ref.code}:operational", y), len(sub), f"Obiettivi operativi con indicatori dell'{kind} {ref.code}")
        body += f" Vi rientrano {w.n(no)} obiettivi operativi con indicatori."
    return Composed(intent="count", body=body)


def _count_by_area(ctx: Context, below: list[Indicator]) -> Composed:
    """'Quanti obiettivi strategici ci sono per area?': each area's objectives and indicators."""
    view, book, w, y = ctx.view, ctx.book, ctx.w, ctx.view.year
    rows, lines, bars = [], [f"Nel {y} per area strategica:", ""], []
    for area in view.report.areas:
        n = area.number
        inds = [i for i in view.report.indicators() if i.area == n]
        objs = [oo for so in area.strategic_objectives for oo in so.operational_objectives if oo.indicators]
        f = (book.count(ids.count(f"area{n}:strategic", y), len(area.strategic_objectives), f"Obiettivi strategici dell'area {n}"),
             book.count(ids.count(f"area{n}:operational", y), len(objs), f"Obiettivi operativi con indicatori dell'area {n}"),
             book.count(ids.count(f"area{n}:indicators", y), len(inds), f"Indicatori dell'area {n}"),
             book.count(ids.count(f"area{n}:below", y), len([i for i in below if i.area == n]), f"Indicatori sotto target dell'area {n}"))
        lines.append(f"- Area {n} – {w.label(area.title)}: {w.n(f[0])} obiettivi strategici, {w.n(f[1])} obiettivi operativi "
                     f"con indicatori, {w.n(f[2])} indicatori ({w.n(f[3])} sotto target).")
        rows.append([str(n), w.label(area.title), w.n(f[0]), w.n(f[1]), w.n(f[2]), w.n(f[3])])
        bars.append((f"{n} {area.title}"[:48], "", f[1] if ctx.plan.level == "operational" else f[2] if ctx.plan.subject == "indicator" else f[0]))
    table = Table(columns=["Area", "Titolo", "Obiettivi strategici", "Obiettivi operativi", "Indicatori", "Sotto target"], rows=rows)
    what = "Obiettivi operativi" if ctx.plan.level == "operational" else "Indicatori" if ctx.plan.subject == "indicator" else "Obiettivi strategici"
    return Composed(intent="count", body="\n".join(lines), table=table, chart=chart_of(f"{what} per area, {y}", bars))
