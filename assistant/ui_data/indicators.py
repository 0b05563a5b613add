"""The Indicatori page: the objective tree with bands, the figures above it, the findings
for the OIV and the CSV download."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable

from ingest.italian import fmt_number, fmt_pct
from ingest.records import FindingRecord, IndicatorRecord, ObjectiveRecord

from ..formats import indicator_csv, quantity_text
from ..workspace import YearView
from .common import pct_text, source_text

BAND_COLORS = {"raggiunto": "green", "parzialmente raggiunto": "orange", "non raggiunto": "red"}
# cell backgrounds for the tables (the same three bands, light)
BAND_BACKGROUNDS = {"raggiunto": "#dcefdc", "parzialmente raggiunto": "#fdf0c8", "non raggiunto": "#f9d6d5"}
LEVEL_LABELS = {
    "ente": "Ente",
    "area": "Area strategica",
    "strategic": "Obiettivo strategico",
    "operational": "Obiettivo operativo",
    "indicator": "Indicatore",
}


def band_label(evaluation: str | None) -> str:
    return evaluation or "—"


def band_badge(evaluation: str | None) -> str:
    """Streamlit Markdown: the band as a coloured badge."""
    if not evaluation:
        return ":gray-badge[non valutato]"
    return f":{BAND_COLORS.get(evaluation, 'gray')}-badge[{evaluation}]"


def band_legend(policy) -> str:
    """'raggiunto ≥ 90%, parzialmente raggiunto 70–90%, non raggiunto < 70%' for the policy."""
    hi, lo = fmt_number(policy.achieved_from), fmt_number(policy.partial_from)
    return f"raggiunto ≥ {hi}%, parzialmente raggiunto {lo}–{hi}%, non raggiunto < {lo}%"


def band_css(value: object) -> str:
    """CSS for a table cell holding a band (the pages colour the 'Valutazione' column)."""
    colour = BAND_BACKGROUNDS.get(str(value))
    return f"background-color: {colour}" if colour else ""


OPERATORS = {">=": "≥", "<=": "≤", "=": "="}


def target_text(r: IndicatorRecord) -> str:
    if r.target_value is None:
        return ""
    operator = OPERATORS.get(r.target_operator or "", r.target_operator or "")
    return f"{operator} {quantity_text(r.target_value, r.target_unit)}".strip()


@dataclass
class AreaBlock:
    """One strategic area of the tree, flattened for a table: the area's own figures and
    its rows (strategic objective > operational objective > indicator)."""

    code: str
    title: str
    achievement: str
    evaluation: str
    rows: list[dict[str, str]]

    evaluation_raw: str | None = None

    @property
    def heading(self) -> str:
        """The expander label (Streamlit Markdown, the band as a badge)."""
        return f"**Area {self.code}** – {self.title} · {self.achievement} {band_badge(self.evaluation_raw)}"


TREE_ITEM = "Obiettivo / indicatore"


def _node_row(node: ObjectiveRecord, depth: int) -> dict[str, str]:
    return {
        "Livello": LEVEL_LABELS.get(node.level, node.level),
        TREE_ITEM: "\u2003" * depth + f"{node.code} {node.title}",
        "Peso": "" if node.weight_pct is None else fmt_pct(Decimal(str(node.weight_pct)), 2),
        "Consuntivo": "",
        "Target": "",
        "Raggiungimento": pct_text(node.achievement),
        "Valutazione": band_label(node.evaluation),
        "Fonte": "",
    }


def _indicator_row(r: IndicatorRecord, depth: int) -> dict[str, str]:
    return {
        "Livello": LEVEL_LABELS["indicator"],
        TREE_ITEM: "\u2003" * depth + "▸ " + r.indicator,
        "Peso": fmt_pct(Decimal(str(r.weight_pct)), 2),
        "Consuntivo": quantity_text(r.actual_value, r.actual_unit),
        "Target": target_text(r),
        "Raggiungimento": pct_text(r.achievement),
        "Valutazione": band_label(r.evaluation),
        "Fonte": source_text(r.source),
    }


def tree_blocks(
    tree: ObjectiveRecord, records: Iterable[IndicatorRecord], only: set[str] | None = None
) -> list[AreaBlock]:
    """The objective tree area -> strategic -> operational -> indicator, one block per area.

    `only`, when given, keeps the indicators with those keys and the objectives above them
    (the "sotto target" filter); areas left empty are dropped."""
    by_key = {r.key: r for r in records}

    def walk(node: ObjectiveRecord, depth: int) -> list[dict[str, str]]:
        below: list[dict[str, str]] = []
        for key in node.indicators:
            r = by_key.get(key)
            if r is not None and (only is None or key in only):
                below.append(_indicator_row(r, depth + 1))
        for child in node.children:
            below += walk(child, depth + 1)
        if only is not None and not below:
            return []
        return [_node_row(node, depth)] + below

    blocks = []
    areas = tree.children if tree.level == "ente" else [tree]
    for area in areas:
        rows = walk(area, 0)
        if not rows:
            continue
        blocks.append(
            AreaBlock(code=area.code, title=area.title, achievement=pct_text(area.achievement),
                      evaluation=band_label(area.evaluation), rows=rows[1:], evaluation_raw=area.evaluation)
        )
    return blocks


def indicator_summary(view: YearView) -> dict[str, str]:
    """The figures above the tree: the Ente's achievement and the counts."""
    records = view.indicator_records()
    below = view.indicator_records(below_target=True)
    tree = view.objective_tree()
    return {
        "Raggiungimento dell'Ente": pct_text(tree.achievement),
        "Indicatori": fmt_number(len(records)),
        "Sotto target": fmt_number(len(below)),
        "Segnalazioni per l'OIV": fmt_number(len(view.findings)),
    }


SEVERITY_LABELS = {"error": "errore", "warning": "avviso", "info": "informazione"}
SEVERITY_BACKGROUNDS = {"errore": "#f9d6d5", "avviso": "#fdf0c8", "informazione": "#dde9f7"}


def severity_css(value: object) -> str:
    colour = SEVERITY_BACKGROUNDS.get(str(value))
    return f"background-color: {colour}" if colour else ""
FINDING_LABELS = {
    "weights_not_100": "Pesi che non sommano a 100",
    "consuntivo_mismatch": "Consuntivo diverso dai valori misure",
    "measure_unit_mismatch": "Unità di misura incoerente",
    "narrative_claim_not_in_tables": "Modifica dichiarata non riportata dalle tabelle",
    "narrative_claim_confirmed": "Modifica dichiarata e riportata",
    "target_changed_unexplained": "Target cambiato senza spiegazione",
    "target_changed_explained": "Target cambiato e spiegato",
    "weight_changed": "Peso cambiato rispetto al Piano",
    "objective_removed_in_report": "Obiettivo del Piano assente nella Relazione",
    "objective_added_in_report": "Obiettivo non previsto dal Piano",
    "indicator_removed_in_report": "Indicatore del Piano assente nella Relazione",
    "indicator_added_in_report": "Indicatore non previsto dal Piano",
    "printed_achievement_mismatch": "Raggiungimento stampato diverso dal calcolato",
    "below_target_without_cause": "Scostamento senza causa",
    "row_not_parsed": "Riga non letta",
    "unknown_indicator": "Indicatore sconosciuto",
    "unparseable_number": "Numero non leggibile",
    "amount_from_other_year": "Importo uguale a quello di un altro anno nel bilancio",
}


def findings_table(findings: Iterable[FindingRecord]) -> list[dict[str, str]]:
    rows = []
    for f in findings:
        where = [source_text(f.source)] if f.source else []
        if f.claim_source:
            where.append(f"sezione 5: {f.claim_source.label}")
        if f.plan_source:
            where.append(f"Piano: {source_text(f.plan_source)}")
        rows.append({
            "Gravità": SEVERITY_LABELS.get(f.severity, f.severity),
            "Tipo": FINDING_LABELS.get(f.kind, f.kind),
            "Descrizione": f.message,
            "Dove": "; ".join(where),
        })
    return rows


def indicator_csv_bytes(records: Iterable[IndicatorRecord]) -> bytes:
    """The download: UTF-8 with a byte-order mark, so that Excel reads the accents."""
    return indicator_csv(records).encode("utf-8-sig")
