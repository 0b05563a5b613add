"""The typed results of the workspace: a year's view (the report scored, its findings), an
extraction, an ingestion's outcome, and the workspace's error. Imported by the workspace, the
answering side and the command line; re-exported by `assistant.workspace`."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from ingest.model import Finding, Layout, Report
from ingest.records import (
    FindingRecord,
    IndicatorRecord,
    ObjectiveRecord,
    finding_record,
    indicator_record,
    objective_record,
)
from ingest.scoring import Scorecard
from ingest.versions import Comparison

from .store import DocumentInfo


class WorkspaceError(Exception):
    """A request the store cannot answer (no documents, unknown year...), in one Italian sentence."""


class YearView(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True, defer_build=True)

    ente: str
    year: int
    basis: str  # 'relazione' or 'piano+consuntivi'
    report: Report
    scorecard: Scorecard
    findings: tuple[Finding, ...]
    plan: Report | None = None
    relazione: Report | None = None

    def indicator_records(self, below_target: bool = False) -> list[IndicatorRecord]:
        out = []
        for ind in self.report.indicators():
            score = self.scorecard.indicators[ind.key]
            if below_target and score.met is not False:
                continue
            out.append(indicator_record(self.report, ind, score.pct, score.band))
        return out

    def objective_tree(self) -> ObjectiveRecord:
        return objective_record(self.scorecard.root)

    def finding_records(self) -> list[FindingRecord]:
        return [finding_record(f, self.relazione or self.report, self.plan) for f in self.findings]


class Extraction(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)

    document: dict[str, str | int | bool | list[int]]
    indicators: list[IndicatorRecord]
    objectives: ObjectiveRecord
    findings: list[FindingRecord]
    layout: Layout | None = None  # the reader, and how it read each table


class IngestOutcome(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)

    path: str
    document: DocumentInfo
    replaced: tuple[DocumentInfo, ...]
    chunks: int
    problems: int
    read_warnings: tuple[str, ...] = ()  # what the PDF libraries reported (shown with --verbose)
    unchanged: bool = False  # the same file was already the current version: nothing written
    comparison: Comparison | None = None  # against the version it replaced
