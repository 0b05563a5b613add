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
    Column,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine

from .chunks import Chunk

# SQLAlchemy Core, not the ORM: the store reads and writes whole rows by key and never needs
# an identity map, and `sqlalchemy.orm` (with its declarative mapping) costs every process
# about a tenth of a second at start (bench/startup.py)
metadata = MetaData()

documents = Table(
    "documents", metadata,
    Column("id", String(32), primary_key=True),
    Column("ente", String(200), index=True, nullable=False),
    Column("year", Integer, index=True, nullable=False),
    Column("kind", String(20), index=True, nullable=False),
    Column("title", Text, nullable=False),
    Column("source_file", String(500), nullable=False),
    Column("sha256", String(64), index=True, nullable=False),
    Column("source_format", String(10), nullable=False),
    Column("synthetic", Boolean, default=False, nullable=False),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    Column("indicators", Integer, default=0, nullable=False),
    Column("problems", Integer, default=0, nullable=False),
    Column("report_json", Text, nullable=False),
    # every ingested version of an Ente, year and kind is kept; one is current (what is read)
    Column("current", Boolean, default=True, index=True, nullable=False),
)

chunks = Table(
    "chunks", metadata,
    Column("id", String(64), primary_key=True),
    Column("document_id", String(32), ForeignKey("documents.id", ondelete="CASCADE"), index=True, nullable=False),
    Column("ordinal", Integer, nullable=False),
    Column("ente", String(200), index=True, nullable=False),
    Column("year", Integer, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("text", Text, nullable=False),
    Column("section_number", String(20), nullable=True),
    Column("section_title", Text, nullable=False),
    Column("section_path", JSON, nullable=False),
    Column("line", Integer, nullable=True),
    Column("page", Integer, nullable=True),
    Column("place", Text, nullable=True),  # Chunk.place
    Column("source_file", String(500), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("is_table_caption", Boolean, default=False, nullable=False),
)

# One row per Ente (and `ALL` for the whole store): a token that changes with every write and
# the number of documents, kept in the writing transaction.
generations = Table(
    "generations", metadata,
    Column("ente", String(200), primary_key=True),
    Column("token", String(32), nullable=False),
    Column("documents", Integer, default=0, nullable=False),
)
# what a document list reads: every column but the whole Report
DOCUMENT_COLUMNS = [c for c in documents.c if c.name != "report_json"]

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


def document_info(row) -> DocumentInfo:
    """The record of a `documents` row (any selection of its columns but the Report)."""
    return DocumentInfo(
        id=row.id, ente=row.ente, year=row.year, kind=row.kind, title=row.title, source_file=row.source_file,
        sha256=row.sha256, source_format=row.source_format, synthetic=row.synthetic,
        ingested_at=as_utc(row.ingested_at), indicators=row.indicators, problems=row.problems,
        current=bool(row.current),
    )


def as_utc(moment: datetime) -> datetime:
    """SQLite hands datetimes back without their zone: they were written in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def chunk_of(row) -> Chunk:
    return Chunk(
        id=row.id, document_id=row.document_id, ordinal=row.ordinal, text=row.text, ente=row.ente,
        year=row.year, kind=row.kind, section_number=row.section_number, section_title=row.section_title,
        section_path=tuple(row.section_path or ()), line=row.line, page=row.page, place=row.place,
        source_file=row.source_file, sha256=row.sha256, is_table_caption=row.is_table_caption,
    )


def migrate(engine: Engine) -> None:
    """Bring a store written by an earlier release up to this schema, in place: the `current`
    flag of the versions (every document of an older store is current: it kept one per Ente,
    year and kind), and the chunks' `place` (empty in older chunks: their line or page is cited)."""
    if "place" not in {c["name"] for c in inspect(engine).get_columns("chunks")}:
        with engine.begin() as conn:
            conn.exec_driver_sql("ALTER TABLE chunks ADD COLUMN place TEXT")
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


def lock_for_writing(conn: Connection) -> None:
    """Writers one at a time, readers never blocked: two ingestions of the same document must
    not both find nothing to replace. SQLite's writers take the lock at BEGIN IMMEDIATE;
    PostgreSQL's take a lock on the documents table that only other writers wait for."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("LOCK TABLE documents IN SHARE ROW EXCLUSIVE MODE")


def bump(conn: Connection, ente: str, delta: int) -> None:
    """A new token for `ente` and for the whole store, and their document counts moved by
    `delta`, inside the caller's writing transaction (which holds the write lock)."""
    g = generations.c
    for key in (ente, ALL):
        count = conn.scalar(select(g.documents).where(g.ente == key))
        if count is None:
            conn.execute(insert(generations).values(ente=key, token=uuid.uuid4().hex, documents=delta))
        else:
            conn.execute(update(generations).where(g.ente == key).values(token=uuid.uuid4().hex, documents=count + delta))
