"""Flat with scale: an ingestion touches its own document's slot and its own Ente's caches;
a question reads one generation token, never the documents table of the whole store.
(bench/scale.py measures the same on 1 to 200 documents.)"""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import event, text

from assistant import retrieval, store as store_module
from assistant.chunks import chunk_report
from assistant.retrieval import SearchFilters
from assistant.settings import Settings
from assistant.store import REPORT_CACHE, Store
from assistant.workspace import Workspace


def other_ente(report, name: str, year: int | None = None):
    """The same report as if another Camera (and year) had printed it."""
    year = year or report.year
    digest = hashlib.sha256(f"{report.sha256}:{name}:{year}".encode()).hexdigest()
    return report.model_copy(update={"ente": f"Camera di commercio di {name}", "sha256": digest, "year": year})


def save(store: Store, report, index=None):
    return store.save(report, lambda doc_id: chunk_report(report, doc_id), index)


class RecordingIndex:
    """An index that records what the store asks of it; `where` filters are matched on the
    metadata of the chunks it holds (enough of Chroma's syntax for the store's filters)."""

    def __init__(self):
        self.chunks: dict[str, dict] = {}
        self.asked: list[dict | None] = []

    def add(self, chunks, progress=None):
        self.chunks.update({c.id: c.metadata() for c in chunks})

    def delete(self, document_ids, ente=None):
        gone = set(document_ids)
        self.chunks = {k: m for k, m in self.chunks.items() if m["document_id"] not in gone}

    def document_ids(self, where=None):
        self.asked.append(where)
        return {m["document_id"] for m in self.chunks.values() if where is None or _matches(m, where)}


def _matches(meta: dict, where: dict) -> bool:
    if "$or" in where:
        return any(_matches(meta, w) for w in where["$or"])
    if "$and" in where:
        return all(_matches(meta, w) for w in where["$and"])
    return all(meta.get(k) == v for k, v in where.items())


def test_each_ente_has_its_own_generation(store_url, relazione_txt):
    store = Store(store_url)
    assert store.enti() == [] and store.generation("Camera di commercio di Parma") == store.generation()
    parma, lecco = other_ente(relazione_txt, "Parma"), other_ente(relazione_txt, "Lecco")
    save(store, parma)
    before_parma, before_all = store.generation(parma.ente), store.generation()
    save(store, lecco)
    assert store.generation(parma.ente) == before_parma  # Lecco's ingestion leaves Parma's caches valid
    assert store.generation() != before_all
    lecco_gen = store.generation(lecco.ente)
    # a new version (another file) replaces: one current document, a new generation
    again = save(store, lecco.model_copy(update={"sha256": "0" * 64}))
    assert store.generation(lecco.ente) != lecco_gen
    assert store.enti() == sorted([parma.ente, lecco.ente])
    store.remove(again.document.id, None)
    assert store.enti() == [parma.ente]
    assert store.generation(parma.ente) == before_parma


def test_a_store_written_before_the_generations_table_is_counted_once(store_url, relazione_txt):
    store = Store(store_url)
    save(store, other_ente(relazione_txt, "Parma"))
    save(store, other_ente(relazione_txt, "Parma", 2018))
    with store.engine.begin() as conn:
        conn.execute(text("DROP TABLE generations"))
    store.engine.dispose()
    reopened = Store(store_url)
    assert reopened.enti() == ["Camera di commercio di Parma"]
    with reopened.engine.connect() as conn:
        assert conn.execute(text("SELECT documents FROM generations WHERE ente = ''")).scalar() == 2


def test_reconcile_sweeps_one_documents_slot_only(tmp_path, relazione_txt):
    index = RecordingIndex()
    store = Store(f"sqlite:///{tmp_path / 'relazione.db'}")
    parma, lecco = other_ente(relazione_txt, "Parma"), other_ente(relazione_txt, "Lecco")
    # what crashes left: chunks of documents the store never got, one in Parma's slot
    index.add(chunk_report(parma, "a" * 32))
    index.add(chunk_report(lecco, "b" * 32))
    kept = save(store, parma, index).document
    index.asked.clear()
    assert store.reconcile(index, parma) == 1
    assert {m["document_id"] for m in index.chunks.values()} == {kept.id, "b" * 32}
    assert index.asked and None not in index.asked  # the slot was asked for, never the whole index


def test_ingest_never_lists_the_whole_index(tmp_path):
    from conftest import RELAZIONE_TXT

    index = RecordingIndex()
    ws = Workspace(Settings(data_dir=tmp_path / "data"), index=index)
    ws.ingest(RELAZIONE_TXT)
    ws.ingest(RELAZIONE_TXT)
    assert index.asked and None not in index.asked


def test_reports_cache_is_bounded(tmp_path, relazione_txt, monkeypatch):
    assert REPORT_CACHE >= 16  # the bound itself; the test runs with a small one
    monkeypatch.setattr(store_module, "REPORT_CACHE", 4)
    store = Store(f"sqlite:///{tmp_path / 'relazione.db'}")
    ids = [save(store, other_ente(relazione_txt, "Parma", 2000 + n)).document.id for n in range(4 + 3)]
    for doc_id in ids:
        store.report(doc_id)
    assert len(store._reports) == 4
    assert ids[-1] in store._reports and ids[0] not in store._reports


def test_an_ingestion_rebuilds_only_its_entes_bm25_catalog(tmp_path, relazione_txt):
    store = Store(f"sqlite:///{tmp_path / 'relazione.db'}")
    parma, lecco = other_ente(relazione_txt, "Parma"), other_ente(relazione_txt, "Lecco")
    save(store, parma)
    save(store, lecco)
    catalogs = {e: retrieval._catalog(store, e) for e in (parma.ente, lecco.ente)}
    save(store, other_ente(relazione_txt, "Lecco", 2018))
    assert retrieval._catalog(store, parma.ente) is catalogs[parma.ente]
    assert retrieval._catalog(store, lecco.ente) is not catalogs[lecco.ente]
    assert len(retrieval._catalogs) <= retrieval.CATALOGS


def _statements(store: Store, run) -> list[str]:
    seen: list[str] = []

    def record(conn, cursor, statement, *args):
        seen.append(" ".join(statement.split()))

    event.listen(store.engine, "before_cursor_execute", record)
    try:
        run()
    finally:
        event.remove(store.engine, "before_cursor_execute", record)
    return seen


def test_a_question_reads_no_more_as_other_entes_arrive(tmp_path, relazione_txt):
    from assistant.chat import Assistant

    ws = Workspace(Settings(data_dir=tmp_path / "data"), index=None)
    parma = other_ente(relazione_txt, "Parma")
    save(ws.store, parma)
    assistant = Assistant(ws)
    question = "Qual è il grado di raggiungimento dell'Ente?"
    assistant.ask(question, ente=parma.ente)  # builds the view once
    few = _statements(ws.store, lambda: assistant.ask(question, ente=parma.ente))
    for n, name in enumerate(("Lecco", "Como", "Lodi", "Pavia", "Siena")):
        save(ws.store, other_ente(relazione_txt, name, 2015 + n))
    many = _statements(ws.store, lambda: assistant.ask(question, ente=parma.ente))
    assert len(many) == len(few)
    # the documents table is not read by a question on a known Ente: one token says nothing changed
    assert not [s for s in many if "FROM documents" in s], many


def test_views_are_kept_until_their_ente_changes(tmp_path, relazione_txt):
    ws = Workspace(Settings(data_dir=tmp_path / "data"), index=None)
    parma, lecco = other_ente(relazione_txt, "Parma"), other_ente(relazione_txt, "Lecco")
    save(ws.store, parma)
    view = ws.view(ente=parma.ente)
    assert ws.view(ente=parma.ente) is view
    save(ws.store, lecco)
    assert ws.view(ente=parma.ente) is view
    save(ws.store, other_ente(relazione_txt, "Parma", 2018))
    assert ws.view(2019, parma.ente) is not view
    assert ws.view(2019, parma.ente) == view  # rebuilt from the same documents


def test_a_question_reads_the_generation_and_the_enti_once(tmp_path, relazione_txt):
    """However many passages an answer looks up (a cause per indicator below target), one
    question pins one view of the store: `enti()` and `generation()` are read once each."""
    from assistant.chat import Assistant

    ws = Workspace(Settings(data_dir=tmp_path / "data"), index=None)
    save(ws.store, relazione_txt)
    assistant = Assistant(ws)
    question = "Qual è il grado di raggiungimento dell'Ente?"
    assistant.ask(question)
    with ws.store.pinned():
        statements = _statements(ws.store, lambda: [ws.store.enti(), ws.store.generation(), ws.store.enti(),
                                                    ws.store.generation()])
    selects = [s for s in statements if s.startswith("SELECT")]
    assert len(selects) == 2, statements
    unpinned = _statements(ws.store, lambda: [ws.store.enti(), ws.store.enti()])
    assert len([s for s in unpinned if s.startswith("SELECT")]) == 2  # outside a unit of work every call reads
    asked = _statements(ws.store, lambda: assistant.ask(question))
    assert sum("FROM generations" in s for s in asked) <= 2, asked


# -- the index: one Chroma collection per Ente ------------------------------------------------


def _spy(index) -> list[str]:
    """Record the Ente of every collection the index opens, and '*' when it lists them all."""
    touched: list[str] = []
    collection, list_all = index.collection, index.client.list_collections
    index.collection = lambda ente, create=False: touched.append(ente) or collection(ente, create)
    index.client.list_collections = lambda *a, **kw: touched.append("*") or list_all(*a, **kw)
    return touched


@pytest.mark.model
def test_an_ingestion_touches_only_its_entes_collection(fresh_settings, relazione_txt):
    ws = Workspace(fresh_settings)
    parma, lecco = other_ente(relazione_txt, "Parma"), other_ente(relazione_txt, "Lecco")
    ws.ingest_report(parma)
    parma_ids = ws.index.collection(parma.ente).get(include=[])["ids"]
    touched = _spy(ws.index)
    first = ws.ingest_report(lecco)
    second = ws.ingest_report(lecco.model_copy(update={"sha256": "1" * 64}))  # replaces the first
    ws.store.remove(second.document.id, ws.index)
    assert touched and set(touched) == {lecco.ente}, touched  # never Parma's, never all of them
    assert ws.index.collection(parma.ente).get(include=[])["ids"] == parma_ids
    assert ws.index.collection_name(parma.ente) != ws.index.collection_name(lecco.ente)
    assert ws.index.collection(lecco.ente).count() == 0 and first.chunks > 0
    assert ws.index.count() == len(parma_ids) == len(ws.store.chunks())


@pytest.mark.model
def test_searches_read_the_collections_of_their_enti(fresh_settings, relazione_txt):
    ws = Workspace(fresh_settings)
    parma, lecco = other_ente(relazione_txt, "Parma"), other_ente(relazione_txt, "Lecco", 2018)
    for report in (parma, lecco):
        ws.ingest_report(report)
    touched = _spy(ws.index)
    question = "perché è stato eliminato il progetto?"
    for mode in ("dense", "hybrid"):
        hits = ws.search(question, 8, ente=lecco.ente, mode=mode)
        assert hits and {h.ente for h in hits} == {lecco.ente}, mode
    assert set(touched) == {lecco.ente}
    # without an Ente: both collections, by name (the where names the Enti), never a listing
    hits = ws.retriever.search(question, 40, SearchFilters(), mode="dense")
    assert {h.ente for h in hits} == {parma.ente, lecco.ente}
    assert "*" not in touched and set(touched) == {parma.ente, lecco.ente}
    assert {h.year for h in ws.retriever.search(question, 8, SearchFilters(year=2018), mode="dense")} == {2018}


def test_an_index_of_one_collection_is_moved_into_one_per_ente(fresh_settings, relazione_txt):
    """A store indexed by an earlier release (every chunk in the collection named
    `chroma_collection`) is moved when the index is opened: the same ids, vectors and
    metadata, each in its Ente's collection; nothing is embedded again."""
    from assistant.index import ChromaIndex, chroma_client

    settings = fresh_settings  # embedded, and a `chroma run` server (its own collection name)
    chunks = [c for name in ("Parma", "Lecco") for c in chunk_report(other_ente(relazione_txt, name), name.lower())]
    vectors = [[float(i % 7), 1.0, float(i % 3)] for i in range(len(chunks))]
    legacy = chroma_client(settings).get_or_create_collection(
        settings.chroma_collection, metadata={"hnsw:space": "cosine"}, embedding_function=None)
    legacy.add(ids=[c.id for c in chunks], embeddings=vectors, metadatas=[c.metadata() for c in chunks],
               documents=[c.text for c in chunks])
    index = ChromaIndex(settings, embedder=object())  # no model: nothing to embed
    names = {c.name for c in index.client.list_collections() if c.name.startswith(settings.chroma_collection)}
    assert settings.chroma_collection not in names
    assert names == {index.collection_name(e) for e in ("Camera di commercio di Parma", "Camera di commercio di Lecco")}
    lecco = index.collection("Camera di commercio di Lecco").get(include=["embeddings", "metadatas"])
    assert sorted(lecco["ids"]) == sorted(c.id for c in chunks if c.document_id == "lecco")
    assert all(m["ente"] == "Camera di commercio di Lecco" for m in lecco["metadatas"])
    first = chunks.index(next(c for c in chunks if c.document_id == "lecco"))
    row = lecco["ids"].index(chunks[first].id)
    assert list(lecco["embeddings"][row]) == pytest.approx(vectors[first])
    assert index.document_ids() == {"parma", "lecco"}
    where = {"$and": [{"document_id": {"$in": ["parma", "lecco"]}}, {"ente": "Camera di commercio di Parma"}]}
    assert {c.split(":")[0] for c, _ in index.query([1.0, 1.0, 0.0], 5, where)} == {"parma"}
    assert ChromaIndex(settings, embedder=object()).count() == len(chunks)  # opened again: nothing to move
