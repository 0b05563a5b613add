"""`relazione`: thin command-line shims over the workspace. Each command opens, calls one
function, and turns errors into one clear line on stderr with a non-zero exit."""

from __future__ import annotations

import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from ingest.errors import IngestError
from ingest.readers.registry import formats_label

from .cli_chat import ask, draft, export
from .cli_output import (
    document_table,
    emit_json,
    error_line,
    errors,
    fail,
    finding_table,
    hit_table,
    indicator_table,
    layout_table,
    leave,
    out,
    print_details,
    progress_bar,
    say_error,
    version_table,
    warn_read,
)
from .formats import indicator_csv, ingest_summary, number_text, restore_line
from .versions import numbered
from .workspace import Workspace, WorkspaceError, expand

app = typer.Typer(help="Assistente per la Relazione sulla performance delle Camere di commercio.", no_args_is_help=True)


class Fmt(str, Enum):
    json = "json"
    table = "table"


class ListFmt(str, Enum):
    json = "json"
    table = "table"
    csv = "csv"


class SearchFmt(str, Enum):
    json = "json"
    jsonl = "jsonl"
    table = "table"


class Mode(str, Enum):
    hybrid = "hybrid"
    dense = "dense"
    lexical = "lexical"


VERBOSE = typer.Option(False, "--verbose", "-v", help="anche le segnalazioni del lettore PDF")
ALLOW_PARTIAL = typer.Option(False, "--allow-partial", help="carica anche un documento incompleto (con un rilievo)")


@app.command()
def ingest(
    files: list[Path] = typer.Argument(..., help=f"file o cartelle: {formats_label()}"),
    allow_partial: bool = ALLOW_PARTIAL,
    replace: bool = typer.Option(False, "--replace", help="sostituisce la versione in archivio anche se ha più dati"),
    verbose: bool = VERBOSE,
) -> None:
    """Legge ogni file e lo salva nello store e nell'indice (una transazione per file).

    Un file per un Ente, anno e tipo già in archivio diventa la versione corrente solo se non
    perde dati rispetto a quella in archivio (indicatori, aree, obiettivi, nessun rilievo nuovo),
    altrimenti è rifiutato (--replace per sostituirla comunque); le versioni precedenti restano
    (relazione documents --history, relazione restore)."""
    ws = Workspace()
    failures = 0
    with errors():
        paths = expand(files)
    if not paths:
        fail("nessun file da caricare")
    for path in paths:
        try:
            with progress_bar() as progress:
                outcome = ws.ingest(path, progress, allow_partial=allow_partial, replace=replace)
        except Exception as exc:
            known = isinstance(exc, (IngestError, WorkspaceError))
            if os.environ.get("RELAZIONE_DEBUG") and not known:
                raise
            print_details(getattr(exc, "details", ()), verbose)
            say_error(error_line(exc, str(path), verbose))
            failures += 1
            continue
        out().print(f"OK {ingest_summary(outcome)}", markup=False, highlight=False, soft_wrap=True)
        warn_read(path.name, outcome.read_warnings, verbose)
    if failures:
        raise typer.Exit(1)


@app.command()
def extract(
    file: Path,
    format: Fmt = typer.Option(Fmt.json, "--format", "-f"),
    plan: Optional[Path] = typer.Option(None, "--plan", help="Piano per i consuntivi (CSV/XLSX)"),
    allow_partial: bool = ALLOW_PARTIAL,
    verbose: bool = VERBOSE,
) -> None:
    """Legge e calcola un file senza scrivere nulla: indicatori, albero con rollup, rilievi."""
    with errors(verbose):
        with progress_bar() as progress:
            result = Workspace(index=None).extract(file, plan, progress, allow_partial=allow_partial)
        if format is Fmt.json:
            emit_json(result)
            return
        out().print(indicator_table(result.indicators))
        root = result.objectives
        out().print(f"Raggiungimento Ente: {number_text(root.achievement, 2)}% ({root.evaluation})", markup=False)
        out().print(finding_table(result.findings))
        if result.layout is not None:
            out().print(layout_table(result.layout))


@app.command()
def indicators(
    year: Optional[int] = typer.Option(None, "--year", "-y"),
    below_target: bool = typer.Option(False, "--below-target", help="solo gli indicatori sotto target"),
    ente: Optional[str] = typer.Option(None, "--ente"),
    format: ListFmt = typer.Option(ListFmt.table, "--format", "-f"),
) -> None:
    """Indicatori dello store per un anno, con raggiungimento e valutazione."""
    with errors():
        view = Workspace(index=None).view(year, ente)
        records = view.indicator_records(below_target=below_target)
        if format is ListFmt.json:
            emit_json({"ente": view.ente, "year": view.year, "basis": view.basis, "indicators": records})
        elif format is ListFmt.csv:
            sys.stdout.write(indicator_csv(records))
        else:
            out().print(indicator_table(records))


@app.command()
def findings(
    year: Optional[int] = typer.Option(None, "--year", "-y"),
    ente: Optional[str] = typer.Option(None, "--ente"),
    format: Fmt = typer.Option(Fmt.table, "--format", "-f"),
) -> None:
    """Rilievi (quel che controllerebbe l'OIV) per un anno, ciascuno con pagina o riga."""
    with errors():
        view = Workspace(index=None).view(year, ente)
        records = view.finding_records()
        if format is Fmt.json:
            emit_json({"ente": view.ente, "year": view.year, "findings": records})
        else:
            out().print(finding_table(records))


@app.command()
def documents(
    format: Fmt = typer.Option(Fmt.table, "--format", "-f"),
    history: bool = typer.Option(False, "--history", help="anche le versioni precedenti di ogni documento"),
) -> None:
    """Documenti nello store (le versioni correnti; con --history tutte, numerate)."""
    with errors():
        ws = Workspace(index=None)
        if not history:
            docs = ws.documents()
            if format is Fmt.json:
                emit_json({"documents": docs})
            else:
                out().print(document_table(docs))
            return
        versions = numbered(ws.documents(history=True))
        if format is Fmt.json:
            emit_json({"documents": versions})
        else:
            out().print(version_table(versions))


@app.command()
def restore(ref: str = typer.Argument(..., help="sha256 (anche abbreviato) o id della versione")) -> None:
    """Rende corrente una versione precedente di un documento (relazione documents --history)."""
    with errors():
        with progress_bar() as progress:
            result = Workspace().restore(ref, progress)
        out().print(restore_line(result), markup=False, highlight=False, soft_wrap=True)


@app.command()
def search(
    query: str = typer.Argument(..., help="la domanda; '-' legge una domanda per riga da stdin"),
    k: int = typer.Option(5, "--k", "-k", min=1, max=100, help="quanti passaggi"),
    year: Optional[int] = typer.Option(None, "--year", "-y"),
    section: Optional[str] = typer.Option(None, "--section", "-s", help="numero di sezione, es. 5 o 3.3"),
    kind: Optional[str] = typer.Option(None, "--kind", help="relazione, piano o consuntivi"),
    ente: Optional[str] = typer.Option(None, "--ente"),
    mode: Mode = typer.Option(Mode.hybrid, "--mode", help="hybrid (semantica + lessicale), dense o lexical"),
    format: Optional[SearchFmt] = typer.Option(None, "--format", "-f", help="table (default) o json; con '-' jsonl"),
) -> None:
    """Cerca nei testi delle Relazioni e dei Piani i passaggi che rispondono a una domanda, con sezione e riga o pagina.

    Con QUERY '-' legge una domanda per riga da stdin e scrive un oggetto JSON per riga:
    {"query": ..., "hits": [{"text", "section", "title", "line", "page", "source", "score", ...}]}."""
    with errors():
        ws = Workspace()
        queries = (line.strip() for line in sys.stdin) if query == "-" else iter([query])
        fmt = format or (SearchFmt.jsonl if query == "-" else SearchFmt.table)
        for q in filter(None, queries):
            hits = ws.search(q, k, year=year, section=section, kind=kind, ente=ente, mode=mode.value)
            if fmt is SearchFmt.table:
                out().print(hit_table(q, hits))
                continue
            record = {"query": q, "hits": [h.model_dump(mode="json") for h in hits]}
            if fmt is SearchFmt.json and query != "-":
                sys.stdout.write(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
            else:
                sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
                sys.stdout.flush()


@app.command()
def remove(ref: str = typer.Argument(..., help="sha256 (anche abbreviato), nome file o id")) -> None:
    """Rimuove un documento dallo store e i suoi passaggi dall'indice."""
    with errors():
        doc = Workspace().remove(ref)
        note = ("; le versioni precedenti restano nello storico (relazione documents --history, relazione restore)"
                if doc.current else " (versione precedente)")
        out().print(f"Rimosso {doc.source_file} ({doc.kind} {doc.year}, {doc.sha256[:12]}){note}", markup=False)


app.command()(ask)
app.command()(draft)
app.command()(export)


def main() -> None:  # pragma: no cover
    """The `relazione` program: the command runs, then the process leaves at once (`leave`)."""
    try:
        app()
    except SystemExit as done:
        leave(done.code)
    except BrokenPipeError:  # the reader left early (`relazione documents | head`): no traceback
        leave(1)
    leave(0)


if __name__ == "__main__":  # pragma: no cover
    main()
