"""`relazione ask`, `draft` and `export`: the conversation side of the command line (questions,
sessions, drafted chapters), registered on the app by `assistant.cli`."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from .cli_output import errors, fail, out, progress_bar, say


class AskFmt(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"


def _assistant():
    from .launch import collector_paused

    with collector_paused(freeze=True):  # the answering side: most of what `relazione ask` imports
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
