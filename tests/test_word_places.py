"""A Word file's passages are cited where a reader of the Word file finds them (paragraph or
table row, under its headings), in the store, in search hits and in the passages answers quote:
never 'posizione non nota'."""

from __future__ import annotations

import pytest

from conftest import ROOT

DOCX = ROOT / "tests" / "data" / "layouts" / "word-merged.docx"


class _NoIndex:
    """The retrieval index as the store sees it, empty: the test searches lexically."""

    def add(self, chunks, progress=None):
        pass

    def delete(self, document_ids, ente=None):
        pass

    def document_ids(self, where=None):
        return set()


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    from assistant.settings import Settings
    from assistant.workspace import Workspace

    data = tmp_path_factory.mktemp("word") / "data"
    ws = Workspace(Settings(data_dir=data, database_url=f"sqlite:///{data / 'relazione.db'}"), index=_NoIndex())
    ws.ingest_bytes(DOCX.read_bytes(), DOCX.name)
    yield ws
    ws.store.engine.dispose()


def test_word_chunks_keep_their_paragraph_and_headings(workspace):
    chunks = workspace.store.chunks()
    assert chunks and all(c.place and c.label != "posizione non nota" for c in chunks)
    narrative = [c for c in chunks if not c.is_table_caption]
    assert narrative and all(c.label.startswith("paragrafo ") for c in narrative)
    assert any(" (" in c.label and "›" in c.label for c in narrative)  # under a heading path
    assert all(c.label.startswith("tabella ") for c in chunks if c.is_table_caption)


def test_search_hits_and_quoted_passages_cite_the_word_place(workspace):
    from assistant.chat import passage_search
    from assistant.retrieval import SearchFilters

    class Lexical:  # the workspace, searched without the dense index
        def search(self, query, k, **filters):
            return workspace.search(query, k, mode="lexical", **filters)

    hits = workspace.search("ciclo della performance trasparenza", 3, mode="lexical")
    assert hits and all(h.place.startswith("paragrafo ") for h in hits)
    passages = passage_search(Lexical())("ciclo della performance trasparenza", 3, SearchFilters())  # type: ignore[arg-type]
    assert passages and all(p.label.startswith("paragrafo ") for p in passages)


def test_a_store_without_chunk_places_is_migrated(tmp_path):
    from sqlalchemy import text

    from assistant.chunks import chunk_report
    from assistant.store import Store
    from conftest import RELAZIONE_TXT
    from ingest.pipeline import read_path

    url = f"sqlite:///{tmp_path / 'relazione.db'}"
    report = read_path(RELAZIONE_TXT)
    store = Store(url)
    store.save(report, lambda d: chunk_report(report, d), None)
    with store.engine.begin() as conn:
        conn.execute(text("ALTER TABLE chunks DROP COLUMN place"))
    store.engine.dispose()
    reopened = Store(url)
    chunks = reopened.chunks()
    # chunks stored before places were kept are cited by their line, as they were
    assert chunks and all(c.place is None and c.label.startswith("rig") for c in chunks)
    reopened.engine.dispose()
