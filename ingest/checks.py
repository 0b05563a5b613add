"""What an OIV would check in one report, each finding with where it was printed.

* weights that do not sum to 100 at any level;
* CONSUNTIVO not matching VALORI MISURE under the printed algorithm;
* a single measure printed in a unit other than the CONSUNTIVO's;
* achievements printed in the overview tables that differ from the computed ones;
* changes claimed in section 5 that the tables do not show (see `claims`);
* totals and ratios that do not add up (see `totals`);
* on a scanned document, every finding of a page read by OCR says so (see `ocr_checks`).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from .claims import check_claims, extract_claims
from .crosscheck import check_cross_tables
from .italian import fmt_number
from .model import Finding, FindingKind, Indicator, Loc, Report, Severity
from .numbers import NumberError, parse_measures
from .ocr_checks import mark_scanned
from .scoring import DEFAULT_POLICY, HUNDRED, Policy, Scorecard, score_report
from .totals import check_totals


def _weight_finding(level: str, code: str, total: Decimal, loc: Loc | None, **kw) -> Finding:
    return Finding(
        kind=FindingKind.weights_not_100,
        severity=Severity.warning,
        message=f"I pesi {level} {code} sommano a {fmt_number(total, 2)}% invece di 100%: il calcolo li normalizza.",
        source=loc,
        printed=f"{fmt_number(total, 2)} %",
        expected="100 %",
        **kw,
    )


def check_weights(report: Report, policy: Policy = DEFAULT_POLICY) -> list[Finding]:
    tol = policy.weight_tolerance
    out: list[Finding] = []

    def off(values: list[Decimal | None]) -> Decimal | None:
        present = [v for v in values if v is not None]
        if not present:
            return None
        total = sum(present, Decimal(0))
        return total if abs(total - HUNDRED) > tol else None

    if (total := off([a.weight_pct for a in report.areas])) is not None:
        out.append(_weight_finding("delle aree dell'Ente", "", total, report.areas[0].source if report.areas else None))
    for area in report.areas:
        if (total := off([s.weight_pct for s in area.strategic_objectives])) is not None:
            out.append(_weight_finding("degli obiettivi strategici dell'area", str(area.number), total, area.source, area=area.number))
        for s in area.strategic_objectives:
            if s.indicators and (total := off([i.weight_pct for i in s.indicators])) is not None:
                out.append(_weight_finding("degli indicatori dell'obiettivo strategico", s.code, total, s.indicators[0].source, strategic_objective=s.code))
            if s.operational_objectives and (total := off([o.weight_pct for o in s.operational_objectives])) is not None:
                out.append(_weight_finding("degli obiettivi operativi dell'obiettivo strategico", s.code, total, s.source, strategic_objective=s.code))
            for o in s.operational_objectives:
                if o.indicators and (total := off([i.weight_pct for i in o.indicators])) is not None:
                    out.append(_weight_finding("degli indicatori dell'obiettivo operativo", o.code, total,
                                               o.indicators[0].source, operational_objective=o.code))
    return out


def recompute_actual(ind: Indicator) -> Decimal | None:
    """CONSUNTIVO from VALORI MISURE under the algorithm, or None where it cannot be done.

    A ratio printed as a percentage is multiplied by 100 unless the formula already does
    ('... * 100'); a ratio in euro (per-enterprise amounts) is not.
    """
    if ind.actual is None or not ind.measures_raw:
        return None
    try:
        measures = parse_measures(ind.measures_raw)
        value = measures.evaluate()
    except NumberError:
        return None
    if len(measures.quantities) == 1 and not measures.constants:
        return value if measures.quantities[0].unit == ind.actual.unit else None
    if ind.actual.unit == "%" and measures.is_ratio and not measures.multiplies_by_100:
        value *= HUNDRED
    return value


def check_actuals(report: Report) -> list[Finding]:
    out: list[Finding] = []
    for ind in report.indicators():
        if ind.actual is None or not ind.measures:
            continue
        if len(ind.measures) == 1 and ind.measures[0].unit != ind.actual.unit:
            out.append(
                Finding(
                    kind=FindingKind.measure_unit_mismatch,
                    severity=Severity.info,
                    message=(
                        f"«{ind.name}»: la misura è stampata in {ind.measures[0].unit} ({ind.measures[0].raw}) "
                        f"e il consuntivo in {ind.actual.unit} ({ind.actual.raw}): il consuntivo non è ricalcolabile."
                    ),
                    source=ind.source, operational_objective=ind.operational_objective,
                    strategic_objective=ind.strategic_objective, indicator=ind.name,
                    printed=ind.actual.raw, expected=ind.measures[0].raw,
                )
            )
            continue
        computed = recompute_actual(ind)
        if computed is None:
            continue
        decimals = max(ind.actual.decimals, 0)
        quantum = Decimal(1).scaleb(-decimals)
        rounded = computed.quantize(quantum, rounding=ROUND_HALF_UP)
        if abs(rounded - ind.actual.value) > quantum:
            out.append(
                Finding(
                    kind=FindingKind.consuntivo_mismatch,
                    severity=Severity.warning,
                    message=(
                        f"«{ind.name}»: il consuntivo stampato {ind.actual.raw} non corrisponde ai valori misure "
                        f"({ind.measures_raw}), che danno {fmt_number(rounded, decimals)} {ind.actual.unit or ''}".rstrip()
                        + "."
                    ),
                    source=ind.source, operational_objective=ind.operational_objective,
                    strategic_objective=ind.strategic_objective, indicator=ind.name,
                    printed=ind.actual.raw, expected=f"{fmt_number(rounded, decimals)} {ind.actual.unit or ''}".strip(),
                )
            )
    return out


def check_printed_achievements(report: Report, card: Scorecard) -> list[Finding]:
    out: list[Finding] = []
    for entry in report.overview:
        if entry.achievement is None:
            continue
        if entry.level == "ente":
            node = card.root
        elif entry.level == "area":
            node = card.node("area", entry.code or "")
        else:
            node = card.node("strategic", entry.code or "")
        if node is None or node.achievement is None:
            continue
        decimals = max(entry.achievement.decimals, 0)
        quantum = Decimal(1).scaleb(-decimals)
        computed = (node.achievement * HUNDRED).quantize(quantum, rounding=ROUND_HALF_UP)
        if abs(computed - entry.achievement.value) > quantum:
            where = "Ente" if entry.level == "ente" else f"{entry.code} {entry.title}"
            out.append(
                Finding(
                    kind=FindingKind.printed_achievement_mismatch,
                    severity=Severity.warning,
                    message=f"Raggiungimento stampato per {where}: {entry.achievement.raw}; calcolato dagli indicatori: {fmt_number(computed, decimals)}%.",
                    source=entry.source,
                    strategic_objective=entry.code if entry.level == "strategic" else None,
                    printed=entry.achievement.raw,
                    expected=f"{fmt_number(computed, decimals)} %",
                )
            )
    return out


def check_report(report: Report, policy: Policy = DEFAULT_POLICY, card: Scorecard | None = None) -> list[Finding]:
    """Every check on one report (a Relazione, or a year scored from Piano + consuntivi)."""
    card = card or score_report(report, policy)
    findings = list(report.problems)
    findings += check_weights(report, policy)
    findings += check_actuals(report)
    findings += check_printed_achievements(report, card)
    findings += check_totals(report)
    findings += check_cross_tables(report)
    if report.kind == "relazione":
        findings += check_claims(report, extract_claims(report.sections))
    return mark_scanned(report, findings)
