"""The Documenti page: the ingestion's progress as lines and a bar, the list of stored
documents, the uploader's Italian text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from ingest.progress import progress_text
from ingest.readers.registry import suffixes as reader_suffixes

from ..formats import SYNTHETIC
from ..store import DocumentInfo
from ..versions import VersionConflict, numbered


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


def versions_table(history: Iterable[DocumentInfo]) -> list[dict[str, object]]:
    """Every version of every document, numbered within its Ente, year and kind."""
    return [
        {
            "Documento": v.title, "Tipo": KIND_LABELS.get(v.kind, v.kind), "Anno": str(v.year),
            "Versione": v.version, "Corrente": "sì" if v.current else "", "Indicatori": v.indicators,
            "File": v.source_file, "Caricato il": v.ingested_at.strftime("%d/%m/%Y %H:%M"), "sha256": v.sha256[:12],
        }
        for v in numbered(list(history))
    ]


CONFLICT_FINDINGS = 8  # new findings listed in the confirmation; the rest are counted


def conflict_lines(conflict: BaseException) -> list[str]:
    """The confirmation's comparison when a refusal is a new version that would lose data
    (else none): the version in the archive, what the new one lacks, the findings it brings
    (the first few, then how many more)."""
    if not isinstance(conflict, VersionConflict):
        return []
    c = conflict.comparison
    found = [f"rilievo nuovo: {m}" for m in c.new_findings[:CONFLICT_FINDINGS]]
    if len(c.new_findings) > CONFLICT_FINDINGS:
        found.append(f"e altri {len(c.new_findings) - CONFLICT_FINDINGS} rilievi nuovi")
    current = conflict.current
    return [f"In archivio: {current.source_file}, {current.indicators} indicatori.", *c.losses, *found]


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
