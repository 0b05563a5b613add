"""Which table a header row starts, and how it is captioned in the index."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..model import Loc
from ..readers.blocks import Row
from .patterns import FIN_YEAR_RE, YEAR_TARGET_RE
from .roles import header_roles, needs_arranging

TableKind = Literal[
    "performance", "overview", "resources", "key_indicators", "financial", "interventions", "tree", "skip"
]


@dataclass
class Schema:
    kind: TableKind
    section: Literal["3.1", "3.2"] = "3.1"
    plan_years: tuple[int, ...] = ()
    fin_years: tuple[int, ...] = ()
    group: str = ""
    overview_table: Literal["section_1", "section_3_3"] = "section_1"
    # a performance table's PESO column after TARGET (the objective's weight), by cell index
    objective_weight_column: int | None = None
    # a performance table's column roles, when its rows are arranged by them (roles.py)
    roles: tuple[str, ...] = ()


def header_schema(row: Row, section_number: str | None) -> Schema | None:
    """The table a header row starts, or None when the row is not a known header."""
    cells = [c.upper() for c in row.cells if c]
    if not cells:
        return None
    joined = " | ".join(cells)
    roles = header_roles(row.cells)
    if ("INDICATORE" in joined and "PESO" in joined and "TARGET" in joined) or {"name", "weight", "target"} <= set(roles):
        # the header says so, or the section the table is printed in ('3.2 - ... obiettivi operativi')
        operational = "OBIETTIVO OPERATIVO" in joined or "OGGETTO OPERATIVO" in joined
        section: Literal["3.1", "3.2"] = "3.2" if operational or (section_number or "").startswith("3.2") else "3.1"
        # a Piano's targets by year ('TARGET 2020 | TARGET 2021'); a table that also prints a
        # consuntivo is a Relazione's, whose 'Target 2019' is the year's target
        years = () if "actual" in roles else tuple(int(y) for y in YEAR_TARGET_RE.findall(joined))
        return Schema(
            "performance", section=section, plan_years=years, objective_weight_column=_weight_after_target(row, roles),
            roles=roles if not years and needs_arranging(roles) else (),
        )
    if cells[0] == "ENTE" and "RAGGIUNGIMENTO" in joined:
        table: Literal["section_1", "section_3_3"] = (
            "section_3_3" if (section_number or "").startswith("3") else "section_1"
        )
        return Schema("overview", overview_table=table)
    if "PREVENTIVO" in joined and "CONSUNTIVO" in joined:
        return Schema("resources")
    if len(cells) == 2 and cells[1] == "VALORI":
        return Schema("key_indicators", group=next(c for c in row.cells if c))
    if cells[0].startswith("RISORSE ECONOMICHE"):
        years = tuple(int(m.group(1)) for c in cells[1:] if (m := FIN_YEAR_RE.search(c)))
        return Schema("financial", fin_years=years)
    if cells[0].startswith("AREE E OBIETTIVI"):
        return Schema("interventions")
    if cells[0] == "AMBITO STRATEGICO" and any("MISSIONE" in c for c in cells):
        return Schema("tree")
    if cells[0] in ("AREA", "OBIETTIVO INDIVIDUALE", "ATTIVITA'", "ATTIVITÀ", "INDICATORE"):
        return Schema("skip")
    return None


def is_table_header(cells: list[str]) -> bool:
    """Cells that make a header row of a table this parser reads (for readers that must find
    where a table starts, such as the PDF reader's word positions)."""
    return header_schema(Row(tuple(cells), Loc()), None) is not None


def _weight_after_target(row: Row, roles: tuple[str, ...]) -> int | None:
    """The index of a PESO column printed after the TARGET columns (the objective's weight)."""
    upper = [c.upper() for c in row.cells]
    targets = [i for i, c in enumerate(upper) if "TARGET" in c] or [i for i, r in enumerate(roles) if r == "target"]
    weights = [i for i, c in enumerate(upper) if c.strip() == "PESO"] or [i for i, r in enumerate(roles) if r == "objective_weight"]
    after = [i for i in weights if targets and i > max(targets)]
    return after[-1] if after else None


_CAPTIONS: dict[str, str] = {
    "overview": "Tabella: panoramica del grado di raggiungimento della performance di Ente, per area e obiettivo strategico",
    "resources": "Tabella: risorse disponibili e spese sostenute (preventivo, consuntivo, confronto)",
    "key_indicators": "Tabella: indicatori più significativi",
    "financial": "Tabella: sintesi dei principali dati di bilancio (proventi, oneri, risultato) per anno",
    "interventions": "Tabella: interventi economici (importi liquidati e accantonati) per obiettivo strategico",
    "tree": "Tabella: albero della performance (missione, programma, prospettiva BSC, COFOG)",
}


def caption(schema: Schema) -> str | None:
    """The one-line caption a table is indexed under (its cells stay in the store)."""
    if schema.kind != "performance":
        return _CAPTIONS.get(schema.kind)
    label = "obiettivi strategici (3.1)" if schema.section == "3.1" else "obiettivi operativi (3.2)"
    if schema.plan_years:
        years = ", ".join(str(y) for y in schema.plan_years)
        return f"Tabella: {label} del Piano con peso, algoritmo e target {years}"
    return f"Tabella: rendicontazione degli {label}: indicatori con peso, algoritmo, misure, consuntivo e target"
