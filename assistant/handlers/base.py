"""What every handler works with: the plan, the view of the year, its facts, a Writer; and
what it returns (a composed body, a table, files)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Callable

from pydantic import BaseModel, ConfigDict

from ingest.model import Indicator, Report

from ..facts import Fact, FactBook
from ..grounding import Passage
from ..plan.model import QuestionPlan
from ..retrieval import SearchFilters
from ..store_schema import DocumentInfo
from ..workspace import YearView
from ..writer import Writer

if TYPE_CHECKING:
    from ..answers import Draft

PassageSearch = Callable[[str, int, SearchFilters], list[Passage]]
"""search(query, k, filters) -> quotable passages, best first."""


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
        return [[c.split("[^", 1)[0] for c in r] for r in self.rows]


class Bar(BaseModel):
    """One bar of a chart: an item (and, comparing years, its year), its value and that value
    as the answer writes it."""

    model_config = ConfigDict(frozen=True)

    item: str
    series: str = ""  # the year, when a chart compares years; '' for one series
    value: Decimal
    text: str  # '85,17%', '389.728 €'


class Chart(BaseModel):
    """A bar chart of an answer (achievements, weights, amounts): built from the same facts as
    its text and table, so it shows nothing they do not say."""

    model_config = ConfigDict(frozen=True)

    title: str
    unit: str  # '%', '€' or '' (a count)
    bars: list[Bar]
    threshold: Decimal | None = None  # a reference line (the 'raggiunto' band), in the bars' unit


def chart_of(title: str, items: list[tuple[str, str, "Fact | None"]]) -> Chart | None:
    """A chart of (item, series, fact) triples; None when fewer than two bars have a value."""
    bars = [Bar(item=item, series=series, value=f.value, text=f.text()) for item, series, f in items if f is not None]
    if len(bars) < 2:
        return None
    unit = next(f.unit for _, _, f in items if f is not None)
    return Chart(title=title, unit=unit if unit in ("%", "€") else "", bars=bars)


class Attachment(BaseModel):
    """A file an answer offers: a chapter drafted or exported, as Markdown."""

    model_config = ConfigDict(frozen=True)

    name: str  # '02-analisi-del-contesto-e-delle-risorse-2019.md'
    title: str
    markdown: str
    verified: bool = True


class Composed(BaseModel):
    model_config = ConfigDict(frozen=True)

    intent: str
    body: str
    table: Table | None = None
    chart: Chart | None = None
    attachments: list[Attachment] = []
    # a draft answered in the chat: its text is also offered as a file, verified with the answer
    file_title: str | None = None


@dataclass
class Context:
    """One question being answered: its plan, the view of its year and that view's facts."""

    plan: QuestionPlan
    view: YearView
    book: FactBook
    w: Writer
    search: PassageSearch | None
    # another year's view and facts (None when the store has no data for it): comparisons
    other_year: Callable[[int], tuple[YearView, FactBook] | None]
    # a verified chapter of a year (section, year) -> Draft: exports
    draft: Callable[[str, int], "Draft"]
    # every year with data for this Ente
    years: tuple[int, ...] = ()
    # the Ente's current documents and every Ente of the store: questions about the store itself
    documents: tuple[DocumentInfo, ...] = ()
    enti: tuple[str, ...] = ()

    def filters(self, **more) -> SearchFilters:
        return SearchFilters(ente=self.view.ente, **more)


def indicator_label(ind: Indicator, w: Writer) -> str:
    return f"{ind.operational_objective or ind.strategic_objective} {w.name(ind.name)}"


def find_indicator(report: Report | None, name: str | None, code: str | None) -> Indicator | None:
    """The indicator of `report` with this name (under this objective, when given)."""
    if report is None or not name:
        return None
    for ind in report.indicators():
        if ind.name == name and (code is None or code in (ind.operational_objective, ind.strategic_objective)):
            return ind
    return None


def basis_note(view: YearView) -> str:
    """'' for a Relazione; where the numbers come from otherwise."""
    if view.basis == "relazione":
        return ""
    return " (dal Piano e dai consuntivi, documenti SINTETICI)" if view.report.synthetic else " (dal Piano e dai consuntivi)"


def in_scope(ind: Indicator, plan: QuestionPlan) -> bool:
    """The indicator lies under the areas and objectives the plan names (any, when none)."""
    scopes = plan.refs_of("area", "strategic", "operational")
    if not scopes:
        return True
    code = ind.operational_objective or ind.strategic_objective or ""
    for ref in scopes:
        if ref.kind == "area" and code.split(".")[0] == ref.code:
            return True
        if ref.kind != "area" and (code == ref.code or code.startswith(ref.code + ".")
                                   or ind.strategic_objective == ref.code):
            return True
    return False


def scope_words(plan: QuestionPlan) -> str:
    """' nell'area 2, nell'obiettivo 1.3': the areas and objectives the plan names ('' for none)."""
    scopes = plan.refs_of("area", "strategic", "operational")
    return (" " + ", ".join(("nell'area " if r.kind == "area" else "nell'obiettivo ") + r.code for r in scopes)) if scopes else ""


def scope_key(plan: QuestionPlan) -> str:
    """':area:2,strategic:1.3': the same scope in a fact id ('' for none)."""
    scopes = plan.refs_of("area", "strategic", "operational")
    return (":" + ",".join(r.key() for r in scopes)) if scopes else ""
