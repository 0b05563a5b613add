"""Performance tables (3.1 strategic, 3.2 operational; a Relazione's or a Piano's).

Column positions are not trusted: they change between tables, so value cells are recognised
by their content, from the right (target, actual, measures; a Piano's targets per year), and
text cells from the left (weight, optional KPI code, indicator, optional DESCRIZIONE,
algorithm). Area and objective headings open the tree nodes the indicators belong to.

Quirks handled (see tests/data/indicators-2019.json): rows wrapped over two rows or over a
page break are joined cell by cell (a weight '16,7' + '%', a target '>= 100,00' + '%');
objective headings printed as bold paragraphs rather than rows; stray unit cells after
the target; KPI codes such as EC02.1; a bare target ('1 N.') meaning '='.
"""

from __future__ import annotations

from decimal import Decimal

from ..model import Indicator, Loc, Target, WeightSource
from ..numbers import (
    NumberError,
    is_weight,
    parse_measures,
    parse_quantity,
    parse_target,
    parse_weight,
)
from ..ocr_numbers import unreadable_finding
from ..readers.blocks import Row
from .common import LogicalRow, Problems
from .objectives import ObjectiveBuilder, ObjectiveTree, StrategicBuilder
from .patterns import (
    AREA_RE,
    BSC_RE,
    CODE_HEADING_RE,
    KPI_RE,
    LONE_UNIT_RE,
    TRAILING_WEIGHT_RE,
    is_continuation,
    starts_row,
    trailing_weight,
)
from .roles import arrange
from .schema import Schema

Parent = tuple[StrategicBuilder, ObjectiveBuilder | None]


class PerformanceTable:
    """Reads the rows of every performance table into the objective tree."""

    def __init__(self, tree: ObjectiveTree, problems: Problems, ocr_pages: tuple[int, ...] = ()):
        self.tree = tree
        self.problems = problems
        self.ocr_pages = ocr_pages  # pages read by OCR: one unreadable value keeps the row
        self.schema = Schema("performance")
        self.pending: LogicalRow | None = None
        self.counters: dict[str, int] = {}
        self.ente_label: str | None = None  # the RAGGRUPPAMENTO row, e.g. 'Ravenna'

    def start(self, schema: Schema) -> None:
        self.schema = schema

    def row(self, row: Row) -> None:
        """Wrapped continuations are joined to the row they continue; a new row flushes the last."""
        own = row.own()
        if self.pending is not None and self._goes_on(own):
            self.pending.extend(own)
            return
        self.flush()
        self.pending = LogicalRow(list(row.cells), row.loc)

    def _goes_on(self, row: Row) -> bool:
        """A wrapped row's tail. In a table whose header orders the columns otherwise than the
        corpus, one that stands in the header's columns goes on unless its PESO column holds a
        weight (its first cell, an algorithm or a name, starts nothing by itself; a weight
        alone in an objective's column is the tail of its merged cell, '... (D5) 25%')."""
        roles = self.schema.roles if self.schema is not None else ()
        if "weight" in roles and len(row.cells) == len(roles):
            first = next((c for c in row.cells if c), "")
            tail = is_weight(first) and all(r == "context" for r, c in zip(roles, row.cells) if c)
            return not is_weight(row.cells[roles.index("weight")]) and (tail or not starts_row(first))
        return is_continuation(row)

    def flush(self) -> None:
        if self.pending is None:
            return
        logical, self.pending = self.pending, None
        self._logical_row(logical)

    def _logical_row(self, row: LogicalRow) -> None:
        cells = row.nonempty()
        if not cells:
            return
        context, rest = _split_context(cells)
        if (arranged := arrange(self.schema.roles, row.cells)) is not None:
            # a row in the header's columns: its cells by the header's roles
            context, values, weight = arranged
            self._context([c for c in context if _places(c)], weight, row.loc)
            cells = [c for c in values if c]
        elif context and len(rest) >= 4:
            # an indicator row that also prints its area and objectives (merged cells of a
            # Word-style table): the objective headings first, then the indicator
            weight = self._objective_weight(row)
            context, cells = _split_context(row.nonempty())
            self._context(context, weight, row.loc)
        first, inline = _inline_weight(cells[0])
        if inline and (AREA_RE.match(first) or CODE_HEADING_RE.match(first)):
            cells = [first, inline, *cells[1:]]  # a heading printed with its weight in one cell
        if m := AREA_RE.match(first):
            self._area_heading(int(m["num"]), m["title"], cells[1:], row.loc)
        elif m := CODE_HEADING_RE.match(first):
            self._objective_heading(m["code"], m["title"], cells[1:], row.loc)
        elif is_weight(first):
            self._indicator(cells, row)
        elif len(cells) == 1 and len(first.split()) <= 3:
            self.ente_label = self.ente_label or first
        else:
            self.problems.add(row.loc, "riga non riconosciuta in una tabella degli obiettivi", " | ".join(cells))

    def _objective_weight(self, row: LogicalRow) -> str | None:
        """The objective's weight printed in the table's last PESO column, taken out of the row."""
        index = self.schema.objective_weight_column
        if index is None or index >= len(row.cells) or not is_weight(row.cells[index]):
            return None
        weight, row.cells[index] = row.cells[index], ""
        return weight

    def _context(self, context: list[str], weight: str | None, loc: Loc) -> None:
        """Area, objective and group cells printed beside an indicator; the objective weight of
        the last PESO column belongs to the innermost objective."""
        innermost = max((i for i, c in enumerate(context) if CODE_HEADING_RE.match(c)), default=None)
        for i, cell in enumerate(context):
            if m := AREA_RE.match(cell):
                self._area_heading(int(m["num"]), m["title"], [], loc)
            elif m := CODE_HEADING_RE.match(cell):
                head, inline = _inline_weight(cell)
                m = CODE_HEADING_RE.match(head) or m
                rest = [w for w in (inline, weight if i == innermost else None) if w]
                self._objective_heading(m["code"], m["title"], rest[:1], loc)
            else:
                self.ente_label = self.ente_label or cell

    def _indicator(self, cells: list[str], row: LogicalRow) -> None:
        try:
            if self.schema.plan_years:
                self._plan_indicator(cells, row.loc)
            else:
                self._report_indicator(cells, row.loc)
        except NumberError as exc:
            self.problems.add(row.loc, f"indicatore non letto: {exc}", " | ".join(cells))

    # -- headings -----------------------------------------------------------------------

    def weight_key(self) -> str:
        prefix = "piano" if self.schema.plan_years else "section"
        return f"{prefix}_{self.schema.section.replace('.', '_')}"

    def _area_heading(self, number: int, title: str, rest: list[str], loc: Loc) -> None:
        weight = trailing_weight(rest)
        source = WeightSource(weight_pct=weight, source=loc) if weight is not None else None
        self.tree.area_heading(number, title, loc, source, self.weight_key())
        self.tree.current_strategic = None
        self.tree.current_operational = None

    def _objective_heading(self, code: str, title: str, rest: list[str], loc: Loc) -> None:
        weight = trailing_weight(rest)
        bsc = None
        if m := BSC_RE.search(title):
            bsc = m["bsc"].strip()
            title = title[: m.start()].strip()
        strategic = (
            self.schema.section == "3.1"
            or bsc is not None
            or code in self.tree.known_strategic
            or code.count(".") == 1
        )
        if strategic:
            self._strategic_heading(code, title, bsc, weight, loc)
        else:
            self.tree.operational_heading(code, title, weight, loc)

    def _strategic_heading(self, code: str, title: str, bsc: str | None, weight: Decimal | None, loc: Loc) -> None:
        builder = self.tree.strategic_objective(code, title, loc)
        if bsc and not builder.bsc:
            builder.bsc = bsc
        if weight is not None:
            builder.weight_sources.setdefault(self.weight_key(), WeightSource(weight_pct=weight, source=loc))
        self.tree.current_strategic = builder
        self.tree.current_operational = None

    # -- indicators ---------------------------------------------------------------------

    def _parent(self, loc: Loc) -> Parent | None:
        tree = self.tree
        if tree.current_strategic is None:
            self.problems.add(loc, "indicatore senza obiettivo strategico: ignorato", None)
            return None
        if self.schema.section == "3.2":
            if tree.current_operational is None:
                self.problems.add(loc, "indicatore senza obiettivo operativo: ignorato", None)
                return None
            return tree.current_strategic, tree.current_operational
        return tree.current_strategic, None

    def _key(self, strategic: StrategicBuilder, operational: ObjectiveBuilder | None) -> str:
        code = operational.code if operational else strategic.code
        base = f"{self.schema.section}/{code}"
        self.counters[base] = self.counters.get(base, 0) + 1
        return f"{base}/{self.counters[base]}"

    def _report_indicator(self, cells: list[str], loc: Loc) -> None:
        parent = self._parent(loc)
        if parent is None:
            return
        weight_raw, rest = cells[0], cells[1:]
        stray: list[str] = []
        while rest and LONE_UNIT_RE.match(rest[-1]):
            stray.insert(0, rest.pop())
        if len(rest) < 4:
            raise NumberError("mancano valori misure, consuntivo o target")
        target, actual, measures = self._values(
            ((parse_target, rest[-1]), (parse_quantity, rest[-2]), (parse_measures, rest[-3])), loc
        )
        self._add(
            parent, loc, weight_raw, rest[:-3],
            measures=tuple(measures.quantities) if measures else (), measures_raw=measures.raw if measures else None,
            actual=actual, target=target, stray_cells=tuple(stray),
        )

    def _values(self, cells, loc: Loc) -> list:
        """Each (parser, cell) read. On a page read by OCR, a value that cannot be read is left
        out with a finding and the row stays (its name, weights and the scan's other numbers are
        still worth having), as long as one of its values reads; anywhere else, the row is not read."""
        values, unread = [], []
        for parse, cell in cells:
            try:
                values.append(parse(cell))
            except NumberError:
                if loc.page not in self.ocr_pages or len(unread) == len(cells) - 1:
                    raise
                unread.append(cell)
                values.append(None)
        self.problems.items.extend(unreadable_finding(cell, loc) for cell in unread)
        return values

    def _plan_indicator(self, cells: list[str], loc: Loc) -> None:
        parent = self._parent(loc)
        if parent is None:
            return
        weight_raw, rest = cells[0], cells[1:]
        years = self.schema.plan_years
        targets: list[Target] = []
        while rest and len(targets) < len(years):
            try:
                targets.insert(0, parse_target(rest[-1]))
            except NumberError:
                break
            rest.pop()
        if not targets:
            raise NumberError("nessun target leggibile per gli anni del Piano")
        by_year = dict(zip(years[: len(targets)], targets))
        self._add(parent, loc, weight_raw, rest, target=by_year.get(years[0]), targets_by_year=by_year)

    def _add(self, parent: Parent, loc: Loc, weight_raw: str, text_cells: list[str], **values) -> None:
        """Build an indicator from its weight, its text cells and its values, under `parent`."""
        kpi, name, descr, algorithm = _split_text_cells(text_cells)
        strategic, operational = parent
        indicator = Indicator(
            key=self._key(strategic, operational),
            section=self.schema.section,
            area=strategic.area,
            strategic_objective=strategic.code,
            operational_objective=operational.code if operational else None,
            name=name,
            kpi_code=kpi,
            descrizione=descr,
            weight_pct=parse_weight(weight_raw),
            weight_raw=weight_raw,
            algorithm=algorithm,
            source=loc,
            **values,
        )
        (operational or strategic).indicators.append(indicator)


def _places(cell: str) -> bool:
    """A context cell that names an area or objective (the tail of a merged cell cut by a page
    break names nothing), or a short group label."""
    head, _ = _inline_weight(cell)
    return bool(AREA_RE.match(head) or CODE_HEADING_RE.match(head)) or len(cell.split()) <= 3


def _split_context(cells: list[str]) -> tuple[list[str], list[str]]:
    """Leading cells that place an indicator (group label, area, objectives) and the rest, from
    its weight on. No context when the row does not go on with a weight."""
    context: list[str] = []
    for i, cell in enumerate(cells):
        if is_weight(cell):
            return context, cells[i:]
        head, _ = _inline_weight(cell)
        if AREA_RE.match(head) or CODE_HEADING_RE.match(head) or (i == 0 and len(cell.split()) <= 3):
            context.append(cell)
            continue
        break
    return [], cells


def _inline_weight(cell: str) -> tuple[str, str | None]:
    """'1.1 Internazionalizzazione (D1) (Prospettiva BSC: ...) 25,0%' -> title, '25,0%'."""
    if m := TRAILING_WEIGHT_RE.match(cell):
        return m["head"], m["weight"]
    return cell, None


def _split_text_cells(middle: list[str]) -> tuple[str | None, str, str | None, str | None]:
    """(KPI code, name, DESCRIZIONE, algorithm) from the text cells between weight and values."""
    kpi = None
    if middle and KPI_RE.match(middle[0]):
        kpi, middle = middle[0], middle[1:]
    if not middle:
        raise NumberError("manca il nome dell'indicatore")
    name = middle[0]
    if len(middle) == 1:
        return kpi, name, None, None
    if len(middle) == 2:
        return kpi, name, None, middle[1]
    return kpi, name, " ".join(middle[1:-1]), middle[-1]
