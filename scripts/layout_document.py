"""The corpus Relazione as a document to lay out again: its narrative and tables in order, read
with the product's own text reader and table parser (never re-parsed by hand).

Tables are kept as printed (the text rendering's cells), except performance tables, which a
layout may rebuild from the parsed objective tree: one row per indicator with its objectives
either as heading rows (`heading_rows`) or as columns merged over their indicators
(`merged_rows`), in any column order and header wording. Used by scripts/make_layouts.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ingest.model import Indicator, Report, StrategicObjective
from ingest.pipeline import read_report
from ingest.readers.blocks import Row, Text
from ingest.readers.text import read_text
from ingest.tables import parse_tables
from ingest.tables.schema import header_schema

# the value columns of a performance table, by role, and how the corpus heads them
HEADERS = {
    "weight": "PESO", "kpi": "CODICE", "name": "INDICATORE", "descr": "DESCRIZIONE", "algorithm": "ALGORITMO",
    "measures": "VALORI MISURE", "actual": "CONSUNTIVO", "target": "TARGET",
}
CANONICAL = ("weight", "kpi", "name", "descr", "algorithm", "measures", "actual", "target")


@dataclass
class Paragraph:
    kind: str  # heading, para, bold, caption, item
    text: str
    level: int = 0


@dataclass
class Table:
    rows: list[list[str]]
    section: str | None = None  # '3.1' or '3.2' for a performance table
    indicators: list[Indicator] = field(default_factory=list)


@dataclass
class Document:
    title: str
    items: list[Paragraph | Table]
    report: Report


def load(path: Path) -> Document:
    """The corpus text as paragraphs and tables; performance tables know their indicators."""
    data = path.read_bytes()
    stream = read_text(data, path.name)
    report = read_report(data, path.name)
    consumed = parse_tables(stream).consumed
    items: list[Paragraph | Table] = []
    current: Table | None = None
    for index, block in enumerate(stream.blocks):
        if isinstance(block, Row):
            schema = header_schema(block, None)
            if current is None or (schema is not None and current.rows):
                current = Table([], schema.section if schema and schema.kind == "performance" else None)
                items.append(current)
            current.rows.append([c for c in block.cells])
            _add_line(current, block)
        elif index in consumed and current is not None and current.section:
            current.rows.append([block.text])  # an objective heading printed as a bold paragraph
            _add_line(current, block)
        else:
            current = None
            items.append(Paragraph(block.kind, block.text, block.level))
    for table in (t for t in items if isinstance(t, Table) and t.section):
        first, last = table.lines[0], table.lines[-1]  # type: ignore[attr-defined]
        table.indicators = [i for i in report.indicators() if first <= (i.source.line or 0) <= last]
    return Document(report.title, items, report)


def _add_line(table: Table, block: Row | Text) -> None:
    lines = getattr(table, "lines", [])
    lines += [block.loc.line or 0, *block.loc.more_lines]
    table.lines = lines  # type: ignore[attr-defined]


def _strategic(report: Report, code: str) -> StrategicObjective:
    return next(s for a in report.areas for s in a.strategic_objectives if s.code == code)


def _pct(value) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


def _strategic_title(s: StrategicObjective) -> str:
    bsc = f" (Prospettiva BSC: {s.bsc_perspective})" if s.bsc_perspective else ""
    return f"{s.code} {s.title}{bsc}"


def _cells(i: Indicator, order: tuple[str, ...]) -> list[str]:
    """An indicator's value cells in the given column order, as the text prints them."""
    values = {
        "weight": i.weight_raw, "kpi": i.kpi_code or "", "name": i.name, "descr": i.descrizione or "",
        "algorithm": (i.algorithm or "").replace("**", ""), "measures": i.measures_raw or "",
        "actual": i.actual.raw if i.actual else "", "target": i.target.raw if i.target else "",
    }
    return [values[role] for role in order]


def objective_path(report: Report, table: Table, i: Indicator) -> list[tuple[str, str, str]]:
    """(key, text, weight) of the area, strategic and (3.2) operational objective of an indicator."""
    s = _strategic(report, i.strategic_objective)
    area = next(a for a in report.areas if a.number == i.area)
    key = "section_3_1" if table.section == "3.1" else "section_3_2"
    weight = s.weight_sources.get(key)
    path = [
        (f"A{area.number}", f"Area {area.number} – {area.title}", ""),
        (s.code, _strategic_title(s), _pct(weight.weight_pct) if weight else ""),
    ]
    if i.operational_objective:
        o = next(o for o in s.operational_objectives if o.code == i.operational_objective)
        path.append((o.code, f"{o.code} {o.title}", _pct(o.weight_pct) if o.weight_pct is not None else ""))
    return path


def heading_rows(
    report: Report, table: Table, order: tuple[str, ...] = CANONICAL, headers: dict[str, str] | None = None
) -> list[tuple[str, list[str]]]:
    """A performance table with objectives as heading rows: ('header'|'heading'|'row', cells);
    a heading row's cells are its title and its weight (in the last, PESO, column)."""
    names = {**HEADERS, **(headers or {})}
    rows: list[tuple[str, list[str]]] = [("header", [names[r] for r in order] + [names["weight"]])]
    seen: set[str] = set()
    for i in table.indicators:
        for key, text, weight in objective_path(report, table, i):
            if key not in seen:
                seen.add(key)
                rows.append(("heading", [text, weight]))
        rows.append(("row", _cells(i, order) + [""]))
    return rows


def merged_rows(
    report: Report, table: Table, order: tuple[str, ...] = CANONICAL, headers: dict[str, str] | None = None
) -> tuple[list[str], list[list[tuple[str, int]]]]:
    """A performance table with the area and objectives as columns merged over their
    indicators (Word style): the header, then per row (text, rows spanned; 0 = covered by a
    merged cell above). In 3.2 the strategic weight is printed in its cell, the operational
    one in the last PESO column; in 3.1 the strategic one is."""
    levels = 2 if table.section == "3.1" else 3
    header = ["AMBITO STRATEGICO", "OBIETTIVO STRATEGICO", "OBIETTIVO OPERATIVO"][:levels]
    names = {**HEADERS, **(headers or {})}
    header += [names[r] for r in order] + [names["weight"]]
    paths = [objective_path(report, table, i) for i in table.indicators]
    out: list[list[tuple[str, int]]] = []
    for n, (i, path) in enumerate(zip(table.indicators, paths)):
        row: list[tuple[str, int]] = []
        for level in range(levels):
            key, text, weight = path[level]
            if level == 1 and levels == 3 and weight:
                text = f"{text} {weight}"
            starts = n == 0 or paths[n - 1][level][0] != key
            span = sum(1 for _ in _run(paths, n, level)) if starts else 0
            row.append((text, span))
        row += [(c, 1) for c in _cells(i, order)]
        key, _, weight = path[levels - 1]
        starts = n == 0 or paths[n - 1][levels - 1][0] != key
        row.append((weight, sum(1 for _ in _run(paths, n, levels - 1)) if starts else 0))
        out.append(row)
    return header, out


def _run(paths, n: int, level: int):
    key = paths[n][level][0]
    while n < len(paths) and paths[n][level][0] == key:
        yield n
        n += 1
