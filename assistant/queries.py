"""Deterministic answers from the computed numbers: no language model needed.

Each answer is built from a `YearView` and its `FactBook` through a `Writer`, so every
number it writes is a fact with a footnote. Questions that are not about the numbers are
answered from retrieval: the best passages, quoted, with section and line or page.
"""

from __future__ import annotations

import re
from typing import Callable

from pydantic import BaseModel, ConfigDict

from ingest.checks import recompute_actual
from ingest.claims import extract_claims
from ingest.model import FindingKind, Indicator, Report
from ingest.numbers import NumberError, parse_number, parse_quantity
from ingest.records import SourceRef
from ingest.textnorm import fold

from .causes import cause_query, explains
from .facts import Fact, FactBook
from .grounding import Passage
from .intents import Question, stems
from .workspace import YearView
from .writer import Writer

PassageSearch = Callable[[str, int, dict], list[Passage]]
"""search(query, k, filters) -> passages; filters: ente, year, kind, section."""


class Table(BaseModel):
    """A table of an answer; cells may carry footnote references ([^n])."""

    model_config = ConfigDict(frozen=True)

    columns: list[str]
    rows: list[list[str]]

    def markdown(self) -> str:
        head = "| " + " | ".join(self.columns) + " |\n|" + "---|" * len(self.columns)
        return head + "\n" + "\n".join("| " + " | ".join(r) + " |" for r in self.rows)

    def plain(self) -> list[list[str]]:
        """Rows without footnote references, for a data grid."""
        return [[_strip_ref(c) for c in r] for r in self.rows]


class Composed(BaseModel):
    model_config = ConfigDict(frozen=True)

    intent: str
    body: str
    table: Table | None = None


def _strip_ref(text: str) -> str:
    """A table cell shows the value; the footnote stays in the text above the table."""
    return text.split("[^", 1)[0]


def indicator_label(ind: Indicator, w: Writer) -> str:
    return f"{ind.operational_objective or ind.strategic_objective} {w.name(ind.name)}"


def find_indicators(question: str, report: Report, minimum: float = 0.6) -> list[Indicator]:
    """Indicators whose name the question quotes (share of the name's stems found in it)."""
    q = set(stems(question))
    scored = []
    for ind in report.indicators():
        name = [s for s in stems(ind.name) if len(s) > 2]
        if len(name) < 2:
            continue
        share = sum(1 for s in name if s in q) / len(name)
        if share >= minimum:
            scored.append((share, ind))
    scored.sort(key=lambda p: -p[0])
    if not scored:
        return []
    best = scored[0][0]
    return [ind for share, ind in scored if share >= best - 1e-9]


_GENERIC_INDICATOR_WORDS = set(stems(
    "indicatore indicatori indice valore valori consuntivo target peso algoritmo misure misura avuto ha hanno "
    "risultato raggiungimento quanto vale dice sulla sul relativo"
))


def find_indicators_by_words(question: str, report: Report, limit: int = 5) -> list[Indicator]:
    """Indicators a question names by a few distinctive words of a long name ('l'indicatore sulla
    customer satisfaction'): the most words in common, at least two (or the only one asked),
    and no more than `limit` indicators."""
    wanted = {s for s in stems(question) if len(s) > 2} - _GENERIC_INDICATOR_WORDS
    if not wanted:
        return []
    scored = [(len(wanted & set(stems(ind.name))), ind) for ind in report.indicators()]
    best = max((n for n, _ in scored), default=0)
    if best < min(2, len(wanted)):
        return []
    found = [ind for n, ind in scored if n == best]
    return found if len(found) <= limit else []


_GENERIC_TITLE_WORDS = set(stems("attività obiettivo obiettivi strategico strategici operativo operativi altri area ente"))


def topic_codes(question: str, titled: list[tuple[str, str]]) -> list[str]:
    """Codes of the (code, title) items whose title the question names by a word of its own
    ('l'internazionalizzazione' -> 1.1 Internazionalizzazione (D1)); the best matches only."""
    wanted = set(stems(question))
    scored = []
    for code, title in titled:
        words = {s for s in stems(title) if len(s) > 3} - _GENERIC_TITLE_WORDS
        hits = len(words & wanted)
        if hits:
            scored.append((hits, code))
    best = max((h for h, _ in scored), default=0)
    return [code for h, code in scored if h == best]


# -- target changes -------------------------------------------------------------------------------


def answer_target_changes(q: Question, view: YearView, book: FactBook, w: Writer) -> Composed:
    report = view.relazione
    if report is None:
        return Composed(
            intent="target_changes",
            body=(f"Per il {view.year} non c'è una Relazione nello store: le modifiche ai target si leggono "
                  f"nella sezione 5 della Relazione e nel confronto con il Piano. Carica la Relazione {view.year}."),
        )
    lines = [f"**Modifiche a obiettivi e target nel {view.year}** ({report.title}, {report.ente}).", ""]
    claims = extract_claims(report.sections)
    claim_findings = [f for f in view.findings if f.kind in (FindingKind.narrative_claim_not_in_tables, FindingKind.narrative_claim_confirmed)]
    if claim_findings:
        lines.append("Dichiarate nella sezione 5 della Relazione:")
        for f in claim_findings:
            lines.append(f"- {_claim_line(f, claim_of(f, claims), view, book, w)}")
        lines.append("")
    plan_kinds = (FindingKind.target_changed_unexplained, FindingKind.target_changed_explained, FindingKind.weight_changed,
                  FindingKind.objective_removed_in_report, FindingKind.objective_added_in_report,
                  FindingKind.indicator_removed_in_report, FindingKind.indicator_added_in_report)
    plan_findings = [f for f in view.findings if f.kind in plan_kinds]
    if view.plan is not None:
        synthetic = " (documento SINTETICO)" if view.plan.synthetic else ""
        if plan_findings:
            lines.append(f"Differenze tra il Piano{synthetic} e le tabelle della Relazione:")
            for f in plan_findings:
                lines.append(f"- {_plan_line(f, view, book, w)}")
        else:
            lines.append(f"Nessuna differenza tra il Piano{synthetic} e le tabelle della Relazione.")
    else:
        lines.append("Il Piano della performance non è nello store: caricalo per il confronto Piano/Relazione.")
    inconsistent = [f for f in claim_findings if f.kind == FindingKind.narrative_claim_not_in_tables]
    unexplained = [f for f in plan_findings if f.kind == FindingKind.target_changed_unexplained]
    lines.append("")
    summary = []
    if inconsistent:
        n = book.count(f"count:claims-not-in-tables:{view.year}", len(inconsistent),
                       "Modifiche dichiarate nella sezione 5 che le tabelle non riportano")
        summary.append(f"{w.n(n)} modifiche dichiarate nella sezione 5 non si vedono nelle tabelle")
    if unexplained:
        n = book.count(f"count:targets-unexplained:{view.year}", len(unexplained),
                       "Cambi di target rispetto al Piano non spiegati nella sezione 5")
        summary.append(f"{w.n(n)} cambi di target rispetto al Piano non sono spiegati nella sezione 5")
    if summary:
        lines.append("Da sistemare prima della validazione dell'OIV: " + "; ".join(summary) + ".")
    return Composed(intent="target_changes", body="\n".join(lines))


def claim_of(f, claims):
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


def _target_fact(book: FactBook, ind: Indicator | None) -> Fact | None:
    return book.get(f"{ind.key}#target") if ind else None


def _find(report: Report, name: str | None, code: str | None) -> Indicator | None:
    if not name:
        return None
    for ind in report.indicators():
        if ind.name == name and (code is None or code in (ind.operational_objective, ind.strategic_objective)):
            return ind
    return None


def _claim_line(f, claim, view: YearView, book: FactBook, w: Writer) -> str:
    report = view.relazione
    ind = _find(report, f.indicator, f.operational_objective)
    consistent = f.kind == FindingKind.narrative_claim_confirmed
    status = "coerente con le tabelle" if consistent else "**non riportata dalle tabelle**"
    if claim is not None and claim.kind == "target":
        claimed = book.get(f"claim:{claim.source.label()}:{claim.objective}:new")
        table = _target_fact(book, ind)
        return (f"obiettivo {claim.objective}, indicatore {w.name(ind.name if ind else claim.indicator)}: target portato a "
                f"{w.n(claimed) if claimed else claim.new_target} secondo la sezione 5 ({w.at(claim.source.label())}); "
                f"la tabella riporta {(ind.target.operator + ' ' + w.n(table)) if table else 'un altro valore'} "
                f"({w.at(f.source.label()) if f.source else '—'}): {status}.")
    if claim is not None and claim.kind == "move":
        where = f.printed or "—"
        return (f"indicatore {w.name(ind.name if ind else claim.indicator)} spostato da {claim.from_objective} a {claim.objective} "
                f"secondo la sezione 5 ({w.at(claim.source.label())}); la tabella lo riporta sotto {where} "
                f"({w.at(f.source.label()) if f.source else '—'}): {status}.")
    if claim is not None and claim.kind == "remove":
        return (f"obiettivo operativo {claim.objective} {w.name(claim.new_description)} eliminato secondo la sezione 5 "
                f"({w.at(claim.source.label())}): {status}.")
    return f.message


def _plan_line(f, view: YearView, book: FactBook, w: Writer) -> str:
    plan, report = view.plan, view.relazione
    if f.kind in (FindingKind.target_changed_unexplained, FindingKind.target_changed_explained):
        code = f.operational_objective or f.strategic_objective
        r_ind = _find(report, f.indicator, code)
        p_ind = _find(plan, f.indicator, code) if plan else None
        planned = book.get(f"plan:{p_ind.key}#target{view.year}") if p_ind else None
        reported = _target_fact(book, r_ind)
        why = "modifica dichiarata nella sezione 5" if f.kind == FindingKind.target_changed_explained else "**senza spiegazione nella sezione 5**"
        planned_text = f"{p_ind.targets_by_year[view.year].operator} {w.n(planned)}" if planned else f.expected
        reported_text = f"{r_ind.target.operator} {w.n(reported)}" if reported else f.printed
        return (f"obiettivo {code}, {w.name(f.indicator)}: target {planned_text} nel Piano, "
                f"{reported_text} nella Relazione ({w.at(f.source.label()) if f.source else '—'}): {why}.")
    if f.kind == FindingKind.weight_changed:
        code = f.operational_objective or f.strategic_objective
        planned = book.get(f"plan-weight:{code}:{f.indicator or ''}")
        reported = book.get(f"report-weight:{code}:{f.indicator or ''}")
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
                token = raw.replace(">=", "").replace("<=", "").strip()
                try:
                    value, decimals = parse_number(token)
                except NumberError:
                    continue
                book.add(Fact(
                    id=f"claim:{claim.source.label()}:{claim.objective}:{which}", value=value, decimals=max(decimals, 0),
                    label=f"Target {'dichiarato' if which == 'new' else 'precedente'} nella sezione 5 per l'obiettivo {claim.objective}",
                    source=_ref(report, claim.source), scope=(claim.objective or "",),
                ))
    if plan is not None:
        for ind in plan.indicators():
            for year, t in ind.targets_by_year.items():
                book.add(Fact(
                    id=f"plan:{ind.key}#target{year}", value=t.value, unit=t.unit or "", decimals=max(t.decimals, 0),
                    label=f"Target {year} nel Piano di «{ind.name}» ({t.raw})", source=_ref(plan, ind.source),
                    scope=(ind.operational_objective or ind.strategic_objective,),
                ))
        for f in view.findings:
            if f.kind != FindingKind.weight_changed:
                continue
            code = f.operational_objective or f.strategic_objective or ""
            for prefix, raw, doc, loc in (("plan-weight", f.expected, plan, f.plan_source), ("report-weight", f.printed, report or view.report, f.source)):
                if raw and loc is not None:
                    value, decimals = parse_number(raw.replace("%", "").strip())
                    book.add(Fact(
                        id=f"{prefix}:{code}:{f.indicator or ''}", value=value, unit="%", decimals=max(decimals, 0),
                        label=f"Peso {'nel Piano' if prefix == 'plan-weight' else 'nella Relazione'} ({code})",
                        source=_ref(doc, loc), scope=(code,),
                    ))


def _ref(report: Report, loc) -> SourceRef:
    return SourceRef.of(report, loc)


# -- below target ----------------------------------------------------------------------------------


def below_target(view: YearView) -> list[Indicator]:
    return [i for i in view.report.indicators() if view.scorecard.indicators[i.key].met is False]


def answer_below_target(q: Question, view: YearView, book: FactBook, w: Writer, search: PassageSearch | None) -> Composed:
    items = below_target(view)
    total = len(view.report.indicators())
    count_fact = book.count(f"count:below:{view.year}", len(items), f"Indicatori sotto target nel {view.year}",
                            derived_from=tuple(f"{i.key}#achievement" for i in items))
    total_fact = book.count(f"count:indicators:{view.year}", total, f"Indicatori misurati nel {view.year}")
    basis = ("dalla Relazione" if view.basis == "relazione" else
             "dal Piano e dai consuntivi, documenti SINTETICI" if view.report.synthetic else "dal Piano e dai consuntivi")
    if not items:
        body = (f"Nel {view.year} nessun indicatore è sotto target: {w.n(total_fact)} indicatori su {w.n(total_fact)} "
                f"hanno raggiunto il target ({basis}).")
        return Composed(intent="below_target", body=body)
    lines = [f"Nel {view.year} ({basis}) {w.n(count_fact)} indicatori su {w.n(total_fact)} sono sotto target:", ""]
    rows = []
    for ind in items:
        actual = book.get(f"{ind.key}#actual")
        target = book.get(f"{ind.key}#target")
        ach = book.get(f"{ind.key}#achievement")
        gap = book.get(f"diff({ind.key}#actual,{ind.key}#target)")
        band = view.scorecard.indicators[ind.key].band
        lines.append(
            f"- {indicator_label(ind, w)}: consuntivo {w.n(actual)} contro target {ind.target.operator} {w.n(target)} "
            f"(scostamento {w.n(gap, signed=True)}; raggiungimento {w.n(ach)}, {band})."
        )
        if q.wants_cause and search is not None:
            passage = cause_passage(ind, view, search)
            lines.append(f"  Causa indicata nel documento: {_inline_quote(w, passage, ind.name + ' causa')}" if passage
                         else "  Causa: [causa da indicare] — nessun passaggio del documento la spiega.")
        rows.append([
            ind.operational_objective or ind.strategic_objective, w.label(ind.name), w.n(actual),
            f"{ind.target.operator} {w.n(target)}", w.n(ach), band or "",
        ])
    table = Table(columns=["Obiettivo", "Indicatore", "Consuntivo", "Target", "Raggiungimento", "Valutazione"], rows=rows)
    return Composed(intent="below_target", body="\n".join(lines), table=table)


def _inline_quote(w: Writer, passage: Passage, focus: str | None = None) -> str:
    quoted = w.quote(passage, limit=400, focus=focus)
    return "\n\n  " + quoted


def cause_passage(ind: Indicator, view: YearView, search: PassageSearch) -> Passage | None:
    """A narrative passage of the same year that explains the deviation (see `causes`)."""
    for p in search(cause_query(ind), 5, {"ente": view.ente, "year": view.year}):
        if explains(ind, p.text):
            return p
    return None


# -- achievement -------------------------------------------------------------------------------------


def answer_achievement(q: Question, view: YearView, book: FactBook, w: Writer) -> Composed:
    card = view.scorecard
    nodes = []
    for code in q.codes:
        node = card.node("strategic", code) or card.node("operational", code)
        if node is not None:
            nodes.append(node)
    if q.area is not None and (area := card.node("area", str(q.area))) is not None:
        nodes.append(area)
    if not nodes:  # an objective named by its title ('com'è andato il turismo?')
        strategic = card.nodes("strategic")
        named = set(topic_codes(q.text, [(n.code, n.title) for n in strategic]))
        nodes = [n for n in strategic if n.code in named]
    basis = "" if view.basis == "relazione" else (
        " (dal Piano e dai consuntivi, documenti SINTETICI)" if view.report.synthetic else " (dal Piano e dai consuntivi)"
    )
    if not nodes:
        root = card.root
        lines = [f"Nel {view.year}{basis} il grado di raggiungimento complessivo dell'Ente è "
                 f"{w.n('ente:ente#achievement')} ({root.band}).", "", "Per area strategica:"]
        for area in root.children:
            lines.append(f"- Area {area.code} – {area.title} (peso {w.n(f'area:{area.code}#weight')}): "
                         f"{w.n(f'area:{area.code}#achievement')}, {area.band}.")
        rows = []
        for area in root.children:
            for s in area.children:
                if s.achievement is None:
                    continue
                rows.append([s.code, w.label(s.title), w.n(f"strategic:{s.code}#weight"),
                             w.n(f"strategic:{s.code}#achievement"), s.band or ""])
        table = Table(columns=["Obiettivo strategico", "Titolo", "Peso", "Raggiungimento", "Valutazione"], rows=rows)
        lines += ["", table.markdown()]
        if q.superlative:
            ranked = sorted((s for a in root.children for s in a.children if s.achievement is not None),
                            key=lambda s: s.achievement, reverse=q.superlative == "migliore")
            if ranked:
                top = ranked[0]
                ties = [s for s in ranked if s.achievement == top.achievement]
                which = "più basso" if q.superlative == "peggiore" else "più alto"
                value = f"{w.n(f'strategic:{top.code}#achievement')} ({top.band})"
                if len(ties) == len(ranked):
                    first = f"Nel {view.year} tutti gli obiettivi strategici hanno lo stesso grado di raggiungimento: {value}."
                else:
                    names = ", ".join(f"{s.code} {w.label(s.title)}" for s in ties)
                    first = f"Il grado di raggiungimento {which} nel {view.year} è di {names}: {value}."
                lines[0:0] = [first, ""]
        below = [s for a in root.children for s in a.children if s.band and s.band != "raggiunto"]
        if below:
            lines += ["", "Obiettivi strategici non pienamente raggiunti: " + ", ".join(
                f"{s.code} ({w.n(f'strategic:{s.code}#achievement')})" for s in below) + "."]
        table = Table(columns=["Obiettivo strategico", "Titolo", "Peso", "Raggiungimento", "Valutazione"], rows=rows)
        return Composed(intent="achievement", body="\n".join(lines), table=table)
    lines = []
    for node in nodes:
        key = f"{node.level}:{node.code}"
        what = {"area": "dell'area", "strategic": "dell'obiettivo strategico", "operational": "dell'obiettivo operativo"}[node.level]
        if node.achievement is None:
            lines.append(f"L'obiettivo {node.code} non ha indicatori misurati nel {view.year}{basis}.")
            continue
        weight = book.get(f"{key}#weight")
        lines.append(f"Nel {view.year}{basis} il grado di raggiungimento {what} {node.code} {w.name(node.title)}"
                     + (f" (peso {w.n(weight)})" if weight is not None else "") + " è "
                     f"{w.n(f'{key}#achievement')} ({node.band}), media ponderata di {node.basis}:")
        for child in node.children if node.level == "area" or not node.indicators else []:
            if child.achievement is not None:
                lines.append(f"- {child.code} {w.label(child.title)}: {w.n(f'{child.level}:{child.code}#achievement')}")
        for score in node.indicators:
            ind = next(i for i in view.report.indicators() if i.key == score.key)
            if score.achievement is None:
                continue
            lines.append(f"- {w.name(ind.name)} (peso {w.n(f'{ind.key}#weight')}): consuntivo {w.n(f'{ind.key}#actual')}, "
                         f"target {ind.target.operator} {w.n(f'{ind.key}#target')}, raggiungimento {w.n(f'{ind.key}#achievement')}")
        lines.append("")
    return Composed(intent="achievement", body="\n".join(lines).strip())


# -- one indicator -----------------------------------------------------------------------------------


def answer_indicator(q: Question, view: YearView, book: FactBook, w: Writer, matches: list[Indicator]) -> Composed:
    lines = []
    for ind in matches[:4]:
        code = ind.operational_objective or ind.strategic_objective
        table = "3.1 (obiettivi strategici)" if ind.section == "3.1" else "3.2 (obiettivi operativi)"
        lines.append(f"**{w.name(ind.name)}** — obiettivo {code}, tabella {table}, peso {w.n(f'{ind.key}#weight')}.")
        if ind.kpi_code:
            lines.append(f"- Codice KPI: {ind.kpi_code}")
        if ind.algorithm:
            lines.append(f"- Algoritmo: {w.name(ind.algorithm)}")
        if ind.measures:
            lines.append("- Valori misure: " + ", ".join(w.n(f"{ind.key}#measure{i}") for i in range(len(ind.measures))))
        if ind.actual is not None:
            lines.append(f"- Consuntivo: {w.n(f'{ind.key}#actual')}")
        if ind.target is not None:
            lines.append(f"- Target {view.year}: {ind.target.operator} {w.n(f'{ind.key}#target')}")
        for year in sorted(ind.targets_by_year):
            if year != view.year:
                lines.append(f"- Target {year} nel Piano: {ind.targets_by_year[year].operator} {w.n(f'{ind.key}#target{year}')}")
        if (ach := book.get(f"{ind.key}#achievement")) is not None:
            lines.append(f"- Raggiungimento: {w.n(ach)} ({view.scorecard.indicators[ind.key].band})")
        lines.append("")
    if len(matches) > 4:
        lines.append("Altri indicatori hanno un nome simile: precisa l'obiettivo per vederli.")
    return Composed(intent="indicator", body="\n".join(lines).strip())


# -- counts ------------------------------------------------------------------------------------------


def answer_count(q: Question, view: YearView, book: FactBook, w: Writer) -> Composed:
    report = view.report
    area = next((a for a in report.areas if a.number == q.area), None)
    if area is not None:
        return _count_area(view, area, book, w)
    inds = report.indicators()
    strategic = [i for i in inds if i.section == "3.1"]
    operational = [i for i in inds if i.section == "3.2"]
    objs = [o for o in report.operational_objectives() if o.indicators]
    facts = {
        "indicators": book.count(f"count:indicators:{view.year}", len(inds), f"Indicatori misurati nel {view.year}"),
        "strategic_ind": book.count(f"count:strategic-ind:{view.year}", len(strategic), "Indicatori degli obiettivi strategici (3.1)"),
        "operational_ind": book.count(f"count:operational-ind:{view.year}", len(operational), "Indicatori degli obiettivi operativi (3.2)"),
        "areas": book.count(f"count:areas:{view.year}", len(report.areas), "Aree strategiche"),
        "strategic": book.count(f"count:strategic:{view.year}", len(report.strategic_objectives()), "Obiettivi strategici"),
        "operational": book.count(f"count:operational:{view.year}", len(objs), "Obiettivi operativi con indicatori"),
        "below": book.count(f"count:below:{view.year}", len(below_target(view)), f"Indicatori sotto target nel {view.year}"),
    }
    body = (f"Nel {view.year} l'Ente ha {w.n(facts['areas'])} aree strategiche, {w.n(facts['strategic'])} obiettivi strategici "
            f"e {w.n(facts['operational'])} obiettivi operativi con indicatori. Gli indicatori misurati sono {w.n(facts['indicators'])}: "
            f"{w.n(facts['strategic_ind'])} degli obiettivi strategici e {w.n(facts['operational_ind'])} degli obiettivi operativi; "
            f"{w.n(facts['below'])} sono sotto target.")
    return Composed(intent="count", body=body)


def _count_area(view: YearView, area, book: FactBook, w: Writer) -> Composed:
    strategic = area.strategic_objectives
    inds = [i for so in strategic for i in so.indicators] + [
        i for so in strategic for oo in so.operational_objectives for i in oo.indicators
    ]
    objs = [oo for so in strategic for oo in so.operational_objectives if oo.indicators]
    keys = {i.key for i in inds}
    below = [i for i in below_target(view) if i.key in keys]
    where = f"nell'area {area.number} – {w.label(area.title)}"
    facts = {
        "strategic": book.count(f"count:area{area.number}:strategic:{view.year}", len(strategic), f"Obiettivi strategici dell'area {area.number}"),
        "operational": book.count(f"count:area{area.number}:operational:{view.year}", len(objs),
                                  f"Obiettivi operativi con indicatori dell'area {area.number}"),
        "indicators": book.count(f"count:area{area.number}:indicators:{view.year}", len(inds), f"Indicatori dell'area {area.number}"),
        "below": book.count(f"count:area{area.number}:below:{view.year}", len(below), f"Indicatori sotto target dell'area {area.number}"),
    }
    body = (f"Nel {view.year} {where} ci sono {w.n(facts['strategic'])} obiettivi strategici e {w.n(facts['operational'])} "
            f"obiettivi operativi con indicatori; gli indicatori misurati sono {w.n(facts['indicators'])}, "
            f"di cui {w.n(facts['below'])} sotto target.")
    return Composed(intent="count", body=body)


# -- financial tables --------------------------------------------------------------------------------


def financial_report(view: YearView) -> Report | None:
    for r in (view.relazione, view.report):
        if r is not None and r.financial is not None:
            return r
    return None


def financial_rows(book: FactBook, report: Report) -> list[tuple]:
    """(line, [(year, value fact)], [(year, abs change fact, pct change fact)]) for each line."""
    fin = report.financial
    out = []
    for line in fin.lines:
        values = [(y, book.get(f"fin:{line.label}:{y}")) for y in fin.years]
        changes = []
        for (y0, f0), (y1, f1) in zip(values, values[1:]):
            if f0 is None or f1 is None:
                continue
            diff = book.difference(f1, f0, f"Variazione {y1}/{y0} di «{line.label}»", decimals=0)
            pct = book.pct_change(f1, f0, f"Variazione % {y1}/{y0} di «{line.label}»")
            changes.append((y1, diff, pct))
        out.append((line, values, changes))
    return out


def change_direction(previous, last) -> str:
    """Costs are printed as negative numbers: '-7.648.243' after '-7.896.552' is a decrease."""
    if previous is None or previous == last:
        return "invariato"
    if previous < 0 and last < 0:
        return "in calo" if abs(last) < abs(previous) else "in aumento"
    return "in aumento" if last > previous else "in calo"


def _change_text(diff: Fact, pct: Fact | None, old: Fact, new: Fact, w: Writer) -> str:
    """'in calo di 248.309 € (3,1%)': the direction in words, the amounts without sign."""
    direction = change_direction(old.value, new.value)
    if direction == "invariato":
        return "invariato"
    return f"{direction} di {w.n(diff, absolute=True)}" + (f" ({w.n(pct, absolute=True)})" if pct is not None else "")


def answer_financial(q: Question, view: YearView, book: FactBook, w: Writer) -> Composed:
    report = financial_report(view)
    if report is None:
        return Composed(intent="financial", body="Nessuna tabella di bilancio nello store per questo Ente e anno.")
    fin = report.financial
    rows = financial_rows(book, report)
    wanted = set(stems(q.text)) - {"total", "gestion", "confront", "precedent", "andament"}
    overlap = [(len(set(stems(r[0].label)) & wanted), r) for r in rows]
    best = max((n for n, _ in overlap), default=0)
    chosen = [r for n, r in overlap if n == best and n > 0] or [r for r in rows if r[0].total]
    last = fin.years[-1]
    lines = [f"Sintesi dei principali dati di bilancio {fin.years[0]}–{last} ({report.source_file}):", ""]
    table_rows = []
    for line, values, changes in chosen:
        series = ", ".join(f"{y}: {w.n(f)}" for y, f in values if f is not None)
        lines.append(f"- **{w.label(line.label)}** — {series}.")
        if changes:
            y1, diff, pct = changes[-1]
            by_year = dict(values)
            lines.append(f"  Nel {y1} rispetto al {y1 - 1}: {_change_text(diff, pct, by_year[y1 - 1], by_year[y1], w)}.")
            # the two years the question names ('dal 2016 al 2019'), else the whole period
            named = sorted({y for y in q.years if y in fin.years})
            y0, y1 = (named[0], named[-1]) if len(named) == 2 else (fin.years[0], last)
            first, final = by_year.get(y0), by_year.get(y1)
            if first is not None and final is not None and (y1 - y0 > 1 or len(named) == 2):
                span_diff = book.difference(final, first, f"Variazione {y1}/{y0} di «{line.label}»", decimals=0)
                span_pct = book.pct_change(final, first, f"Variazione % {y1}/{y0} di «{line.label}»")
                lines.append(f"  Dal {y0} al {y1}: {_change_text(span_diff, span_pct, first, final, w)}.")
        table_rows.append([w.label(line.label)] + [w.n(f) if f else "" for _, f in values])
    table = Table(columns=["Voce"] + [str(y) for y in fin.years], rows=table_rows)
    return Composed(intent="financial", body="\n".join(lines), table=table)


# -- interventions and resources ---------------------------------------------------------------------


def answer_interventions(q: Question, view: YearView, book: FactBook, w: Writer) -> Composed:
    report = view.relazione or view.report
    items = [i for i in report.interventions if not i.total]
    total = next((i for i in report.interventions if i.total), None)
    if not items:
        return Composed(intent="interventions", body="La Relazione nello store non riporta gli interventi economici per obiettivo.")
    total_fact = book.get("int:totale")
    lines = [f"Interventi economici (importi liquidati e accantonati al 31.12.{report.year}) per obiettivo strategico:", ""]
    rows = []
    codes = set(q.codes) or set(topic_codes(q.text, [(i.code or "", i.title) for i in items]))
    for i in items:
        if codes and i.code not in codes:
            continue
        amount = book.get(f"int:{i.code}")
        if amount is None:
            lines.append(f"- OS {i.code} {w.label(i.title)}: nessun importo indicato.")
            rows.append([i.code or "", w.label(i.title), "", ""])
            continue
        share = book.share(amount, total_fact, f"Quota degli interventi economici dell'OS {i.code} sul totale") if total_fact else None
        lines.append(f"- OS {i.code} {w.label(i.title)}: {w.n(amount)}" + (f" ({w.n(share)} del totale)" if share else "") + ".")
        rows.append([i.code or "", w.label(i.title), w.n(amount), w.n(share) if share else ""])
    if total is not None and total_fact is not None:
        lines += ["", f"Totale interventi promozionali: {w.n(total_fact)}."]
    return Composed(intent="interventions", body="\n".join(lines),
                    table=Table(columns=["OS", "Obiettivo strategico", "Importo", "Quota"], rows=rows))


def answer_resources(q: Question, view: YearView, book: FactBook, w: Writer) -> Composed:
    report = view.relazione or view.report
    if not report.resources:
        return Composed(intent="resources", body="La Relazione nello store non riporta la tabella delle risorse.")
    lines = [f"Risorse disponibili e spese sostenute nel {report.year} (preventivo e consuntivo):", ""]
    rows = []
    wanted = set(stems(q.text)) - set(stems("spese risorse preventivo consuntivo totale percentuale realizzazione"))
    overlap = [(len(set(stems(r.label)) & wanted), r) for r in report.resources]
    best = max((n for n, _ in overlap), default=0)
    chosen = [r for n, r in overlap if n == best] if best else list(report.resources)
    for r in chosen:
        prev = book.get(f"res:{r.label}:preventivo")
        cons = book.get(f"res:{r.label}:consuntivo")
        ratio = book.get(f"res:{r.label}:ratio")
        diff = book.difference(cons, prev, f"Consuntivo meno preventivo: {r.label}", decimals=0) if prev and cons else None
        lines.append(f"- {r.category.title()} – {w.label(r.label)}: preventivo {w.n(prev)}, consuntivo {w.n(cons)} "
                     f"({w.n(ratio)} del preventivo; differenza {w.n(diff, signed=True)}).")
        rows.append([r.category, w.label(r.label), w.n(prev), w.n(cons), w.n(ratio)])
    return Composed(intent="resources", body="\n".join(lines),
                    table=Table(columns=["Categoria", "Voce", "Preventivo", "Consuntivo", "Consuntivo/Preventivo"], rows=rows))


# -- findings ----------------------------------------------------------------------------------------


SEVERITY_IT = {"error": "errore", "warning": "da verificare", "info": "nota"}


def answer_findings(q: Question, view: YearView, book: FactBook, w: Writer) -> Composed:
    findings = [f for f in view.findings if f.kind != FindingKind.narrative_claim_confirmed]
    weights = ""
    if re.search(r"\bpes[aio]", fold(q.text)) and not any(f.kind == FindingKind.weights_not_100 for f in findings):
        weights = (f"Pesi: nel {view.year} i pesi delle aree, degli obiettivi e degli indicatori sommano al 100% "
                   f"a ogni livello dell'albero (a meno degli arrotondamenti).")
    if not findings:
        return Composed(intent="findings", body=(weights + "\n\n" if weights else "") + f"Nessuna anomalia rilevata per il {view.year}.")
    lines = ([weights, ""] if weights else []) + [
        f"Rilievi per il {view.year} (quel che l'OIV controllerebbe), con la posizione nel documento:", ""]
    for f in findings:
        where = ", ".join(w.at(x.label()) for x in (f.source, f.claim_source) if x is not None)
        lines.append(f"- [{SEVERITY_IT[f.severity.value]}] {_finding_text(f, view, book, w)}" + (f" ({where})" if where else ""))
    return Composed(intent="findings", body="\n".join(lines))


def _finding_text(f, view: YearView, book: FactBook, w: Writer) -> str:
    """A finding's message, with its numbers written from facts."""
    report = view.report
    if f.kind == FindingKind.consuntivo_mismatch:
        ind = _find(report, f.indicator, f.operational_objective)
        if ind is not None:
            recomputed = book.get(f"{ind.key}#recomputed")
            measures = ", ".join(w.n(f"{ind.key}#measure{i}") for i in range(len(ind.measures)))
            return (f"{w.name(ind.name)} (obiettivo {ind.operational_objective or ind.strategic_objective}): consuntivo stampato "
                    f"{w.n(f'{ind.key}#actual')}, mentre i valori misure ({measures}) con l'algoritmo danno "
                    f"{w.n(recomputed) if recomputed else f.expected}.")
    if f.kind in (FindingKind.target_changed_unexplained, FindingKind.target_changed_explained, FindingKind.weight_changed,
                  FindingKind.objective_removed_in_report):
        return _plan_line(f, view, book, w)
    if f.kind in (FindingKind.narrative_claim_not_in_tables,):
        claims = extract_claims(view.relazione.sections) if view.relazione else []
        return _claim_line(f, claim_of(f, claims), view, book, w)
    if f.indicator:
        w.name(f.indicator)  # the message names it between « »
    return f.message


def finding_facts(book: FactBook, view: YearView) -> None:
    """The numbers findings print: recomputed actuals, and any quantity a check printed or expected."""
    for i, f in enumerate(view.findings):
        doc = view.relazione or view.report
        for which, raw in (("printed", f.printed), ("expected", f.expected)):
            if not raw:
                continue
            try:
                q = parse_quantity(raw.replace("%", " %").replace("  ", " ").strip())
            except NumberError:
                continue
            book.add(Fact(
                id=f"finding:{i}:{which}", value=q.value, unit=q.unit or "", decimals=max(q.decimals, 0),
                label=f"{'Valore stampato' if which == 'printed' else 'Valore atteso dal controllo'}: {f.message}",
                source=_ref(doc, f.source) if (which == "printed" and f.source) else None,
                operation="read" if which == "printed" else "ratio",
            ))
    for f in view.findings:
        if f.kind != FindingKind.consuntivo_mismatch:
            continue
        ind = _find(view.report, f.indicator, f.operational_objective)
        if ind is None or ind.actual is None:
            continue
        value = recompute_actual(ind)
        if value is None:
            continue
        book.add(Fact(
            id=f"{ind.key}#recomputed", value=value, unit=ind.actual.unit or "", decimals=max(ind.actual.decimals, 0),
            label=f"Consuntivo ricalcolato dai valori misure con l'algoritmo «{ind.algorithm}»", operation="ratio",
            derived_from=tuple(f"{ind.key}#measure{i}" for i in range(len(ind.measures))),
            scope=(ind.key,),
        ))


def retrieval_answer(q: Question, view: YearView | None, w: Writer, search: PassageSearch | None, ente: str | None) -> Composed:
    if search is None:
        return Composed(intent="retrieval", body="La ricerca nel testo non è disponibile (indice non aperto).")
    filters = {"ente": ente} if ente else {}
    passages = search(q.text, 3, filters)
    if not passages:
        return Composed(intent="retrieval", body="Non ho trovato passaggi del documento che rispondano alla domanda.")
    lines = ["Dal testo della Relazione, i passaggi più pertinenti:", ""]
    for p in passages:
        lines.append(f"**{w.label(p.section)}** ({w.at(p.label)}):")
        lines.append(w.quote(p, focus=q.text))
        lines.append("")
    return Composed(intent="retrieval", body="\n".join(lines).strip())
