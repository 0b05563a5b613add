"""A dense search among named documents is exact and reads each document's vectors once:
the same chunks, in the same order and with the same similarity as Chroma's own query, on a
collection that also holds other Enti's documents (vectors written directly: no model)."""

from __future__ import annotations

import random

import pytest

from assistant.index import ChromaIndex
from assistant.settings import Settings

DIM = 16


def _unit(rng: random.Random) -> list[float]:
    v = [rng.gauss(0, 1) for _ in range(DIM)]
    norm = sum(x * x for x in v) ** 0.5
    return [x / norm for x in v]


@pytest.fixture
def index(tmp_path):
    rng = random.Random(14)
    idx = ChromaIndex(Settings(data_dir=tmp_path / "data"), embedder=object())
    for d in range(12):
        ids = [f"doc{d}:{i}" for i in range(40)]
        metas = [{"document_id": f"doc{d}", "ente": f"Ente {d % 3}", "year": 2015 + d,
                  "section_number": str(i % 4)} for i in range(40)]
        idx.collection(f"Ente {d % 3}", create=True).add(
            ids=ids, embeddings=[_unit(rng) for _ in ids], metadatas=metas, documents=ids)
    return idx


@pytest.mark.parametrize("where", [
    {"document_id": {"$in": ["doc0", "doc3", "doc6"]}},
    {"$and": [{"document_id": {"$in": ["doc1", "doc4"]}}, {"ente": "Ente 1"}, {"section_number": {"$in": ["1", "2"]}}]},
])
def test_exact_search_equals_chromas_query(index, where):
    rng = random.Random(3)
    for _ in range(5):
        vector = _unit(rng)
        exact = index.query(vector, 10, where)
        chroma = index.chroma_query(vector, 10, where)
        assert [c for c, _ in exact] == [c for c, _ in chroma]
        assert all(abs(a - b) < 1e-4 for (_, a), (_, b) in zip(exact, chroma))


def test_vectors_are_read_once_per_document_and_forgotten_on_delete(index):
    reads = []
    collection = index.collection("Ente 2")
    get = collection.get
    collection.get = lambda **kw: reads.append(kw["where"]) or get(**kw)
    where = {"$and": [{"document_id": {"$in": ["doc2", "doc5"]}}, {"ente": "Ente 2"}]}
    first = index.query(_unit(random.Random(1)), 5, where)
    assert index.query(_unit(random.Random(1)), 5, where) == first
    assert len(reads) == 1
    index.delete(["doc2"], "Ente 2")
    assert all(not c.startswith("doc2:") for c, _ in index.query(_unit(random.Random(1)), 50, where))
    assert len(reads) == 2  # doc2 read again (it has no chunks now), doc5 still kept


def test_other_filters_go_to_chroma(index):
    where = {"ente": "Ente 0"}
    vector = _unit(random.Random(5))
    assert index.query(vector, 5, where) == index.chroma_query(vector, 5, where)
