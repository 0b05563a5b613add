"""The typed model every layer shares.

A `Report` is what ingestion makes of one source file (a Relazione, a Piano or
a file of actual values): the objective tree with its indicators, the other
tables, the narrative sections, and the row-level problems met on the way.
Every value keeps the text it was printed as and where it was printed (`Loc`),
so that any number shown later can be traced back to its page or line.
"""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .places import (
    STRATEGY_LABELS as STRATEGY_LABELS,
    Layout as Layout,
    Loc as Loc,
    TableLayout as TableLayout,
    TableStrategy as TableStrategy,
    UnassignedRow as UnassignedRow,
)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Quantity(_Model):
    """A printed number with its unit: '1.150 N.', '92,15 %', '13.092.700,00 €'."""

    value: Decimal
    unit: str | None = None
    raw: str
    # digits printed after the decimal comma; -1 when no comma was printed
    decimals: int = -1

    @property
    def is_integer_literal(self) -> bool:
        return self.decimals < 0

    def as_json_number(self) -> int | float:
        """Printed without a decimal comma -> int, with one -> float."""
        if self.is_integer_literal:
            return int(self.value)
        return float(self.value)


Operator = Literal[">=", "<=", "="]


class Target(_Model):
    operator: Operator
    value: Decimal
    unit: str | None = None
    raw: str
    decimals: int = -1
    # True when the operator was not printed ('1 N.' means '= 1 N.')
    implicit_operator: bool = False

    def as_json_number(self) -> int | float:
        if self.decimals < 0:
            return int(self.value)
        return float(self.value)


class Indicator(_Model):
    """One indicator row of a performance table."""

    key: str  # stable within a report, e.g. '3.2/1.2.1/3'
    section: Literal["3.1", "3.2"]  # strategic (3.1) or operational (3.2) table
    area: int
    strategic_objective: str
    operational_objective: str | None = None
    name: str
    kpi_code: str | None = None
    descrizione: str | None = None
    weight_pct: Decimal
    weight_raw: str
    algorithm: str | None = None
    measures: tuple[Quantity, ...] = ()
    measures_raw: str | None = None
    actual: Quantity | None = None
    target: Target | None = None
    # a plan's targets by year (the Relazione's own target is `target`)
    targets_by_year: dict[int, Target] = Field(default_factory=dict)
    source: Loc
    stray_cells: tuple[str, ...] = ()
    # where the actual value and the target were printed, when they come from two files
    # (a year scored from a Piano plus a file of consuntivi); None means `source`
    actual_source: Loc | None = None
    actual_file: str | None = None
    target_source: Loc | None = None
    target_file: str | None = None


class OperationalObjective(_Model):
    code: str
    title: str
    weight_pct: Decimal | None = None
    nested_under: str | None = None
    source: Loc
    indicators: tuple[Indicator, ...] = ()


class WeightSource(_Model):
    weight_pct: Decimal
    source: Loc


class StrategicObjective(_Model):
    code: str
    title: str
    bsc_perspective: str | None = None
    weight_pct: Decimal | None = None
    # the same weight as printed in section 1, 3.1 and 3.2 tables
    weight_sources: dict[str, WeightSource] = Field(default_factory=dict)
    source: Loc
    indicators: tuple[Indicator, ...] = ()  # strategic indicators (table 3.1)
    operational_objectives: tuple[OperationalObjective, ...] = ()


class Area(_Model):
    number: int
    title: str
    weight_pct: Decimal | None = None
    weight_sources: dict[str, WeightSource] = Field(default_factory=dict)
    source: Loc
    strategic_objectives: tuple[StrategicObjective, ...] = ()


class OverviewEntry(_Model):
    """A row of the 'Panoramica' (section 1) or 'Performance organizzativa Ente' (3.3) table."""

    table: Literal["section_1", "section_3_3"]
    level: Literal["ente", "area", "strategic"]
    code: str | None = None  # area number or objective code
    title: str
    weight_pct: Decimal | None = None
    achievement: Quantity | None = None
    source: Loc


class ResourceLine(_Model):
    """'Risorse disponibili e spese sostenute per settore'."""

    category: str  # PROVENTI | ONERI
    label: str
    preventivo: Quantity | None = None
    consuntivo: Quantity | None = None
    ratio: Quantity | None = None  # CONFRONTO (B)/(A)*100 as printed
    source: Loc


class KeyIndicator(_Model):
    """'Indicatori più significativi' of section 1."""

    group: str
    label: str
    value: Quantity
    source: Loc


class FinancialLine(_Model):
    label: str
    values: dict[int, Quantity | None]
    total: bool = False
    source: Loc


class FinancialTable(_Model):
    """'Sintesi dei principali dati di bilancio': one column per year."""

    title: str
    years: tuple[int, ...]
    lines: tuple[FinancialLine, ...]
    source: Loc


class Intervention(_Model):
    """'Interventi economici' amount per strategic objective."""

    area: int | None = None
    code: str | None = None  # strategic objective code, None for the total row
    title: str
    amount: Quantity | None = None
    total: bool = False
    source: Loc


class TreeEntry(_Model):
    """'Albero della performance' row."""

    area: int | None = None
    strategic_objective: str
    title: str
    missione: str | None = None
    programma: str | None = None
    prospettiva: str | None = None
    cofog: str | None = None
    source: Loc


class Paragraph(_Model):
    text: str
    source: Loc


class Section(_Model):
    """A narrative section: its numbered heading path and its paragraphs."""

    number: str | None = None  # '2', '3.1', '5'; None before the first numbered heading
    title: str
    path: tuple[str, ...]
    paragraphs: tuple[Paragraph, ...] = ()
    source: Loc


class TableCaption(_Model):
    """A one-line description of a table, for the narrative index."""

    caption: str
    section_number: str | None = None
    section_path: tuple[str, ...] = ()
    source: Loc


class ActualValue(_Model):
    """A row of a file of actual values (consuntivi), matched to a plan indicator."""

    year: int
    objective: str
    indicator: str
    value: Quantity
    source: Loc


class Severity(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


class FindingKind(str, Enum):
    weights_not_100 = "weights_not_100"
    consuntivo_mismatch = "consuntivo_mismatch"
    measure_unit_mismatch = "measure_unit_mismatch"
    narrative_claim_not_in_tables = "narrative_claim_not_in_tables"
    narrative_claim_confirmed = "narrative_claim_confirmed"
    target_changed_unexplained = "target_changed_unexplained"
    target_changed_explained = "target_changed_explained"
    weight_changed = "weight_changed"
    objective_removed_in_report = "objective_removed_in_report"
    objective_added_in_report = "objective_added_in_report"
    indicator_removed_in_report = "indicator_removed_in_report"
    indicator_added_in_report = "indicator_added_in_report"
    printed_achievement_mismatch = "printed_achievement_mismatch"
    below_target_without_cause = "below_target_without_cause"
    row_not_parsed = "row_not_parsed"
    unknown_indicator = "unknown_indicator"
    unparseable_number = "unparseable_number"
    total_mismatch = "total_mismatch"
    read_by_ocr = "read_by_ocr"
    ocr_number_repaired = "ocr_number_repaired"
    # document-level validation (ingest/validate.py)
    duplicate_row = "duplicate_row"
    implausible_value = "implausible_value"
    year_out_of_range = "year_out_of_range"
    incomplete = "incomplete"
    nul_bytes_removed = "nul_bytes_removed"
    amount_from_other_year = "amount_from_other_year"  # an amount equal to another table's figure of another year


class Finding(_Model):
    """Something an OIV would check, with where it was printed."""

    kind: FindingKind
    severity: Severity
    message: str  # Italian, one sentence
    source: Loc | None = None
    operational_objective: str | None = None
    strategic_objective: str | None = None
    area: int | None = None
    indicator: str | None = None
    printed: str | None = None  # what the document prints
    expected: str | None = None  # what the check computed or the other source says
    claim_source: Loc | None = None  # narrative claim (section 5), when relevant
    plan_source: Loc | None = None  # the plan's row, for plan-vs-report checks
    other_source: Loc | None = None  # the other table's row, for checks across tables


ReportKind = Literal["relazione", "piano", "consuntivi"]
SourceFormat = Literal["txt", "pdf", "docx", "csv", "xlsx"]


class Report(_Model):
    ente: str
    year: int  # the year reported on (Relazione), the first year planned (Piano), or of the actuals
    kind: ReportKind
    title: str
    source_file: str
    sha256: str
    source_format: SourceFormat
    synthetic: bool = False
    plan_years: tuple[int, ...] = ()
    areas: tuple[Area, ...] = ()
    overview: tuple[OverviewEntry, ...] = ()
    resources: tuple[ResourceLine, ...] = ()
    key_indicators: tuple[KeyIndicator, ...] = ()
    financial: FinancialTable | None = None
    interventions: tuple[Intervention, ...] = ()
    tree: tuple[TreeEntry, ...] = ()
    sections: tuple[Section, ...] = ()
    tables: tuple[TableCaption, ...] = ()
    actuals: tuple[ActualValue, ...] = ()
    # row-level problems met while parsing (never silently dropped)
    problems: tuple[Finding, ...] = ()
    # pages read by OCR from a scan: every number printed there is doubtful
    ocr_pages: tuple[int, ...] = ()
    layout: Layout | None = None
    # what the PDF libraries reported while reading (damaged objects...), for --verbose
    read_warnings: tuple[str, ...] = ()

    def indicator_rows(self) -> int:
        """How many indicator rows the document carries: its tree's indicators, or the actual
        values of a consuntivi file (which has no tree)."""
        return len(self.actuals) if self.kind == "consuntivi" else len(self.indicators())

    def indicators(self) -> list[Indicator]:
        """Every indicator: strategic (3.1) first, then operational (3.2), in printed order."""
        strategic = [i for a in self.areas for s in a.strategic_objectives for i in s.indicators]
        operational = [
            i
            for a in self.areas
            for s in a.strategic_objectives
            for o in s.operational_objectives
            for i in o.indicators
        ]
        return sorted(strategic, key=_printed_order) + sorted(operational, key=_printed_order)

    def strategic_objectives(self) -> list[StrategicObjective]:
        return [s for a in self.areas for s in a.strategic_objectives]

    def operational_objectives(self) -> list[OperationalObjective]:
        return [o for s in self.strategic_objectives() for o in s.operational_objectives]

    def find_strategic(self, code: str) -> StrategicObjective | None:
        return next((s for s in self.strategic_objectives() if s.code == code), None)

    def find_operational(self, code: str) -> OperationalObjective | None:
        return next((o for o in self.operational_objectives() if o.code == code), None)


def _printed_order(ind: Indicator) -> tuple[int, int]:
    loc = ind.source
    return (loc.page or 0, loc.line or 0)
