"""Versions, not overwrites: every ingested version is kept and one is current; a new version
that would lose data is refused (one line) unless the user says --replace; the same file again
is a no-op; an earlier version can be made current again; everything that reads the store sees
the current versions only. Each case on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

import damaged
from conftest import RELAZIONE_TXT, run_cli
from damaged import mutated

TEXT = RELAZIONE_TXT.read_text(encoding="utf-8")
NAME = RELAZIONE_TXT.name


class MemoryIndex:
    """The retrieval index as the store sees it (`IndexWriter`), kept in memory."""

    def __init__(self):
        self.chunks: dict[str, set[str]] = {}

    def add(self, chunks, progress=None):
        for c in chunks:
            self.chunks.setdefault(c.document_id, set()).add(c.id)

    def delete(self, document_ids, ente=None):
        for d in document_ids:
            self.chunks.pop(d, None)

    def document_ids(self, where=None):
        return set(self.chunks)

    def ids(self) -> set[str]:
        return {c for ids in self.chunks.values() for c in ids}


@pytest.fixture
def ws(store_url, tmp_path):
    """A workspace on the store under test holding the Relazione (128 indicators)."""
    from assistant.settings import Settings
    from assistant.workspace import Workspace

    workspace = Workspace(Settings(data_dir=tmp_path / "data", database_url=store_url), index=MemoryIndex())
    workspace.ingest_bytes(TEXT.encode("utf-8"), NAME)
    yield workspace
    workspace.store.engine.dispose()


@pytest.fixture(scope="module")
def sqlite_ws(tmp_path_factory):
    """One workspace on SQLite holding the Relazione, for the property test's examples."""
    from assistant.settings import Settings
    from assistant.workspace import Workspace

    data = tmp_path_factory.mktemp("mutations") / "data"
    workspace = Workspace(Settings(data_dir=data, database_url=f"sqlite:///{data / 'relazione.db'}"), index=MemoryIndex())
    workspace.ingest_bytes(TEXT.encode("utf-8"), NAME)
    yield workspace
    workspace.store.engine.dispose()


def state(ws) -> tuple:
    store = ws.store
    return (
        [(d.id, d.current) for d in store.documents(history=True)],
        sorted(c.id for c in store.chunks()),
        store.generation(),
        ws.index.ids(),
    )


def agree(ws) -> None:
    """Store and index hold the current versions' chunks, nothing else."""
    current = {d.id for d in ws.store.documents()}
    assert {c.document_id for c in ws.store.chunks()} == current == set(ws.index.chunks)
    assert {c.id for c in ws.store.chunks()} == ws.index.ids()


def test_a_copy_cut_at_30_percent_does_not_replace_the_good_one(ws):
    from assistant.versions import VersionConflict

    before = state(ws)
    with pytest.raises(VersionConflict) as refused:
        ws.ingest_bytes(damaged.cut(0.3).encode("utf-8"), NAME, allow_partial=True)
    message = str(refused.value)
    assert "\n" not in message and "11 indicatori contro i 128 della versione in archivio" in message
    assert "--replace" in message
    assert state(ws) == before
    assert len(ws.view(2019).report.indicators()) == 128


DAMAGED = {
    "cut at 30%": lambda report: damaged.cut(0.3),
    "number cells as text": lambda report: damaged.number_cells_as_text(),
    "two columns swapped": lambda report: damaged.columns_swapped(),
    "a table duplicated": damaged.duplicated_table,
    "a fake row": lambda report: damaged.fake_row(report)[0],
}


@pytest.mark.parametrize("allow_partial", [False, True], ids=["plain", "allow-partial"])
def test_every_damaged_copy_is_refused_and_the_good_one_stays(ws, relazione_txt, allow_partial):
    """Issue 12's copies, each refused in one line (as incomplete, impossible or losing data
    against the version in the archive, even when a partial document is allowed); the store,
    its generation and the index stay as they were, the Relazione keeps its 128 indicators."""
    from ingest.errors import IngestError

    before = state(ws)
    for what, make in DAMAGED.items():
        with pytest.raises(IngestError) as refused:
            ws.ingest_bytes(make(relazione_txt).encode("utf-8"), NAME, allow_partial=allow_partial)
        assert "\n" not in str(refused.value) and str(refused.value).startswith(NAME), what
        assert state(ws) == before, what
    assert len(ws.view(2019).report.indicators()) == 128
    agree(ws)


def test_a_duplicated_table_or_a_fake_row_brings_new_findings_and_is_refused(ws, relazione_txt):
    from assistant.versions import VersionConflict

    before = state(ws)
    copies = ((damaged.duplicated_table(relazione_txt), "stampato più volte"),
              (damaged.fake_row(relazione_txt)[0], "sommano a 200,00%"))
    for text, what in copies:
        with pytest.raises(VersionConflict) as refused:
            ws.ingest_bytes(text.encode("utf-8"), NAME)
        assert "rilievi nuovi" in str(refused.value) or "rilievo nuovo" in str(refused.value)
        assert any(what in m for m in refused.value.comparison.new_findings)
    assert state(ws) == before


def test_replace_keeps_the_earlier_version_and_restore_brings_it_back(ws, relazione_txt):
    good = ws.store.documents()[0]
    outcome = ws.ingest_bytes(damaged.duplicated_table(relazione_txt).encode("utf-8"), NAME, replace=True)
    assert [r.id for r in outcome.replaced] == [good.id] and outcome.comparison.new_findings
    assert len(ws.view(2019).report.indicators()) > 128
    history = ws.documents(history=True)
    assert [(d.id, d.current) for d in history] == [(good.id, False), (outcome.document.id, True)]
    agree(ws)
    restored = ws.restore(good.sha256[:12])
    assert restored.document.id == good.id and [r.id for r in restored.replaced] == [outcome.document.id]
    assert len(ws.view(2019).report.indicators()) == 128
    assert [d.id for d in ws.documents()] == [good.id]
    agree(ws)
    assert ws.restore(good.id).unchanged


def test_the_same_file_again_is_a_no_op(ws):
    before = state(ws)
    outcome = ws.ingest_bytes(TEXT.encode("utf-8"), NAME)
    assert outcome.unchanged and not outcome.replaced
    assert state(ws) == before


def test_a_better_version_replaces_without_asking(ws):
    """More (or the same) indicators, every objective, no new finding: a plain new version."""
    better = TEXT.replace("Relazione sulla performance 2019", "Relazione sulla performance 2019 (versione approvata)", 1)
    outcome = ws.ingest_bytes(better.encode("utf-8"), NAME)
    assert outcome.replaced and outcome.comparison.acceptable
    assert len(ws.documents(history=True)) == 2 and len(ws.documents()) == 1


def test_removing_the_current_version_leaves_the_history(ws, relazione_txt):
    good = ws.store.documents()[0]
    newer = ws.ingest_bytes(damaged.duplicated_table(relazione_txt).encode("utf-8"), NAME, replace=True).document
    ws.remove(newer.id)
    assert ws.store.documents() == [] and ws.store.enti() == []
    assert [d.id for d in ws.documents(history=True)] == [good.id]
    ws.restore(good.id)
    assert [d.id for d in ws.documents()] == [good.id]
    agree(ws)


def test_search_and_answers_see_the_current_version_only(ws):
    from assistant.chat import Assistant

    assistant = Assistant(ws)
    assert "128" in assistant.ask("Quanti indicatori ci sono nel 2019?").answer
    good = ws.store.documents()[0]
    partial = ws.ingest_bytes(damaged.cut(0.3).encode("utf-8"), NAME, allow_partial=True, replace=True)
    hits = ws.search("Relazione sulla performance", 5, mode="lexical")
    assert hits and {h.document_id for h in hits} == {partial.document.id}
    assert "128" not in assistant.ask("Quanti indicatori ci sono nel 2019?").answer  # the answer cache followed
    ws.restore(good.id)
    assert {h.document_id for h in ws.search("Relazione sulla performance", 5, mode="lexical")} == {good.id}
    assert "128" in assistant.ask("Quanti indicatori ci sono nel 2019?").answer


def test_a_store_of_an_earlier_release_opens_and_is_migrated(store_url, relazione_txt):
    """The `current` column is added in place; every document of an older store is current."""
    from sqlalchemy import text

    from assistant.chunks import chunk_report
    from assistant.store import Store

    store = Store(store_url)
    doc = store.save(relazione_txt, lambda d: chunk_report(relazione_txt, d), None).document
    with store.engine.begin() as conn:
        conn.execute(text("DROP INDEX IF EXISTS ix_documents_current"))
        conn.execute(text("ALTER TABLE documents DROP COLUMN current"))
    store.engine.dispose()
    reopened = Store(store_url)
    assert [(d.id, d.current) for d in reopened.documents()] == [(doc.id, True)]
    assert reopened.report(doc.id) == relazione_txt and reopened.chunks()
    reopened.engine.dispose()


@pytest.mark.model  # the CLI indexes what it stores
def test_cli_refuses_replaces_lists_and_restores(tmp_path, relazione_txt):
    from assistant.chunks import chunk_report
    from assistant.store import Store

    data = tmp_path / "data"
    store = Store(f"sqlite:///{data / 'relazione.db'}")
    good = store.save(relazione_txt, lambda d: chunk_report(relazione_txt, d), None).document
    store.engine.dispose()
    env = {"RELAZIONE_DATA_DIR": str(data)}
    cut = tmp_path / NAME
    cut.write_text(damaged.cut(0.3), encoding="utf-8")

    refused = run_cli("ingest", str(cut), "--allow-partial", env=env)
    assert refused.returncode == 1
    [line] = refused.stderr.strip().splitlines()
    assert line.startswith("Errore: ") and "11 indicatori contro i 128 della versione in archivio" in line

    replaced = run_cli("ingest", str(cut), "--allow-partial", "--replace", env=env)
    assert replaced.returncode == 0, replaced.stderr
    assert "resta nello storico" in replaced.stdout

    history = run_cli("documents", "--history", "--format", "json", env=env)
    versions = __import__("json").loads(history.stdout)["documents"]
    assert [(v["version"], v["current"], v["indicators"]) for v in versions] == [(1, False, 128), (2, True, 11)]

    restored = run_cli("restore", good.sha256[:12], env=env)
    assert restored.returncode == 0, restored.stderr and "Ripristinata" in restored.stdout
    indicators = run_cli("indicators", "--format", "json", env=env)
    assert len(__import__("json").loads(indicators.stdout)["indicators"]) == 128


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=mutated())
def test_a_mutated_copy_is_refused_or_leaves_complete_current_versions(sqlite_ws, relazione_txt, text):
    """Property (issue 12): any mutation of the corpus text ingested over the good version is
    refused in one line, or leaves current versions that are complete, with the Relazione 2019
    holding at least its 128 indicators; store and index agree; never a traceback."""
    from ingest.errors import IngestError
    from ingest.validate import validate

    try:
        sqlite_ws.ingest_bytes(text.encode("utf-8"), NAME)
    except IngestError as exc:
        assert "\n" not in str(exc)
    for doc in sqlite_ws.store.documents():
        report = sqlite_ws.store.report(doc.id)
        assert validate(report, 2025).complete, doc
        if (doc.ente, doc.year, doc.kind) == (relazione_txt.ente, 2019, "relazione"):
            assert len(report.indicators()) >= 128
    agree(sqlite_ws)
