"""The structured store: documents (the whole typed Report) and their narrative chunks.

SQLite under RELAZIONE_DATA_DIR by default, any SQLAlchemy URL otherwise. Every ingested
version of a document (an Ente, year and kind) is kept; one is current, and everything that
reads the store (`documents`, `chunks`, `document_ids`, the Ente list, hence the year views,
the BM25 catalogs and the Chroma `where`) sees the current versions only. The index holds the
chunks of the current versions only: making a version current again (`restore`) writes its
chunks back. One ingestion is one transaction, and the retrieval index is written inside it,
so that store and index never disagree:

1. in a transaction that holds the write lock from its start (writers one at a time, so two
   ingestions of the same file cannot both find nothing to replace; readers are not
   blocked), find the current version of the same Ente, year and kind; the same file
   (sha256) already current is a no-op; `guard` may refuse the new version (it compares the
   two, see `assistant/versions.py`); the current version stops being current (it stays in
   the store, with its chunks) and the new one is inserted, or an earlier version with the
   same sha256 becomes current again;
2. write the new current version's chunks to the index; on failure roll back and remove them;
3. commit; on failure roll back and remove the new chunks from the index;
4. only then remove the former current version's chunks from the index. A crash between the
   steps can leave index entries without a current document, never the reverse:
   `reconcile` removes them (the next ingestion of the same document, or of the same Ente,
   year and kind, sweeps that slot only), and searches only return chunks of current
   documents.

Every write also bumps, in the same transaction, a generation token per Ente (and one for
the whole store) in the small `generations` table, which counts each Ente's current
documents: caches built on the store (BM25 catalogs, parsed reports, year views, answers)
compare one token per question instead of reading the documents table, and a write to one
Ente leaves the other Enti's caches valid. A store written by an earlier release is migrated
in place when opened (`store_schema.migrate`).
"""

from __future__ import annotations

import threading
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
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
    migrate,
)

__all__ = ["DocumentInfo", "IndexWriter", "SaveResult", "Store"]

ProgressFn = Callable[[str, int, int], None]



# the reads remembered while a unit of work has pinned the store (see `Store.pinned`)
_pinned: ContextVar[dict | None] = ContextVar("store_pinned", default=None)

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
        migrate(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._writes = sessionmaker(self.engine.execution_options(**{WRITE: True}), expire_on_commit=False)
        self._reports: LRUCache[str, Report] = LRUCache(REPORT_CACHE)
        self._documents: LRUCache[str, tuple[str, list[DocumentInfo]]] = LRUCache(DOCUMENT_CACHE)
        self._lock = threading.Lock()
        self._count_existing()

    # -- reading ------------------------------------------------------------------------------

    def documents(self, ente: str | None = None, history: bool = False) -> list[DocumentInfo]:
        """The current documents, or one Ente's (read once per generation of that Ente); with
        `history`, every version, oldest first within an Ente, year and kind."""
        if history:
            return self._read_documents(ente, history=True)
        if ente:
            token = self.generation(ente)
            with self._lock:
                cached = self._documents.get(ente)
            if cached is not None and cached[0] == token:
                return list(cached[1])
        docs = self._read_documents(ente)
        if ente:
            with self._lock:
                self._documents[ente] = (token, docs)
        return list(docs)

    def _read_documents(self, ente: str | None, history: bool = False) -> list[DocumentInfo]:
        with self._sessions() as s:
            q = (
                select(DocumentRow)
                .options(defer(DocumentRow.report_json))  # the whole Report is read by `report` only
                .order_by(DocumentRow.ente, DocumentRow.year, DocumentRow.kind, DocumentRow.ingested_at)
            )
            if ente:
                q = q.where(DocumentRow.ente == ente)
            if not history:
                q = q.where(DocumentRow.current.is_(True))
            return [document_info(r) for r in s.scalars(q)]

    @contextmanager
    def pinned(self):
        """One view of the store for a unit of work (one question): inside, `enti()` and
        `generation()` are read once each and remembered, however often the answer asks."""
        memo = _pinned.get()
        if memo is not None:  # already pinned by a caller
            yield
            return
        token = _pinned.set({})
        try:
            yield
        finally:
            _pinned.reset(token)

    def _memo(self, key: tuple, read: Callable[[], object]):
        memo = _pinned.get()
        if memo is None:
            return read()
        key = (id(self),) + key
        if key not in memo:
            memo[key] = read()
        return memo[key]

    def enti(self) -> list[str]:
        """The Enti with documents (one row each in `generations`, whatever the documents)."""
        return list(self._memo(("enti",), self._read_enti))  # type: ignore[arg-type]

    def _read_enti(self) -> list[str]:
        with self._sessions() as s:
            q = select(GenerationRow.ente).where(GenerationRow.ente != ALL, GenerationRow.documents > 0)
            return sorted(s.scalars(q))

    def document_ids(self) -> set[str]:
        """The ids of the current documents."""
        with self._sessions() as s:
            return set(s.scalars(select(DocumentRow.id).where(DocumentRow.current.is_(True))))

    def find(self, ref: str, history: bool = False) -> DocumentInfo | None:
        """A document by id, sha256 (or a prefix of at least 8 characters) or file name: a
        current one, or with `history` any version (the latest that matches)."""
        docs = sorted(self.documents(history=history), key=lambda d: d.ingested_at, reverse=True)
        for doc in docs:
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
            q = (
                select(ChunkRow)
                .join(DocumentRow, DocumentRow.id == ChunkRow.document_id)
                .where(DocumentRow.current.is_(True))
                .order_by(ChunkRow.document_id, ChunkRow.ordinal)
            )
            if ente:
                q = q.where(ChunkRow.ente == ente)
            return [chunk_of(r) for r in s.scalars(q)]

    def generation(self, ente: str | None = None) -> str:
        """A token that changes whenever a document of `ente` (of any Ente when None) is added
        or removed: one primary-key read, whatever the size of the store (once per `pinned`)."""
        return self._memo(("generation", ente), lambda: self._read_generation(ente))  # type: ignore[return-value]

    def _read_generation(self, ente: str | None) -> str:
        with self._sessions() as s:
            token = s.scalar(select(GenerationRow.token).where(GenerationRow.ente == (ente or ALL)))
        return token or "empty"

    # -- writing ------------------------------------------------------------------------------

    def save(
        self,
        report: Report,
        chunks_for: Callable[[str], list[Chunk]],
        index: IndexWriter | None,
        progress: ProgressFn | None = None,
        guard: Callable[[DocumentInfo, Report], None] | None = None,
    ) -> SaveResult:
        """Store a report as the current version of its Ente, year and kind (and its chunks in
        the index) as one transaction; see the module doc. `guard(current, its report)` runs
        inside the transaction when there is a current version and may raise to refuse."""
        with self._writes() as s:
            try:
                lock_for_writing(s)
                same = list(s.scalars(select(DocumentRow).where(DocumentRow.sha256 == report.sha256)))
                if any(r.current for r in same):
                    s.rollback()
                    info = document_info(next(r for r in same if r.current))
                    return SaveResult(document=info, replaced=(), chunks=0, unchanged=True)
                demoted = self._current_rows(s, report.ente, report.year, report.kind)
                if guard is not None:
                    for row in demoted:
                        guard(document_info(row), self.report(row.id))
                # an earlier version with the same bytes is parsed anew (the reader may have improved)
                row, chunks = self._make_current(s, report, None, chunks_for)
                return self._commit_current(s, row, chunks, demoted, index, progress)
            except BaseException:
                s.rollback()
                raise

    def restore(self, document_id: str, index: IndexWriter | None, progress: ProgressFn | None = None) -> SaveResult:
        """Make an earlier version current again (its chunks go back into the index)."""
        with self._writes() as s:
            try:
                lock_for_writing(s)
                row = s.get(DocumentRow, document_id)
                if row is None:
                    raise KeyError(document_id)
                if row.current:
                    s.rollback()
                    return SaveResult(document=document_info(row), replaced=(), chunks=0, unchanged=True)
                demoted = self._current_rows(s, row.ente, row.year, row.kind)
                row, chunks = self._make_current(s, None, row, lambda _id: [])
                return self._commit_current(s, row, chunks, demoted, index, progress)
            except BaseException:
                s.rollback()
                raise

    @staticmethod
    def _current_rows(s, ente: str, year: int, kind: str) -> list[DocumentRow]:
        return list(s.scalars(select(DocumentRow).where(
            (DocumentRow.ente == ente) & (DocumentRow.year == year) & (DocumentRow.kind == kind)
            & DocumentRow.current.is_(True)
        )))

    @staticmethod
    def _make_current(s, report: Report | None, earlier: DocumentRow | None, chunks_for) -> tuple[DocumentRow, list[Chunk]]:
        """The row that becomes current: an earlier version again (its stored chunks), or a new
        one for `report` with the chunks `chunks_for` makes."""
        if earlier is not None:
            earlier.current = True
            chunks = [chunk_of(c) for c in s.scalars(
                select(ChunkRow).where(ChunkRow.document_id == earlier.id).order_by(ChunkRow.ordinal))]
            return earlier, chunks
        assert report is not None
        document_id = uuid.uuid4().hex
        chunks = chunks_for(document_id)
        row = DocumentRow(
            id=document_id, ente=report.ente, year=report.year, kind=report.kind, title=report.title,
            source_file=report.source_file, sha256=report.sha256, source_format=report.source_format,
            synthetic=report.synthetic, ingested_at=datetime.now(timezone.utc), indicators=report.indicator_rows(),
            problems=len(report.problems), report_json=report.model_dump_json(), current=True,
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
        return row, chunks

    def _commit_current(self, s, row: DocumentRow, chunks: list[Chunk], demoted: list[DocumentRow],
                        index: IndexWriter | None, progress: ProgressFn | None) -> SaveResult:
        """Steps 2-4 of the module doc: the former versions stop being current, the index gets
        the new current chunks, commit, then the former chunks leave the index."""
        for old in demoted:
            old.current = False
            bump(s, old.ente, -1)
        bump(s, row.ente, 1)
        s.flush()
        if index is not None:
            try:
                index.add(chunks, progress=progress)
            except BaseException:
                _quietly(index.delete, [row.id])
                raise
        try:
            s.commit()
        except BaseException:
            if index is not None:
                _quietly(index.delete, [row.id])
            raise
        old_ids = [old.id for old in demoted]
        if index is not None and old_ids:
            _quietly(index.delete, old_ids)
        return SaveResult(document=document_info(row), replaced=tuple(document_info(o) for o in demoted), chunks=len(chunks))

    def remove(self, document_id: str, index: IndexWriter | None) -> DocumentInfo:
        """Remove one version (and its chunks) from the store and the index. Removing the
        current version leaves no version current: earlier ones stay in the history."""
        with self._writes() as s:
            lock_for_writing(s)
            row = s.get(DocumentRow, document_id)
            if row is None:
                raise KeyError(document_id)
            info = document_info(row)
            s.execute(delete(ChunkRow).where(ChunkRow.document_id == document_id))
            s.delete(row)
            bump(s, row.ente, -1 if info.current else 0)
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
            known = set(s.scalars(select(DocumentRow.id).where(
                DocumentRow.id.in_(sorted(found)) & DocumentRow.current.is_(True))))
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
            counted = select(DocumentRow.ente, func.count()).where(DocumentRow.current.is_(True)).group_by(DocumentRow.ente)
            for ente, n in s.execute(counted):
                bump(s, ente, n)
            s.commit()


def _quietly(fn, *args) -> None:
    try:
        fn(*args)
    except Exception:  # cleanup after commit: a leftover is swept by `reconcile`
        pass
