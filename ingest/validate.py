"""Document-level validation: is a parsed report plausible, and is it complete? Pure, no I/O.

* Numbers that cannot be right (not finite: NaN, infinity; or beyond any budget, 1e308) and
  years outside 2000 .. next year + 3 refuse the document (`Validation.impossible`).
* Numbers out of a sane range for their unit, duplicated rows and years out of range in a
  table (not the document's own year) are findings.
* Completeness: a Relazione (or a Piano) lists in its overview table (section 1) every
  strategic objective, each of which must have its indicators; every strategic objective of
  the tree must have indicators, and when the document has operational objectives, every
  strategic objective must have some and every operational objective its indicators; against
  its Piano (when one is given), every planned area and strategic objective must be reported.
  A file of actual values is complete when every indicator of the Piano with a target for its
  year has a value. What is missing is `Validation.missing`, one short Italian phrase each.

The pipeline refuses an impossible document always, an incomplete one unless the caller
allows a partial one (then an `incomplete` finding says what is missing).
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Iterator

from pydantic import BaseModel, ConfigDict

from .italian import fmt_number
from .model import Finding, FindingKind, Loc, Quantity, Report, Severity, Target
from .textnorm import fold

FIRST_YEAR = 2000
# beyond this no Camera's number can go (a budget is ~1e8 €): the value is garbage, e.g. 1e308
IMPOSSIBLE = Decimal("1e15")
# the largest believable magnitude per unit; beyond it, a finding
SANE: dict[str | None, Decimal] = {
    "%": Decimal("1e5"),  # a variation can print 23.532,93 %
    "€": Decimal("1e11"),
    "N.": Decimal("1e9"),
    None: Decimal("1e12"),
}
_LIST = 6  # objective codes named in one message


class Validation(BaseModel):
    model_config = ConfigDict(frozen=True)

    findings: tuple[Finding, ...] = ()
    impossible: tuple[str, ...] = ()  # why the data cannot be right
    missing: tuple[str, ...] = ()  # what an incomplete document lacks

    @property
    def complete(self) -> bool:
        return not self.missing


def last_year(current_year: int) -> int:
    """The latest year a document may speak of: next year + 3 (a Piano's third year, and one
    more for a Piano published early)."""
    return current_year + 1 + 3


def validate(report: Report, current_year: int, plan: Report | None = None) -> Validation:
    """Every document-level check on `report`; `plan` is the stored Piano that covers its year."""
    impossible, findings = _numbers(report)
    bad_years, year_findings = _years(report, current_year)
    return Validation(
        findings=tuple(findings + year_findings + _duplicates(report)),
        impossible=tuple(impossible + bad_years),
        missing=tuple(missing_parts(report, plan)),
    )


# -- numbers ---------------------------------------------------------------------------------


def _values(report: Report) -> Iterator[tuple[Decimal, str | None, str, Loc]]:
    """Every number of the report: (value, unit, as printed, where)."""

    def q(x: Quantity | Target | None, loc: Loc):
        if x is not None:
            yield x.value, x.unit, x.raw, loc

    for ind in report.indicators():
        yield ind.weight_pct, "%", ind.weight_raw, ind.source
        for m in ind.measures:
            yield from q(m, ind.source)
        yield from q(ind.actual, ind.actual_source or ind.source)
        yield from q(ind.target, ind.target_source or ind.source)
        for t in ind.targets_by_year.values():
            yield from q(t, ind.source)
    for e in report.overview:
        yield from q(e.achievement, e.source)
    for r in report.resources:
        for x in (r.preventivo, r.consuntivo, r.ratio):
            yield from q(x, r.source)
    for k in report.key_indicators:
        yield from q(k.value, k.source)
    if report.financial:
        for line in report.financial.lines:
            for x in line.values.values():
                yield from q(x, line.source)
    for i in report.interventions:
        yield from q(i.amount, i.source)
    for a in report.actuals:
        yield from q(a.value, a.source)


def _numbers(report: Report) -> tuple[list[str], list[Finding]]:
    impossible: list[str] = []
    findings: list[Finding] = []
    for value, unit, raw, loc in _values(report):
        if not value.is_finite() or abs(value) >= IMPOSSIBLE:
            impossible.append(f"valore impossibile {raw!r} ({loc.label()})")
            continue
        limit = SANE.get(unit, SANE[None])
        if abs(value) > limit:
            findings.append(Finding(
                kind=FindingKind.implausible_value, severity=Severity.warning,
                message=f"Il valore {raw} ({loc.label()}) è fuori scala per la sua unità ({unit or 'senza unità'}): "
                        "da verificare sull'originale.",
                source=loc, printed=raw,
            ))
    return impossible, findings


# -- years -----------------------------------------------------------------------------------


def _years(report: Report, current_year: int) -> tuple[list[str], list[Finding]]:
    last = last_year(current_year)
    bad: list[str] = []
    own = {report.year, *report.plan_years, *(a.year for a in report.actuals)}
    for year in sorted(own):
        if not FIRST_YEAR <= year <= last:
            bad.append(f"anno {year} fuori dagli anni ammessi ({FIRST_YEAR}-{last})")
    findings = []
    table_years = set(report.financial.years) if report.financial else set()
    table_years |= {y for ind in report.indicators() for y in ind.targets_by_year}
    for year in sorted(table_years - own):
        if not FIRST_YEAR <= year <= last:
            findings.append(Finding(
                kind=FindingKind.year_out_of_range, severity=Severity.warning,
                message=f"Una tabella riporta l'anno {year}, fuori dagli anni ammessi ({FIRST_YEAR}-{last}).",
                source=report.financial.source if report.financial and year in report.financial.years else None,
            ))
    return bad, findings


# -- duplicates ------------------------------------------------------------------------------


def _duplicates(report: Report) -> list[Finding]:
    """The same indicator printed twice for the same objective (a table repeated, a row copied)."""
    findings: list[Finding] = []
    seen: Counter = Counter()
    for ind in report.indicators():
        code = ind.operational_objective or ind.strategic_objective
        key = (ind.section, code, fold(ind.name))
        seen[key] += 1
        if seen[key] == 2:
            findings.append(Finding(
                kind=FindingKind.duplicate_row, severity=Severity.warning,
                message=f"L'indicatore «{ind.name}» dell'obiettivo {code} è stampato più volte ({ind.source.label()}): "
                        "una riga o una tabella ripetuta.",
                source=ind.source, indicator=ind.name, operational_objective=ind.operational_objective,
                strategic_objective=ind.strategic_objective,
            ))
    rows: Counter = Counter()
    for a in report.actuals:
        key = (a.objective, fold(a.indicator))
        rows[key] += 1
        if rows[key] == 2:
            findings.append(Finding(
                kind=FindingKind.duplicate_row, severity=Severity.warning,
                message=f"Il consuntivo dell'indicatore «{a.indicator}» (obiettivo {a.objective}) è ripetuto ({a.source.label()}).",
                source=a.source, indicator=a.indicator,
            ))
    return findings


# -- completeness ----------------------------------------------------------------------------


def _indicators(n: int) -> str:
    return "1 indicatore" if n == 1 else f"{fmt_number(n)} indicatori"


def _codes(codes: list[str]) -> str:
    shown = ", ".join(codes[:_LIST])
    return shown + (f" e altri {len(codes) - _LIST}" if len(codes) > _LIST else "")


def _has_indicators(report: Report, code: str) -> bool:
    s = report.find_strategic(code)
    return s is not None and bool(s.indicators or any(o.indicators for o in s.operational_objectives))


def missing_parts(report: Report, plan: Report | None = None) -> list[str]:
    """What the document lacks, one phrase each (empty when complete)."""
    if report.kind == "consuntivi":
        return _missing_actuals(report, plan)
    out: list[str] = []
    listed = [e.code for e in report.overview if e.table == "section_1" and e.level == "strategic" and e.code]
    lacking = [c for c in dict.fromkeys(listed) if not _has_indicators(report, c)]
    if lacking:
        out.append(f"mancano gli indicatori degli obiettivi strategici {_codes(lacking)} elencati nella sezione 1")
    areas = {a.number for a in report.areas}
    listed_areas = [e.code for e in report.overview if e.table == "section_1" and e.level == "area" and e.code]
    absent = [c for c in dict.fromkeys(listed_areas) if c.isdigit() and int(c) not in areas]
    if absent:
        out.append(f"mancano le aree {_codes(absent)} elencate nella sezione 1")
    strategic = report.strategic_objectives()
    empty = [s.code for s in strategic if s.code not in lacking and not _has_indicators(report, s.code)]
    if empty:
        out.append(f"gli obiettivi strategici {_codes(empty)} non hanno indicatori")
    if any(s.indicators for s in strategic):
        no_own = [s.code for s in strategic if not s.indicators and s.code not in lacking + empty]
        if no_own:
            out.append(f"gli obiettivi strategici {_codes(no_own)} non hanno indicatori strategici (tabella 3.1)")
    if any(s.operational_objectives for s in strategic):
        no_ops = [s.code for s in strategic if not s.operational_objectives]
        if no_ops:
            out.append(f"gli obiettivi strategici {_codes(no_ops)} non hanno obiettivi operativi")
        bare = [o.code for o in report.operational_objectives() if not o.indicators]
        if bare:
            out.append(f"gli obiettivi operativi {_codes(bare)} non hanno indicatori")
    if plan is not None and plan is not report:
        out += missing_from_plan(report, plan)
    return out


def missing_from_plan(report: Report, plan: Report) -> list[str]:
    out = []
    have = {s.code for s in report.strategic_objectives()}
    planned = [s.code for s in plan.strategic_objectives() if s.code not in have]
    if planned:
        out.append(f"mancano gli obiettivi strategici {_codes(planned)} del Piano")
    areas = {a.number for a in report.areas}
    planned_areas = [str(a.number) for a in plan.areas if a.number not in areas]
    if planned_areas:
        out.append(f"mancano le aree {_codes(planned_areas)} del Piano")
    return out


def _missing_actuals(report: Report, plan: Report | None) -> list[str]:
    if plan is None:
        return []
    have = {(a.objective, fold(a.indicator)) for a in report.actuals}
    wanted = [
        ind for ind in plan.indicators()
        if report.year in ind.targets_by_year or (ind.target is not None and report.year == plan.year and not ind.targets_by_year)
    ]
    lacking = [i for i in wanted if ((i.operational_objective or i.strategic_objective), fold(i.name)) not in have]
    if not lacking:
        return []
    codes = list(dict.fromkeys(i.operational_objective or i.strategic_objective for i in lacking))
    return [f"mancano i consuntivi di {len(lacking)} indicatori del Piano con un target per il {report.year} "
            f"(obiettivi {_codes(codes)})"]


def incomplete_finding(report: Report, missing: tuple[str, ...] | list[str]) -> Finding:
    """The finding a partial document accepted on request carries."""
    return Finding(
        kind=FindingKind.incomplete, severity=Severity.warning,
        message=f"Documento incompleto, caricato su richiesta ({_indicators(report.indicator_rows())}): " + "; ".join(missing) + ".",
    )


def summary(report: Report, validation: Validation) -> str:
    """One line for a refused document."""
    if validation.impossible:
        more = len(validation.impossible) - 1
        return "dati impossibili: " + validation.impossible[0] + (f" (e altri {more})" if more else "")
    return (f"documento incompleto ({_indicators(report.indicator_rows())}): "
            + "; ".join(validation.missing) + " (usa --allow-partial per caricarlo comunque)")
