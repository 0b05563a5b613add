"""The SQL side of the store: the tables (documents, their chunks, the per-Ente generations),
the engine (SQLite with WAL and writers that lock at BEGIN; any other SQLAlchemy URL), the
write lock, and the typed records read from rows. `assistant.store.Store` uses them."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from pathlib import Path

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
    event,
    inspect,
    text as sql_text,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from .chunks import Chunk


class Base(DeclarativeBase):
    pass


class DocumentRow(Base):
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
    # every ingested version of an Ente, year and kind is kept; one is current (what is read)
    current: Mapped[bool] = mapped_column(Boolean, default=True, index=True)


class ChunkRow(Base):
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


class GenerationRow(Base):
    """One row per Ente (and `ALL` for the whole store): a token that changes with every write
    and the number of documents, kept in the writing transaction."""

    __tablename__ = "generations"

    ente: Mapped[str] = mapped_column(String(200), primary_key=True)
    token: Mapped[str] = mapped_column(String(32))
    documents: Mapped[int] = mapped_column(Integer, default=0)


ALL = ""  # the generations row of the whole store


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
    current: bool = True


class SaveResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    document: DocumentInfo
    replaced: tuple[DocumentInfo, ...]  # the versions that were current and are no longer
    chunks: int
    unchanged: bool = False  # the same file (sha256) was already the current version: nothing written


def document_info(row: DocumentRow) -> DocumentInfo:
    return DocumentInfo(
        id=row.id, ente=row.ente, year=row.year, kind=row.kind, title=row.title, source_file=row.source_file,
        sha256=row.sha256, source_format=row.source_format, synthetic=row.synthetic,
        ingested_at=as_utc(row.ingested_at), indicators=row.indicators, problems=row.problems,
        current=bool(row.current),
    )


def as_utc(moment: datetime) -> datetime:
    """SQLite hands datetimes back without their zone: they were written in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def chunk_of(row: ChunkRow) -> Chunk:
    return Chunk(
        id=row.id, document_id=row.document_id, ordinal=row.ordinal, text=row.text, ente=row.ente,
        year=row.year, kind=row.kind, section_number=row.section_number, section_title=row.section_title,
        section_path=tuple(row.section_path or ()), line=row.line, page=row.page, source_file=row.source_file,
        sha256=row.sha256, is_table_caption=row.is_table_caption,
    )


def migrate(engine: Engine) -> None:
    """Bring a store written by an earlier release up to this schema, in place: the `current`
    flag of the versions (every document of an older store is current: it kept one per Ente,
    year and kind)."""
    columns = {c["name"] for c in inspect(engine).get_columns("documents")}
    if "current" in columns:
        return
    default = "1" if engine.dialect.name == "sqlite" else "TRUE"
    with engine.begin() as conn:
        conn.exec_driver_sql(f"ALTER TABLE documents ADD COLUMN current BOOLEAN NOT NULL DEFAULT {default}")
        conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_documents_current ON documents (current)")


def make_engine(url: str) -> Engine:
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
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE) else "BEGIN")

        return engine
    return create_engine(url, pool_pre_ping=True)


WRITE = "relazione_write"  # execution option of the engine used by writing transactions


def lock_for_writing(session: Session) -> None:
    """Writers one at a time, readers never blocked: two ingestions of the same document must
    not both find nothing to replace. SQLite's writers take the lock at BEGIN IMMEDIATE;
    PostgreSQL's take a lock on the documents table that only other writers wait for."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sql_text("LOCK TABLE documents IN SHARE ROW EXCLUSIVE MODE"))


def bump(session: Session, ente: str, documents: int) -> None:
    """A new token for `ente` and for the whole store, and their document counts moved by
    `documents`, inside the caller's writing transaction (which holds the write lock)."""
    for key, delta in ((ente, documents), (ALL, documents)):
        row = session.get(GenerationRow, key)
        if row is None:
            row = GenerationRow(ente=key, token="", documents=0)
            session.add(row)
        row.token = uuid.uuid4().hex
        row.documents = (row.documents or 0) + delta
