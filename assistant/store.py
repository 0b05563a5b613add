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
   removes them, and searches only return chunks of documents in the store.
"""

from __future__ import annotations

import threading
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Protocol

from pydantic import BaseModel, ConfigDict
from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    create_engine,
    delete,
    event,
    select,
    text as sql_text,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, defer, mapped_column, sessionmaker

from ingest.model import Report

from .chunks import Chunk

ProgressFn = Callable[[str, int, int], None]


class IndexWriter(Protocol):
    """What the store needs from the retrieval index."""

    def add(self, chunks: list[Chunk], progress: ProgressFn | None = None) -> None: ...

    def delete(self, document_ids: Iterable[str]) -> None: ...

    def document_ids(self) -> set[str]: ...


class _Base(DeclarativeBase):
    pass


class _Document(_Base):
    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    ente: Mapped[str] = mapped_column(String(200), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    title: Mapped[str] = mapped_column(Text)
    source_file: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    source_format: Mapped[str] = mapped_column(String(10))
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    indicators: Mapped[int] = mapped_column(Integer, default=0)
    problems: Mapped[int] = mapped_column(Integer, default=0)
    report_json: Mapped[str] = mapped_column(Text)


class _Chunk(_Base):
    __tablename__ = "chunks"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    document_id: Mapped[str] = mapped_column(String(32), ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    ordinal: Mapped[int] = mapped_column(Integer)
    ente: Mapped[str] = mapped_column(String(200), index=True)
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    section_number: Mapped[str | None] = mapped_column(String(20), nullable=True)
    section_title: Mapped[str] = mapped_column(Text)
    section_path: Mapped[list] = mapped_column(JSON)
    line: Mapped[int | None] = mapped_column(Integer, nullable=True)
    page: Mapped[int | None] = mapped_column(Integer, nullable=True)
    source_file: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    is_table_caption: Mapped[bool] = mapped_column(Boolean, default=False)


class DocumentInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    ente: str
    year: int
    kind: str
    title: str
    source_file: str
    sha256: str
    source_format: str
    synthetic: bool
    ingested_at: datetime
    indicators: int
    problems: int


class SaveResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    document: DocumentInfo
    replaced: tuple[DocumentInfo, ...]
    chunks: int


def _info(row: _Document) -> DocumentInfo:
    return DocumentInfo(
        id=row.id, ente=row.ente, year=row.year, kind=row.kind, title=row.title, source_file=row.source_file,
        sha256=row.sha256, source_format=row.source_format, synthetic=row.synthetic,
        ingested_at=_utc(row.ingested_at), indicators=row.indicators, problems=row.problems,
    )


def _utc(moment: datetime) -> datetime:
    """SQLite hands datetimes back without their zone: they were written in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def _chunk(row: _Chunk) -> Chunk:
    return Chunk(
        id=row.id, document_id=row.document_id, ordinal=row.ordinal, text=row.text, ente=row.ente,
        year=row.year, kind=row.kind, section_number=row.section_number, section_title=row.section_title,
        section_path=tuple(row.section_path or ()), line=row.line, page=row.page, source_file=row.source_file,
        sha256=row.sha256, is_table_caption=row.is_table_caption,
    )


def _engine(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record) -> None:  # pragma: no cover - driver hook
            # the driver would begin a transaction only at the first write, after the reads
            # that decide what to write: transactions are begun below instead
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=120000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn) -> None:  # pragma: no cover - driver hook
            # a writing transaction takes the write lock before its first read
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")

        return engine
    return create_engine(url, pool_pre_ping=True)


_WRITE = "relazione_write"  # execution option of the engine used by writing transactions


def _lock_for_writing(session: Session) -> None:
    """Writers one at a time, readers never blocked: two ingestions of the same document must
    not both find nothing to replace. SQLite's writers take the lock at BEGIN IMMEDIATE;
    PostgreSQL's take a lock on the documents table that only other writers wait for."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sql_text("LOCK TABLE documents IN SHARE ROW EXCLUSIVE MODE"))


class Store:
    def __init__(self, url: str):
        self.url = url
        self.engine = _engine(url)
        _Base.metadata.create_all(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._writes = sessionmaker(self.engine.execution_options(**{_WRITE: True}), expire_on_commit=False)
        self._reports: dict[str, Report] = {}
        self._lock = threading.Lock()

    # -- reading ------------------------------------------------------------------------------

    def documents(self, ente: str | None = None) -> list[DocumentInfo]:
        with self._sessions() as s:
            q = (
                select(_Document)
                .options(defer(_Document.report_json))  # the whole Report is read by `report` only
                .order_by(_Document.ente, _Document.year, _Document.kind, _Document.ingested_at)
            )
            if ente:
                q = q.where(_Document.ente == ente)
            return [_info(r) for r in s.scalars(q)]

    def enti(self) -> list[str]:
        return sorted({d.ente for d in self.documents()})

    def document_ids(self) -> set[str]:
        with self._sessions() as s:
            return set(s.scalars(select(_Document.id)))

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
            row = s.get(_Document, document_id)
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
            q = select(_Chunk).order_by(_Chunk.document_id, _Chunk.ordinal)
            if ente:
                q = q.where(_Chunk.ente == ente)
            return [_chunk(r) for r in s.scalars(q)]

    def generation(self) -> str:
        """Changes whenever a document is added or removed (for caches built on the store).

        One small query on the document ids (every ingestion makes a new id), cheap enough
        to run before each search."""
        ids = sorted(self.document_ids())
        return f"{len(ids)}:" + ",".join(ids)

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
                _lock_for_writing(s)
                replaced_rows = list(
                    s.scalars(
                        select(_Document).where(
                            (_Document.sha256 == report.sha256)
                            | (
                                (_Document.ente == report.ente)
                                & (_Document.year == report.year)
                                & (_Document.kind == report.kind)
                            )
                        )
                    )
                )
                replaced = tuple(_info(r) for r in replaced_rows)
                old_ids = [r.id for r in replaced_rows]
                if old_ids:
                    s.execute(delete(_Chunk).where(_Chunk.document_id.in_(old_ids)))
                    s.execute(delete(_Document).where(_Document.id.in_(old_ids)))
                row = _Document(
                    id=document_id, ente=report.ente, year=report.year, kind=report.kind, title=report.title,
                    source_file=report.source_file, sha256=report.sha256, source_format=report.source_format,
                    synthetic=report.synthetic, ingested_at=now, indicators=report.indicator_rows(),
                    problems=len(report.problems), report_json=report.model_dump_json(),
                )
                s.add(row)
                s.flush()
                s.add_all(
                    _Chunk(
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
            info = _info(row)
        if index is not None and old_ids:
            _quietly(index.delete, old_ids)
        with self._lock:
            for old in old_ids:
                self._reports.pop(old, None)
        return SaveResult(document=info, replaced=replaced, chunks=len(chunks))

    def remove(self, document_id: str, index: IndexWriter | None) -> DocumentInfo:
        with self._writes() as s:
            _lock_for_writing(s)
            row = s.get(_Document, document_id)
            if row is None:
                raise KeyError(document_id)
            info = _info(row)
            s.execute(delete(_Chunk).where(_Chunk.document_id == document_id))
            s.delete(row)
            s.commit()
        if index is not None:
            _quietly(index.delete, [document_id])
        with self._lock:
            self._reports.pop(document_id, None)
        return info

    def reconcile(self, index: IndexWriter) -> int:
        """Remove index entries whose document is not in the store; return how many documents."""
        orphans = index.document_ids() - self.document_ids()
        if orphans:
            index.delete(sorted(orphans))
        return len(orphans)


def _quietly(fn, *args) -> None:
    try:
        fn(*args)
    except Exception:  # cleanup after commit: a leftover is swept by `reconcile`
        pass
