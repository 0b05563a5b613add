"""Store and index stay consistent: re-ingestion, a failing index, a failed commit, a crash
between the index write and the commit, and removal. Real Chroma (embedded and server); the
faults are injected into the real objects, nothing is mocked."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import event
from typer.testing import CliRunner

from assistant.chunks import chunk_report
from assistant.cli import app
from assistant.index import ChromaIndex
from assistant.retrieval import MODES
from assistant.workspace import Workspace
from conftest import PIANO_TXT, RELAZIONE_TXT

pytestmark = pytest.mark.model

# a new version of the Piano: the same text, other bytes (another sha256)
NEWER_PIANO = PIANO_TXT.read_bytes() + b"\n"


class FailingIndex(ChromaIndex):
    """A real ChromaIndex whose `add` writes half of the chunks and then fails."""

    written = 0

    def add(self, chunks, progress=None):
        half = chunks[: max(1, len(chunks) // 2)]
        super().add(half, progress)
        self.written += len(half)
        raise RuntimeError("guasto simulato dell'indice")


def state(ws: Workspace) -> tuple[set[str], set[str], set[str]]:
    """(document ids in SQL, chunk ids in SQL, chunk ids in Chroma)."""
    chroma = ws.index.chunk_ids()
    return {d.id for d in ws.store.documents()}, {c.id for c in ws.store.chunks()}, chroma


def assert_consistent(ws: Workspace) -> None:
    docs, sql_chunks, chroma = state(ws)
    assert sql_chunks == chroma
    assert {c.split(":")[0] for c in sql_chunks} <= docs


def test_ingest_writes_store_and_index_with_progress(fresh_settings):
    ws = Workspace(fresh_settings)
    stages = []
    outcome = ws.ingest(PIANO_TXT, progress=lambda stage, done, total: stages.append(stage))
    assert "indicizzazione" in stages and "lettura testo" in stages
    docs, sql_chunks, chroma = state(ws)
    assert docs == {outcome.document.id}
    assert len(sql_chunks) == outcome.chunks > 0
    assert_consistent(ws)


def test_a_new_version_replaces_the_indexed_chunks_and_the_same_file_changes_nothing(fresh_settings):
    ws = Workspace(fresh_settings)
    first = ws.ingest(PIANO_TXT)
    _, old_chunks, _ = state(ws)
    query = "documento sintetico di prova"
    assert {h.document_id for h in ws.search(query, 5)} == {first.document.id}
    again = ws.ingest(PIANO_TXT)
    assert again.unchanged and state(ws) == ({first.document.id}, old_chunks, old_chunks)
    second = ws.ingest_bytes(NEWER_PIANO, PIANO_TXT.name)
    # the in-process lexical catalog follows the store
    assert {h.document_id for h in ws.search(query, 5)} == {second.document.id}
    assert [r.id for r in second.replaced] == [first.document.id]
    docs, new_chunks, chroma = state(ws)
    assert docs == {second.document.id}
    assert len(new_chunks) == len(old_chunks) == second.chunks
    assert not new_chunks & old_chunks and not chroma & old_chunks
    assert_consistent(ws)


def test_an_index_failing_mid_ingest_leaves_store_and_index_as_before(fresh_settings):
    ws = Workspace(fresh_settings)
    ws.ingest(PIANO_TXT)
    before = state(ws)
    failing = FailingIndex(fresh_settings)
    broken = Workspace(fresh_settings, index=failing)
    with pytest.raises(RuntimeError, match="guasto simulato"):
        broken.ingest_bytes(NEWER_PIANO, PIANO_TXT.name)  # a new version: the current one must survive
    with pytest.raises(RuntimeError, match="guasto simulato"):
        broken.ingest(RELAZIONE_TXT)  # a new document
    assert failing.written > 0  # the index really was half-written each time
    assert state(ws) == before


def test_a_failed_commit_leaves_store_and_index_as_before(fresh_settings):
    ws = Workspace(fresh_settings)
    ws.ingest(PIANO_TXT)
    before = state(ws)

    def fail_commit(conn):
        raise RuntimeError("commit fallito (simulato)")

    event.listen(ws.store.engine, "commit", fail_commit)  # only writes commit; reads roll back
    try:
        with pytest.raises(RuntimeError, match="commit fallito"):
            ws.ingest_bytes(NEWER_PIANO, PIANO_TXT.name)
    finally:
        event.remove(ws.store.engine, "commit", fail_commit)
    assert state(ws) == before


def test_chunks_left_by_a_crash_before_commit_are_invisible_and_reconciled(fresh_settings):
    ws = Workspace(fresh_settings)
    outcome = ws.ingest(PIANO_TXT)
    before = state(ws)
    # what a crash between the index write and the commit leaves: the chunks of a document
    # the store never got (here the same text again, which dense search would rank equally)
    orphan = uuid.uuid4().hex
    ws.index.add(chunk_report(ws.parse(PIANO_TXT), orphan))
    assert orphan in ws.index.document_ids()
    for mode in MODES:
        hits = ws.search("documento sintetico di prova per il confronto tra Piano e Relazione", 10, mode=mode)
        assert hits, mode
        assert {h.document_id for h in hits} == {outcome.document.id}, mode
    assert ws.store.reconcile(ws.index) == 1
    assert state(ws) == before


def test_cli_remove_removes_document_and_chunks(fresh_settings, cli_env):
    ws = Workspace(fresh_settings)
    kept = ws.ingest(RELAZIONE_TXT)
    removed = ws.ingest(PIANO_TXT)
    cli_env(fresh_settings)
    runner = CliRunner()
    result = runner.invoke(app, ["remove", removed.document.sha256[:12]])
    assert result.exit_code == 0, result.output
    assert "Rimosso piano-performance-2019-2021-ravenna-SINTETICO.txt" in result.stdout
    docs, sql_chunks, chroma = state(ws)
    assert docs == {kept.document.id}
    assert all(c.startswith(kept.document.id + ":") for c in chroma)
    assert_consistent(ws)
    result = runner.invoke(app, ["remove", "relazione-performance-2019-ravenna.txt"])
    assert result.exit_code == 0, result.output
    assert state(ws) == (set(), set(), set())
    result = runner.invoke(app, ["remove", "relazione-performance-2019-ravenna.txt"])
    assert result.exit_code == 1
    assert result.stderr.strip().startswith("Errore: nessun documento") and len(result.stderr.strip().splitlines()) == 1
