"""The structured store: documents (the whole typed Report) and their narrative chunks.

SQLite under RELAZIONE_DATA_DIR by default, any SQLAlchemy URL otherwise. One ingestion is
one transaction, and the retrieval index is written inside it, so that store and index
never disagree:

1. in a transaction that holds the write lock from its start (writers one at a time, so two
   ingestions of the same file cannot both find nothing to replace; readers are not
   blocked), delete what the new document replaces (same sha256, or same Ente, year and
   kind) and insert the document and its chunks;
2. write the new chunks to the index; on failure roll back and remove them;
3. commit; on failure roll back and remove the new chunks from the index;
4. only then remove the replaced documents' chunks from the index. A crash between the
   steps can leave index entries without a document, never the reverse: `reconcile`
   removes them (the next ingestion of the same document, or of the same Ente, year and
   kind, sweeps that slot only), and searches only return chunks of documents in the store.

Every write also bumps, in the same transaction, a generation token per Ente (and one for
the whole store) in the small `generations` table, which counts each Ente's documents too:
caches built on the store (BM25 catalogs, parsed reports, year views) compare one token per
question instead of reading the documents table, and a write to one Ente leaves the other
Enti's caches valid.
"""

from __future__ import annotations

import threading
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Protocol

from cachetools import LRUCache
from sqlalchemy import delete, func, select
from sqlalchemy.orm import defer, sessionmaker

from ingest.model import Report

from .chunks import Chunk
from .store_schema import (
    ALL,
    WRITE,
    Base,
    ChunkRow,
    DocumentInfo,
    DocumentRow,
    GenerationRow,
    SaveResult,
    bump,
    chunk_of,
    document_info,
    lock_for_writing,
    make_engine,
)

__all__ = ["DocumentInfo", "IndexWriter", "SaveResult", "Store"]

ProgressFn = Callable[[str, int, int], None]


class IndexWriter(Protocol):
    """What the store needs from the retrieval index."""

    def add(self, chunks: list[Chunk], progress: ProgressFn | None = None) -> None: ...

    def delete(self, document_ids: Iterable[str]) -> None: ...

    def document_ids(self, where: dict | None = None) -> set[str]: ...


REPORT_CACHE = 64  # parsed Reports kept per process (a Relazione is about 1 MB of objects)
DOCUMENT_CACHE = 256  # Enti whose document list is kept per process


class Store:
    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        Base.metadata.create_all(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._writes = sessionmaker(self.engine.execution_options(**{WRITE: True}), expire_on_commit=False)
        self._reports: LRUCache[str, Report] = LRUCache(REPORT_CACHE)
        self._documents: LRUCache[str, tuple[str, list[DocumentInfo]]] = LRUCache(DOCUMENT_CACHE)
        self._lock = threading.Lock()
        self._count_existing()

    # -- reading ------------------------------------------------------------------------------

    def documents(self, ente: str | None = None) -> list[DocumentInfo]:
        """Every document, or one Ente's (read once per generation of that Ente)."""
        if ente:
            token = self.generation(ente)
            with self._lock:
                cached = self._documents.get(ente)
            if cached is not None and cached[0] == token:
                return list(cached[1])
        with self._sessions() as s:
            q = (
                select(DocumentRow)
                .options(defer(DocumentRow.report_json))  # the whole Report is read by `report` only
                .order_by(DocumentRow.ente, DocumentRow.year, DocumentRow.kind, DocumentRow.ingested_at)
            )
            if ente:
                q = q.where(DocumentRow.ente == ente)
            docs = [document_info(r) for r in s.scalars(q)]
        if ente:
            with self._lock:
                self._documents[ente] = (token, docs)
        return list(docs)

    def enti(self) -> list[str]:
        """The Enti with documents (one row each in `generations`, whatever the documents)."""
        with self._sessions() as s:
            q = select(GenerationRow.ente).where(GenerationRow.ente != ALL, GenerationRow.documents > 0)
            return sorted(s.scalars(q))

    def document_ids(self) -> set[str]:
        with self._sessions() as s:
            return set(s.scalars(select(DocumentRow.id)))

    def find(self, ref: str) -> DocumentInfo | None:
        """A document by id, sha256 (or a prefix of at least 8 characters) or file name."""
        for doc in self.documents():
            if ref in (doc.id, doc.sha256) or doc.source_file == Path(ref).name or (
                len(ref) >= 8 and doc.sha256.startswith(ref)
            ):
                return doc
        return None

    def report(self, document_id: str) -> Report:
        with self._lock:
            cached = self._reports.get(document_id)
        if cached is not None:
            return cached
        with self._sessions() as s:
            row = s.get(DocumentRow, document_id)
            if row is None:
                raise KeyError(document_id)
            report = Report.model_validate_json(row.report_json)
        with self._lock:
            self._reports[document_id] = report
        return report

    def reports(self, ente: str | None = None, kind: str | None = None, year: int | None = None) -> list[tuple[DocumentInfo, Report]]:
        out = []
        for doc in self.documents(ente):
            if (kind and doc.kind != kind) or (year is not None and doc.year != year):
                continue
            out.append((doc, self.report(doc.id)))
        return out

    def chunks(self, ente: str | None = None) -> list[Chunk]:
        with self._sessions() as s:
            q = select(ChunkRow).order_by(ChunkRow.document_id, ChunkRow.ordinal)
            if ente:
                q = q.where(ChunkRow.ente == ente)
            return [chunk_of(r) for r in s.scalars(q)]

    def generation(self, ente: str | None = None) -> str:
        """A token that changes whenever a document of `ente` (of any Ente when None) is added
        or removed: one primary-key read, whatever the size of the store."""
        with self._sessions() as s:
            token = s.scalar(select(GenerationRow.token).where(GenerationRow.ente == (ente or ALL)))
        return token or "empty"

    # -- writing ------------------------------------------------------------------------------

    def save(  # long: one transaction, store and index undone together on any failure
        self,
        report: Report,
        chunks_for: Callable[[str], list[Chunk]],
        index: IndexWriter | None,
        progress: ProgressFn | None = None,
    ) -> SaveResult:
        """Store a report (and its chunks in the index) as one transaction; see the module doc."""
        document_id = uuid.uuid4().hex
        chunks = chunks_for(document_id)
        now = datetime.now(timezone.utc)
        with self._writes() as s:
            try:
                lock_for_writing(s)
                replaced_rows = list(
                    s.scalars(
                        select(DocumentRow).where(
                            (DocumentRow.sha256 == report.sha256)
                            | (
                                (DocumentRow.ente == report.ente)
                                & (DocumentRow.year == report.year)
                                & (DocumentRow.kind == report.kind)
                            )
                        )
                    )
                )
                replaced = tuple(document_info(r) for r in replaced_rows)
                old_ids = [r.id for r in replaced_rows]
                if old_ids:
                    s.execute(delete(ChunkRow).where(ChunkRow.document_id.in_(old_ids)))
                    s.execute(delete(DocumentRow).where(DocumentRow.id.in_(old_ids)))
                bump(s, report.ente, 1)
                for old in replaced_rows:
                    bump(s, old.ente, -1)
                row = DocumentRow(
                    id=document_id, ente=report.ente, year=report.year, kind=report.kind, title=report.title,
                    source_file=report.source_file, sha256=report.sha256, source_format=report.source_format,
                    synthetic=report.synthetic, ingested_at=now, indicators=report.indicator_rows(),
                    problems=len(report.problems), report_json=report.model_dump_json(),
                )
                s.add(row)
                s.flush()
                s.add_all(
                    ChunkRow(
                        id=c.id, document_id=document_id, ordinal=c.ordinal, ente=c.ente, year=c.year, kind=c.kind,
                        text=c.text, section_number=c.section_number, section_title=c.section_title,
                        section_path=list(c.section_path), line=c.line, page=c.page, source_file=c.source_file,
                        sha256=c.sha256, is_table_caption=c.is_table_caption,
                    )
                    for c in chunks
                )
                s.flush()
                if index is not None:
                    try:
                        index.add(chunks, progress=progress)
                    except BaseException:
                        _quietly(index.delete, [document_id])
                        raise
                try:
                    s.commit()
                except BaseException:
                    if index is not None:
                        _quietly(index.delete, [document_id])
                    raise
            except BaseException:
                s.rollback()
                raise
            info = document_info(row)
        if index is not None and old_ids:
            _quietly(index.delete, old_ids)
        with self._lock:
            for old in old_ids:
                self._reports.pop(old, None)
        return SaveResult(document=info, replaced=replaced, chunks=len(chunks))

    def remove(self, document_id: str, index: IndexWriter | None) -> DocumentInfo:
        with self._writes() as s:
            lock_for_writing(s)
            row = s.get(DocumentRow, document_id)
            if row is None:
                raise KeyError(document_id)
            info = document_info(row)
            s.execute(delete(ChunkRow).where(ChunkRow.document_id == document_id))
            s.delete(row)
            bump(s, row.ente, -1)
            s.commit()
        if index is not None:
            _quietly(index.delete, [document_id])
        with self._lock:
            self._reports.pop(document_id, None)
        return info

    def reconcile(self, index: IndexWriter, report: Report | None = None) -> int:
        """Remove index entries whose document is not in the store; return how many documents.

        With `report`, only the entries of its slot (its sha256, or its Ente, year and kind):
        what a crash while saving that document could have left. Without, the whole index is
        listed (a maintenance sweep; an ingestion never does it)."""
        where = None
        if report is not None:
            where = {"$or": [
                {"sha256": report.sha256},
                {"$and": [{"ente": report.ente}, {"year": report.year}, {"kind": report.kind}]},
            ]}
        found = index.document_ids(where) if where is not None else index.document_ids()
        if not found:
            return 0
        with self._sessions() as s:
            known = set(s.scalars(select(DocumentRow.id).where(DocumentRow.id.in_(sorted(found)))))
        orphans = found - known
        if orphans:
            index.delete(sorted(orphans))
        return len(orphans)

    def _count_existing(self) -> None:
        """A store written before the `generations` table: count its documents once."""
        with self._sessions() as s:  # the usual case, without taking the write lock
            if s.scalar(select(GenerationRow.ente).limit(1)) is not None or s.scalar(
                    select(DocumentRow.id).limit(1)) is None:
                return
        with self._writes() as s:
            lock_for_writing(s)
            if s.scalar(select(GenerationRow.ente).limit(1)) is not None:
                return
            for ente, n in s.execute(select(DocumentRow.ente, func.count()).group_by(DocumentRow.ente)):
                bump(s, ente, n)
            s.commit()


def _quietly(fn, *args) -> None:
    try:
        fn(*args)
    except Exception:  # cleanup after commit: a leftover is swept by `reconcile`
        pass
