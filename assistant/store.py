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
from typing import Callable, Iterable, Iterator, Protocol

from cachetools import LRUCache
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection, RootTransaction

from ingest.model import Report

from .chunks import Chunk
from .store_schema import (
    ALL,
    DOCUMENT_COLUMNS,
    WRITE,
    DocumentInfo,
    SaveResult,
    bump,
    chunk_of,
    chunks,
    document_info,
    documents,
    generations,
    lock_for_writing,
    make_engine,
    metadata,
    migrate,
)

D, C, G = documents.c, chunks.c, generations.c

__all__ = ["DocumentInfo", "IndexWriter", "SaveResult", "Store"]

ProgressFn = Callable[[str, int, int], None]



# the reads remembered while a unit of work has pinned the store (see `Store.pinned`)
_pinned: ContextVar[dict | None] = ContextVar("store_pinned", default=None)


class DocumentGone(KeyError):
    """A document listed a moment ago was removed before its report was read (another session
    wrote): the reader starts again from a fresh list."""

class IndexWriter(Protocol):
    """What the store needs from the retrieval index."""

    def add(self, chunks: list[Chunk], progress: ProgressFn | None = None) -> None: ...

    def delete(self, document_ids: Iterable[str], ente: str | None = None) -> None:
        """Remove those documents' chunks; `ente`, when given, is the Ente they all belong to
        (the index then looks in that Ente's part only)."""

    def document_ids(self, where: dict | None = None) -> set[str]: ...


REPORT_CACHE = 64  # parsed Reports kept per process (a Relazione is about 1 MB of objects)
DOCUMENT_CACHE = 256  # Enti whose document list is kept per process


class Store:
    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        metadata.create_all(self.engine)
        migrate(self.engine)
        self._writer = self.engine.execution_options(**{WRITE: True})  # BEGIN IMMEDIATE on SQLite
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
        q = select(*DOCUMENT_COLUMNS).order_by(D.ente, D.year, D.kind, D.ingested_at)  # the Report: `report`
        if ente:
            q = q.where(D.ente == ente)
        if not history:
            q = q.where(D.current.is_(True))
        with self.engine.connect() as c:
            return [document_info(r) for r in c.execute(q)]

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
        with self.engine.connect() as c:
            return sorted(c.scalars(select(G.ente).where(G.ente != ALL, G.documents > 0)))

    def document_ids(self) -> set[str]:
        """The ids of the current documents."""
        with self.engine.connect() as c:
            return set(c.scalars(select(D.id).where(D.current.is_(True))))

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
        with self.engine.connect() as c:
            data = c.scalar(select(D.report_json).where(D.id == document_id))
        if data is None:
            raise DocumentGone(document_id)
        report = Report.model_validate_json(data)
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
        q = (
            select(chunks)
            .join(documents, D.id == C.document_id)
            .where(D.current.is_(True))
            .order_by(C.document_id, C.ordinal)
        )
        if ente:
            q = q.where(C.ente == ente)
        with self.engine.connect() as c:
            return [chunk_of(r) for r in c.execute(q)]

    def generation(self, ente: str | None = None) -> str:
        """A token that changes whenever a document of `ente` (of any Ente when None) is added
        or removed: one primary-key read, whatever the size of the store (once per `pinned`)."""
        return self._memo(("generation", ente), lambda: self._read_generation(ente))  # type: ignore[return-value]

    def _read_generation(self, ente: str | None) -> str:
        with self.engine.connect() as c:
            token = c.scalar(select(G.token).where(G.ente == (ente or ALL)))
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
        with self._write() as (c, tx):
            same = c.execute(select(*DOCUMENT_COLUMNS).where(D.sha256 == report.sha256, D.current.is_(True))).first()
            if same is not None:
                tx.rollback()
                return SaveResult(document=document_info(same), replaced=(), chunks=0, unchanged=True)
            demoted = self._current_rows(c, report.ente, report.year, report.kind)
            if guard is not None:
                for info in demoted:
                    guard(info, self.report(info.id))
            # an earlier version with the same bytes is parsed anew (the reader may have improved)
            info, written = self._insert(c, report, chunks_for)
            return self._commit_current(c, tx, info, written, demoted, index, progress)

    def restore(self, document_id: str, index: IndexWriter | None, progress: ProgressFn | None = None) -> SaveResult:
        """Make an earlier version current again (its chunks go back into the index)."""
        with self._write() as (c, tx):
            row = c.execute(select(*DOCUMENT_COLUMNS).where(D.id == document_id)).first()
            if row is None:
                raise KeyError(document_id)
            if row.current:
                tx.rollback()
                return SaveResult(document=document_info(row), replaced=(), chunks=0, unchanged=True)
            demoted = self._current_rows(c, row.ente, row.year, row.kind)
            c.execute(update(documents).where(D.id == document_id).values(current=True))
            stored = [chunk_of(r) for r in c.execute(
                select(chunks).where(C.document_id == document_id).order_by(C.ordinal))]
            info = document_info(row).model_copy(update={"current": True})
            return self._commit_current(c, tx, info, stored, demoted, index, progress)

    @contextmanager
    def _write(self) -> Iterator[tuple[Connection, RootTransaction]]:
        """A writing transaction that holds the write lock from its start; rolled back unless
        committed (an exception included)."""
        with self._writer.connect() as c:
            try:
                with c.begin() as tx:
                    lock_for_writing(c)
                    yield c, tx
            except BaseException:
                # a failed commit may leave the database's transaction open under SQLAlchemy's
                # closed one: the connection is discarded, not handed back to the pool
                c.invalidate()
                raise

    @staticmethod
    def _current_rows(c: Connection, ente: str, year: int, kind: str) -> list[DocumentInfo]:
        return [document_info(r) for r in c.execute(select(*DOCUMENT_COLUMNS).where(
            (D.ente == ente) & (D.year == year) & (D.kind == kind) & D.current.is_(True)))]

    @staticmethod
    def _insert(c: Connection, report: Report, chunks_for) -> tuple[DocumentInfo, list[Chunk]]:
        """A new current row for `report`, with the chunks `chunks_for` makes."""
        document_id = uuid.uuid4().hex
        made = chunks_for(document_id)
        row = dict(
            id=document_id, ente=report.ente, year=report.year, kind=report.kind, title=report.title,
            source_file=report.source_file, sha256=report.sha256, source_format=report.source_format,
            synthetic=report.synthetic, ingested_at=datetime.now(timezone.utc), indicators=report.indicator_rows(),
            problems=len(report.problems), current=True,
        )
        c.execute(insert(documents).values(**row, report_json=report.model_dump_json()))
        if made:
            c.execute(insert(chunks), [dict(
                id=k.id, document_id=document_id, ordinal=k.ordinal, ente=k.ente, year=k.year, kind=k.kind,
                text=k.text, section_number=k.section_number, section_title=k.section_title,
                section_path=list(k.section_path), line=k.line, page=k.page, place=k.place, source_file=k.source_file,
                sha256=k.sha256, is_table_caption=k.is_table_caption,
            ) for k in made])
        return DocumentInfo(**row), made

    def _commit_current(self, c: Connection, tx: RootTransaction, info: DocumentInfo, written: list[Chunk],
                        demoted: list[DocumentInfo], index: IndexWriter | None, progress: ProgressFn | None) -> SaveResult:
        """Steps 2-4 of the module doc: the former versions stop being current, the index gets
        the new current chunks, commit, then the former chunks leave the index."""
        old_ids = [old.id for old in demoted]
        if old_ids:
            c.execute(update(documents).where(D.id.in_(old_ids)).values(current=False))
        for old in demoted:
            bump(c, old.ente, -1)
        bump(c, info.ente, 1)
        if index is not None:
            try:
                index.add(written, progress=progress)
            except BaseException:
                _quietly(index.delete, [info.id], info.ente)
                raise
        try:
            tx.commit()
        except BaseException:
            if index is not None:
                _quietly(index.delete, [info.id], info.ente)
            raise
        if index is not None and old_ids:
            _quietly(index.delete, old_ids, info.ente)  # the same Ente, year and kind
        replaced = tuple(old.model_copy(update={"current": False}) for old in demoted)
        return SaveResult(document=info, replaced=replaced, chunks=len(written))

    def remove(self, document_id: str, index: IndexWriter | None) -> DocumentInfo:
        """Remove one version (and its chunks) from the store and the index. Removing the
        current version leaves no version current: earlier ones stay in the history."""
        with self._write() as (c, tx):
            row = c.execute(select(*DOCUMENT_COLUMNS).where(D.id == document_id)).first()
            if row is None:
                raise KeyError(document_id)
            info = document_info(row)
            c.execute(delete(chunks).where(C.document_id == document_id))
            c.execute(delete(documents).where(D.id == document_id))
            bump(c, info.ente, -1 if info.current else 0)
            tx.commit()
        if index is not None:
            _quietly(index.delete, [document_id], info.ente)
        with self._lock:
            self._reports.pop(document_id, None)
        return info

    def reconcile(self, index: IndexWriter, report: Report | None = None) -> int:
        """Remove index entries whose document is not in the store; return how many documents.

        With `report`, only the entries of its slot within its Ente (its sha256, or its year
        and kind): what a crash while saving that document could have left. Without, the whole
        index is listed (a maintenance sweep; an ingestion never does it)."""
        where = None
        if report is not None:
            where = {"$and": [{"ente": report.ente}, {"$or": [
                {"sha256": report.sha256}, {"$and": [{"year": report.year}, {"kind": report.kind}]}]}]}
        found = index.document_ids(where) if where is not None else index.document_ids()
        if not found:
            return 0
        with self.engine.connect() as c:
            known = set(c.scalars(select(D.id).where(D.id.in_(sorted(found)) & D.current.is_(True))))
        orphans = found - known
        if orphans:
            index.delete(sorted(orphans), report.ente if report is not None else None)
        return len(orphans)

    def _count_existing(self) -> None:
        """A store written before the `generations` table: count its documents once."""
        with self.engine.connect() as c:  # the usual case, without taking the write lock
            if c.scalar(select(G.ente).limit(1)) is not None or c.scalar(select(D.id).limit(1)) is None:
                return
        with self._write() as (c, tx):
            if c.scalar(select(G.ente).limit(1)) is not None:
                return
            counted = select(D.ente, func.count()).where(D.current.is_(True)).group_by(D.ente)
            for ente, n in c.execute(counted).all():
                bump(c, ente, n)
            tx.commit()


def _quietly(fn, *args) -> None:
    try:
        fn(*args)
    except Exception:  # cleanup after commit: a leftover is swept by `reconcile`
        pass
