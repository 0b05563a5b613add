"""What the Streamlit pages show, shaped without Streamlit.

The pages (`streamlit_app.py`, `app_pages/`) hold widgets and session state only; every
table, chart series, label, file and message they display is built here from the
workspace's typed records, so that it can be tested without a browser. Numbers are written
the Italian way (`ingest.italian`): 1.838.556 €, 92,15%, +7,8%.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Iterable
from urllib.parse import urlsplit

from ingest.errors import IngestError
from ingest.italian import fmt_number, fmt_pct
from ingest.model import FinancialTable, Report
from ingest.progress import progress_text
from ingest.readers.registry import suffixes as reader_suffixes
from ingest.records import FindingRecord, IndicatorRecord, ObjectiveRecord

from .drafts import ORDER, SECTIONS
from .grounding import Verification, extract_numbers
from .hygiene import csv_cell, escape_markup
from .store import DocumentInfo
from .workspace import IngestOutcome, Workspace, WorkspaceError, YearView

if TYPE_CHECKING:  # chat imports langchain: only the functions that need it import it
    from .chat import Answer, Assistant
    from .settings import Settings
    from .writer import NumberWarning

SYNTHETIC = "SINTETICO"
NO_MODEL = "nessuno: risposte deterministiche"


# -- language model and errors ---------------------------------------------------------------------


def model_label(settings: "Settings") -> str:
    """The configured language model as the UI may show it: its name and the host it is
    served from, never the key nor any credentials written in the URL."""
    if not settings.llm:
        return NO_MODEL
    host = ""
    if settings.llm_base_url:
        parts = urlsplit(settings.llm_base_url)
        host = parts.hostname or ""
        if host and parts.port:
            host += f":{parts.port}"
    return settings.llm + (f" (server {host})" if host else "")


def error_message(exc: BaseException, name: str) -> str:
    """The line the CLI prints for a file it refuses (`relazione ingest`), for the app."""
    if isinstance(exc, (IngestError, WorkspaceError)):
        return f"Errore: {exc}"
    return f"Errore: {name}: errore imprevisto ({type(exc).__name__})"


# -- ingestion progress ---------------------------------------------------------------------------


@dataclass
class StageEvent:
    stage: str
    new_stage: bool  # the first call for this stage: the UI writes a line for it
    fraction: float  # 0..1 within the stage
    text: str  # 'indicizzazione: 32/44'


@dataclass
class ProgressLog:
    """Turns the ingestion's progress(stage, done, total) calls into one line per stage and
    a fraction for a progress bar."""

    stages: list[str] = field(default_factory=list)

    def update(self, stage: str, done: int, total: int) -> StageEvent:
        new = not self.stages or self.stages[-1] != stage
        if new:
            self.stages.append(stage)
        fraction = 1.0 if total <= 0 else max(0.0, min(1.0, done / total))
        return StageEvent(stage=stage, new_stage=new, fraction=fraction, text=progress_text(stage, done, total))


def ingest_summary(outcome: IngestOutcome) -> str:
    """One line per ingested file, as the CLI prints it after 'OK'."""
    doc = outcome.document
    synthetic = f" [{SYNTHETIC}]" if doc.synthetic else ""
    replaced = f" (sostituisce {', '.join(r.source_file for r in outcome.replaced)})" if outcome.replaced else ""
    return (
        f"{doc.source_file}: {doc.kind} {doc.year} – {doc.ente}{synthetic}, {doc.indicators} indicatori, "
        f"{outcome.chunks} passaggi indicizzati, {outcome.problems} righe da verificare{replaced}"
    )


# -- documents -------------------------------------------------------------------------------------

KIND_LABELS = {"relazione": "Relazione", "piano": "Piano", "consuntivi": "Consuntivi"}


def documents_table(docs: Iterable[DocumentInfo]) -> list[dict[str, object]]:
    """The Documenti list: one row per stored document, synthetic ones marked."""
    return [
        {
            "Documento": d.title,
            "Tipo": KIND_LABELS.get(d.kind, d.kind),
            "Anno": str(d.year),
            "Dati": SYNTHETIC if d.synthetic else "reali",
            "Indicatori": d.indicators,
            "File": d.source_file,
            "Righe da verificare": d.problems,
            "Caricato il": d.ingested_at.strftime("%d/%m/%Y %H:%M"),
            "sha256": d.sha256[:12],
        }
        for d in docs
    ]


# what the uploader accepts: every suffix of the reader registry
UPLOAD_TYPES = tuple(s.lstrip(".") for s in reader_suffixes())


def uploader_css(types: Iterable[str], max_mb: int) -> str:
    """Streamlit's file uploader has no translation: its English button ('Upload') and limit line
    ('200MB per file • PDF, ...') are hidden and the Italian text is drawn in their place."""
    limit = f"Fino a {max_mb} MB per file • " + ", ".join(t.upper() for t in types)
    button = '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p'
    hint = '[data-testid="stFileUploaderDropzoneInstructions"] span'
    return (
        f"<style>{button}, {hint} {{ font-size: 0; }}"
        f'{button}::after {{ content: "Scegli i file"; font-size: 14px; }}'
        f'{hint}::after {{ content: "{limit}"; font-size: 14px; }}</style>'
    )


def document_label(doc: DocumentInfo) -> str:
    synthetic = f" [{SYNTHETIC}]" if doc.synthetic else ""
    return f"{doc.source_file} – {KIND_LABELS.get(doc.kind, doc.kind)} {doc.year}{synthetic}"


def synthetic_years(ws: Workspace, ente: str | None = None) -> set[int]:
    """Years whose numbers rest on a synthetic document (the scored report is synthetic)."""
    try:
        years = ws.years(ente)
    except WorkspaceError:
        return set()
    out = set()
    for year in years:
        try:
            if ws.view(year, ente).report.synthetic:
                out.add(year)
        except WorkspaceError:
            continue
    return out


def ente_short(ente: str) -> str:
    """'Camera di commercio di Forlì-Cesena' -> 'CCIAA di Forlì-Cesena' (fits the sidebar)."""
    return re.sub(r"^Camera di commercio[\w ,']*? di ", "CCIAA di ", ente, flags=re.IGNORECASE)


def year_label(year: int, synthetic: set[int]) -> str:
    return f"{year} ({SYNTHETIC})" if year in synthetic else str(year)


# -- indicators ------------------------------------------------------------------------------------

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




def pct_text(value: float | Decimal | None) -> str:
    return "—" if value is None else fmt_pct(Decimal(str(value)), 2)


def quantity_text(value: int | float | None, unit: str | None) -> str:
    if value is None:
        return ""
    decimals = 0 if isinstance(value, int) else 2
    return f"{fmt_number(value, decimals)} {unit or ''}".strip()


OPERATORS = {">=": "≥", "<=": "≤", "=": "="}


def target_text(r: IndicatorRecord) -> str:
    if r.target_value is None:
        return ""
    operator = OPERATORS.get(r.target_operator or "", r.target_operator or "")
    return f"{operator} {quantity_text(r.target_value, r.target_unit)}".strip()


def source_text(ref) -> str:
    return f"{ref.file}, {ref.label}" if ref is not None else ""


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


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]<>#|~$])")


def md_escape(text: str) -> str:
    """Text shown where Streamlit reads Markdown (st.table cells, labels) kept literal."""
    text = _MARKDOWN_SPECIALS.sub(r"\\\1", text)
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", text)


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


def indicator_csv(records: Iterable[IndicatorRecord]) -> str:
    """Indicators as CSV for an Italian spreadsheet: ';' separated, decimal comma; a text cell
    that would start a formula is neutralised (`hygiene.csv_cell`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([
        "sezione", "area", "obiettivo_strategico", "obiettivo_operativo", "indicatore", "kpi", "peso_pct",
        "algoritmo", "consuntivo", "unita", "operatore_target", "target", "unita_target", "raggiungimento_pct",
        "valutazione", "fonte",
    ])

    def num(value, decimals: int | None = None) -> str:
        if value is None:
            return ""
        if decimals is None:
            decimals = 0 if isinstance(value, int) else 2
        return fmt_number(value, decimals)

    for r in records:
        writer.writerow([csv_cell(cell) for cell in [
            r.section, r.area, r.strategic_objective, r.operational_objective or "", r.indicator, r.kpi_code or "",
            num(r.weight_pct, 2), r.algorithm or "", num(r.actual_value), r.actual_unit or "",
            r.target_operator or "", num(r.target_value), r.target_unit or "", num(r.achievement, 2),
            r.evaluation or "", f"{r.source.file} {r.source.label}",
        ]])
    return buffer.getvalue()


def indicator_csv_bytes(records: Iterable[IndicatorRecord]) -> bytes:
    """The download: UTF-8 with a byte-order mark, so that Excel reads the accents."""
    return indicator_csv(records).encode("utf-8-sig")


# -- financial table across years -----------------------------------------------------------------

GROUPS = ("proventi", "oneri", "risultato", "altro")


@dataclass(frozen=True)
class FinancialPoint:
    label: str
    group: str  # proventi | oneri | risultato | altro
    total: bool
    year: int
    value: Decimal
    source: str  # file, riga N


@dataclass
class FinancialSeries:
    """The 'Sintesi dei principali dati di bilancio' of every Relazione in the store, merged:
    for a year printed by several Relazioni the latest Relazione's value is kept."""

    years: list[int]
    labels: list[str]  # in printed order
    groups: dict[str, str]
    totals: set[str]
    points: list[FinancialPoint]

    def value(self, label: str, year: int) -> Decimal | None:
        return next((p.value for p in self.points if p.label == label and p.year == year), None)


def _line_groups(table: FinancialTable) -> dict[str, str]:
    """Lines up to the proventi total are proventi, then up to the oneri total oneri; results
    are the lines named 'risultato' or 'avanzo/disavanzo'."""
    groups: dict[str, str] = {}
    current = "proventi"
    for line in table.lines:
        name = line.label.lower()
        if "risultato" in name or "avanzo" in name:
            groups[line.label] = "risultato"
            continue
        if line.total and "proventi" in name:
            groups[line.label] = "proventi"
            current = "oneri"
            continue
        if line.total and "oneri" in name:
            groups[line.label] = "oneri"
            current = "altro"
            continue
        groups[line.label] = "altro" if line.total else current
    return groups


def financial_series(relazioni: Iterable[Report]) -> FinancialSeries:
    ordered = [r for r in relazioni if r.financial is not None]
    ordered.sort(key=lambda r: r.year)
    values: dict[tuple[str, int], FinancialPoint] = {}
    labels: list[str] = []
    groups: dict[str, str] = {}
    totals: set[str] = set()
    for report in ordered:  # later Relazioni override the years they reprint
        table = report.financial
        line_groups = _line_groups(table)
        for line in table.lines:
            if line.label not in labels:
                labels.append(line.label)
            groups.setdefault(line.label, line_groups[line.label])
            if line.total:
                totals.add(line.label)
            for year, q in line.values.items():
                if q is None:
                    continue
                values[(line.label, year)] = FinancialPoint(
                    label=line.label, group=groups[line.label], total=line.total, year=year, value=q.value,
                    source=f"{report.source_file}, {line.source.label()}",
                )
    years = sorted({y for _, y in values})
    points = sorted(values.values(), key=lambda p: (labels.index(p.label), p.year))
    return FinancialSeries(years=years, labels=labels, groups=groups, totals=totals, points=points)


def financial_series_for(ws: Workspace, ente: str | None = None) -> FinancialSeries:
    reports = [r for _, r in ws.store.reports(ws.ente(ente), kind="relazione")]
    return financial_series(reports)


def eur_text(value: Decimal | None, signed: bool = False) -> str:
    if value is None:
        return "—"
    text = fmt_number(value, 0)
    if signed and value > 0:
        text = "+" + text
    return text + " €"


def pct_change(new: Decimal, old: Decimal) -> Decimal | None:
    """(new - old) / |old| * 100, as the assistant computes it (None when old is 0)."""
    if old == 0:
        return None
    return (new - old) / abs(old) * 100


def signed_pct_text(value: Decimal | None, decimals: int = 1) -> str:
    if value is None:
        return "—"
    text = fmt_pct(value, decimals)
    return "+" + text if value > 0 and any(c in "123456789" for c in text) else text


GROUP_NAMES = {"proventi": "Proventi correnti", "oneri": "Oneri correnti", "risultato": "Risultato", "altro": "Altro"}


def _chart_row(p: FinancialPoint) -> dict[str, object]:
    shown = abs(p.value) if p.group == "oneri" else p.value
    return {
        "voce": p.label, "gruppo": GROUP_NAMES[p.group], "anno": str(p.year), "valore": float(shown),
        "importo": eur_text(p.value), "fonte": p.source,
    }


def chart_flows(series: FinancialSeries) -> list[dict[str, object]]:
    """Long-form rows (voce, gruppo, anno, valore, importo, fonte) of the proventi and oneri
    totals per year. Oneri are printed negative; the chart shows the amount, a positive bar
    next to proventi ('importo' keeps the printed sign)."""
    return [_chart_row(p) for p in series.points if p.total and p.group in ("proventi", "oneri")]


def chart_results(series: FinancialSeries) -> list[dict[str, object]]:
    """Long-form rows of the results (gestione corrente, avanzo/disavanzo) per year."""
    return [_chart_row(p) for p in series.points if p.group == "risultato"]


def chart_components(series: FinancialSeries) -> list[dict[str, object]]:
    """Long-form rows of the single lines of proventi and oneri (amounts), per year."""
    return [_chart_row(p) for p in series.points if not p.total and p.group in ("proventi", "oneri")]


def financial_sources(series: FinancialSeries) -> list[str]:
    return sorted({p.source.split(",")[0] for p in series.points})


def financial_values_table(series: FinancialSeries) -> list[dict[str, str]]:
    rows = []
    for label in series.labels:
        row = {"Voce": label}
        for y in series.years:
            row[str(y)] = eur_text(series.value(label, y))
        rows.append(row)
    return rows


def financial_yoy_table(series: FinancialSeries) -> list[dict[str, str]]:
    """For each line and each pair of consecutive years: the change in euro and in %."""
    rows = []
    pairs = list(zip(series.years, series.years[1:]))
    for label in series.labels:
        row = {"Voce": label}
        for y0, y1 in pairs:
            old, new = series.value(label, y0), series.value(label, y1)
            diff = None if old is None or new is None else new - old
            pct = None if diff is None else pct_change(new, old)
            row[f"{y1} su {y0}"] = eur_text(diff, signed=True)
            row[f"{y1} su {y0} (%)"] = signed_pct_text(pct)
        rows.append(row)
    return rows


# -- achievement by area across years -------------------------------------------------------------


@dataclass(frozen=True)
class AreaPoint:
    year: int
    year_label: str
    code: str  # area number, or 'Ente'
    title: str
    achievement: float | None
    evaluation: str | None
    synthetic: bool
    basis: str


def area_points(views: Iterable[YearView]) -> list[AreaPoint]:
    out = []
    for view in views:
        tree = view.objective_tree()
        synthetic = view.report.synthetic
        label = f"{view.year} ({SYNTHETIC})" if synthetic else str(view.year)
        out.append(AreaPoint(view.year, label, "Ente", tree.title, tree.achievement, tree.evaluation, synthetic, view.basis))
        for area in tree.children:
            out.append(AreaPoint(view.year, label, area.code, area.title, area.achievement, area.evaluation,
                                 synthetic, view.basis))
    return out


def area_points_for(ws: Workspace, ente: str | None = None) -> list[AreaPoint]:
    views = []
    for year in ws.years(ente):
        try:
            views.append(ws.view(year, ente))
        except WorkspaceError:
            continue
    return area_points(views)


def area_chart_rows(points: Iterable[AreaPoint]) -> list[dict[str, object]]:
    return [
        {
            "area": "Ente" if p.code == "Ente" else f"{p.code}. {p.title}",
            "anno": p.year_label, "raggiungimento": p.achievement, "testo": pct_text(p.achievement),
            "valutazione": p.evaluation or "",
        }
        for p in points if p.achievement is not None
    ]


def area_table(points: Iterable[AreaPoint]) -> list[dict[str, str]]:
    points = list(points)
    years = sorted({(p.year, p.year_label) for p in points})
    rows: dict[str, dict[str, str]] = {}
    for p in points:
        name = "Ente" if p.code == "Ente" else f"Area {p.code} – {p.title}"
        row = rows.setdefault(name, {"Area": name})
        row[p.year_label] = f"{pct_text(p.achievement)} ({p.evaluation})" if p.evaluation else pct_text(p.achievement)
    for row in rows.values():
        for _, label in years:
            row.setdefault(label, "—")
    return list(rows.values())


# -- chat ------------------------------------------------------------------------------------------

_REF_RE = re.compile(r"\[\^([\w.-]+)\]")


_SUPERSCRIPT = str.maketrans("0123456789p", "⁰¹²³⁴⁵⁶⁷⁸⁹ᵖ")


def ref_marker(label: str) -> str:
    """'3' -> '⁽³⁾', 'p1' -> '⁽ᵖ¹⁾': plain text (no HTML), read as a footnote mark."""
    if re.fullmatch(r"p?\d+", label):
        return "⁽" + label.translate(_SUPERSCRIPT) + "⁾"
    return f" [{label}]"


def answer_body(markdown: str) -> str:
    """An answer's body for display: the footnote references `[^3]`, which Streamlit would
    print as they are, become superscript marks that the sources expander explains; a '$'
    (a language model may write one) is escaped so that it is not read as LaTeX."""
    return _REF_RE.sub(lambda m: ref_marker(m.group(1)), markdown).replace("$", "\\$")


def source_lines(sources) -> list[str]:
    """One Markdown line per footnote of an answer or draft: label, where, and what."""
    lines = []
    for s in sources:
        kind = "dato" if s.kind == "dato" else "passaggio"
        text = md_escape(" ".join(s.text.split()))
        lines.append(f"**{ref_marker(s.label).strip()}** *{kind} – {md_escape(s.where)}*  \n{text}")
    return lines


def verification_note(answer: "Answer") -> str:
    if answer.verified:
        return "Ogni numero della risposta corrisponde a un dato dei documenti (fonte nella nota)."
    return "Numeri non verificati: " + ", ".join(answer.unverified_numbers)


SCANNED_BADGE = "numeri letti da scansione"
FINDINGS_BADGE = "numeri con rilievi aperti"


def warning_badges(warnings: Iterable["NumberWarning"]) -> list[str]:
    """The orange badges of an answer or a draft whose numbers need checking, one per kind."""
    kinds = {w.kind for w in warnings}
    badges = []
    if "scan" in kinds:
        badges.append(f":orange-badge[:material/document_scanner: {SCANNED_BADGE}]")
    if "finding" in kinds:
        badges.append(f":orange-badge[:material/report: {FINDINGS_BADGE}]")
    return badges


def warning_lines(warnings: Iterable["NumberWarning"]) -> list[str]:
    """One line per kind of doubt: the numbers read by OCR, those an open finding concerns."""
    items = list(warnings)
    lines = [line for line in (scan_warning(w for w in items if w.kind == "scan"),
                               findings_warning(w for w in items if w.kind == "finding")) if line]
    return lines


def scan_warning(warnings: Iterable["NumberWarning"]) -> str | None:
    """One line for the numbers of an answer or a draft read by OCR from a scan, or None."""
    items = [w for w in warnings if w.kind == "scan"]
    if not items:
        return None
    places = "; ".join(dict.fromkeys(md_escape(w.where) for w in items))
    what = "1 numero letto" if len(items) == 1 else f"{len(items)} numeri letti"
    return f"{what} da scansione (OCR), da verificare sull'originale: {places}."


def findings_warning(warnings: Iterable["NumberWarning"]) -> str | None:
    """One line for the numbers an open finding concerns (each finding once), or None."""
    items = [w for w in warnings if w.kind == "finding"]
    if not items:
        return None
    numbers = len({w.fact for w in items})
    details = "; ".join(dict.fromkeys(md_escape(f"{w.detail} ({w.where})") for w in items))
    what = "1 numero toccato" if numbers == 1 else f"{numbers} numeri toccati"
    return f"{what} da rilievi aperti, da verificare: {details}"


# -- drafts ----------------------------------------------------------------------------------------

ALL_SECTIONS = "all"
SECTION_LABELS: dict[str, str] = {**{s: SECTIONS[s] for s in ORDER}, ALL_SECTIONS: "Tutte le sezioni (bozza completa)"}
WARNING_PREFIX = "> ATTENZIONE: questa bozza contiene numeri non verificati: "


_FOOTNOTE_LINE = re.compile(r"^\[\^[\w.-]+\]:")
_QUOTE_LINE = re.compile(r"^\s*>\s*«")
_NAME = re.compile(r"«([^«»]+)»")


def highlight_unverified(markdown: str, check: Verification) -> str:
    """The text with every number and place the verifier rejected marked in red (Streamlit Markdown).
    Numbers are found as the verifier finds them: not in quoted passages, not inside
    «names», not in the footnotes (which are left as they are)."""
    wanted = set(check.unmatched) | {w.strip() for w in check.wrong_references}
    places = set(check.bad_locations)
    out = []
    in_notes = False
    for line in markdown.split("\n"):
        in_notes = in_notes or bool(_FOOTNOTE_LINE.match(line))
        if in_notes or not (wanted or places) or _QUOTE_LINE.match(line):
            out.append(line)
            continue
        for place in places:
            line = re.sub(rf"\b{re.escape(place)}\b", f":red-background[**{place}**]", line)
        masked = _NAME.sub(lambda m: "«" + re.sub(r"\d", "#", m.group(1)) + "»", line)  # same length
        spans = [m for m in extract_numbers(masked) if m.text.strip() in wanted]
        for m in sorted(spans, key=lambda m: m.start, reverse=True):
            token = line[m.start:m.end]
            lead = token[: len(token) - len(token.lstrip())]
            line = line[: m.start] + f"{lead}:red-background[**{token.strip()}**]" + line[m.end:]
        out.append(line)
    return "\n".join(out)


def with_warning(markdown: str, check: Verification) -> str:
    """What is downloaded: an unverified text says so at the top (never exported silently)."""
    markdown = escape_markup(markdown)  # an edited draft: document text stays text
    if check.verified:
        return markdown
    return WARNING_PREFIX + "; ".join(check.problems) + "\n\n" + markdown


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "bozza"


def chapter_name(section: str, title: str, year: int) -> str:
    index = ORDER.index(section) + 1 if section in ORDER else 0
    prefix = f"{index:02d}-" if index else ""
    return f"{prefix}{slug(title)}-{year}"


def markdown_to_docx(markdown: str, name: str) -> bytes | None:
    """The .docx of a Markdown text through pandoc (None when pandoc is unavailable)."""
    from .chat import to_docx

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{name}.md"
        path.write_text(markdown, encoding="utf-8")
        converted = to_docx(path)
        return converted.read_bytes() if converted is not None else None


def docx_available() -> bool:
    try:
        import pypandoc

        pypandoc.get_pandoc_version()
    except (ImportError, OSError):
        return False
    return True


def zip_files(paths: Iterable[Path], folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in paths:
            zf.write(p, f"{folder}/{p.name}")
    return buffer.getvalue()


def export_zip(
    assistant: "Assistant", year: int | None, docx: bool = True, ente: str | None = None
) -> tuple[str, bytes]:
    """Every chapter of the year as .md (and .docx where pandoc works), zipped: the same
    files `relazione export` writes. Returns (file name, bytes)."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = assistant.export(year, Path(tmp), ente=ente, docx=docx)
        year = year or assistant.default_year(ente)
        folder = f"relazione-{year}-capitoli"
        return f"{folder}.zip", zip_files(paths, folder)
