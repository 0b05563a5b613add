"""The walk over the block stream: header rows start tables, rows go to their table's reader.

A header row tells which table starts (`schema.header_schema`); its rows go to the reader of
that kind of table until a heading, a paragraph or another header ends it. Performance
tables also take objective headings printed as bold paragraphs between their rows.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from ..model import (
    Area,
    FinancialTable,
    Finding,
    Intervention,
    KeyIndicator,
    OverviewEntry,
    ResourceLine,
    TableCaption,
    TreeEntry,
)
from ..ocr_numbers import printed_operator, repair_cells, repaired_finding
from ..readers.blocks import BlockStream, Row, Text
from .common import Problems
from .financial import FinancialTableReader
from .interventions import InterventionsTable
from .key_indicators import KeyIndicatorsTable
from .objectives import ObjectiveTree
from .overview import OverviewTable
from .patterns import looks_like_indicator, section_number_of, text_as_row
from .performance import PerformanceTable
from .resources import ResourcesTable
from .schema import Schema, caption, header_schema
from .tree import TreeTable


@dataclass
class ParsedTables:
    areas: tuple[Area, ...]
    overview: tuple[OverviewEntry, ...]
    resources: tuple[ResourceLine, ...]
    key_indicators: tuple[KeyIndicator, ...]
    financial: FinancialTable | None
    interventions: tuple[Intervention, ...]
    tree: tuple[TreeEntry, ...]
    captions: tuple[TableCaption, ...]
    plan_years: tuple[int, ...]
    problems: tuple[Finding, ...]
    consumed: frozenset[int]  # indices of text blocks that were table headings
    ente_label: str | None = None

    @property
    def indicator_count(self) -> int:
        return sum(
            len(s.indicators) + sum(len(o.indicators) for o in s.operational_objectives)
            for a in self.areas
            for s in a.strategic_objectives
        )


class _Walker:
    def __init__(self, stream: BlockStream):
        self.stream = stream
        self.schema: Schema | None = None
        self.section_number: str | None = None
        self.problems = Problems()
        self.objectives = ObjectiveTree(self.problems)
        self.performance = PerformanceTable(self.objectives, self.problems, stream.ocr_pages)
        self.financial = FinancialTableReader(self.problems)
        self.tables = {
            "overview": OverviewTable(self.objectives),
            "resources": ResourcesTable(),
            "key_indicators": KeyIndicatorsTable(self.problems),
            "interventions": InterventionsTable(self.problems),
            "tree": TreeTable(),
        }
        self.captions: list[TableCaption] = []
        self.plan_years: tuple[int, ...] = ()
        self.consumed: set[int] = set()
        self.ocr_operators: Counter[str] = Counter()  # target operators read on scanned pages

    def run(self) -> ParsedTables:
        for index, block in enumerate(self.stream.blocks):
            if isinstance(block, Row):
                self._row(self._ocr_repaired(block))
            else:
                self._text(index, block)
        self.performance.flush()
        return self._result()

    def _ocr_repaired(self, row: Row) -> Row:
        """A row of a page read by OCR, its unreadable value cells put right where the usual
        misreadings explain them (`ocr_numbers`); each change is a finding on its page."""
        if row.loc.page not in self.stream.ocr_pages:
            return row
        self.ocr_operators.update(op for c in row.cells if (op := printed_operator(c)))
        usual = self.ocr_operators.most_common(1)[0][0] if self.ocr_operators else None
        if (fixed := repair_cells(list(row.cells), usual)) is None:
            return row
        self.problems.items.append(repaired_finding(list(row.cells), fixed, row.loc))
        return replace(row, cells=tuple(fixed))

    def _text(self, index: int, block: Text) -> None:
        kind = self.schema.kind if self.schema else None
        number = section_number_of(block)
        if number is not None:
            self.performance.flush()
            self.schema = None
            self.section_number = number
        elif block.kind == "heading":
            self.performance.flush()
            if kind != "performance":
                self.schema = None
        elif kind == "performance" and block.kind in ("bold", "para") and (row := text_as_row(block)) is not None:
            self.performance.row(row)
            self.consumed.add(index)
        elif kind not in (None, "performance") and block.kind in ("caption", "para", "bold"):
            self.schema = None

    def _row(self, row: Row) -> None:
        first = next((c for c in row.cells if c), "")
        if "....." in first:  # table of contents
            return
        schema = header_schema(row, self.section_number)
        if row.repeated:
            # a header printed again on the page where its table goes on: same table, its
            # columns where this page has them; any other repeated first row is not data
            if schema is not None and self.schema is not None and schema.kind == self.schema.kind:
                self.schema = schema
                if schema.kind == "performance":
                    self.performance.schema = schema
            return
        if schema is not None:
            self.performance.flush()
            self.schema = schema
            self._start_table(schema, row)
            return
        if self.schema is None:
            if looks_like_indicator(row):
                self.problems.add(row.loc, "riga con peso e target fuori da una tabella riconosciuta: ignorata", row.text)
            return
        kind = self.schema.kind
        if kind == "performance":
            self.performance.row(row)
        elif kind == "financial":
            self.financial.row(row)
        elif kind != "skip":
            self.tables[kind].row(row)

    def _start_table(self, schema: Schema, row: Row) -> None:
        if schema.kind == "performance":
            self.performance.start(schema)
            if schema.plan_years:
                self.plan_years = tuple(sorted(set(self.plan_years) | set(schema.plan_years)))
        elif schema.kind == "financial":
            self.financial.start(schema, row.loc)
        elif schema.kind in self.tables:
            self.tables[schema.kind].start(schema)
        text = caption(schema)
        if text:
            self.captions.append(TableCaption(caption=text, section_number=self.section_number, source=row.loc))

    def _result(self) -> ParsedTables:
        t = self.tables
        return ParsedTables(
            areas=self.objectives.build(),
            overview=tuple(t["overview"].entries),  # type: ignore[attr-defined]
            resources=tuple(t["resources"].lines),  # type: ignore[attr-defined]
            key_indicators=tuple(t["key_indicators"].items),  # type: ignore[attr-defined]
            financial=self.financial.result(),
            interventions=tuple(t["interventions"].items),  # type: ignore[attr-defined]
            tree=tuple(t["tree"].entries),  # type: ignore[attr-defined]
            captions=tuple(self.captions),
            plan_years=self.plan_years,
            problems=tuple(self.problems.items),
            consumed=frozenset(self.consumed),
            ente_label=self.performance.ente_label,
        )


def parse_tables(stream: BlockStream) -> ParsedTables:
    return _Walker(stream).run()
