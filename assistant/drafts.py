"""Section drafts of the Relazione (Unioncamere outline), rendered from facts with Jinja2.

The templates live in prompts/drafts/; this module prepares what they show (typed objects,
facts) and renders them with a `Writer`, so that every number carries its footnote and the
draft ends with its sources. Nothing here writes numbers itself.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from ingest.model import FindingKind

from . import fact_ids as ids
from .facts import Fact, FactBook
from .grounding import Passage
from .handlers.base import PassageSearch
from .handlers.changes import target_changes_body
from .handlers.deviations import below_target, cause_passage
from .handlers.finance import (
    balance_text,
    change_direction,
    financial_report,
    financial_rows,
    is_balance,
)
from .handlers.findings import finding_text
from .llm import prompt_env
from .retrieval import SearchFilters
from .workspace import YearView
from .writer import Writer

SECTIONS: dict[str, str] = {
    "1": "1. I principali risultati raggiunti",
    "2": "2. Analisi del contesto e delle risorse",
    "3.3": "3.3 Valutazione complessiva della performance organizzativa",
    "scostamenti": "Scostamenti e azioni correttive",
    "5": "5. Il processo di misurazione e valutazione",
}
ORDER = ["1", "2", "3.3", "scostamenti", "5"]


class Row(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    label: str
    values: list[Fact | None] = []


class ResourceItem(BaseModel):
    model_config = ConfigDict(frozen=True)

    category: str
    label: str
    prev: Fact | None
    cons: Fact | None
    ratio: Fact | None
    diff: Fact | None


class InterventionItem(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    title: str
    amount: Fact | None
    share: Fact | None


class TrendItem(BaseModel):
    model_config = ConfigDict(frozen=True)

    label: str
    last: Fact
    diff: Fact
    pct: Fact | None
    period: Fact | None
    direction: str  # 'in aumento', 'in calo', 'invariato' (for costs printed as negatives: by amount)
    previous: Fact | None = None
    period_direction: str = ""  # over the whole table, in words (a % of a cost printed negative has no sign)
    balance: bool = False  # a surplus or deficit: told in words (`balance_text`), no % change


class FinancialView(BaseModel):
    model_config = ConfigDict(frozen=True)

    years: list[int]
    rows: list[Row]
    trend: list[TrendItem]


class DeviationItem(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    name: str
    operator: str
    actual: Fact
    target: Fact
    gap: Fact
    achievement: Fact
    band: str
    cause: Passage | None
    action: str


class Counts(BaseModel):
    model_config = ConfigDict(frozen=True)

    total: Fact
    below: Fact
    raggiunto: Fact
    parziale: Fact
    non: Fact
    operational_total: Fact | None = None
    operational_full: Fact | None = None


def resource_items(book: FactBook, view: YearView) -> list[ResourceItem]:
    report = view.relazione
    if report is None or report.year != view.year:
        return []
    items = []
    for r in report.resources:
        prev, cons = book.get(ids.res(r.label, "preventivo")), book.get(ids.res(r.label, "consuntivo"))
        diff = book.difference(cons, prev, f"Consuntivo meno preventivo: {r.label}", decimals=0) if prev and cons else None
        items.append(ResourceItem(category=r.category, label=r.label, prev=prev, cons=cons,
                                  ratio=book.get(ids.res(r.label, "ratio")), diff=diff))
    return items


def financial_view(book: FactBook, view: YearView) -> FinancialView | None:
    report = financial_report(view)
    if report is None or report.year != view.year:
        return None
    fin = report.financial
    rows, trend = [], []
    for line, values, changes in financial_rows(book, report):
        rows.append(Row(label=line.label, values=[f for _, f in values]))
        if line.total and changes:
            _, diff, pct = changes[-1]
            first, last = values[0][1], values[-1][1]
            period = None
            if first is not None and last is not None and len(values) > 2 and not is_balance(line):
                period = book.pct_change(last, first, f"Variazione % {fin.years[-1]}/{fin.years[0]} di «{line.label}»")
            previous = values[-2][1]
            direction = change_direction(previous.value if previous else None, last.value)
            trend.append(TrendItem(label=line.label, last=last, diff=diff, pct=pct, period=period, direction=direction,
                                   previous=previous, balance=is_balance(line),
                                   period_direction=change_direction(first.value, last.value) if first and last else ""))
    return FinancialView(years=list(fin.years), rows=rows, trend=trend)


def intervention_items(book: FactBook, view: YearView) -> tuple[list[InterventionItem], Fact | None]:
    report = view.relazione
    if report is None or report.year != view.year:
        return [], None
    total = book.get(ids.intervention(None))
    items = []
    for i in report.interventions:
        if i.total:
            continue
        amount = book.get(ids.intervention(i.code))
        share = book.share(amount, total, f"Quota degli interventi economici dell'OS {i.code} sul totale") if amount and total else None
        items.append(InterventionItem(code=i.code or "", title=i.title, amount=amount, share=share))
    return items, total


def counts(book: FactBook, view: YearView) -> Counts:
    scores = [view.scorecard.indicators[i.key] for i in view.report.indicators()]
    measured = [s for s in scores if s.achievement is not None]
    y = view.year
    ops = [n for n in view.scorecard.nodes("operational") if n.achievement is not None]
    return Counts(
        total=book.count(ids.count("indicators", y), len(measured), f"Indicatori misurati nel {y}"),
        below=book.count(ids.count("below", y), sum(1 for s in measured if s.met is False), f"Indicatori sotto target nel {y}"),
        raggiunto=book.count(ids.count("band-r", y), sum(1 for s in measured if s.band == "raggiunto"), "Indicatori con valutazione «raggiunto»"),
        parziale=book.count(ids.count("band-p", y), sum(1 for s in measured if s.band == "parzialmente raggiunto"),
                            "Indicatori con valutazione «parzialmente raggiunto»"),
        non=book.count(ids.count("band-n", y), sum(1 for s in measured if s.band == "non raggiunto"), "Indicatori con valutazione «non raggiunto»"),
        operational_total=book.count(ids.count("ops", y), len(ops), "Obiettivi operativi misurati") if ops else None,
        operational_full=book.count(ids.count("ops-full", y), sum(1 for n in ops if n.achievement == 1),
                                    "Obiettivi operativi pienamente raggiunti") if ops else None,
    )


def corrective_action(band: str, operator: str, code: str, year: int) -> str:
    """A proposal the staff will edit: what a Relazione usually commits to, by severity."""
    if operator == "=":
        return (f"eliminare la non conformità o la differenza rilevata e documentarne la correzione; verificare al primo "
                f"monitoraggio del {year + 1} che il valore atteso sia ripristinato.")
    if band == "non raggiunto":
        return (f"analisi delle cause con il responsabile dell'obiettivo {code} entro il primo monitoraggio del {year + 1}; "
                f"verifica delle risorse e dei tempi assegnati e, se la causa è esterna all'Ente, revisione motivata del target "
                f"nel Piano {year + 1}.")
    if band == "parzialmente raggiunto":
        return (f"monitoraggio semestrale dedicato e azioni mirate a recuperare lo scostamento nel {year + 1}; "
                f"conferma del target se la causa è contingente.")
    return "scostamento contenuto: mantenere il presidio e verificarlo al monitoraggio semestrale."


def deviation_items(book: FactBook, view: YearView, search: PassageSearch | None) -> list[DeviationItem]:
    items = []
    for ind in below_target(view):
        score = view.scorecard.indicators[ind.key]
        code = ind.operational_objective or ind.strategic_objective
        cause = cause_passage(ind, view, search) if search else None
        items.append(
            DeviationItem(
                code=code, name=ind.name, operator=ind.target.operator, actual=book[ids.indicator(ind.key, "actual")],
                target=book[ids.indicator(ind.key, "target")],
                gap=book[ids.computed("diff", ids.indicator(ind.key, "actual"), ids.indicator(ind.key, "target"))],
                achievement=book[ids.indicator(ind.key, "achievement")], band=score.band or "", cause=cause,
                action=corrective_action(score.band or "", ind.target.operator, code, view.year),
            )
        )
    return items


def render_section(section: str, view: YearView, book: FactBook, w: Writer, search: PassageSearch | None) -> str:
    env = prompt_env()
    card = view.scorecard
    common = {"view": view, "w": w, "year": view.year, "ente": view.ente, "card": card}
    if section == "1":
        key_groups: dict[str, list] = {}
        report = view.relazione
        if report is not None and report.year == view.year:
            for k in report.key_indicators:
                fact = book.get(ids.key_indicator(k.label))
                if fact is not None:
                    key_groups.setdefault(k.group, []).append({"label": k.label, "fact": fact})
        below = [s for a in card.root.children for s in a.children if s.achievement is not None and s.achievement < 1]
        return env.get_template("drafts/section_1.md.j2").render(
            **common, below=below, resources=resource_items(book, view), key_indicators=list(key_groups.items())
        )
    if section == "2":
        context, staff = _context_passages(view, search)
        interventions, total = intervention_items(book, view)
        top = max((i for i in interventions if i.share is not None), key=lambda i: i.share.value, default=None)
        return env.get_template("drafts/section_2.md.j2").render(
            **common, context_passages=context, staff_passage=staff, fin=financial_view(book, view), balance_text=balance_text,
            context_focus=CONTEXT_QUERY, staff_focus=STAFF_QUERY,
            resources=resource_items(book, view), interventions=interventions, total_interventions=total,
            top_intervention=top,
        )
    if section == "3.3":
        policy = view.scorecard.policy
        band_high = book.add(Fact(id=str(ids.policy("achieved_from")), value=policy.achieved_from, unit="%", decimals=0,
                                  label="Soglia della fascia «raggiunto» (impostazione del calcolo)"))
        band_low = book.add(Fact(id=str(ids.policy("partial_from")), value=policy.partial_from, unit="%", decimals=0,
                                 label="Soglia della fascia «parzialmente raggiunto» (impostazione del calcolo)"))
        strategic = [n for n in card.nodes("strategic") if n.achievement is not None]
        weakest = min(strategic, key=lambda n: n.achievement) if strategic and min(n.achievement for n in strategic) < 1 else None
        policy_text = "metodo proporzionale" if policy.method == "proportional" else "metodo binario: 100% se il target è raggiunto, altrimenti 0%"
        return env.get_template("drafts/section_3_3.md.j2").render(
            **common, counts=counts(book, view), weakest=weakest, band_high=band_high, band_low=band_low,
            policy_text=policy_text,
        )
    if section == "scostamenti":
        anomalies = [
            finding_text(f, view, book, w) for f in view.findings if f.kind == FindingKind.consuntivo_mismatch
        ]
        basis = "" if view.basis == "relazione" else (
            " (valori dal Piano e dai consuntivi, documenti SINTETICI di prova)" if view.report.synthetic else " (valori dal Piano e dai consuntivi)"
        )
        return env.get_template("drafts/deviations.md.j2").render(
            **common, items=deviation_items(book, view, search), counts=counts(book, view), anomalies=anomalies, basis=basis,
        )
    if section == "5":
        process = _process_passage(view, search)
        return env.get_template("drafts/section_5.md.j2").render(
            **common, changes=target_changes_body(view, book, w), process_passage=process, process_focus=PROCESS_QUERY
        )
    raise ValueError(f"sezione sconosciuta: {section} (sezioni: {', '.join(ORDER)}, all)")


SCANNED_HEADER = (
    "> Attenzione: i numeri con la nota (letto da scansione: da verificare) vengono da pagine acquisite "
    "da scanner e lette con l'OCR: vanno confrontati con l'originale prima di usare la bozza.\n\n"
)
FINDINGS_HEADER = (
    "> Attenzione: i numeri con la nota (rilievo aperto: ...) o (calcolato da dati con rilievi aperti: da verificare) "
    "sono toccati da un rilievo ancora aperto (`relazione findings`): vanno controllati prima di usare la bozza.\n\n"
)


def draft_text(section: str, view: YearView, book: FactBook, w: Writer, search: PassageSearch | None) -> str:
    """The body of a chapter (or of every chapter, 'all'), with the notes it must open with:
    a year built from the Piano and the actuals, numbers read from a scan or touched by an open
    finding."""
    sections = ORDER if section == "all" else [section]
    body = re.sub(r"\n{3,}", "\n\n", "\n\n".join(render_section(s, view, book, w, search) for s in sections)).strip() + "\n"
    kinds = {warning.kind for warning in w.warnings()}
    return (_header(view) + (SCANNED_HEADER if "scan" in kinds else "")
            + (FINDINGS_HEADER if "finding" in kinds else "") + body)


def draft_title(section: str) -> str:
    return SECTIONS[section] if section != "all" else "Bozza della Relazione sulla performance"


def _header(view: YearView) -> str:
    if view.basis == "relazione":
        return ""
    warning = (" I documenti di partenza sono SINTETICI (di prova): la bozza non descrive dati reali."
               if view.report.synthetic else "")
    return (f"> Bozza per il {view.year} costruita dal Piano della performance e dal file dei consuntivi "
            f"(non da una Relazione già approvata).{warning}\n\n")


def _passages(view: YearView, search: PassageSearch | None, query: str, section: str | None, k: int) -> list[Passage]:
    if search is None:
        return []
    return search(query, k, SearchFilters(ente=view.ente, year=view.year, kind="relazione", section=section))


CONTEXT_QUERY = "scenario economico valore aggiunto export occupazione imprese registrate normative"
STAFF_QUERY = "personale unità in calo turnover"
PROCESS_QUERY = "fasi e tempistiche del processo di misurazione e valutazione"


def _context_passages(view: YearView, search: PassageSearch | None) -> tuple[list[Passage], Passage | None]:
    context = _passages(view, search, CONTEXT_QUERY, "2", 3)
    staff = next(iter(_passages(view, search, STAFF_QUERY, "2", 1)), None)
    context = [p for p in context if staff is None or p.text != staff.text]
    return context, staff


def _process_passage(view: YearView, search: PassageSearch | None) -> Passage | None:
    hits = _passages(view, search, PROCESS_QUERY, "5", 1)
    return hits[0] if hits else None
