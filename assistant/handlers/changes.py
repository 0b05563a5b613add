"""Changes between the Piano and the Relazione: what section 5 declares, what the tables show."""

from __future__ import annotations

from ingest.claims import extract_claims
from ingest.model import Finding, FindingKind, Indicator, Report
from ingest.numbers import NumberError, parse_number
from ingest.records import SourceRef

from .. import fact_ids as ids
from ..facts import Fact, FactBook
from ..plan.model import Ref
from ..workspace import YearView
from ..writer import Writer
from .base import Composed, Context, find_indicator, in_scope
from .registry import handler, when

CLAIM_KINDS = (FindingKind.narrative_claim_not_in_tables, FindingKind.narrative_claim_confirmed)
PLAN_KINDS = (
    FindingKind.target_changed_unexplained, FindingKind.target_changed_explained, FindingKind.weight_changed,
    FindingKind.objective_removed_in_report, FindingKind.objective_added_in_report,
    FindingKind.indicator_removed_in_report, FindingKind.indicator_added_in_report,
)


@handler("target_changes", when(conditions={"target_changed"}))
def answer_target_changes(ctx: Context) -> Composed:
    plan = ctx.plan
    only = FindingKind.weight_changed if plan.measure == "weight" else None
    years = _plan_years(ctx)
    if years is not None and only is None:
        return Composed(intent="target_changes", body=plan_years_body(ctx, *years))
    return Composed(intent="target_changes", body=target_changes_body(ctx.view, ctx.book, ctx.w, plan.refs, only))


def _plan_years(ctx: Context) -> tuple[int, int] | None:
    """Two years of the Piano to compare targets between: the two the question names, or, for a
    year the store has no Relazione of, that year against the year before ('quali target sono
    cambiati nel 2020?' asked before the Relazione 2020 is written)."""
    view = ctx.view
    if view.plan is None:
        return None
    held = {y for ind in view.plan.indicators() for y in ind.targets_by_year}
    named = [y for y in ctx.plan.years if y in held]
    if len(named) >= 2:
        return named[0], named[-1]
    year = named[0] if named else view.year
    if year - 1 in held and year in held and (year != view.year or view.relazione is None):
        return year - 1, year  # a year of the Piano past the data, or one with no Relazione yet
    return None


def plan_years_body(ctx: Context, before: int, after: int) -> str:
    """The indicators whose Piano target for `after` differs from the one for `before`."""
    view, book, w, refs = ctx.view, ctx.book, ctx.w, ctx.plan.refs
    synthetic = " (documento SINTETICO)" if view.plan.synthetic else ""  # type: ignore[union-attr]
    scope = [i for i in view.plan.indicators() if _in_refs(i, ctx.plan)  # type: ignore[union-attr]
             and before in i.targets_by_year and after in i.targets_by_year]
    changed = [i for i in scope if (i.targets_by_year[before].operator, i.targets_by_year[before].value)
               != (i.targets_by_year[after].operator, i.targets_by_year[after].value)]
    if ctx.plan.trend is not None:  # 'quali target sono più alti nel 2021?': only those that rose (or fell)
        up = ctx.plan.trend == "up"
        changed = [i for i in changed if (i.targets_by_year[after].value > i.targets_by_year[before].value) == up]
    if not changed and len(scope) == 1:  # one indicator asked about: its target, unchanged
        i = scope[0]
        return (f"No: nel Piano della performance{synthetic} il target di {w.name(i.name)} è "
                f"{i.targets_by_year[after].operator} {w.n(ids.plan_target(i.key, after))} nel {after} come nel {before}.")
    where = (" per " + ", ".join(f"l'indicatore {w.name(r.name)}" if r.kind == "indicator" else r.label()
                                 for r in refs)) if refs else ""
    total = book.count(ids.count(f"plan-targets:{before}-{after}", view.year), len(scope),
                       f"Indicatori del Piano con un target per il {before} e per il {after}{where}")
    n = book.count(ids.count(f"plan-targets-changed:{before}-{after}", view.year), len(changed),
                   f"Indicatori del Piano il cui target {after} differisce da quello {before}{where}")
    lead = (f"Nel Piano della performance{synthetic}{where} il target {after} è diverso da quello {before} "
            f"per {w.n(n)} indicator{'e' if n.value == 1 else 'i'} su {w.n(total)}")
    if after > view.year or (view.relazione is None and view.year == after):
        lead += f" (la Relazione {after} non è nello store: il confronto è tra i target programmati)"
    if not changed:
        return lead + ": i target restano gli stessi."
    lines = [lead + ":"]
    for i in changed:
        old, new = i.targets_by_year[before], i.targets_by_year[after]
        lines.append(f"- {i.operational_objective or i.strategic_objective} {w.name(i.name)}: da {old.operator} "
                     f"{w.n(ids.plan_target(i.key, before))} nel {before} a {new.operator} "
                     f"{w.n(ids.plan_target(i.key, after))} nel {after}.")
    return "\n".join(lines)


def _in_refs(ind: Indicator, plan) -> bool:
    """Under the areas and objectives the question names, and one of the indicators it names (if any)."""
    named = plan.refs_of("indicator")
    return in_scope(ind, plan) and (not named or any(r.code == ind.key for r in named))


def target_changes_body(view: YearView, book: FactBook, w: Writer, refs: tuple[Ref, ...] = (),
                        only: FindingKind | None = None) -> str:
    """The changes of the year, opening with what the OIV must look at; restricted to the items
    `refs` names and to one kind of change when asked ('quali pesi sono cambiati?')."""
    report = view.relazione
    if report is None:
        what = "ai pesi" if only == FindingKind.weight_changed else "ai target"
        return (f"Per il {view.year} non c'è una Relazione nello store: le modifiche {what} si leggono nella "
                f"sezione 5 della Relazione e nel confronto con il Piano. Carica la Relazione {view.year}.")
    claims = extract_claims(report.sections)
    claim_findings = [f for f in view.findings if f.kind in CLAIM_KINDS and _about(f, refs) and only is None]
    plan_findings = [f for f in view.findings if f.kind in PLAN_KINDS and _about(f, refs) and (only is None or f.kind == only)]
    opening = _opening(view, book, w, claim_findings, plan_findings, refs)  # first: its numbers are the first notes
    details: list[str] = []
    if claim_findings:
        details.append("Dichiarate nella sezione 5 della Relazione:")
        details += [f"- {claim_line(f, claim_of(f, claims), view, book, w)}" for f in claim_findings]
        details.append("")
    synthetic = " (documento SINTETICO)" if view.plan is not None and view.plan.synthetic else ""
    if view.plan is None:
        details.append("Il Piano della performance non è nello store: caricalo per il confronto Piano/Relazione.")
    elif plan_findings:
        details.append(f"Differenze tra il Piano{synthetic} e le tabelle della Relazione:")
        details += [f"- {plan_line(f, view, book, w)}" for f in plan_findings]
    elif not refs:
        details.append(f"Nessuna differenza tra il Piano{synthetic} e le tabelle della Relazione.")
    return "\n".join([opening, ""] + details).strip()


def _opening(view: YearView, book: FactBook, w: Writer, claims: list[Finding], plan: list[Finding], refs) -> str:
    if refs and not claims and not plan:
        what = ", ".join(r.label() for r in refs)
        return f"No: nel {view.year} per {what} non risultano modifiche tra il Piano e la Relazione."
    inconsistent = [f for f in claims if f.kind == FindingKind.narrative_claim_not_in_tables]
    unexplained = [f for f in plan if f.kind == FindingKind.target_changed_unexplained]
    parts = []
    if inconsistent:
        n = book.count(ids.count("claims-not-in-tables", view.year), len(inconsistent),
                       "Modifiche dichiarate nella sezione 5 che le tabelle non riportano")
        parts.append(f"{w.n(n)} modific{'a' if n.value == 1 else 'he'} dichiarat{'a' if n.value == 1 else 'e'} nella "
                     f"sezione 5 non si ved{'e' if n.value == 1 else 'ono'} nelle tabelle")
    if unexplained:
        n = book.count(ids.count("targets-unexplained", view.year), len(unexplained),
                       "Cambi di target rispetto al Piano non spiegati nella sezione 5")
        parts.append(f"{w.n(n)} camb{'io' if n.value == 1 else 'i'} di target rispetto al Piano non "
                     f"{'è spiegato' if n.value == 1 else 'sono spiegati'} nella sezione 5")
    if parts:
        lead = "Sì: " if refs else f"Nel {view.year}, "
        return lead + "; ".join(parts) + " (da sistemare prima della validazione dell'OIV)."
    if claims or plan:
        return f"Nel {view.year} le modifiche a obiettivi e target sono queste, tutte spiegate e coerenti con le tabelle."
    return f"Nel {view.year} non risultano modifiche a obiettivi e target."


def _about(f: Finding, refs: tuple[Ref, ...]) -> bool:
    if not refs:
        return True
    for ref in refs:
        if ref.kind == "indicator" and f.indicator == ref.name:
            return True
        if ref.kind in ("strategic", "operational") and ref.code in (f.operational_objective, f.strategic_objective):
            return True
        if ref.kind == "area" and (f.operational_objective or f.strategic_objective or "").split(".")[0] == ref.code:
            return True
    return False


def claim_of(f: Finding, claims):
    """The section 5 claim a finding checks: same place, and the same objectives and target
    (in a PDF every claim of section 5 is on the same page)."""
    for claim in claims:
        if claim.source != f.claim_source:
            continue
        if claim.kind == "move" and f.expected == f"{claim.from_objective} -> {claim.objective}":
            return claim
        if claim.kind == "target" and claim.objective == f.operational_objective and claim.new_target == f.expected:
            return claim
        if claim.kind == "remove" and claim.objective == f.operational_objective and f.expected == "obiettivo eliminato":
            return claim
    return None


def _target(book: FactBook, ind: Indicator | None) -> Fact | None:
    return book.get(ids.indicator(ind.key, "target")) if ind else None


def claim_line(f: Finding, claim, view: YearView, book: FactBook, w: Writer) -> str:
    ind = find_indicator(view.relazione, f.indicator, f.operational_objective)
    consistent = f.kind == FindingKind.narrative_claim_confirmed
    status = "coerente con le tabelle" if consistent else "**non riportata dalle tabelle**"
    where = w.at(f.source.label()) if f.source else "—"
    if claim is not None and claim.kind == "target":
        claimed = book.get(ids.claim(claim.source.label(), claim.objective, "new"))
        table = _target(book, ind)
        return (f"obiettivo {claim.objective}, indicatore {w.name(ind.name if ind else claim.indicator)}: target portato a "
                f"{w.n(claimed) if claimed else claim.new_target} secondo la sezione 5 ({w.at(claim.source.label())}); "
                f"la tabella riporta {(ind.target.operator + ' ' + w.n(table)) if table else 'un altro valore'} "
                f"({where}): {status}.")
    if claim is not None and claim.kind == "move":
        return (f"indicatore {w.name(ind.name if ind else claim.indicator)} spostato da {claim.from_objective} a {claim.objective} "
                f"secondo la sezione 5 ({w.at(claim.source.label())}); la tabella lo riporta sotto {f.printed or '—'} "
                f"({where}): {status}.")
    if claim is not None and claim.kind == "remove":
        return (f"obiettivo operativo {claim.objective} {w.name(claim.new_description)} eliminato secondo la sezione 5 "
                f"({w.at(claim.source.label())}): {status}.")
    return f.message


def plan_line(f: Finding, view: YearView, book: FactBook, w: Writer) -> str:
    plan, report = view.plan, view.relazione
    code = f.operational_objective or f.strategic_objective
    if f.kind in (FindingKind.target_changed_unexplained, FindingKind.target_changed_explained):
        r_ind = find_indicator(report, f.indicator, code)
        p_ind = find_indicator(plan, f.indicator, code)
        planned = book.get(ids.plan_target(p_ind.key, view.year)) if p_ind else None
        reported = _target(book, r_ind)
        why = ("modifica dichiarata nella sezione 5" if f.kind == FindingKind.target_changed_explained
               else "**senza spiegazione nella sezione 5**")
        planned_text = f"{p_ind.targets_by_year[view.year].operator} {w.n(planned)}" if planned and p_ind else f.expected
        reported_text = f"{r_ind.target.operator} {w.n(reported)}" if reported and r_ind else f.printed
        return (f"obiettivo {code}, {w.name(f.indicator)}: target {planned_text} nel Piano, "
                f"{reported_text} nella Relazione ({w.at(f.source.label()) if f.source else '—'}): {why}.")
    if f.kind == FindingKind.weight_changed:
        planned = book.get(ids.weight_in("plan", code or "", f.indicator))
        reported = book.get(ids.weight_in("report", code or "", f.indicator))
        what = f"indicatore {w.name(f.indicator)} dell'obiettivo {code}" if f.indicator else f"obiettivo {code}"
        return (f"peso dell'{what}: {w.n(planned) if planned else f.expected} nel Piano, "
                f"{w.n(reported) if reported else f.printed} nella Relazione.")
    if f.kind == FindingKind.objective_removed_in_report:
        explained = "eliminazione dichiarata nella sezione 5" if f.claim_source else "**senza spiegazione nella sezione 5**"
        return f"obiettivo operativo {f.operational_objective} {w.name(f.expected)} presente nel Piano e assente dalla Relazione: {explained}."
    return f.message


def change_facts(book: FactBook, view: YearView) -> None:
    """Numbers of claims (section 5) and of Piano/Relazione differences, as facts."""
    report, plan = view.relazione, view.plan
    if report is not None:
        for claim in extract_claims(report.sections):
            for which, raw in (("new", claim.new_target), ("old", claim.old_target)):
                if not raw:
                    continue
                try:
                    value, decimals = parse_number(raw.replace(">=", "").replace("<=", "").strip())
                except NumberError:
                    continue
                book.add(Fact(
                    id=str(ids.claim(claim.source.label(), claim.objective, which)), value=value, decimals=max(decimals, 0),
                    label=f"Target {'dichiarato' if which == 'new' else 'precedente'} nella sezione 5 per l'obiettivo {claim.objective}",
                    source=SourceRef.of(report, claim.source), scope=(claim.objective or "",),
                ))
    if plan is None:
        return
    for ind in plan.indicators():
        for year, t in ind.targets_by_year.items():
            book.add(Fact(
                id=str(ids.plan_target(ind.key, year)), value=t.value, unit=t.unit or "", decimals=max(t.decimals, 0),
                label=f"Target {year} nel Piano di «{ind.name}» ({t.raw})", source=SourceRef.of(plan, ind.source),
                scope=(ind.operational_objective or ind.strategic_objective,),
            ))
    for f in view.findings:
        if f.kind == FindingKind.weight_changed:
            _weight_facts(book, f, plan, report or view.report)


def _weight_facts(book: FactBook, f: Finding, plan: Report, report: Report) -> None:
    code = f.operational_objective or f.strategic_objective or ""
    for document, raw, doc, loc in (("plan", f.expected, plan, f.plan_source), ("report", f.printed, report, f.source)):
        if raw and loc is not None:
            value, decimals = parse_number(raw.replace("%", "").strip())
            book.add(Fact(
                id=str(ids.weight_in(document, code, f.indicator)), value=value, unit="%", decimals=max(decimals, 0),  # type: ignore[arg-type]
                label=f"Peso {'nel Piano' if document == 'plan' else 'nella Relazione'} ({code})",
                source=SourceRef.of(doc, loc), scope=(code,),
            ))
