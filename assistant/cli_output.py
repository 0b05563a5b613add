"""What the `relazione` commands print: the error and warning lines on stderr, the progress
bar, JSON, and the rich tables of indicators, findings, documents and passages. The
commands themselves (`assistant.cli`) only call the workspace and pass results here."""

from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from functools import cache
from typing import TYPE_CHECKING, Iterator, NoReturn

import typer
from pydantic import BaseModel

from ingest.diagnostics import count_of, summary
from ingest.errors import IngestError
from ingest.model import STRATEGY_LABELS, Layout
from ingest.progress import stage_label

from .formats import error_message, number_text, quantity_text
from .workspace import WorkspaceError

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table


# rich is imported by the first table or styled line: `relazione ask` prints neither
@cache
def out() -> "Console":
    from rich.console import Console

    return Console()


@cache
def err() -> "Console":
    from rich.console import Console

    return Console(stderr=True)


def _table(**options) -> "Table":
    from rich.table import Table

    return Table(**options)


def leave(code: int | str | None) -> NoReturn:
    """End the process once a command is done, without the interpreter's teardown.

    A normal exit frees every object of every imported module one at a time (the parsed year,
    pydantic's schemas, SQLAlchemy's tables) and collects the garbage several times: about a
    sixth of a cold `relazione ask`, for memory the system takes back at once anyway. So the
    exit functions run (`atexit`, which is where libraries flush what they must), the output
    and the logs are flushed, and the process ends with `os._exit`. Nothing is left half
    written: every command has committed or closed what it wrote before returning (the store
    survives even a killed process, see `assistant.store_schema`)."""
    import atexit
    import logging

    if code is None:
        code = 0
    elif not isinstance(code, int):  # sys.exit("message"): the message on stderr, status 1
        sys.stderr.write(f"{code}\n")
        code = 1
    atexit._run_exitfuncs()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`relazione documents | head`)
            code = code or 1
    os._exit(code)


def say(line: str) -> None:
    """A plain line on stderr (no markup, no wrapping), without loading rich."""
    sys.stderr.write(line + "\n")
    sys.stderr.flush()

DETAILS_HINT = " (dettagli del lettore PDF con --verbose)"


def say_error(line: str) -> None:
    err().print(line, markup=False, highlight=False, soft_wrap=True)


def fail(message: str, code: int = 1) -> None:
    say_error(f"Errore: {message}")
    raise typer.Exit(code)


def error_line(exc: BaseException, name: str | None = None, verbose: bool = False) -> str:
    """One line for a refused file; what the PDF libraries reported only with --verbose."""
    return error_message(exc, name, "" if verbose else DETAILS_HINT)


def print_details(lines, verbose: bool) -> None:
    if verbose:
        for line in lines:
            err().print(f"  {line}", markup=False, highlight=False, soft_wrap=True)


@contextmanager
def progress_bar() -> Iterator:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err(), transient=True, disable=not err().is_terminal,
    ) as bar:
        tasks: dict[str, int] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total, description=stage_label(stage, done, total))

        yield update


def emit_json(value: BaseModel | list | dict) -> None:
    if isinstance(value, BaseModel):
        data = value.model_dump(mode="json")
    elif isinstance(value, list):
        data = [v.model_dump(mode="json") if isinstance(v, BaseModel) else v for v in value]
    else:
        data = {k: ([x.model_dump(mode="json") for x in v] if isinstance(v, list) else v) for k, v in value.items()}
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def indicator_table(records) -> Table:
    table = _table(show_lines=False)
    for column in ("Obiettivo", "Indicatore", "Peso", "Consuntivo", "Target", "Raggiung.", "Valutazione", "Fonte"):
        table.add_column(column, overflow="fold")
    for r in records:
        table.add_row(
            r.operational_objective or r.strategic_objective,
            r.indicator,
            number_text(r.weight_pct, 1) + "%",
            quantity_text(r.actual_value, r.actual_unit),
            f"{r.target_operator or ''} {quantity_text(r.target_value, r.target_unit)}".strip(),
            "" if r.achievement is None else number_text(r.achievement, 2) + "%",
            r.evaluation or "",
            r.source.label,
        )
    return table


def finding_table(records) -> Table:
    table = _table(show_lines=True)
    for column in ("Tipo", "Gravità", "Dove", "Descrizione"):
        table.add_column(column, overflow="fold")
    for f in records:
        where = ", ".join(x.label for x in (f.source, f.claim_source, f.plan_source) if x)
        table.add_row(f.kind, f.severity, where, f.message)
    return table



def warn_read(name: str, lines: tuple[str, ...], verbose: bool) -> None:
    """One line when the PDF libraries reported problems in a file that was read anyway."""
    if not lines:
        return
    hint = "" if verbose else " (dettagli con --verbose)"
    err().print(f"Avviso: {name}: {summary(count_of(lines))}, letto comunque{hint}", markup=False, highlight=False, soft_wrap=True)
    print_details(lines, verbose)


def document_table(docs) -> Table:
    table = _table()
    for column in ("Tipo", "Anno", "Ente", "File", "Indicatori", "sha256", "Sintetico"):
        table.add_column(column)
    for d in docs:
        table.add_row(d.kind, str(d.year), d.ente, d.source_file, str(d.indicators), d.sha256[:12],
                      "sì" if d.synthetic else "")
    return table


def version_table(versions) -> Table:
    """Every version of every document (`versions.numbered`), the current ones marked."""
    table = _table()
    for column in ("Tipo", "Anno", "Ente", "Versione", "Corrente", "File", "Indicatori", "Caricato il", "sha256"):
        table.add_column(column)
    for v in versions:
        table.add_row(v.kind, str(v.year), v.ente, str(v.version), "sì" if v.current else "", v.source_file,
                      str(v.indicators), v.ingested_at.strftime("%d/%m/%Y %H:%M"), v.sha256[:12])
    return table


def hit_table(query: str, hits) -> Table:
    table = _table(title=query, show_lines=True, title_justify="left", expand=True)
    table.add_column("#", width=2)
    table.add_column("Sezione", max_width=24, overflow="fold")
    table.add_column("Fonte", max_width=24, overflow="fold")
    table.add_column("Passaggio", ratio=1, overflow="fold")
    table.add_column("Punteggio", width=9)
    for n, h in enumerate(hits, 1):
        where = h.place or (f"riga {h.line}" if h.line is not None else (f"pag. {h.page}" if h.page is not None else ""))
        section = h.title if not h.section or h.title.startswith((h.section, "Sezione")) else f"{h.section} – {h.title}"
        table.add_row(str(n), section, f"{h.source}, {where}" if where else h.source, h.text, f"{h.score:.4f}")
    return table


def layout_table(layout: Layout) -> Table:
    title = f"Come sono state lette le tabelle (lettore: {layout.reader})"
    table = _table(title=title, show_lines=True, title_justify="left")
    for column in ("N.", "Dove", "Metodo", "Righe", "Colonne", "Righe con colonne non assegnate"):
        table.add_column(column, overflow="fold")
    for t in layout.tables:
        where = t.source.label() if len(t.pages) <= 1 else "pagg. " + ", ".join(str(p) for p in t.pages)
        unassigned = "; ".join(f"{u.source.label()}, riga {u.row}: {u.printed}" for u in t.unassigned)
        table.add_row(str(t.number), where, STRATEGY_LABELS[t.strategy], str(t.rows), str(t.columns), unassigned)
    return table


@contextmanager
def errors(verbose: bool = False) -> Iterator[None]:
    """Known errors -> one line; anything else -> one line too (traceback only with RELAZIONE_DEBUG)."""
    try:
        yield
    except (IngestError, WorkspaceError) as exc:
        print_details(getattr(exc, "details", ()), verbose)
        say_error(error_line(exc, verbose=verbose))
        raise typer.Exit(1) from None
    except typer.Exit:
        raise
    except Exception as exc:  # pragma: no cover - last resort
        if os.environ.get("RELAZIONE_DEBUG"):
            raise
        say_error(error_line(exc))
        raise typer.Exit(2) from None
