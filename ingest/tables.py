"""Rows -> objective tree with typed indicators, and the other tables of a Relazione or Piano.

The parser walks the block stream once. A header row tells which table starts and, for
performance tables, its schema (strategic 3.1 or operational 3.2; a Relazione's
VALORI MISURE / CONSUNTIVO / TARGET or a Piano's TARGET <year> columns). Column positions
are not trusted: they change between tables, so value cells are recognised by their
content, from the right (target, actual, measures), and text cells from the left
(weight, optional KPI code, indicator, optional DESCRIZIONE, algorithm).

Quirks handled (see tests/data/indicators-2019.json): rows wrapped over two rows or over a
page break are joined cell by cell (a weight '16,7' + '%', a target '>= 100,00' + '%');
objective headings printed as bold paragraphs rather than rows; stray unit cells after
the target; KPI codes such as EC02.1; a bare target ('1 N.') meaning '='.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Literal

from .model import (
    Area,
    FinancialLine,
    FinancialTable,
    Finding,
    FindingKind,
    Indicator,
    Intervention,
    KeyIndicator,
    Loc,
    OperationalObjective,
    OverviewEntry,
    Quantity,
    ResourceLine,
    Severity,
    StrategicObjective,
    TableCaption,
    Target,
    TreeEntry,
    WeightSource,
)
from .numbers import (
    NumberError,
    is_weight,
    parse_measures,
    parse_number,
    parse_quantity,
    parse_target,
    parse_weight,
)
from .ocr_numbers import printed_operator, repair_cells, repaired_finding, unreadable_finding
from .readers.blocks import BlockStream, Row, Text

AREA_RE = re.compile(r"^Area\s+(?P<num>\d+)\s*[–—-]\s*(?P<title>.+)$", re.IGNORECASE)
CODE_HEADING_RE = re.compile(r"^(?P<code>\d+(?:\.\d+){1,6})\.?\s+(?P<title>[^\d\s].*)$")
BSC_RE = re.compile(r"\s*\(Prospettiva BSC:\s*(?P<bsc>[^)]*)\)\s*$")
KPI_RE = re.compile(r"^[A-Z]{2,4}\d{1,3}(?:\.\d{1,3})?$")
LONE_UNIT_RE = re.compile(r"^(?:%|N\.|€)$")
YEAR_TARGET_RE = re.compile(r"TARGET\s+(\d{4})")
FIN_YEAR_RE = re.compile(r"(\d{4})\s*$")

TableKind = Literal[
    "performance", "overview", "resources", "key_indicators", "financial", "interventions", "tree", "skip"
]


@dataclass
class _Schema:
    kind: TableKind
    section: Literal["3.1", "3.2"] = "3.1"
    plan_years: tuple[int, ...] = ()
    fin_years: tuple[int, ...] = ()
    group: str = ""
    overview_table: Literal["section_1", "section_3_3"] = "section_1"


@dataclass
class _Logical:
    """A table row after wrapped continuations were joined into it."""

    cells: list[str]
    loc: Loc

    def nonempty(self) -> list[str]:
        return [c for c in self.cells if c]

    def extend(self, row: Row) -> None:
        width = max(len(self.cells), len(row.cells))
        self.cells += [""] * (width - len(self.cells))
        for i, cell in enumerate(row.cells):
            if cell:
                self.cells[i] = f"{self.cells[i]} {cell}".strip() if self.cells[i] else cell
        more = self.loc.more_lines + ((row.loc.line,) if row.loc.line is not None else ())
        self.loc = Loc(line=self.loc.line, page=self.loc.page, more_lines=more)


@dataclass
class _ObjBuilder:
    code: str
    title: str
    source: Loc
    weight_pct: Decimal | None = None
    nested_under: str | None = None
    indicators: list[Indicator] = field(default_factory=list)


@dataclass
class _StratBuilder:
    code: str
    title: str
    area: int
    source: Loc
    bsc: str | None = None
    weight_sources: dict[str, WeightSource] = field(default_factory=dict)
    indicators: list[Indicator] = field(default_factory=list)
    operational: dict[str, _ObjBuilder] = field(default_factory=dict)


@dataclass
class _AreaBuilder:
    number: int
    title: str
    source: Loc
    weight_sources: dict[str, WeightSource] = field(default_factory=dict)


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


def _header_schema(row: Row, section_number: str | None) -> _Schema | None:
    cells = [c.upper() for c in row.cells if c]
    if not cells:
        return None
    joined = " | ".join(cells)
    if "INDICATORE" in joined and "PESO" in joined and "TARGET" in joined:
        section: Literal["3.1", "3.2"] = (
            "3.2" if ("OBIETTIVO OPERATIVO" in joined or "OGGETTO OPERATIVO" in joined) else "3.1"
        )
        years = tuple(int(y) for y in YEAR_TARGET_RE.findall(joined))
        return _Schema("performance", section=section, plan_years=years)
    if cells[0] == "ENTE" and "RAGGIUNGIMENTO" in joined:
        table: Literal["section_1", "section_3_3"] = (
            "section_3_3" if (section_number or "").startswith("3") else "section_1"
        )
        return _Schema("overview", overview_table=table)
    if "PREVENTIVO" in joined and "CONSUNTIVO" in joined:
        return _Schema("resources")
    if len(cells) == 2 and cells[1] == "VALORI":
        return _Schema("key_indicators", group=next(c for c in row.cells if c))
    if cells[0].startswith("RISORSE ECONOMICHE"):
        years = tuple(int(m.group(1)) for c in cells[1:] if (m := FIN_YEAR_RE.search(c)))
        return _Schema("financial", fin_years=years)
    if cells[0].startswith("AREE E OBIETTIVI"):
        return _Schema("interventions")
    if cells[0] == "AMBITO STRATEGICO" and any("MISSIONE" in c for c in cells):
        return _Schema("tree")
    if cells[0] in ("AREA", "OBIETTIVO INDIVIDUALE", "ATTIVITA'", "ATTIVITÀ", "INDICATORE"):
        return _Schema("skip")
    return None


_CAPTIONS: dict[str, str] = {
    "overview": "Tabella: panoramica del grado di raggiungimento della performance di Ente, per area e obiettivo strategico",
    "resources": "Tabella: risorse disponibili e spese sostenute (preventivo, consuntivo, confronto)",
    "key_indicators": "Tabella: indicatori più significativi",
    "financial": "Tabella: sintesi dei principali dati di bilancio (proventi, oneri, risultato) per anno",
    "interventions": "Tabella: interventi economici (importi liquidati e accantonati) per obiettivo strategico",
    "tree": "Tabella: albero della performance (missione, programma, prospettiva BSC, COFOG)",
}


class _Parser:
    def __init__(self, stream: BlockStream):
        self.stream = stream
        self.schema: _Schema | None = None
        self.section_number: str | None = None
        self.section_path: tuple[str, ...] = ()
        self.pending: _Logical | None = None
        self.areas: dict[int, _AreaBuilder] = {}
        self.strategic: dict[str, _StratBuilder] = {}
        self.known_strategic: set[str] = set()
        self.area: int | None = None
        self.current_strategic: _StratBuilder | None = None
        self.current_operational: _ObjBuilder | None = None
        self.overview: list[OverviewEntry] = []
        self.resources: list[ResourceLine] = []
        self.resource_category = ""
        self.key_indicators: list[KeyIndicator] = []
        self.fin_lines: list[FinancialLine] = []
        self.fin_source: Loc | None = None
        self.fin_years: tuple[int, ...] = ()
        self.interventions: list[Intervention] = []
        self.ocr_operators: Counter[str] = Counter()  # target operators read on scanned pages
        self.intervention_area: int | None = None
        self.tree: list[TreeEntry] = []
        self.tree_area: int | None = None
        self.captions: list[TableCaption] = []
        self.plan_years: tuple[int, ...] = ()
        self.problems: list[Finding] = []
        self.consumed: set[int] = set()
        self.ente_label: str | None = None
        self.counters: dict[str, int] = {}

    # -- walking the stream -------------------------------------------------------------

    def run(self) -> ParsedTables:
        for index, block in enumerate(self.stream.blocks):
            if isinstance(block, Row):
                self._row(self._ocr_repaired(block))
            else:
                self._text(index, block)
        self._flush()
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
        self.problems.append(repaired_finding(list(row.cells), fixed, row.loc))
        return replace(row, cells=tuple(fixed))

    def _text(self, index: int, block: Text) -> None:
        number = section_number_of(block)
        if number is not None:
            self._flush()
            self.schema = None
            self.section_number = number
            return
        if block.kind == "heading":
            self._flush()
            if self.schema and self.schema.kind != "performance":
                self.schema = None
            return
        if self.schema and self.schema.kind == "performance" and block.kind in ("bold", "para"):
            row = _text_as_row(block)
            if row is not None:
                self._row(row)
                self.consumed.add(index)
                return
        if self.schema and self.schema.kind != "performance" and block.kind in ("caption", "para", "bold"):
            self._flush()
            self.schema = None

    def _row(self, row: Row) -> None:
        first = next((c for c in row.cells if c), "")
        if "....." in first:  # table of contents
            return
        schema = _header_schema(row, self.section_number)
        if schema is not None:
            self._flush()
            self.schema = schema
            self._start_table(schema, row)
            return
        if self.schema is None:
            if _looks_like_indicator(row):
                self._problem(row.loc, "riga con peso e target fuori da una tabella riconosciuta: ignorata", row.text)
            return
        if self.schema.kind == "performance":
            if self.pending is not None and _is_continuation(row):
                self.pending.extend(row)
                return
            self._flush()
            self.pending = _Logical(list(row.cells), row.loc)
            return
        if self.schema.kind == "skip":
            return
        handler = getattr(self, f"_row_{self.schema.kind}")
        handler(row)

    def _start_table(self, schema: _Schema, row: Row) -> None:
        if schema.kind == "performance" and schema.plan_years:
            self.plan_years = tuple(sorted(set(self.plan_years) | set(schema.plan_years)))
        if schema.kind == "financial":
            self.fin_years = schema.fin_years
            self.fin_source = row.loc
        caption = _CAPTIONS.get(schema.kind)
        if schema.kind == "performance":
            label = "obiettivi strategici (3.1)" if schema.section == "3.1" else "obiettivi operativi (3.2)"
            caption = f"Tabella: rendicontazione degli {label}: indicatori con peso, algoritmo, misure, consuntivo e target"
            if schema.plan_years:
                years = ", ".join(str(y) for y in schema.plan_years)
                caption = f"Tabella: {label} del Piano con peso, algoritmo e target {years}"
        if caption:
            self.captions.append(
                TableCaption(caption=caption, section_number=self.section_number, source=row.loc)
            )

    def _flush(self) -> None:
        if self.pending is None:
            return
        logical, self.pending = self.pending, None
        self._performance_row(logical)

    # -- performance tables ---------------------------------------------------------------

    def _performance_row(self, row: _Logical) -> None:
        assert self.schema is not None
        cells = row.nonempty()
        if not cells:
            return
        first = cells[0]
        if m := AREA_RE.match(first):
            self._area_heading(int(m["num"]), m["title"], cells[1:], row.loc)
            return
        if m := CODE_HEADING_RE.match(first):
            self._objective_heading(m["code"], m["title"], cells[1:], row.loc)
            return
        if is_weight(first):
            try:
                if self.schema.plan_years:
                    self._plan_indicator(cells, row.loc)
                else:
                    self._report_indicator(cells, row.loc)
            except NumberError as exc:
                self._problem(row.loc, f"indicatore non letto: {exc}", " | ".join(cells))
            return
        if len(cells) == 1 and len(first.split()) <= 3:
            self.ente_label = self.ente_label or first  # RAGGRUPPAMENTO row, e.g. 'Ravenna'
            return
        self._problem(row.loc, "riga non riconosciuta in una tabella degli obiettivi", " | ".join(cells))

    def _area_heading(self, number: int, title: str, rest: list[str], loc: Loc) -> None:
        area = self.areas.get(number)
        if area is None:
            area = self.areas[number] = _AreaBuilder(number, title.strip(), loc)
        weight = _trailing_weight(rest)
        if weight is not None:
            area.weight_sources.setdefault(self._weight_key(), WeightSource(weight_pct=weight, source=loc))
        self.area = number
        self.current_strategic = None
        self.current_operational = None

    def _weight_key(self) -> str:
        assert self.schema is not None
        if self.schema.kind == "overview":
            return self.schema.overview_table
        prefix = "piano" if self.schema.plan_years else "section"
        return f"{prefix}_{self.schema.section.replace('.', '_')}"

    def _objective_heading(self, code: str, title: str, rest: list[str], loc: Loc) -> None:
        assert self.schema is not None
        weight = _trailing_weight(rest)
        bsc = None
        if m := BSC_RE.search(title):
            bsc = m["bsc"].strip()
            title = title[: m.start()].strip()
        strategic = (
            self.schema.section == "3.1"
            or bsc is not None
            or code in self.known_strategic
            or code.count(".") == 1
        )
        if strategic:
            self._strategic_heading(code, title, bsc, weight, loc)
        else:
            self._operational_heading(code, title, weight, loc)

    def _strategic_heading(self, code: str, title: str, bsc: str | None, weight: Decimal | None, loc: Loc) -> None:
        area = self.area if self.area is not None else int(code.split(".")[0])
        builder = self.strategic.get(code)
        if builder is None:
            builder = self.strategic[code] = _StratBuilder(code, title, area, loc)
            self.known_strategic.add(code)
        if bsc and not builder.bsc:
            builder.bsc = bsc
        if weight is not None:
            builder.weight_sources.setdefault(self._weight_key(), WeightSource(weight_pct=weight, source=loc))
        self.current_strategic = builder
        self.current_operational = None

    def _operational_heading(self, code: str, title: str, weight: Decimal | None, loc: Loc) -> None:
        parent = self._strategic_for(code)
        if parent is None:
            self._problem(loc, f"obiettivo operativo {code} fuori da un obiettivo strategico: ignorato", title)
            return
        builder = parent.operational.get(code)
        if builder is None:
            nested = [c for c in parent.operational if code.startswith(c + ".")]
            builder = parent.operational[code] = _ObjBuilder(
                code, title, loc, weight, nested_under=max(nested, key=len) if nested else None
            )
        self.current_operational = builder

    def _strategic_for(self, code: str) -> _StratBuilder | None:
        prefixes = [s for c, s in self.strategic.items() if code.startswith(c + ".")]
        if prefixes:
            return max(prefixes, key=lambda s: len(s.code))
        return self.current_strategic

    def _indicator_parent(self, loc: Loc) -> tuple[_StratBuilder, _ObjBuilder | None] | None:
        assert self.schema is not None
        if self.current_strategic is None:
            self._problem(loc, "indicatore senza obiettivo strategico: ignorato", None)
            return None
        if self.schema.section == "3.2":
            if self.current_operational is None:
                self._problem(loc, "indicatore senza obiettivo operativo: ignorato", None)
                return None
            return self.current_strategic, self.current_operational
        return self.current_strategic, None

    def _key(self, strategic: _StratBuilder, operational: _ObjBuilder | None) -> str:
        assert self.schema is not None
        code = operational.code if operational else strategic.code
        base = f"{self.schema.section}/{code}"
        self.counters[base] = self.counters.get(base, 0) + 1
        return f"{base}/{self.counters[base]}"

    def _split_text_cells(self, middle: list[str]) -> tuple[str | None, str, str | None, str | None]:
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

    def _report_indicator(self, cells: list[str], loc: Loc) -> None:
        parent = self._indicator_parent(loc)
        if parent is None:
            return
        weight_raw, rest = cells[0], cells[1:]
        stray: list[str] = []
        while rest and LONE_UNIT_RE.match(rest[-1]):
            stray.insert(0, rest.pop())
        if len(rest) < 4:
            raise NumberError("mancano valori misure, consuntivo o target")
        target, actual, measures = self._values(((parse_target, rest[-1]), (parse_quantity, rest[-2]),
                                                 (parse_measures, rest[-3])), loc)
        self._add_indicator(
            parent, loc, weight_raw, rest[:-3],
            measures=tuple(measures.quantities) if measures else (), measures_raw=measures.raw if measures else None,
            actual=actual, target=target, stray_cells=tuple(stray),
        )

    def _values(self, cells, loc: Loc) -> list:
        """Each (parser, cell) read. On a page read by OCR, one value that cannot be read is left
        out with a finding and the row stays (a scan's other numbers are still worth having);
        more than one, or anywhere else, the row is not read."""
        values, unread = [], []
        for parse, cell in cells:
            try:
                values.append(parse(cell))
            except NumberError:
                if loc.page not in self.stream.ocr_pages or unread:
                    raise
                unread.append(cell)
                values.append(None)
        self.problems.extend(unreadable_finding(cell, loc) for cell in unread)
        return values

    def _add_indicator(self, parent, loc: Loc, weight_raw: str, text_cells: list[str], **values) -> None:
        """Build an indicator from its weight, its text cells and its values, under `parent`."""
        assert self.schema is not None
        kpi, name, descr, algorithm = self._split_text_cells(text_cells)
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

    def _plan_indicator(self, cells: list[str], loc: Loc) -> None:
        assert self.schema is not None
        parent = self._indicator_parent(loc)
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
        self._add_indicator(parent, loc, weight_raw, rest, target=by_year.get(years[0]), targets_by_year=by_year)

    # -- other tables ---------------------------------------------------------------------

    def _row_overview(self, row: Row) -> None:
        assert self.schema is not None
        cells = [c for c in row.cells if c]
        if len(cells) < 2:
            return
        achievement = None
        try:
            achievement = parse_quantity(cells[-1])
            cells = cells[:-1]
        except NumberError:
            pass
        weight = None
        if len(cells) >= 2 and is_weight(cells[0]):
            weight = parse_weight(cells[0])
            cells = cells[1:]
        label = cells[0]
        table = self.schema.overview_table
        if label.lower() == "ente":
            entry = OverviewEntry(table=table, level="ente", title="Ente", achievement=achievement, source=row.loc)
        elif m := AREA_RE.match(label):
            number = int(m["num"])
            area = self.areas.setdefault(number, _AreaBuilder(number, m["title"].strip(), row.loc))
            if weight is not None:
                area.weight_sources.setdefault(table, WeightSource(weight_pct=weight, source=row.loc))
            self.area = number
            entry = OverviewEntry(
                table=table, level="area", code=str(number), title=m["title"].strip(),
                weight_pct=weight, achievement=achievement, source=row.loc,
            )
        elif m := CODE_HEADING_RE.match(label):
            code = m["code"]
            self.known_strategic.add(code)
            area_number = self.area if self.area is not None else int(code.split(".")[0])
            builder = self.strategic.setdefault(code, _StratBuilder(code, m["title"].strip(), area_number, row.loc))
            if weight is not None:
                builder.weight_sources.setdefault(table, WeightSource(weight_pct=weight, source=row.loc))
            entry = OverviewEntry(
                table=table, level="strategic", code=code, title=m["title"].strip(),
                weight_pct=weight, achievement=achievement, source=row.loc,
            )
        else:
            return
        self.overview.append(entry)

    def _row_resources(self, row: Row) -> None:
        cells = list(row.cells)
        values: list[Quantity] = []
        texts: list[str] = []
        for cell in cells:
            if not cell:
                continue
            try:
                values.append(parse_quantity(cell))
            except NumberError:
                texts.append(cell)
        if not texts or not values:
            return
        if len(texts) >= 2:
            self.resource_category = texts[0]
        label = texts[-1]
        padded = values + [None] * (3 - len(values))  # type: ignore[list-item]
        self.resources.append(
            ResourceLine(
                category=self.resource_category, label=label,
                preventivo=padded[0], consuntivo=padded[1], ratio=padded[2], source=row.loc,
            )
        )

    def _row_key_indicators(self, row: Row) -> None:
        assert self.schema is not None
        cells = [c for c in row.cells if c]
        if len(cells) != 2:
            return
        try:
            value = parse_quantity(cells[1])
        except NumberError:
            self._problem(row.loc, "valore non leggibile negli indicatori più significativi", " | ".join(cells))
            return
        self.key_indicators.append(KeyIndicator(group=self.schema.group, label=cells[0], value=value, source=row.loc))

    def _row_financial(self, row: Row) -> None:
        label = row.cells[0] if row.cells else ""
        if not label:
            return
        values: dict[int, Quantity | None] = {}
        for year, cell in zip(self.fin_years, row.cells[1:]):
            if not cell:
                values[year] = None
                continue
            try:
                values[year] = parse_quantity(cell)
            except NumberError:
                self._problem(row.loc, f"importo {year} non leggibile", cell)
                values[year] = None
        if not any(v is not None for v in values.values()):
            return  # a group label such as 'A) PROVENTI CORRENTI'
        total = bool(re.match(r"(?i)(totale|risultato|disavanzo|avanzo)", label)) or row.bold
        self.fin_lines.append(FinancialLine(label=label, values=values, total=total, source=row.loc))

    def _row_interventions(self, row: Row) -> None:
        cells = [c for c in row.cells if c]
        if not cells:
            return
        label = cells[0]
        amount = None
        if len(cells) > 1:
            try:
                q = parse_quantity(cells[1])
                amount = Quantity(value=q.value, unit="€", raw=q.raw, decimals=q.decimals)
            except NumberError:
                self._problem(row.loc, "importo non leggibile negli interventi economici", cells[1])
        if m := re.match(r"^AS\s+(\d+)\b", label):
            self.intervention_area = int(m.group(1))
            return
        if m := re.match(r"^OS\s+(\d+(?:\.\d+)+)\s+(.*)$", label):
            self.interventions.append(
                Intervention(area=self.intervention_area, code=m.group(1), title=m.group(2), amount=amount, source=row.loc)
            )
            return
        if label.upper().startswith("TOTALE"):
            self.interventions.append(Intervention(title=label, amount=amount, total=True, source=row.loc))

    def _row_tree(self, row: Row) -> None:
        cells = [c for c in row.cells if c]
        code = title = None
        missione = programma = prospettiva = None
        rest: list[str] = []
        for cell in cells:
            if m := AREA_RE.match(cell):
                self.tree_area = int(m["num"])
            elif (m := CODE_HEADING_RE.match(cell)) and code is None:
                code, title = m["code"], m["title"]
            elif re.match(r"^\d{3}-", cell):
                missione = cell
            elif re.match(r"^\d{1,2}$", cell):
                programma = cell
            elif cell.startswith("BSC"):
                m2 = re.match(r"^(BSC.*?)(?:\s+(\d{1,2}))?$", cell)
                prospettiva = m2.group(1) if m2 else cell
                if m2 and m2.group(2) and programma is None:
                    programma = m2.group(2)
            else:
                rest.append(cell)
        if code is None:
            if self.tree and rest:  # a COFOG description wrapped onto its own row
                last = self.tree[-1]
                self.tree[-1] = last.model_copy(update={"cofog": f"{last.cofog or ''} {' '.join(rest)}".strip()})
            return
        self.tree.append(
            TreeEntry(
                area=self.tree_area, strategic_objective=code, title=title or "", missione=missione,
                programma=programma, prospettiva=prospettiva, cofog=" ".join(rest) or None, source=row.loc,
            )
        )

    # -- result ---------------------------------------------------------------------------

    def _problem(self, loc: Loc, message: str, printed: str | None) -> None:
        self.problems.append(
            Finding(kind=FindingKind.row_not_parsed, severity=Severity.warning, message=message, source=loc, printed=printed)
        )

    def _result(self) -> ParsedTables:
        areas: list[Area] = []
        for number in sorted(self.areas):
            ab = self.areas[number]
            strategics = [s for s in self.strategic.values() if s.area == number]
            areas.append(
                Area(
                    number=number,
                    title=ab.title,
                    weight_pct=_first_weight(ab.weight_sources),
                    weight_sources=ab.weight_sources,
                    source=ab.source,
                    strategic_objectives=tuple(_build_strategic(s) for s in strategics),
                )
            )
        for s in self.strategic.values():
            if s.area not in self.areas:
                areas.append(
                    Area(number=s.area, title=f"Area {s.area}", source=s.source, strategic_objectives=(_build_strategic(s),))
                )
        financial = None
        if self.fin_lines and self.fin_source is not None:
            financial = FinancialTable(
                title="Sintesi dei principali dati di bilancio",
                years=self.fin_years,
                lines=tuple(self.fin_lines),
                source=self.fin_source,
            )
        return ParsedTables(
            areas=tuple(sorted(areas, key=lambda a: a.number)),
            overview=tuple(self.overview),
            resources=tuple(self.resources),
            key_indicators=tuple(self.key_indicators),
            financial=financial,
            interventions=tuple(self.interventions),
            tree=tuple(self.tree),
            captions=tuple(self.captions),
            plan_years=self.plan_years,
            problems=tuple(self.problems),
            consumed=frozenset(self.consumed),
            ente_label=self.ente_label,
        )


_WEIGHT_PRIORITY = ("section_3_1", "piano_3_1", "section_3_2", "piano_3_2", "section_1", "section_3_3")


def _first_weight(sources: dict[str, WeightSource]) -> Decimal | None:
    for key in _WEIGHT_PRIORITY:
        if key in sources:
            return sources[key].weight_pct
    return next((w.weight_pct for w in sources.values()), None)


def _build_strategic(s: _StratBuilder) -> StrategicObjective:
    return StrategicObjective(
        code=s.code,
        title=s.title,
        bsc_perspective=s.bsc,
        weight_pct=_first_weight(s.weight_sources),
        weight_sources=s.weight_sources,
        source=s.source,
        indicators=tuple(s.indicators),
        operational_objectives=tuple(
            OperationalObjective(
                code=o.code, title=o.title, weight_pct=o.weight_pct, nested_under=o.nested_under,
                source=o.source, indicators=tuple(o.indicators),
            )
            for o in s.operational.values()
        ),
    )


def _trailing_weight(cells: list[str]) -> Decimal | None:
    for cell in reversed(cells):
        if is_weight(cell):
            return parse_weight(cell)
    return None


def _is_continuation(row: Row) -> bool:
    """A wrapped row's tail: its first non-empty cell starts nothing (no weight, code or area)."""
    cells = [c for c in row.cells if c]
    if not cells:
        return False
    first = cells[0]
    if is_weight(first) or AREA_RE.match(first) or CODE_HEADING_RE.match(first):
        return False
    return True


def _looks_like_indicator(row: Row) -> bool:
    cells = [c for c in row.cells if c]
    return len(cells) >= 5 and is_weight(cells[0]) and any(c.startswith((">=", "<=")) for c in cells)


_TRAILING_WEIGHT_RE = re.compile(r"^(?P<head>.*?)\s+(?P<weight>\d{1,3},\d*\s*%|\d{1,3}\s*%)$")


def _text_as_row(block: Text) -> Row | None:
    """'3.1.1 Iniziative di semplificazione amministrativa 25,0%' printed as a bold paragraph."""
    text = block.text
    head, weight = text, ""
    if m := _TRAILING_WEIGHT_RE.match(text):
        head, weight = m["head"], m["weight"]
    if AREA_RE.match(head) or CODE_HEADING_RE.match(head):
        return Row((head, weight) if weight else (head,), block.loc, bold=True)
    return None


_SECTION_HEADING_RE = re.compile(r"^(?P<num>\d+(?:\.\d+)*)\s*(?:\.|-|–)\s+\S")


def section_number_of(block: Text) -> str | None:
    """The number of a numbered section heading ('3.1 - Rendicontazione...' -> '3.1')."""
    if block.kind not in ("heading", "bold"):
        return None
    m = _SECTION_HEADING_RE.match(block.text)
    if not m:
        return None
    if block.kind == "bold" and (_TRAILING_WEIGHT_RE.match(block.text) or "Prospettiva BSC" in block.text):
        return None
    return m["num"]


def parse_tables(stream: BlockStream) -> ParsedTables:
    return _Parser(stream).run()


__all__ = ["ParsedTables", "parse_tables", "section_number_of", "parse_number"]
