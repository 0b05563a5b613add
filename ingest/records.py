"""Flat, JSON-ready records of the objective tree (the `extract` / `indicators` contract).

Field names follow tests/data/indicators-2019.json: section, area, strategic_objective,
operational_objective, indicator, kpi_code, weight_pct, algorithm, measures, actual_value,
actual_unit, target_operator, target_value, target_unit; plus achievement and source.
Numbers printed without a decimal comma are ints, with one are floats; weights are floats.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from .model import Indicator, Loc, Report
from .ocr_checks import on_scanned_page


class SourceRef(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)

    file: str
    sha256: str | None = None
    line: int | None = None
    lines: list[int] = []
    page: int | None = None
    label: str
    # read by OCR from a scanned page: the number may be misread
    scanned: bool = False

    @classmethod
    def of(cls, report: Report, loc: Loc) -> "SourceRef":
        return cls(
            file=report.source_file,
            sha256=report.sha256,
            line=loc.line,
            lines=list(loc.lines),
            page=loc.page,
            label=loc.label(),
            scanned=on_scanned_page(report, loc),
        )

    @classmethod
    def at(cls, file: str, loc: Loc, sha256: str | None = None) -> "SourceRef":
        return cls(file=file, sha256=sha256, line=loc.line, lines=list(loc.lines), page=loc.page, label=loc.label())


class IndicatorRecord(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)

    key: str
    ente: str
    year: int
    section: str
    area: int
    strategic_objective: str
    strategic_objective_title: str | None
    operational_objective: str | None
    operational_objective_title: str | None
    operational_objective_weight_pct: float | None
    indicator: str
    kpi_code: str | None
    descrizione: str | None
    weight_pct: float
    algorithm: str | None
    measures: list[int | float]
    measure_units: list[str | None]
    actual_value: int | float | None
    actual_unit: str | None
    target_operator: str | None
    target_value: int | float | None
    target_unit: str | None
    targets_by_year: dict[int, str] = {}
    achievement: float | None = None  # 0..100, rounded to 2 decimals
    evaluation: str | None = None
    source: SourceRef  # where the actual value was printed (or the row, when there is none)
    target_source: SourceRef | None = None  # when the target comes from another file (a Piano)


def _pct(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def indicator_record(
    report: Report,
    ind: Indicator,
    achievement_pct: Decimal | None = None,
    evaluation: str | None = None,
) -> IndicatorRecord:
    strategic = report.find_strategic(ind.strategic_objective)
    operational = report.find_operational(ind.operational_objective) if ind.operational_objective else None
    return IndicatorRecord(
        key=ind.key,
        ente=report.ente,
        year=report.year,
        section=ind.section,
        area=ind.area,
        strategic_objective=ind.strategic_objective,
        strategic_objective_title=strategic.title if strategic else None,
        operational_objective=ind.operational_objective,
        operational_objective_title=operational.title if operational else None,
        operational_objective_weight_pct=_pct(operational.weight_pct) if operational else None,
        indicator=ind.name,
        kpi_code=ind.kpi_code,
        descrizione=ind.descrizione,
        weight_pct=float(ind.weight_pct),
        algorithm=ind.algorithm,
        measures=[m.as_json_number() for m in ind.measures],
        measure_units=[m.unit for m in ind.measures],
        actual_value=ind.actual.as_json_number() if ind.actual else None,
        actual_unit=ind.actual.unit if ind.actual else None,
        target_operator=ind.target.operator if ind.target else None,
        target_value=ind.target.as_json_number() if ind.target else None,
        target_unit=ind.target.unit if ind.target else None,
        targets_by_year={y: t.raw for y, t in ind.targets_by_year.items()},
        achievement=_pct(achievement_pct),
        evaluation=evaluation,
        source=_actual_ref(report, ind),
        target_source=SourceRef.at(ind.target_file, ind.target_source) if ind.target_file and ind.target_source else None,
    )


def _actual_ref(report: Report, ind: Indicator) -> SourceRef:
    if ind.actual_file and ind.actual_source:
        return SourceRef.at(ind.actual_file, ind.actual_source, report.sha256)
    if ind.target_file:
        return SourceRef.at(ind.target_file, ind.source)
    return SourceRef.of(report, ind.source)


class ObjectiveRecord(BaseModel):
    """A node of the objective tree with its rollup (Ente, area, strategic, operational)."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    level: str
    code: str
    title: str
    weight_pct: float | None
    achievement: float | None  # 0..100, 2 decimals
    evaluation: str | None
    basis: str
    weight_sum: float
    weights_normalised: bool
    indicators: list[str] = []  # keys of the indicators rolled up directly
    children: list["ObjectiveRecord"] = []


def objective_record(node) -> ObjectiveRecord:
    """From a scoring.NodeScore (imported lazily to keep records free of scoring)."""
    return ObjectiveRecord(
        level=node.level,
        code=node.code,
        title=node.title,
        weight_pct=_pct(node.weight_pct),
        achievement=_pct(node.pct),
        evaluation=node.band,
        basis=node.basis,
        weight_sum=float(node.weight_sum),
        weights_normalised=node.normalised,
        indicators=[i.key for i in node.indicators],
        children=[objective_record(c) for c in node.children],
    )


class FindingRecord(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)

    kind: str
    severity: str
    message: str
    source: SourceRef | None = None
    claim_source: SourceRef | None = None
    plan_source: SourceRef | None = None
    strategic_objective: str | None = None
    operational_objective: str | None = None
    indicator: str | None = None
    printed: str | None = None
    expected: str | None = None


def finding_record(finding, report: Report, plan: Report | None = None) -> FindingRecord:
    """`report` is where `source` and `claim_source` point; `plan` where `plan_source` points."""
    return FindingRecord(
        kind=finding.kind.value,
        severity=finding.severity.value,
        message=finding.message,
        source=SourceRef.of(report, finding.source) if finding.source else None,
        claim_source=SourceRef.of(report, finding.claim_source) if finding.claim_source else None,
        plan_source=SourceRef.of(plan, finding.plan_source) if (plan and finding.plan_source) else None,
        strategic_objective=finding.strategic_objective,
        operational_objective=finding.operational_objective,
        indicator=finding.indicator,
        printed=finding.printed,
        expected=finding.expected,
    )
