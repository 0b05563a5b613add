"""`relazione`: thin command-line shims over the workspace. Each command opens, calls one
function, and turns errors into one clear line on stderr with a non-zero exit."""

from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Iterator, Optional

import typer

from ingest.errors import IngestError
from ingest.readers.registry import formats_label

from .cli_output import (
    document_table,
    emit_json,
    error_line,
    fail,
    finding_table,
    hit_table,
    indicator_table,
    layout_table,
    out,
    print_details,
    progress_bar,
    say,
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


class AskFmt(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"


def _assistant():
    from .chat import Assistant

    return Assistant.from_settings()


def _answer_json(answer, files: list[Path] | None = None, session=None) -> dict:
    data = {
        "question": answer.question,
        "answer": answer.answer,
        "verified": answer.verified,
        "unverified_numbers": answer.unverified_numbers,
        "warnings": [w.model_dump(mode="json") for w in answer.warnings],
        "sources": [s.model_dump(mode="json") for s in answer.sources],
        "facts": [f.model_dump(mode="json") for f in answer.facts],
        "intent": answer.intent,
        "year": answer.year,
        "ente": answer.ente,
        "plan": answer.plan.summary() if answer.plan else None,
        "attachments": [{"name": a.name, "title": a.title, "verified": a.verified} for a in answer.attachments],
        "used_llm": answer.used_llm,
        "note": answer.note,
    }
    if files:
        data["files"] = [str(f) for f in files]
    if session is not None:
        data["session"] = session.model_dump(mode="json")
    return data


def _write_files(answer, folder: Path) -> list[Path]:
    """An export answered in the chat: its chapters as .md (and .docx through pandoc)."""
    from .chapters import to_docx

    if answer.intent != "export":
        return []
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for a in answer.attachments:
        path = folder / a.name
        path.write_text(a.markdown, encoding="utf-8")
        written.append(path)
        if (converted := to_docx(path)) is not None:
            written.append(converted)
    return written


def _load_session(path: Optional[Path]):
    from .answers import Session

    if path is None or not path.exists() or not path.read_text(encoding="utf-8").strip():
        return Session()
    return Session.model_validate_json(path.read_text(encoding="utf-8"))


def _stdin_turn(assistant, line: str, session, ente: Optional[str]):
    """A line of `ask -`: a question, or a JSON object {"question", "history"} that carries the
    earlier questions of its conversation (read again, not answered)."""
    if not line.startswith("{"):
        return line, session
    data = json.loads(line)
    if data.get("history"):
        session = assistant.replay(data["history"], ente)
    return str(data["question"]), session


@app.command()
def ask(
    question: str = typer.Argument(..., help="la domanda, oppure '-' per leggerne una per riga da stdin"),
    year: Optional[int] = typer.Option(None, "--year", "-y"),
    ente: Optional[str] = typer.Option(None, "--ente"),
    format: AskFmt = typer.Option(AskFmt.text, "--format", "-f"),
    session_file: Optional[Path] = typer.Option(
        None, "--session", help="file JSON della conversazione: le domande successive ('e nel 2018?') la completano"),
    output_dir: Path = typer.Option(Path("."), "--output-dir", "-o", help="cartella dei file esportati ('esporta ...')"),
) -> None:
    """Risponde a una domanda con numeri verificati e fonti (riga o pagina)."""
    with errors():
        assistant = _assistant()
        session = _load_session(session_file)
        if question == "-":
            for line in sys.stdin:
                if not line.strip():
                    continue
                text, turn_session = _stdin_turn(assistant, line.strip(), session if session_file else None, ente)
                answer = assistant.ask(text, year, ente, session=turn_session)
                files = _write_files(answer, output_dir)
                sys.stdout.write(json.dumps(_answer_json(answer, files, turn_session), ensure_ascii=False) + "\n")
                sys.stdout.flush()
            if session_file:
                session_file.write_text(session.model_dump_json(), encoding="utf-8")
            return
        answer = assistant.ask(question, year, ente, session=session)
        if session_file:
            session_file.write_text(session.model_dump_json(), encoding="utf-8")
        files = _write_files(answer, output_dir)
        if format is AskFmt.text:
            sys.stdout.write(answer.markdown())
            for path in files:
                say(f"Scritto {path}")
            status = "verificata" if answer.verified else "NON verificata: " + "; ".join(answer.unverified_numbers)
            say(f"[{status}] {answer.note or ''}".rstrip())
        else:
            indent = 2 if format is AskFmt.json else None
            sys.stdout.write(json.dumps(_answer_json(answer, files), ensure_ascii=False, indent=indent) + "\n")


class Section(str, Enum):
    s1 = "1"
    s2 = "2"
    s33 = "3.3"
    scostamenti = "scostamenti"
    s5 = "5"
    all = "all"


@app.command()
def draft(
    section: Section = typer.Option(..., "--section", "-s"),
    year: Optional[int] = typer.Option(None, "--year", "-y"),
    ente: Optional[str] = typer.Option(None, "--ente"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="file .md da scrivere"),
) -> None:
    """Bozza di una sezione della Relazione in Markdown, verificata, con l'appendice delle fonti."""
    with errors():
        result = _assistant().draft(section.value, year, ente)
        if output:
            output.write_text(result.markdown, encoding="utf-8")
            out().print(f"Scritto {output}", markup=False)
        else:
            sys.stdout.write(result.markdown)
        if not result.verified:
            fail("la bozza contiene numeri non verificati: " + "; ".join(result.problems), code=3)


@app.command()
def export(
    year: Optional[int] = typer.Option(None, "--year", "-y"),
    output: Path = typer.Option(..., "-o", "--output", help="cartella di destinazione"),
    ente: Optional[str] = typer.Option(None, "--ente"),
    docx: bool = typer.Option(True, "--docx/--no-docx", help="anche .docx (pandoc)"),
) -> None:
    """Esporta tutti i capitoli in Markdown (e .docx) in una cartella."""
    with errors():
        with progress_bar() as progress:
            progress("capitoli", 0, 1)
            paths = _assistant().export(year, output, ente, docx=docx)
            progress("capitoli", 1, 1)
        for path in paths:
            out().print(str(path), markup=False)


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
