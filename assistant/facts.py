"""Facts: every number the assistant may write, with its unit and where it comes from.

A fact is either read (a parsed cell: document, line or page) or computed from other facts
(a difference, a % variation, a share, a weighted mean...), and then it names them. Drafts
and answers are rendered from facts only; the verifier (`grounding`) checks any text
against them.
"""

from __future__ import annotations

from decimal import Decimal, localcontext
from typing import Iterable, Literal

from pydantic import BaseModel, ConfigDict

from ingest.italian import fmt_number
from ingest.model import Loc, Quantity, Report
from ingest.records import SourceRef
from ingest.scoring import HUNDRED, NodeScore, Scorecard, as_pct

from . import fact_ids as ids
from .fact_ids import AnyId, as_text

Unit = Literal["%", "€", "N.", "pp", ""]
Operation = Literal["read", "difference", "pct_change", "share", "ratio", "weighted_mean", "achievement", "count", "sum"]


class Doubt(BaseModel):
    """Why a person must check a number before using it: it was read by OCR from a scan, or an
    open finding concerns it. `note` is written beside the number (no digits: the verifier
    reads every number of a text); `detail` is the finding's sentence, `where` its place."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["scan", "finding"]
    note: str
    detail: str = ""
    where: str = ""


SCANNED_NOTE = "letto da scansione: da verificare"
DERIVED_NOTE = "calcolato da dati con rilievi aperti: da verificare"


class Fact(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    value: Decimal
    unit: str = ""
    decimals: int = 0  # how the value is written
    label: str  # Italian: what the number is
    source: SourceRef | None = None  # for read facts
    operation: Operation = "read"
    derived_from: tuple[str, ...] = ()
    scope: tuple[str, ...] = ()  # objective codes, indicator keys, table names: for lookups
    name: str = ""  # short name used when another fact lists what it was computed from
    # what a person must check about this very number (see `FactBook.doubts` for its origins)
    doubts: tuple[Doubt, ...] = ()

    def text(self, decimals: int | None = None, signed: bool = False, absolute: bool = False) -> str:
        """The value written the Italian way, with its unit: '1.838.556 €', '92,15%', '-5,0%'.
        `absolute` drops the sign (when the text says it in words: 'in calo di 373.381 €')."""
        d = self.decimals if decimals is None else decimals
        number = fmt_number(abs(self.value) if absolute else self.value, d)
        if signed and self.value > 0:
            number = "+" + number
        if self.unit in ("%",):
            return number + "%"
        if self.unit == "pp":
            return number + " punti percentuali"
        if self.unit in ("€", "N."):
            return f"{number} {self.unit}"
        return number

    def where(self) -> str:
        """Italian citation: 'relazione-...txt, riga 116' or the computation it came from."""
        if self.source:
            return f"{self.source.file}, {self.source.label}"
        return ""


def quantity_decimals(q: Quantity) -> int:
    return max(q.decimals, 0)


class FactBook:
    """Facts of one view (an Ente and a year), addressable by id; computed facts are cached."""

    def __init__(self) -> None:
        self._facts: dict[str, Fact] = {}
        self._as_year: dict[int, tuple[int, dict[str, Fact]]] = {}  # see `as_year`
        self._origin: tuple[FactBook, int] | None = None  # the book this is a copy of, and its size then

    def __contains__(self, fact_id: AnyId) -> bool:
        return as_text(fact_id) in self._facts

    def __getitem__(self, fact_id: AnyId) -> Fact:
        return self._facts[as_text(fact_id)]

    def __iter__(self):
        return iter(self._facts.values())

    def __len__(self) -> int:
        return len(self._facts)

    def get(self, fact_id: AnyId) -> Fact | None:
        return self._facts.get(as_text(fact_id))

    def import_year(self, other: "FactBook", year: int) -> None:
        """Every fact of `other` (the view of `year`), under ids qualified by that year, so that
        one answer can cite the same indicator or objective in two years."""
        for qualified, fact in other.as_year(year).items():
            self._facts.setdefault(qualified, fact)

    def as_year(self, year: int) -> dict[str, Fact]:
        """This book's facts under ids qualified by `year`, made once per state of the book
        (a view's book is kept per process: each answer comparing two years reuses them)."""
        if self._origin is not None and self._origin[1] == len(self._facts):
            return self._origin[0].as_year(year)  # an unchanged copy of a kept book: its facts
        cached = self._as_year.get(year)
        if cached is not None and cached[0] == len(self._facts):
            return cached[1]
        qualified: dict[str, Fact] = {}
        for fact in self._facts.values():
            fid = ids.of_year_text(fact.id, year)
            qualified[fid] = fact.model_copy(update={
                "id": fid, "label": f"{fact.label} [{year}]",
                "derived_from": tuple(ids.of_year_text(d, year) for d in fact.derived_from),
            })
        self._as_year[year] = (len(self._facts), qualified)
        return qualified

    def with_origins(self, fact_ids: Iterable[str]) -> list[Fact]:
        """The facts named and, recursively, those they were computed from (each once; ids not
        in the book are skipped)."""
        seen: dict[str, Fact] = {}
        stack = list(fact_ids)
        while stack:
            fid = stack.pop()
            if fid in seen or fid not in self._facts:
                continue
            fact = self._facts[fid]
            seen[fid] = fact
            stack.extend(fact.derived_from)
        return list(seen.values())

    def scanned_sources(self, fact: Fact) -> list[SourceRef]:
        """Where the numbers behind `fact` (itself, or those it was computed from) were read by
        OCR from a scan: each may be misread."""
        return [f.source for f in self.with_origins([fact.id]) if f.source is not None and f.source.scanned]

    def doubt(self, fact_id: str, doubt: Doubt) -> None:
        """Attach a doubt to a fact of the book (each once); unknown ids are ignored."""
        fact = self._facts.get(fact_id)
        if fact is not None and doubt not in fact.doubts:
            self._facts[fact_id] = fact.model_copy(update={"doubts": fact.doubts + (doubt,)})
            self._as_year.clear()
            self._origin = None

    def doubts(self, fact: Fact) -> list[tuple[Fact, Doubt]]:
        """Every doubt behind `fact`: its own, those of the facts it was computed from
        (recursively), and a scan doubt for each of them read by OCR. Each as (whose, doubt)."""
        out: list[tuple[Fact, Doubt]] = []
        for f in self.with_origins([fact.id]):
            out += [(f, d) for d in f.doubts]
            if f.source is not None and f.source.scanned:
                out.append((f, Doubt(kind="scan", note=SCANNED_NOTE, where=f"{f.source.file}, {f.source.label}")))
        return out

    def copy(self) -> "FactBook":
        """A book with the same facts, to which an answer adds its computations."""
        other = FactBook()
        other._facts = dict(self._facts)
        other._origin = (self, len(self._facts))
        return other

    def add(self, fact: Fact) -> Fact:
        existing = self._facts.get(fact.id)
        if existing is not None:
            return existing
        self._facts[fact.id] = fact
        return fact

    def extend(self, facts: Iterable[Fact]) -> None:
        for fact in facts:
            self.add(fact)

    def read(
        self, fact_id: AnyId, q: Quantity | Decimal, label: str, report: Report | None, loc: Loc | None,
        unit: str | None = None, scope: tuple[str, ...] = (), file: str | None = None, decimals: int | None = None,
    ) -> Fact:
        if isinstance(q, Quantity):
            value, q_unit, d = q.value, q.unit or "", quantity_decimals(q)
        else:
            value, q_unit, d = q, "", 0
        source = None
        if loc is not None and (file or report is not None):
            source = SourceRef.at(file, loc) if file else SourceRef.of(report, loc)  # type: ignore[arg-type]
        return self.add(
            Fact(
                id=as_text(fact_id), value=value, unit=unit if unit is not None else q_unit,
                decimals=d if decimals is None else decimals, label=label, source=source, scope=scope,
            )
        )

    # -- computations over facts ---------------------------------------------------------------

    def difference(self, a: Fact, b: Fact, label: str, decimals: int | None = None) -> Fact:
        """a - b, in a's unit ('pp' when both are percentages)."""
        unit = "pp" if a.unit == "%" and b.unit == "%" else a.unit
        return self.add(
            Fact(
                id=str(ids.computed("diff", a.id, b.id)), value=a.value - b.value, unit=unit,
                decimals=max(a.decimals, b.decimals) if decimals is None else decimals, label=label,
                operation="difference", derived_from=(a.id, b.id), scope=a.scope,
            )
        )

    def pct_change(self, new: Fact, old: Fact, label: str, decimals: int = 1) -> Fact | None:
        """(new - old) / |old| * 100; None when old is 0."""
        if old.value == 0:
            return None
        with localcontext() as ctx:
            ctx.prec = 28
            value = (new.value - old.value) / abs(old.value) * HUNDRED
        return self.add(
            Fact(
                id=str(ids.computed("pct_change", new.id, old.id)), value=value, unit="%", decimals=decimals, label=label,
                operation="pct_change", derived_from=(new.id, old.id), scope=new.scope,
            )
        )

    def share(self, part: Fact, total: Fact, label: str, decimals: int = 1) -> Fact | None:
        if total.value == 0:
            return None
        with localcontext() as ctx:
            ctx.prec = 28
            value = part.value / total.value * HUNDRED
        return self.add(
            Fact(
                id=str(ids.computed("share", part.id, total.id)), value=value, unit="%", decimals=decimals, label=label,
                operation="share", derived_from=(part.id, total.id), scope=part.scope,
            )
        )

    def count(self, fact_id: AnyId, n: int, label: str, derived_from: tuple[str, ...] = (), scope: tuple[str, ...] = ()) -> Fact:
        return self.add(
            Fact(id=as_text(fact_id), value=Decimal(n), unit="", decimals=0, label=label, operation="count",
                 derived_from=derived_from, scope=scope)
        )

    def sum(self, fact_id: AnyId, parts: list[Fact], label: str) -> Fact:
        total = sum((p.value for p in parts), Decimal(0))
        unit = parts[0].unit if parts else ""
        decimals = max((p.decimals for p in parts), default=0)
        return self.add(
            Fact(id=as_text(fact_id), value=total, unit=unit, decimals=decimals, label=label, operation="sum",
                 derived_from=tuple(p.id for p in parts))
        )


# -- the facts of a scored view --------------------------------------------------------------


def indicator_facts(book: FactBook, report: Report, card: Scorecard) -> None:
    """Weight, measures, actual, target, achievement and gap of every indicator."""
    for ind in report.indicators():
        code = ind.operational_objective or ind.strategic_objective
        scope = (ind.key, code, ind.strategic_objective)
        name = f"«{ind.name}» (obiettivo {code})"
        book.read(ids.indicator(ind.key, "weight"), ind.weight_pct, f"Peso dell'indicatore {name}", report, ind.source,
                  unit="%", scope=scope, decimals=_decimals_of(ind.weight_pct), file=ind.target_file)
        for i, m in enumerate(ind.measures):
            book.read(ids.indicator(ind.key, f"measure{i}"), m, f"Valore misura {i + 1} dell'indicatore {name}", report, ind.source, scope=scope)
        actual = target = None
        if ind.actual is not None:
            actual = book.read(
                ids.indicator(ind.key, "actual"), ind.actual, f"Consuntivo dell'indicatore {name}", report,
                ind.actual_source or ind.source, scope=scope, file=ind.actual_file,
            )
        if ind.target is not None:
            target = book.read(
                ids.indicator(ind.key, "target"), Quantity(value=ind.target.value, unit=ind.target.unit, raw=ind.target.raw, decimals=ind.target.decimals),
                f"Target dell'indicatore {name} ({ind.target.raw})", report, ind.target_source or ind.source,
                scope=scope, file=ind.target_file,
            )
        for year, t in ind.targets_by_year.items():
            book.read(
                ids.indicator(ind.key, f"target{year}"), Quantity(value=t.value, unit=t.unit, raw=t.raw, decimals=t.decimals),
                f"Target {year} dell'indicatore {name} ({t.raw})", report, ind.source, scope=scope, file=ind.target_file,
            )
        score = card.indicators.get(ind.key)
        if score is not None and score.achievement is not None:
            derived = tuple(f.id for f in (actual, target) if f is not None)
            book.add(Fact(
                id=str(ids.indicator(ind.key, "achievement")), value=as_pct(score.achievement), unit="%", decimals=2,
                label=f"Grado di raggiungimento dell'indicatore {name}", operation="achievement",
                derived_from=derived, scope=scope, name=f"«{ind.name}»",
            ))
            if actual is not None and target is not None and not score.met:
                book.difference(actual, target, f"Scostamento dal target dell'indicatore {name} (consuntivo - target)")


_WEIGHT_KEYS = ("section_3_1", "piano_3_1", "section_3_2", "piano_3_2", "section_1", "section_3_3")


def _weight_loc(sources) -> Loc | None:
    for key in _WEIGHT_KEYS:
        if key in sources:
            return sources[key].source
    return next((w.source for w in sources.values()), None)


def node_facts(book: FactBook, card: Scorecard, report: Report, tree_file: str | None = None) -> None:
    """Achievement and weight of every objective, area and of the Ente; weights cite the row
    where they are printed (in `tree_file` when the tree comes from another file, a Piano)."""

    def weight_loc(node: NodeScore) -> Loc | None:
        if node.level == "area":
            area = next((a for a in report.areas if str(a.number) == node.code), None)
            return _weight_loc(area.weight_sources) if area else None
        if node.level == "strategic":
            s = report.find_strategic(node.code)
            return _weight_loc(s.weight_sources) if s else None
        if node.level == "operational":
            o = report.find_operational(node.code)
            return o.source if o else None
        return None

    def visit(node: NodeScore) -> None:
        short = {"ente": "Ente", "area": f"area {node.code}", "strategic": f"obiettivo {node.code}",
                 "operational": f"obiettivo {node.code}"}.get(node.level, node.code)
        what = {"ente": "dell'Ente", "area": f"dell'area {node.code}", "strategic": f"dell'obiettivo strategico {node.code}",
                "operational": f"dell'obiettivo operativo {node.code}"}.get(node.level, node.code)
        children = tuple(str(ids.node(c.level, c.code, "achievement")) for c in node.children if c.achievement is not None) if (
            node.level in ("ente", "area") or not node.indicators or node.basis.startswith("obiettivi")
        ) else tuple(str(ids.indicator(i.key, "achievement")) for i in node.indicators if i.achievement is not None)
        if node.achievement is not None:
            book.add(Fact(
                id=str(ids.node(node.level, node.code, "achievement")), value=as_pct(node.achievement), unit="%", decimals=2,
                label=f"Grado di raggiungimento {what} (media ponderata: {node.basis})",
                operation="weighted_mean", derived_from=children, scope=(node.code,), name=short,
            ))
        if node.weight_pct is not None and node.level != "ente":
            book.read(
                ids.node(node.level, node.code, "weight"), node.weight_pct, f"Peso {what}", report, weight_loc(node), unit="%",
                scope=(node.code,), decimals=_decimals_of(node.weight_pct), file=tree_file,
            )
        for child in node.children:
            visit(child)

    visit(card.root)


def table_facts(book: FactBook, report: Report) -> None:
    """Financial summary, resources, interventions, key indicators, printed overview."""
    if report.financial:
        for line in report.financial.lines:
            for year, q in line.values.items():
                if q is not None:
                    book.read(ids.fin(line.label, year), q, f"{line.label}, consuntivo {year}", report, line.source,
                              unit="€", scope=("bilancio", line.label))
    for r in report.resources:
        for field, label in (("preventivo", "preventivo"), ("consuntivo", "consuntivo"), ("ratio", "consuntivo su preventivo")):
            q = getattr(r, field)
            if q is not None:
                book.read(ids.res(r.label, field), q, f"{r.label} ({r.category}), {label}", report, r.source,
                          scope=("risorse", r.label))
    for i in report.interventions:
        if i.amount is not None:
            book.read(ids.intervention(i.code), i.amount, f"Interventi economici {('OS ' + i.code + ' ' + i.title) if i.code else i.title}",
                      report, i.source, unit="€", scope=("interventi", i.code or "totale"))
    for k in report.key_indicators:
        book.read(ids.key_indicator(k.label), k.value, f"{k.label} ({k.group})", report, k.source, scope=("indicatori significativi",))
    for e in report.overview:
        if e.achievement is not None:
            book.read(ids.overview(e.table, e.level, e.code), e.achievement,
                      f"Raggiungimento stampato per {e.title}", report, e.source, scope=(e.code or "ente",))


def _decimals_of(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def build_facts(report: Report, card: Scorecard, tree_file: str | None = None) -> FactBook:
    book = FactBook()
    indicator_facts(book, report, card)
    node_facts(book, card, report, tree_file)
    table_facts(book, report)
    return book
