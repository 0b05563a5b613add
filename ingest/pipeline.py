"""One file in, one typed `Report` out: read -> tables -> sections -> metadata.

Nothing here writes anywhere. A file that cannot be read, or that holds no performance
tables, raises an `IngestError` with one clear sentence; row-level problems are kept on
the report (`Report.problems`) rather than dropped. Every reading runs under `Limits`
(file size, PDF pages, .xlsx decompressed size, CSV rows and fields, wall-clock time) and
every report is validated (`validate.py`): data that cannot be right is refused, an
incomplete document is refused unless the caller allows a partial one. What the PDF
libraries log is collected (`Report.read_warnings`, `IngestError.details`), never printed.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path

from .diagnostics import collect_library_warnings, more
from .errors import (
    IncompleteDocument,
    IngestError,
    InvalidDocument,
    NotAPerformanceDocument,
)
from .limits import DEFAULT_LIMITS, Deadline, Limits, check_pdf_pages, check_size, check_xlsx
from .model import Finding, FindingKind, Layout, Report, Severity, SourceFormat
from .progress import READING_STAGE, ProgressFn
from .readers.blocks import BlockStream, Text
from .readers.registry import Reader, reader_for, readers
from .sections import build_sections
from .tables import parse_tables
from .textnorm import is_synthetic
from .validate import incomplete_finding, missing_from_plan, summary, validate

# suffix -> stored format, from the reader registry (ingest/readers/registry.py)
FORMATS: dict[str, SourceFormat] = {s: f for r in readers() for s, f in r.formats.items()}

# blocks are joined with ' | ' so that a name never runs into the next block
_ENTE_RE = re.compile(
    r"Camera di commercio(?:,?[\s|]+(?:industria|artigianato|agricoltura|e))*[\s|]+di\s+"
    r"(?P<name>[A-ZÀ-Ý][\w'’À-ÿ-]*(?:\s+(?:[A-ZÀ-Ý][\w'’À-ÿ-]*|e|di|del|della))*)"
)
_TITLE_RE = re.compile(
    # any four-digit year: one out of range is refused by validation, not read past
    r"(?P<kind>Relazione sulla performance|Piano della performance)\s+(?P<year>\d{4})\b(?:\s*[-–]\s*(?P<end>\d{4})\b)?",
    re.IGNORECASE,
)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def source_format(name: str) -> SourceFormat:
    return reader_for(name)[1]


def needs_plan(name: str) -> bool:
    """A file of actual values, read against a Piano (CSV/XLSX)."""
    return reader_for(name)[0].needs_plan


def read_report(
    data: bytes,
    name: str,
    *,
    plan: Report | None = None,
    progress: ProgressFn | None = None,
    limits: Limits = DEFAULT_LIMITS,
    allow_partial: bool = False,
    current_year: int | None = None,
) -> Report:
    """Parse and validate one file. `plan` is needed to match a file of actual values (CSV/XLSX),
    and is what such a file is complete against."""
    reader, fmt = reader_for(name)
    check_size(data, name, limits)
    deadline = Deadline(name, limits)
    with collect_library_warnings() as notes:
        try:
            report = _read(data, name, reader, fmt, plan, deadline.wrap(progress), limits)
            deadline.check()
        except IngestError as exc:
            exc.details = tuple(notes.lines) + more(notes.count)
            raise
    if notes.count:
        report = report.model_copy(update={"read_warnings": tuple(notes.lines) + more(notes.count)})
    return accept(report, plan if report.kind == "consuntivi" else None, allow_partial=allow_partial,
                  current_year=current_year)


def accept(
    report: Report, plan: Report | None = None, *, allow_partial: bool = False, current_year: int | None = None
) -> Report:
    """The report with its validation findings, or an `IngestError`: data that cannot be right
    always, an incomplete document unless `allow_partial` (then it carries the finding)."""
    result = validate(report, current_year or date.today().year, plan)
    if result.impossible:
        raise InvalidDocument(summary(report, result), path=report.source_file)
    extra = result.findings
    if result.missing:
        if not allow_partial:
            raise IncompleteDocument(summary(report, result), path=report.source_file)
        extra += (incomplete_finding(report, result.missing),)
    return report.model_copy(update={"problems": report.problems + extra}) if extra else report


def check_against_plan(report: Report, plan: Report | None, *, allow_partial: bool = False) -> Report:
    """A Relazione against the stored Piano that covers its year: every planned area and
    strategic objective reported, or refused (unless `allow_partial`)."""
    if plan is None or report.kind != "relazione":
        return report
    missing = missing_from_plan(report, plan)
    if not missing:
        return report
    if not allow_partial:
        from .validate import Validation

        raise IncompleteDocument(summary(report, Validation(missing=tuple(missing))), path=report.source_file)
    return report.model_copy(update={"problems": report.problems + (incomplete_finding(report, missing),)})


def _read(
    data: bytes, name: str, reader: Reader, fmt: SourceFormat, plan: Report | None, progress: ProgressFn,
    limits: Limits,
) -> Report:
    digest = sha256_of(data)
    if fmt == "xlsx":
        check_xlsx(data, name, limits)
    if fmt == "pdf" and (pages := pdf_pages(data)) is not None:
        check_pdf_pages(pages, name, limits)
    if reader.actuals is not None:
        return reader.actuals(data, name, fmt, digest, plan=plan, progress=progress, limits=limits)

    def page_progress(done: int, total: int, stage: str = READING_STAGE) -> None:
        progress(stage, done, total)

    assert reader.blocks is not None, reader.name
    stream = reader.blocks(data, name, page_progress)
    problems = stream.problems
    progress("tabelle", 0, 1)
    tables = parse_tables(stream)
    progress("tabelle", 1, 1)
    if tables.indicator_count == 0:
        if _has_indicator_header(stream):
            raise IncompleteDocument(
                "Relazione incompleta: nessuna tabella di indicatori leggibile, benché il documento ne riporti "
                "le intestazioni (indicatore, peso, target)", path=name,
            )
        raise NotAPerformanceDocument(
            "nessuna tabella di indicatori della performance trovata "
            "(servono righe con peso, indicatore e target): non sembra una Relazione o un Piano della performance",
            path=name,
        )
    sections = build_sections(stream, tables.consumed)
    progress("sezioni", 1, 1)
    kind, title, year, years = _kind_title_year(stream, tables.plan_years, name)
    ente = _ente(stream, tables.ente_label, name)
    return Report(
        ente=ente,
        year=year,
        kind=kind,
        title=title,
        source_file=Path(name).name,
        sha256=digest,
        source_format=fmt,
        synthetic=is_synthetic(Path(name).name, " ".join(_texts(stream, 30))),
        plan_years=years,
        areas=tables.areas,
        overview=tables.overview,
        resources=tables.resources,
        key_indicators=tables.key_indicators,
        financial=tables.financial,
        interventions=tables.interventions,
        tree=tables.tree,
        sections=sections,
        tables=tables.captions,
        problems=problems + tables.problems + unassigned_findings(stream.layout),
        ocr_pages=stream.ocr_pages,
        layout=stream.layout,
    )


def unassigned_findings(layout: Layout | None) -> tuple[Finding, ...]:
    """The table rows whose text could not be put in columns, as findings with their place."""
    if layout is None:
        return ()
    return tuple(
        Finding(
            kind=FindingKind.row_not_parsed, severity=Severity.warning, source=row.source, printed=row.printed,
            message=f"tabella {table.number}, riga {row.row}: testo a cavallo di più colonne, colonne non assegnate "
            "(la riga è letta com'è stampata: da verificare)",
        )
        for table in layout.tables
        for row in table.unassigned
    )


def pdf_pages(data: bytes) -> int | None:
    """A PDF's page count from its page tree, without reading any page (None when it cannot be
    told: the reader then says what is wrong with the file)."""
    import pypdfium2

    try:
        doc = pypdfium2.PdfDocument(data)
    except Exception:  # encrypted, damaged...: the PDF reader gives the user's message
        return None
    try:
        return len(doc)
    finally:
        doc.close()


def file_bytes(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """A file's content, or an `IngestError` saying in one line why it cannot be read (a file
    over the size limit is refused before it is read)."""
    try:
        if Path(path).is_file():
            check_size(Path(path).stat().st_size, str(path), limits)
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise IngestError("file non trovato", path=str(path)) from None
    except IsADirectoryError:
        raise IngestError("è una cartella, non un file", path=str(path)) from None
    except PermissionError:
        raise IngestError("permesso negato in lettura", path=str(path)) from None


def read_path(path: str | Path, *, plan: Report | None = None, progress: ProgressFn | None = None, **options) -> Report:
    """`read_report` of a file on disk (`options`: limits, allow_partial, current_year)."""
    data = file_bytes(path, options.get("limits", DEFAULT_LIMITS))
    return read_report(data, Path(path).name, plan=plan, progress=progress, **options)


_HEADER_WORDS = ("indicatore", "peso", "target")


def _has_indicator_header(stream: BlockStream) -> bool:
    """A line (or table row) naming the columns of a performance table: the document is one,
    but its rows could not be read (a garbled scan, a cut copy)."""
    for block in stream.blocks:
        text = block.text if isinstance(block, Text) else " ".join(getattr(block, "cells", ()))
        words = set(re.findall(r"[a-z]+", text.casefold()))
        if all(w in words for w in _HEADER_WORDS):
            return True
    return False


def _texts(stream: BlockStream, limit: int = 40) -> list[str]:
    return [b.text for b in stream.blocks[:limit] if isinstance(b, Text)]


def _kind_title_year(stream: BlockStream, plan_years: tuple[int, ...], name: str):
    for text in _texts(stream):
        if m := _TITLE_RE.search(text):
            start = int(m["year"])
            end = int(m["end"]) if m["end"] else start
            is_plan = m["kind"].lower().startswith("piano")
            years = tuple(range(start, end + 1)) if is_plan else ()
            if is_plan and plan_years:
                years = tuple(sorted(set(years) | set(plan_years)))
            return ("piano" if is_plan else "relazione"), text, start, years
    if plan_years:
        return "piano", f"Piano della performance {plan_years[0]}-{plan_years[-1]}", plan_years[0], plan_years
    if m := re.search(r"((?:19|20)\d{2})", Path(name).name):
        return "relazione", f"Relazione sulla performance {m.group(1)}", int(m.group(1)), ()
    raise NotAPerformanceDocument(
        "anno non individuato: il titolo non dice 'Relazione sulla performance <anno>' né 'Piano della performance <anni>'",
        path=name,
    )


def _ente(stream: BlockStream, label: str | None, name: str) -> str:
    head = " | ".join(_texts(stream, 20))
    if m := _ENTE_RE.search(head):
        return f"Camera di commercio di {m['name']}"
    if label:
        return f"Camera di commercio di {label}"
    raise NotAPerformanceDocument("Ente non individuato: manca 'Camera di commercio ... di <città>' nel frontespizio", path=name)
