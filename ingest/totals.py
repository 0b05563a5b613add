"""Totals a document prints, checked against the lines it adds up.

* the 'TOTALE' row of the economic interventions equals the sum of the amounts per objective;
* each 'Totale ...' line of the financial summary equals, year by year, the sum of the lines
  printed since the previous total ('Totale proventi correnti (A)' = lines 1 to 5);
* the CONFRONTO column of the resources table equals CONSUNTIVO / PREVENTIVO x 100.

Printed amounts are rounded one by one, so a sum may differ from its printed total by up to
one unit per summand; a ratio by one unit of its last printed decimal (some documents
truncate instead of rounding). A larger difference is a finding: the document contradicts
itself, or (in a scan) a digit was misread.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .italian import fmt_number
from .model import Finding, FindingKind, Loc, Quantity, Report, Severity

_TOTAL_LABEL = re.compile(r"^\s*total[ei]\b", re.IGNORECASE)


def check_totals(report: Report) -> list[Finding]:
    return _interventions(report) + _financial(report) + _resources(report)


def _finding(message: str, loc: Loc, printed: Quantity, expected: Decimal, decimals: int) -> Finding:
    unit = f" {printed.unit}" if printed.unit else ""
    return Finding(
        kind=FindingKind.total_mismatch,
        severity=Severity.warning,
        message=message,
        source=loc,
        printed=printed.raw,
        expected=f"{fmt_number(expected, decimals)}{unit}",
    )


def _decimals(q: Quantity) -> int:
    return max(q.decimals, 0)


def _interventions(report: Report) -> list[Finding]:
    out = []
    lines = [i for i in report.interventions if not i.total and i.amount is not None]
    for total in (i for i in report.interventions if i.total and i.amount is not None):
        if not lines:
            continue
        summed = sum((i.amount.value for i in lines), Decimal(0))
        if abs(summed - total.amount.value) > len(lines):
            out.append(_finding(
                f"«{total.title}» stampa {total.amount.raw}, ma gli importi per obiettivo sommano a "
                f"{fmt_number(summed, _decimals(total.amount))}.",
                total.source, total.amount, summed, _decimals(total.amount),
            ))
    return out


def _financial(report: Report) -> list[Finding]:
    table = report.financial
    if table is None:
        return []
    out: list[Finding] = []
    run = []  # the lines since the previous total
    for line in table.lines:
        if not line.total:
            run.append(line)
            continue
        if _TOTAL_LABEL.match(line.label) and run:
            for year in table.years:
                printed = line.values.get(year)
                parts = [ln.values.get(year) for ln in run]
                if printed is None or any(p is None for p in parts):
                    continue
                summed = sum((p.value for p in parts if p is not None), Decimal(0))
                if abs(summed - printed.value) > len(parts):
                    out.append(_finding(
                        f"«{line.label}» {year}: stampato {printed.raw}, ma le {len(parts)} righe che lo "
                        f"precedono sommano a {fmt_number(summed, _decimals(printed))}.",
                        line.source, printed, summed, _decimals(printed),
                    ))
        run = []
    return out


def _resources(report: Report) -> list[Finding]:
    out = []
    for line in report.resources:
        if line.ratio is None or line.preventivo is None or line.consuntivo is None or not line.preventivo.value:
            continue
        computed = line.consuntivo.value / line.preventivo.value * 100
        quantum = Decimal(1).scaleb(-_decimals(line.ratio))
        if abs(computed - line.ratio.value) > quantum:
            out.append(_finding(
                f"«{line.label}»: il confronto stampato {line.ratio.raw} non è consuntivo / preventivo "
                f"({line.consuntivo.raw} / {line.preventivo.raw} = {fmt_number(computed, _decimals(line.ratio))}%).",
                line.source, line.ratio, computed, _decimals(line.ratio),
            ))
    return out
