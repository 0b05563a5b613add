"""Amounts printed in two tables of the same Relazione, checked against each other.

A Relazione prints the same money more than once: the consuntivo of "Risorse disponibili e
spese sostenute" and the total of the interventi economici are also lines of the "Sintesi dei
principali dati di bilancio" (where costs are printed as negative numbers). An amount that
equals the summary's figure for the same year is consistent. One that equals the summary's
figure for another year, while the summary's figure for its own year differs, was most likely
copied from the wrong year: a finding for the OIV. The check pairs amounts by value, not by
the lines' names, so it holds for any Camera's labels.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from .model import Finding, FindingKind, Loc, Quantity, Report, Severity

RESOURCES_TABLE = "Risorse disponibili e spese sostenute"
INTERVENTIONS_TABLE = "Interventi economici per obiettivo strategico"
FINANCIAL_TABLE = "Sintesi dei principali dati di bilancio"
_MIN_AMOUNT = Decimal(1000)  # smaller numbers coincide by chance


class AmountPair(BaseModel):
    """An amount of one table and the summary line that prints the same value."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    table: str
    label: str  # the line of `table`
    field: str  # 'consuntivo' | 'totale'
    year: int  # the year the amount is reported for
    amount: Quantity
    source: Loc
    line: str | None = None  # the summary's line printing the same value (None: no line does)
    line_year: int | None = None  # the column where it is printed
    line_source: Loc | None = None
    current: Quantity | None = None  # the summary line's value for `year`

    @property
    def same_year(self) -> bool:
        return self.line_year == self.year


def cross_table_pairs(report: Report) -> list[AmountPair]:
    """Each consuntivo amount of the resources table and the interventions total, with the
    summary line and year printing the same value (the same year first)."""
    fin = report.financial
    if fin is None:
        return []
    amounts: list[tuple[str, str, str, Quantity, Loc]] = [
        (RESOURCES_TABLE, r.label, "consuntivo", r.consuntivo, r.source) for r in report.resources if r.consuntivo is not None
    ]
    amounts += [(INTERVENTIONS_TABLE, i.title, "totale", i.amount, i.source) for i in report.interventions if i.total and i.amount]
    pairs = []
    for table, label, field, amount, source in amounts:
        if abs(amount.value) < _MIN_AMOUNT:
            continue
        matches = [(y != report.year, line, y) for line in fin.lines for y, q in line.values.items()
                   if q is not None and abs(q.value) == abs(amount.value)]
        if not matches:
            pairs.append(AmountPair(table=table, label=label, field=field, year=report.year, amount=amount, source=source))
            continue
        _, line, y = min(matches, key=lambda m: m[0])
        pairs.append(AmountPair(
            table=table, label=label, field=field, year=report.year, amount=amount, source=source, line=line.label,
            line_year=y, line_source=line.source, current=line.values.get(report.year),
        ))
    return pairs


def check_cross_tables(report: Report) -> list[Finding]:
    out = []
    for p in cross_table_pairs(report):
        if p.line is None or p.same_year or p.current is None or abs(p.current.value) == abs(p.amount.value):
            continue
        out.append(Finding(
            kind=FindingKind.amount_from_other_year, severity=Severity.warning,
            message=(f"«{p.label}» ({p.field} {p.year}) nella tabella «{p.table}» è {p.amount.raw}, uguale a «{p.line}» "
                     f"del {p.line_year} nella «{FINANCIAL_TABLE}», che per il {p.year} riporta {p.current.raw}: "
                     f"verificare l'anno del dato."),
            source=p.source, printed=p.amount.raw, expected=p.current.raw, other_source=p.line_source,
        ))
    return out
