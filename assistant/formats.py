"""What the command line and the app both write, one copy each: numbers of a record the
Italian way, the line for a refused file, the summary of an ingestion, the CSV of the
indicators. No Streamlit, no rich: plain strings and bytes."""

from __future__ import annotations

import csv
import io
from typing import Iterable

from ingest.errors import IngestError
from ingest.italian import fmt_number
from ingest.records import IndicatorRecord

from .hygiene import csv_cell
from .store import SaveResult
from .workspace import IngestOutcome, WorkspaceError

SYNTHETIC = "SINTETICO"


def number_text(value: int | float | None, decimals: int | None = None) -> str:
    """'' for no value; integers without decimals, other numbers with 2, unless told."""
    if value is None:
        return ""
    if decimals is None:
        decimals = 0 if isinstance(value, int) else 2
    return fmt_number(value, decimals)


def quantity_text(value: int | float | None, unit: str | None) -> str:
    """'1.234,50 €', '12 N.', or '' for no value."""
    if value is None:
        return ""
    return f"{number_text(value)} {unit or ''}".strip()


def error_message(exc: BaseException, name: str | None = None, details_hint: str = "") -> str:
    """The one line for a request or a file that is refused: known errors as they are (with
    `details_hint` when the reader collected details), anything else named as unexpected by
    its type only (its text may carry paths or internals), with the file when there is one."""
    if isinstance(exc, (IngestError, WorkspaceError)):
        return f"Errore: {exc}{details_hint if getattr(exc, 'details', ()) else ''}"
    where = f"{name}: " if name else ""
    return f"Errore: {where}errore imprevisto ({type(exc).__name__})"


def ingest_summary(outcome: IngestOutcome) -> str:
    """One line per ingested file: what it is, what it holds, the version it follows (which
    stays in the history); or that the same file was already the current version."""
    doc = outcome.document
    if outcome.unchanged:
        return f"{doc.source_file}: già in archivio, stessa versione (nessuna modifica)"
    synthetic = f" [{SYNTHETIC}]" if doc.synthetic else ""
    replaced = (f" (nuova versione; la precedente, {', '.join(r.source_file for r in outcome.replaced)}, "
                "resta nello storico)" if outcome.replaced else "")
    return (
        f"{doc.source_file}: {doc.kind} {doc.year} – {doc.ente}{synthetic}, {doc.indicators} indicatori, "
        f"{outcome.chunks} passaggi indicizzati, {outcome.problems} righe da verificare{replaced}"
    )


def restore_line(result: SaveResult) -> str:
    """What `restore` did: the version made current, and the one that was."""
    doc = result.document
    if result.unchanged:
        return f"{doc.source_file} ({doc.kind} {doc.year}, {doc.sha256[:12]}) è già la versione corrente"
    before = ", ".join(f"{r.source_file} ({r.sha256[:12]})" for r in result.replaced) or "nessuna"
    return (f"Ripristinata {doc.source_file} ({doc.kind} {doc.year}, {doc.sha256[:12]}) come versione corrente; "
            f"era corrente: {before}")


CSV_COLUMNS = [
    "sezione", "area", "obiettivo_strategico", "obiettivo_operativo", "indicatore", "kpi", "peso_pct",
    "algoritmo", "consuntivo", "unita", "operatore_target", "target", "unita_target", "raggiungimento_pct",
    "valutazione", "fonte",
]


def indicator_csv(records: Iterable[IndicatorRecord]) -> str:
    """Indicators as CSV for an Italian spreadsheet: ';' separated, decimal comma; a text cell
    that would start a formula is neutralised (`hygiene.csv_cell`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(CSV_COLUMNS)
    for r in records:
        writer.writerow([csv_cell(cell) for cell in [
            r.section, r.area, r.strategic_objective, r.operational_objective or "", r.indicator, r.kpi_code or "",
            number_text(r.weight_pct, 2), r.algorithm or "", number_text(r.actual_value), r.actual_unit or "",
            r.target_operator or "", number_text(r.target_value), r.target_unit or "", number_text(r.achievement, 2),
            r.evaluation or "", f"{r.source.file} {r.source.label}",
        ]])
    return buffer.getvalue()
