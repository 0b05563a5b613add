"""Versions, not overwrites: a new file for an Ente, year and kind is compared with the current
version before it replaces it (`ingest.versions.compare_versions`), inside the store's write
transaction (`Store.save(guard=...)`), so that two uploads cannot both slip past the check.

A new version with fewer indicators, without areas or objectives the current one has, or
with findings the current one does not have, is refused (`VersionConflict`, one line that
says what it lacks) unless the user asks to replace it (`--replace`; in the app, a
confirmation that shows the comparison).
"""

from __future__ import annotations

from typing import Callable

from ingest.errors import IngestError
from ingest.model import Finding, Report
from ingest.versions import Comparison, compare_versions

from .store import DocumentInfo


class VersionConflict(IngestError):
    """A new version that would lose data; `str()` is the one line for the user."""

    def __init__(self, name: str, current: DocumentInfo, comparison: Comparison):
        self.current = current
        self.comparison = comparison
        super().__init__(
            f"non sostituisce la versione in archivio ({current.source_file}, caricata il "
            f"{current.ingested_at.strftime('%d/%m/%Y %H:%M')}): {comparison.summary()} "
            "(usa --replace per sostituirla comunque)",
            path=name,
        )


def document_findings(report: Report) -> list[Finding]:
    """The findings a version brings by itself (its checks; a file of actual values, its rows)."""
    if report.kind == "consuntivi":
        return list(report.problems)
    from ingest.checks import check_report  # at an ingestion, not to list documents

    return check_report(report)


def guard(name: str, report: Report, replace: bool, compared: list[Comparison] | None = None) -> Callable[[DocumentInfo, Report], None]:
    """The check `Store.save` runs against the current version: refuse a loss unless `replace`.
    The comparison is appended to `compared` (what the caller reports)."""

    def check(current: DocumentInfo, current_report: Report) -> None:
        comparison = compare_versions(report, current_report, document_findings(report), document_findings(current_report))
        if compared is not None:
            compared.append(comparison)
        if not comparison.acceptable and not replace:
            raise VersionConflict(name, current, comparison)

    return check


class VersionInfo(DocumentInfo):
    """One line of `relazione documents --history` (and of its JSON)."""

    version: int  # 1 for the first version of its Ente, year and kind


def numbered(history: list[DocumentInfo]) -> list[VersionInfo]:
    """Every version with its number within its Ente, year and kind (oldest first)."""
    seen: dict[tuple[str, int, str], int] = {}
    out = []
    for doc in sorted(history, key=lambda d: (d.ente, d.year, d.kind, d.ingested_at)):
        key = (doc.ente, doc.year, doc.kind)
        seen[key] = seen.get(key, 0) + 1
        out.append(VersionInfo(**doc.model_dump(), version=seen[key]))
    return out


def pick_version(history: list[DocumentInfo], ref: str) -> DocumentInfo | None:
    """The version `ref` names (id, sha256 or a prefix of 8+ characters, file name): an earlier
    one first (what restoring means), the latest of those that match."""
    def matches(doc: DocumentInfo) -> bool:
        return ref in (doc.id, doc.sha256) or (len(ref) >= 8 and doc.sha256.startswith(ref)) or doc.source_file == ref

    found = sorted((d for d in history if matches(d)), key=lambda d: (not d.current, d.ingested_at))
    return found[-1] if found else None
