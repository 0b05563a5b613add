"""One file in, one typed `Report` out: read -> tables -> sections -> metadata.

Nothing here writes anywhere. A file that cannot be read, or that holds no performance
tables, raises an `IngestError` with one clear sentence; row-level problems are kept on
the report (`Report.problems`) rather than dropped.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from .actuals import read_actuals
from .errors import IngestError, NotAPerformanceDocument, UnsupportedFormat
from .model import Report, SourceFormat
from .progress import READING_STAGE, ProgressFn
from .readers.blocks import BlockStream, Text
from .readers.pdf import read_pdf
from .readers.text import read_text
from .sections import build_sections
from .tables import parse_tables
from .textnorm import is_synthetic


FORMATS: dict[str, SourceFormat] = {
    ".pdf": "pdf",
    ".txt": "txt",
    ".md": "txt",
    ".csv": "csv",
    ".xlsx": "xlsx",
}

# blocks are joined with ' | ' so that a name never runs into the next block
_ENTE_RE = re.compile(
    r"Camera di commercio(?:,?[\s|]+(?:industria|artigianato|agricoltura|e))*[\s|]+di\s+"
    r"(?P<name>[A-ZÀ-Ý][\w'’À-ÿ-]*(?:\s+(?:[A-ZÀ-Ý][\w'’À-ÿ-]*|e|di|del|della))*)"
)
_TITLE_RE = re.compile(
    r"(?P<kind>Relazione sulla performance|Piano della performance)\s+(?P<year>(?:19|20)\d{2})(?:\s*[-–]\s*(?P<end>(?:19|20)\d{2}))?",
    re.IGNORECASE,
)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def source_format(name: str) -> SourceFormat:
    suffix = Path(name).suffix.lower()
    if suffix not in FORMATS:
        raise UnsupportedFormat(
            f"formato non supportato ({suffix or 'senza estensione'}): servono PDF, TXT/MD, CSV o XLSX", path=name
        )
    return FORMATS[suffix]


def read_report(
    data: bytes,
    name: str,
    *,
    plan: Report | None = None,
    progress: ProgressFn | None = None,
) -> Report:
    """Parse one file. `plan` is needed to match a file of actual values (CSV/XLSX)."""
    fmt = source_format(name)
    digest = sha256_of(data)
    if fmt in ("csv", "xlsx"):
        return read_actuals(data, name, fmt, digest, plan=plan, progress=progress)

    def page_progress(done: int, total: int, stage: str = READING_STAGE) -> None:
        if progress:
            progress(stage, done, total)

    if fmt == "pdf":
        stream = read_pdf(data, name, progress=page_progress)
    else:
        if progress:
            progress("lettura testo", 0, 1)
        stream = read_text(data, name)
        if progress:
            progress("lettura testo", 1, 1)
    if progress:
        progress("tabelle", 0, 1)
    tables = parse_tables(stream)
    if progress:
        progress("tabelle", 1, 1)
    if tables.indicator_count == 0:
        raise NotAPerformanceDocument(
            "nessuna tabella di indicatori della performance trovata "
            "(servono righe con peso, indicatore e target): non sembra una Relazione o un Piano della performance",
            path=name,
        )
    sections = build_sections(stream, tables.consumed)
    if progress:
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
        problems=tables.problems,
        ocr_pages=stream.ocr_pages,
    )


def file_bytes(path: str | Path) -> bytes:
    """A file's content, or an `IngestError` saying in one line why it cannot be read."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise IngestError("file non trovato", path=str(path)) from None
    except IsADirectoryError:
        raise IngestError("è una cartella, non un file", path=str(path)) from None
    except PermissionError:
        raise IngestError("permesso negato in lettura", path=str(path)) from None


def read_path(path: str | Path, *, plan: Report | None = None, progress: ProgressFn | None = None) -> Report:
    return read_report(file_bytes(path), Path(path).name, plan=plan, progress=progress)


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
