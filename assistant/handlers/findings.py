"""The checks an OIV makes: anomalies of the tables, weights, actuals against their measures,
changes without an explanation, and amounts across tables."""

from __future__ import annotations

from ingest.checks import recompute_actual
from ingest.claims import extract_claims
from ingest.crosscheck import FINANCIAL_TABLE, RESOURCES_TABLE, AmountPair, cross_table_pairs
from ingest.model import Finding, FindingKind
from ingest.numbers import NumberError, parse_quantity
from ingest.records import SourceRef

from .. import fact_ids as ids
from ..facts import Fact, FactBook
from ..workspace import YearView
from ..writer import Writer
from .base import Composed, Context, Table, find_indicator
from .changes import claim_line, claim_of, plan_line
from .registry import handler, when

SEVERITY_IT = {"error": "errore", "warning": "da verificare", "info": "nota"}
_TABLE_SUBJECTS = {"resource", "intervention", "financial"}


@handler("findings", when(acts={"check"}), when(subjects={"finding"}))
def answer_findings(ctx: Context) -> Composed:
    plan, view = ctx.plan, ctx.view
    if plan.subject in _TABLE_SUBJECTS or plan.refs_of("resource", "financial"):
        return _across_tables(ctx)
    findings = [f for f in view.findings if f.kind != FindingKind.narrative_claim_confirmed and _asked(f, ctx)]
    if plan.measure == "weight":
        return _weights(ctx, findings)
    if not findings:
        what = f" per {', '.join(r.label() for r in plan.refs)}" if plan.refs else ""
        return Composed(intent="findings", body=f"Nessuna anomalia rilevata{what} nel {view.year}.")
    n = ctx.book.count(ids.count("findings", view.year), len(findings), f"Rilievi per il {view.year}")
    opening = (f"No: {finding_text(findings[0], view, ctx.book, ctx.w)}" if plan.refs and len(findings) == 1 else
               f"Per il {view.year} ci sono {ctx.w.n(n)} rilievi da verificare (quel che l'OIV controllerebbe), "
               "con la posizione nel documento:")
    lines = [opening, ""]
    if not (plan.refs and len(findings) == 1):
        for f in findings:
            where = ", ".join(ctx.w.at(x.label()) for x in (f.source, f.claim_source, f.other_source) if x is not None)
            lines.append(f"- [{SEVERITY_IT[f.severity.value]}] {finding_text(f, view, ctx.book, ctx.w)}" + (f" ({where})" if where else ""))
    return Composed(intent="findings", body="\n".join(lines).strip())


def _asked(f: Finding, ctx: Context) -> bool:
    """The findings the plan asks about: of the items named, of the kind of check named."""
    plan = ctx.plan
    names = {r.name for r in plan.refs_of("indicator")}
    codes = {r.code for r in plan.refs_of("strategic", "operational")}
    if names and f.indicator not in names:
        return False
    if codes and not codes & {f.operational_objective, f.strategic_objective}:
        return False
    if plan.measure == "actual":
        return f.kind == FindingKind.consuntivo_mismatch
    if plan.condition == "below_target":
        return f.kind == FindingKind.below_target_without_cause
    if plan.subject == "indicator" and not names:
        return f.indicator is not None
    return True


def _answer(ctx: Context, fine: bool) -> str:
    """'Sì: ' when the check holds, 'No: ' when it fails; the other way round for a question
    asked in the negative ('ci sono pesi che non sommano a 100?')."""
    return "Sì: " if fine != ctx.plan.negated else "No: "


def _weights(ctx: Context, findings: list[Finding]) -> Composed:
    year = ctx.view.year
    wrong = [f for f in findings if f.kind == FindingKind.weights_not_100]
    if not wrong:
        return Composed(intent="findings", body=(
            f"{_answer(ctx, True)}nel {year} i pesi delle aree, degli obiettivi e degli indicatori sommano al 100% a ogni livello "
            "dell'albero (a meno degli arrotondamenti)."))
    lines = [f"{_answer(ctx, False)}nel {year} in {len(wrong)} punti dell'albero i pesi non sommano a 100:", ""]
    lines += [f"- {f.message} ({ctx.w.at(f.source.label())})" if f.source else f"- {f.message}" for f in wrong]
    return Composed(intent="findings", body="\n".join(lines))


def _across_tables(ctx: Context) -> Composed:
    """Each amount of the resources table (and the interventions total) against the line of
    the financial summary that prints the same value: same year, another year, or none."""
    view, book, w = ctx.view, ctx.book, ctx.w
    report = view.relazione or view.report
    pairs = cross_table_pairs(report)
    wanted = {r.code for r in ctx.plan.refs_of("resource")}
    if wanted:
        pairs = [p for p in pairs if p.label in wanted]
    if ctx.plan.subject == "intervention" and not wanted:
        pairs = [p for p in pairs if p.table != RESOURCES_TABLE]
    if not pairs:
        return Composed(intent="findings", body=f"Per il {view.year} non ci sono importi da confrontare tra le tabelle.")
    wrong = [p for p in pairs if p.line is not None and not p.same_year]
    rows = [_pair_row(p, report.year, book, w) for p in pairs]
    if wrong:
        opening = _answer(ctx, False) + " ".join(pair_text(p, book, w) for p in wrong)
    else:
        opening = (f"{_answer(ctx, True)}nel {report.year} gli importi confrontati corrispondono alle righe della {w.name(FINANCIAL_TABLE)} "
                   "dello stesso anno.")
    table = Table(columns=["Tabella", "Voce", "Importo", f"Riga della {FINANCIAL_TABLE}", "Anno", "Esito"], rows=rows)
    return Composed(intent="findings", body=opening + "\n\n" + table.markdown(), table=table)


def _amount_fact(p: AmountPair, book: FactBook) -> Fact | None:
    return book.get(ids.res(p.label, "consuntivo")) if p.table == RESOURCES_TABLE else book.get(ids.intervention(None))


def _pair_row(p: AmountPair, year: int, book: FactBook, w: Writer) -> list[str]:
    amount = _amount_fact(p, book)
    if p.line is None:
        return [p.table, w.label(p.label), w.n(amount), "—", "", "nessuna riga con lo stesso importo"]
    verdict = "coerente" if p.same_year else f"uguale al {p.line_year}, non al {year}: verificare"
    return [p.table, w.label(p.label), w.n(amount), w.label(p.line), str(p.line_year), verdict]


def pair_text(p: AmountPair, book: FactBook, w: Writer) -> str:
    """An amount printed for one year that the summary prints for another."""
    amount, other = _amount_fact(p, book), book.get(ids.fin(p.line or "", p.line_year or 0))
    current = book.get(ids.fin(p.line or "", p.year))
    return (f"{w.name(p.label)} a {p.field} {p.year} nella tabella {w.name(p.table)} è {w.n(amount)}, "
            f"lo stesso importo di {w.name(p.line)} del {p.line_year} nella {w.name(FINANCIAL_TABLE)} "
            f"({w.n(other, absolute=True)}), che per il {p.year} riporta {w.n(current, absolute=True)}: verificare l'anno del dato.")


def finding_text(f: Finding, view: YearView, book: FactBook, w: Writer) -> str:
    """A finding's message, with its numbers written from facts."""
    if f.kind == FindingKind.consuntivo_mismatch:
        ind = find_indicator(view.report, f.indicator, f.operational_objective)
        if ind is not None:
            recomputed = book.get(ids.indicator(ind.key, "recomputed"))
            measures = ", ".join(w.n(ids.indicator(ind.key, f"measure{i}")) for i in range(len(ind.measures)))
            return (f"{w.name(ind.name)} (obiettivo {ind.operational_objective or ind.strategic_objective}): consuntivo stampato "
                    f"{w.n(ids.indicator(ind.key, 'actual'))}, mentre i valori misure ({measures}) con l'algoritmo danno "
                    f"{w.n(recomputed) if recomputed else f.expected}.")
    if f.kind in (FindingKind.target_changed_unexplained, FindingKind.target_changed_explained, FindingKind.weight_changed,
                  FindingKind.objective_removed_in_report):
        return plan_line(f, view, book, w)
    if f.kind == FindingKind.narrative_claim_not_in_tables:
        claims = extract_claims(view.relazione.sections) if view.relazione else []
        return claim_line(f, claim_of(f, claims), view, book, w)
    if f.kind == FindingKind.amount_from_other_year:
        pair = next((p for p in cross_table_pairs(view.relazione or view.report) if p.source == f.source), None)
        if pair is not None:
            return pair_text(pair, book, w)
    if f.indicator:
        w.name(f.indicator)  # the message names it between « »
    return f.message


def finding_facts(book: FactBook, view: YearView) -> None:
    """The numbers findings print: recomputed actuals, and any quantity a check printed or expected."""
    doc = view.relazione or view.report
    for i, f in enumerate(view.findings):
        for which, raw in (("printed", f.printed), ("expected", f.expected)):
            if not raw:
                continue
            try:
                q = parse_quantity(raw.replace("%", " %").replace("  ", " ").strip())
            except NumberError:
                continue
            book.add(Fact(
                id=str(ids.finding(i, which)), value=q.value, unit=q.unit or "", decimals=max(q.decimals, 0),
                label=f"{'Valore stampato' if which == 'printed' else 'Valore atteso dal controllo'}: {f.message}",
                source=SourceRef.of(doc, f.source) if (which == "printed" and f.source) else None,
                operation="read" if which == "printed" else "ratio",
            ))
    for f in view.findings:
        if f.kind != FindingKind.consuntivo_mismatch:
            continue
        ind = find_indicator(view.report, f.indicator, f.operational_objective)
        if ind is None or ind.actual is None or (value := recompute_actual(ind)) is None:
            continue
        book.add(Fact(
            id=str(ids.indicator(ind.key, "recomputed")), value=value, unit=ind.actual.unit or "",
            decimals=max(ind.actual.decimals, 0), label=f"Consuntivo ricalcolato dai valori misure con l'algoritmo «{ind.algorithm}»",
            operation="ratio", derived_from=tuple(str(ids.indicator(ind.key, f"measure{i}")) for i in range(len(ind.measures))),
            scope=(ind.key,),
        ))
