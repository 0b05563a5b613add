"""The money tables: the financial summary across years, interventi economici by objective and
area, and resources against their preventivo."""

from __future__ import annotations

import re
from dataclasses import replace

from ingest.crosscheck import FINANCIAL_TABLE, RESOURCES_TABLE, cross_table_pairs
from ingest.model import FinancialLine, Report
from ingest.textnorm import fold

from .. import fact_ids as ids
from ..facts import Fact, FactBook
from ..plan.model import Ref
from ..workspace import YearView
from ..writer import Writer
from .base import Composed, Context, Table, chart_of
from .registry import handler, when

# lines whose sign means something (a surplus or a deficit): told in words, never as a % change
_BALANCE_WORDS = ("risultato", "avanzo", "disavanzo", "gestione", "rettifiche")


def financial_report(view: YearView) -> Report | None:
    for r in (view.relazione, view.report):
        if r is not None and r.financial is not None:
            return r
    return None


def financial_rows(book: FactBook, report: Report) -> list[tuple]:
    """(line, [(year, value fact)], [(year, abs change fact, pct change fact)]) for each line."""
    out = []
    for line in report.financial.lines:
        values = [(y, book.get(ids.fin(line.label, y))) for y in report.financial.years]
        changes = []
        for (y0, f0), (y1, f1) in zip(values, values[1:]):
            if f0 is None or f1 is None:
                continue
            diff = book.difference(f1, f0, f"Variazione {y1}/{y0} di «{line.label}»", decimals=0)
            pct = None if is_balance(line) else book.pct_change(f1, f0, f"Variazione % {y1}/{y0} di «{line.label}»")
            changes.append((y1, diff, pct))
        out.append((line, values, changes))
    return out


def is_balance(line: FinancialLine) -> bool:
    """A result line (its values change sign across years, or it is named a result)."""
    signs = {q.value > 0 for q in line.values.values() if q is not None and q.value != 0}
    return len(signs) > 1 or any(word in line.label.lower() for word in _BALANCE_WORDS)


def change_direction(previous, last) -> str:
    """Costs are printed as negative numbers: '-7.648.243' after '-7.896.552' is a decrease."""
    if previous is None or previous == last:
        return "invariato"
    if previous < 0 and last < 0:
        return "in calo" if abs(last) < abs(previous) else "in aumento"
    return "in aumento" if last > previous else "in calo"


def change_text(line: FinancialLine, old: Fact, new: Fact, diff: Fact, pct: Fact | None, w: Writer) -> str:
    """'in calo di 248.309 € (3,1%)'; for a result line, in words: 'passa da un disavanzo di
    531.881 € a un avanzo di 171.108 €' (a % of a figure that changes sign says nothing)."""
    if old.value == new.value:
        return "invariato"
    if not is_balance(line):
        return f"{change_direction(old.value, new.value)} di {w.n(diff, absolute=True)}" + (
            f" ({w.n(pct, absolute=True)})" if pct is not None else "")
    return balance_text(old, new, diff, w)


def balance_text(old: Fact, new: Fact, diff: Fact, w: Writer) -> str:
    """A surplus or deficit that changes, in words and amounts, never as a % of a figure that
    may change sign: 'passa da un disavanzo di 531.881 € a un avanzo di 171.108 €'."""
    def state(f: Fact) -> str:
        return "in pareggio" if f.value == 0 else f"{'un avanzo' if f.value > 0 else 'un disavanzo'} di {w.n(f, absolute=True)}"
    if (old.value > 0) != (new.value > 0) or old.value == 0 or new.value == 0:
        return f"passa da {state(old)} a {state(new)}"
    noun = "avanzo" if new.value > 0 else "disavanzo"
    grows = abs(new.value) > abs(old.value)
    return f"{noun} {'in aumento' if grows else 'in calo'} di {w.n(diff, absolute=True)} (da {w.n(old, absolute=True)} a {w.n(new, absolute=True)})"


def _value_text(line: FinancialLine, f: Fact, w: Writer) -> str:
    if is_balance(line):
        return "in pareggio" if f.value == 0 else f"{'un avanzo' if f.value > 0 else 'un disavanzo'} di {w.n(f, absolute=True)}"
    return w.n(f, absolute=True)  # costs are printed as negative numbers: the amount is what is asked


@handler("financial", when(subjects={"financial"}))
def answer_financial(ctx: Context) -> Composed:
    report = financial_report(ctx.view)
    if report is None:
        return Composed(intent="financial", body=(f"Per il {ctx.view.year} nello store non c'è una tabella di bilancio "
                                                  "(la «Sintesi dei principali dati di bilancio» è nella Relazione)."))
    book, w, plan = ctx.book, ctx.w, ctx.plan
    fin = report.financial
    rows = financial_rows(book, report)
    wanted = {r.code for r in plan.refs_of("financial")}
    chosen = [r for r in rows if r[0].label in wanted] or [r for r in rows if r[0].total]
    named = sorted({y for y in plan.years if y in fin.years})
    year = named[-1] if named else fin.years[-1]
    if plan.act == "compare" and len(named) == 1 and named[0] < fin.years[-1]:
        named, year = [named[0], fin.years[-1]], fin.years[-1]  # 'rispetto al 2018': the baseline
    lines: list[str] = []
    for line, values, _ in chosen:
        by_year = {y: f for y, f in values if f is not None}
        lines.append(_line_sentence(line, by_year, named, year, plan.act in ("compare", "list") or plan.measure == "change", book, w))
    if plan.act == "compare" or len(chosen) > 1 or plan.act == "list":
        if len(chosen) == 2 and plan.act == "lookup":
            lines.append(_share_sentence(chosen, year, book, w))
        table_rows = [[w.label(line.label)] + [w.n(f) if f else "" for _, f in values] for line, values, _ in chosen]
        table = Table(columns=["Voce"] + [str(y) for y in fin.years], rows=table_rows)
        lines += ["", f"Sintesi dei principali dati di bilancio {fin.years[0]}–{fin.years[-1]} ({report.source_file})."]
        chart = None
        if len(chosen) == 1:  # one line across the years
            line, values, _ = chosen[0]
            chart = chart_of(f"{line.label}, {fin.years[0]}–{fin.years[-1]}", [(str(y), "", f) for y, f in values])
        return Composed(intent="financial", body="\n".join(lines), table=table, chart=chart)
    return Composed(intent="financial", body="\n".join(lines))


def _line_sentence(line: FinancialLine, by_year: dict[int, Fact], named: list[int], year: int, trend: bool,
                   book: FactBook, w: Writer) -> str:
    """One line: its value in the year asked, and its change over the span asked (or from
    the year before, and over the whole table), each change told once."""
    current = by_year.get(year)
    if current is None:
        return f"{w.name(line.label)}: nessun valore per il {year}."
    start = named[0] if len(named) >= 2 else (year - 1 if trend and year - 1 in by_year else None)
    if start is None or start == year:
        return f"Nel {year} {w.name(line.label)} è {_value_text(line, current, w)}."
    old = by_year[start]
    if len(named) >= 2:  # 'dal 2016 al 2019': the span asked, once
        change = _change(line, old, current, start, year, book, w)
        span = "" if is_balance(line) else f" (da {_value_text(line, old, w)} a {_value_text(line, current, w)})"
        return f"Dal {start} al {year} {w.name(line.label)}: {change}{span}."
    sentence = (f"Nel {year} {w.name(line.label)} è {_value_text(line, current, w)}: rispetto al {start} "
                f"{_change(line, old, current, start, year, book, w)}.")
    first = min(by_year)
    if first < start:
        sentence += f" Dal {first} al {year}: {_change(line, by_year[first], current, first, year, book, w)}."
    return sentence


def _change(line: FinancialLine, old: Fact, new: Fact, y0: int, y1: int, book: FactBook, w: Writer) -> str:
    diff = book.difference(new, old, f"Variazione {y1}/{y0} di «{line.label}»", decimals=0)
    pct = None if is_balance(line) else book.pct_change(new, old, f"Variazione % {y1}/{y0} di «{line.label}»")
    return change_text(line, old, new, diff, pct, w)


def _share_sentence(chosen: list, year: int, book: FactBook, w: Writer) -> str:
    (a, av, _), (b, bv, _) = chosen
    part, total = dict(av).get(year), dict(bv).get(year)
    if part is None or total is None or is_balance(a) or is_balance(b) or (part.value < 0) != (total.value < 0):
        return ""  # a share of a balance (an avanzo or a disavanzo) means nothing
    if abs(part.value) > abs(total.value):  # the part is the smaller line, whichever was named first
        (a, part), (b, total) = (b, total), (a, part)
    share = book.share(part, total, f"Quota di «{a.label}» su «{b.label}» nel {year}")
    return f"È il {w.n(share)} di {w.name(b.label)}." if share else ""


# -- interventions -----------------------------------------------------------------------------------


@handler("interventions", when(subjects={"intervention"}))
def answer_interventions(ctx: Context) -> Composed:
    view, book, w, plan = ctx.view, ctx.book, ctx.w, ctx.plan
    report = view.relazione or view.report
    items = [i for i in report.interventions if not i.total]
    total = book.get(ids.intervention(None))
    if not items:
        return Composed(intent="interventions", body=f"Per il {view.year} lo store non riporta gli interventi economici per obiettivo.")
    title = f"Interventi economici del {report.year} (importi liquidati e accantonati al 31.12.{report.year})"
    if plan.act == "compare" and not plan.refs and (plan.measure == "change" or any(y < report.year for y in plan.years)):
        trend = _trend_in_summary(ctx, report, None, table="interventions")  # one year here; the bilancio has the others
        if trend is not None:
            return trend
    if plan.act == "rank":
        paid = sorted((i for i in items if book.get(ids.intervention(i.code))), key=lambda i: -book[ids.intervention(i.code)].value)
        top = paid[0] if plan.rank != "worst" else paid[-1]
        return Composed(intent="interventions", body=(
            f"{'Il maggiore' if plan.rank != 'worst' else 'Il minore'} importo di interventi economici nel {report.year} è "
            f"dell'obiettivo {top.code} {w.label(top.title)}: {w.n(ids.intervention(top.code))}"
            + (f" ({w.n(_share(book, top.code, total))} del totale {w.n(total)})." if total else ".")))
    areas = [r.code for r in plan.refs_of("area")]
    codes = {r.code for r in plan.refs_of("strategic", "operational")}
    if areas or plan.group == "area":
        return _by_area(ctx, items, total, areas, title)
    chosen = [i for i in items if not codes or i.code in codes]
    lines = []
    if codes and chosen:
        lines.append(" ".join(_item_sentence(i, book, w, total, report.year) for i in chosen))
    elif total is not None:
        lines.append(f"Nel {report.year} gli interventi economici ammontano in totale a {w.n(total)}.")
    rows = []
    for i in chosen:
        amount = book.get(ids.intervention(i.code))
        share = _share(book, i.code, total)
        rows.append([i.code or "", w.label(i.title), w.n(amount) if amount else "", w.n(share) if share else ""])
    if not codes:
        lines += ["", f"{title}, per obiettivo strategico:", ""] + [
            f"- OS {r[0]} {r[1]}: " + (f"{r[2]}" + (f" ({r[3]} del totale)" if r[3] else "") if r[2] else "nessun importo indicato") + "."
            for r in rows]
    chart = chart_of(title, [(f"{i.code} {i.title}"[:48], "", book.get(ids.intervention(i.code))) for i in chosen]) if not codes else None
    return Composed(intent="interventions", body="\n".join(lines).strip(), chart=chart,
                    table=Table(columns=["OS", "Obiettivo strategico", "Importo", "Quota"], rows=rows))


def _share(book: FactBook, code: str | None, total: Fact | None) -> Fact | None:
    amount = book.get(ids.intervention(code))
    if amount is None or total is None:
        return None
    return book.share(amount, total, f"Quota degli interventi economici dell'OS {code} sul totale")


def _item_sentence(i, book: FactBook, w: Writer, total: Fact | None, year: int) -> str:
    amount = book.get(ids.intervention(i.code))
    if amount is None:
        return f"Per l'obiettivo {i.code} {w.label(i.title)} la Relazione {year} non indica importi di interventi economici."
    share = _share(book, i.code, total)
    return (f"Nel {year} per l'obiettivo {i.code} {w.label(i.title)} sono stati liquidati e accantonati {w.n(amount)} di interventi economici"
            + (f", il {w.n(share)} del totale di {w.n(total)}." if share else "."))


def _by_area(ctx: Context, items, total: Fact | None, areas: list[str], title: str) -> Composed:
    """Totals and shares of interventi per area (the sum of its objectives' amounts)."""
    book, w = ctx.book, ctx.w
    year = ctx.view.year
    numbers = sorted({str(i.area or (i.code or "").split(".")[0]) for i in items}, key=int)
    lines, rows = [], []
    for n in numbers if not areas else areas:
        parts = [book[ids.intervention(i.code)] for i in items
                 if str(i.area or (i.code or '').split('.')[0]) == n and ids.intervention(i.code) in book]
        if not parts:
            lines.append(f"Per l'area {n} la Relazione non indica importi di interventi economici.")
            rows.append([n, "", ""])
            continue
        area_total = book.sum(ids.FactId(kind="int", name=f"area{n}"), parts, f"Interventi economici dell'area {n} (somma dei suoi obiettivi)")
        share = book.share(area_total, total, f"Quota degli interventi economici dell'area {n} sul totale") if total else None
        lines.append(f"Nel {year} all'area {n} sono andati {w.n(area_total)} di interventi economici"
                     + (f", il {w.n(share)} del totale di {w.n(total)}" if share else "")
                     + " (" + ", ".join(f"{p.id.split(':', 1)[1]}: {w.n(p)}" for p in parts) + ").")
        rows.append([n, w.n(area_total), w.n(share) if share else ""])
    return Composed(intent="interventions", body="\n".join(lines) + f"\n\n{title}.",
                    table=Table(columns=["Area", "Importo", "Quota"], rows=rows))


# -- resources ---------------------------------------------------------------------------------------


@handler("resources", when(subjects={"resource"}))
def answer_resources(ctx: Context) -> Composed:
    view, book, w, plan = ctx.view, ctx.book, ctx.w, ctx.plan
    report = view.relazione or view.report
    if not report.resources:
        return Composed(intent="resources", body=f"Per il {view.year} lo store non riporta la tabella delle risorse.")
    wanted = {r.code for r in plan.refs_of("resource")}
    chosen = [r for r in report.resources if r.label in wanted] or list(report.resources)
    earlier = [y for y in plan.years if y != report.year]  # the table holds one year; the bilancio several
    if (plan.measure == "change" or earlier) and len(wanted) == 1:
        trend = _trend_in_summary(ctx, report, next(iter(wanted)), act="compare" if plan.measure == "change" else "lookup")
        if trend is not None:
            return trend
    lines, rows = [], []
    if earlier:
        lines.append(f"La tabella delle risorse riporta solo il {report.year}: per il {', '.join(map(str, earlier))} non ha dati"
                     + (", e nessuna voce della sintesi di bilancio stampa lo stesso importo." if len(wanted) == 1 else "."))
    if plan.condition in ("over_budget", "under_budget"):
        over = plan.condition == "over_budget"
        side = _side(plan.text)
        lines_of_side = [r for r in chosen if side is None or (r.category or "").upper().startswith(side)]
        filtered, opening = _against_budget(lines_of_side, over, report.year, book, w, side)
        if filtered:
            chosen = filtered
        elif wanted:  # the line named is not: say so, then its figures
            opening = (f"No: nel {report.year} " + ", ".join(w.name(r.label) for r in chosen)
                       + (" non supera il preventivo." if over else " non resta sotto il preventivo."))
        else:
            return Composed(intent="resources", body=opening)
        lines.append(opening)
    for r in chosen:
        prev, cons, ratio = (book.get(ids.res(r.label, f)) for f in ("preventivo", "consuntivo", "ratio"))
        diff = book.difference(cons, prev, f"Consuntivo meno preventivo: {r.label}", decimals=0) if prev and cons else None
        rows.append([r.category, w.label(r.label), w.n(prev), w.n(cons), w.n(ratio)])
        if cons is None:
            continue
        if plan.act == "lookup" and plan.measure == "actual":
            lines.append(f"Nel {report.year} {w.name(r.label)} a consuntivo sono {w.n(cons)}.")
            continue
        more = "in più" if diff is not None and diff.value > 0 else "in meno"
        lines.append(f"Nel {report.year} {w.name(r.label)} sono {w.n(cons)} a consuntivo contro {w.n(prev)} a preventivo"
                     + (f": il {w.n(ratio)} del preventivo" if ratio else "")
                     + (f", {w.n(diff, absolute=True)} {more}." if diff is not None and diff.value != 0 else "."))
    table = Table(columns=["Categoria", "Voce", "Preventivo", "Consuntivo", "Consuntivo/Preventivo"], rows=rows)
    if len(chosen) == 1 and wanted:
        lines += _same_amount_in_summary(report, chosen[0].label, book, w)
    if len(chosen) > 1:
        lines.append("")
        lines.append(f"Risorse disponibili e spese sostenute nel {report.year} (preventivo e consuntivo).")
    return Composed(intent="resources", body="\n".join(lines), table=table)


def _trend_in_summary(ctx: Context, report: Report, label: str | None, table: str = "resources",
                      act: str = "compare") -> Composed | None:
    """'Le spese di funzionamento sono aumentate?', 'gli interventi economici sono cresciuti?':
    the resources and interventions tables hold one year; the bilancio line printing the same
    amount holds the trend, so it answers."""
    for pair in cross_table_pairs(report):
        same_table = (pair.table == RESOURCES_TABLE) == (table == "resources")
        if same_table and (label is None or pair.label == label) and pair.line is not None and pair.same_year:
            ref = Ref(kind="financial", code=pair.line, name=pair.line, by="context")
            plan = ctx.plan.model_copy(update={"subject": "financial", "refs": (ref,), "act": act})
            answer = answer_financial(replace(ctx, plan=plan))
            which = "della tabella delle risorse" if table == "resources" else "degli interventi economici per obiettivo"
            opening = (f"{ctx.w.name(pair.label)} {which} corrisponde alla voce {ctx.w.name(pair.line)} "
                       f"della {FINANCIAL_TABLE}, che " + ("ne dà l'andamento negli anni." if act == "compare"
                                                             else "riporta anche gli anni precedenti."))
            intent = "resources" if table == "resources" else "interventions"
            return answer.model_copy(update={"intent": intent, "body": opening + "\n\n" + answer.body})
    return None


def _same_amount_in_summary(report: Report, label: str, book: FactBook, w: Writer) -> list[str]:
    """The bilancio line printing the same amount as a resource line's consuntivo in the same
    year ('Spese per il personale' and '6) Personale'): a question in the words of one table is
    answered by both (the check across tables an OIV makes)."""
    for pair in cross_table_pairs(report):
        if pair.label != label or pair.line is None or not pair.same_year:
            continue
        fact = book.get(ids.fin(pair.line, pair.year))
        if fact is not None:
            return [f"Lo stesso importo è nella {FINANCIAL_TABLE} "
                    f"alla voce {w.name(pair.line)}: {w.n(fact, absolute=True)}."]
    return []


def _side(question: str) -> str | None:
    """The side of the resources table a question names: spending ('spese', 'oneri', 'costi')
    or resources ('proventi', 'entrate'); None when it names neither."""
    folded = fold(question)
    if re.search(r"\b(?:spes|oner|cost|uscit)", folded):
        return "ONERI"
    return "PROVENTI" if re.search(r"\b(?:provent|entrat|ricav)", folded) else None


def _against_budget(lines: list, over: bool, year: int, book: FactBook, w: Writer, side: str | None) -> tuple[list, str]:
    """The resource lines whose consuntivo is over (or under) their preventivo, and a sentence
    that answers with them."""
    chosen = []
    for r in lines:
        prev, cons = book.get(ids.res(r.label, "preventivo")), book.get(ids.res(r.label, "consuntivo"))
        if prev is not None and cons is not None and (cons.value > prev.value if over else cons.value < prev.value):
            chosen.append(r)
    where = "sopra" if over else "sotto"
    if not chosen:
        kind = {"ONERI": "di spesa", "PROVENTI": "di provento"}.get(side or "", "della tabella delle risorse")
        return [], f"Nel {year} nessuna voce {kind} è {where} il preventivo."
    listed = ", ".join(f"{w.name(r.label)} ({w.n(ids.res(r.label, 'ratio'))} del preventivo)" for r in chosen)
    return chosen, f"Nel {year} le voci {where} il preventivo sono: {listed}."
