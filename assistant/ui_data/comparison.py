"""The Confronto anni page: the 'Sintesi dei principali dati di bilancio' of every Relazione
as series for the charts and tables (values and year-over-year changes), and the
achievement by area in each year with data."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable

from ingest.italian import fmt_number, fmt_pct
from ingest.model import FinancialTable, Report

from ..formats import SYNTHETIC
from ..workspace import Workspace, WorkspaceError, YearView
from .common import pct_text

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
