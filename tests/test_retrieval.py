"""Retrieval over the bundled corpus, against embedded Chroma and a real `chroma run` server."""

from __future__ import annotations

import pytest

from assistant.retrieval import MODES
from assistant.workspace import WorkspaceError
from conftest import load_questions

pytestmark = pytest.mark.model

ENTE = "Camera di commercio di Ravenna"
QUESTIONS = load_questions()


def recall_at(ws, k: int, mode: str = "hybrid") -> tuple[float, list[str]]:
    missed = []
    for q in QUESTIONS:
        hits = ws.search(q["question"], k, mode=mode)
        if not any(q["expected"]["contains"] in h.text for h in hits):
            missed.append(q["question"])
    return 1 - len(missed) / len(QUESTIONS), missed


def test_hybrid_recall_at_5(corpus_ws):
    recall, missed = recall_at(corpus_ws, 5)
    assert recall >= 0.9, missed


def test_every_mode_answers_with_cited_passages(corpus_ws):
    for mode in MODES:
        hits = corpus_ws.search("perche' e' stato eliminato il progetto Ultranet?", 3, mode=mode)
        assert hits, mode
        assert all(h.retrievers for h in hits)
        if mode != "hybrid":
            assert all(set(h.retrievers) == {mode} for h in hits)
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_hit_cites_section_and_line_of_the_text(corpus_ws):
    hits = corpus_ws.search("perche' e' stato eliminato il progetto Ultranet?", 5)
    top = hits[0]
    assert "Progetto Ultranet" in top.text
    assert top.section == "5"
    assert top.title.startswith("5. IL PROCESSO DI MISURAZIONE")
    assert top.line == 534 and top.page is None
    assert top.source == "relazione-performance-2019-ravenna.txt"
    assert top.ente == ENTE and top.year == 2019 and top.kind == "relazione"
    assert len(top.sha256) == 64
    assert top.chunk_id.startswith(top.document_id + ":")
    assert all(h.line is not None for h in hits)


def test_section_filter(corpus_ws):
    hits = corpus_ws.search("bilancio", 10, section="5")
    assert hits and all(h.section == "5" for h in hits)
    # a section number matches its sub-sections: 3 -> 3.1, 3.2, 3.3
    hits = corpus_ws.search("valutazione complessiva della performance organizzativa", 10, section="3")
    assert hits and all(h.section.split(".")[0] == "3" for h in hits)
    assert any(h.section == "3.3" for h in hits)
    assert corpus_ws.search("bilancio", 5, section="9") == []


def test_year_and_kind_filters(corpus_ws):
    # the only 2020 document is the (synthetic) file of actual values, with no narrative
    assert corpus_ws.search("occupazione", 5, year=2020) == []
    piano = corpus_ws.search("documento sintetico di prova", 5, kind="piano")
    assert piano and all(h.kind == "piano" and h.source.startswith("piano-") for h in piano)
    relazione = corpus_ws.search("documento sintetico di prova", 5, kind="relazione", year=2019)
    assert relazione and all(h.kind == "relazione" and h.year == 2019 for h in relazione)


def test_unknown_ente_is_refused(corpus_ws):
    with pytest.raises(WorkspaceError):
        corpus_ws.search("occupazione", 5, ente="Bergamo")


def test_tables_are_indexed_as_one_line_captions(corpus_ws):
    hits = corpus_ws.search("tabella interventi economici importi liquidati per obiettivo strategico", 5)
    captions = [h for h in hits if h.table_caption]
    assert captions and captions[0].text.startswith("Tabella:") and "\n" not in captions[0].text
    # no table row is in the text index: the cells live in the store
    assert not any("668.701" in h.text for h in corpus_ws.search("OS 1.1 Attività internazionalizzazione 668.701", 10))


def test_a_warm_search_reads_no_chunks_from_sql(corpus_ws, monkeypatch):
    corpus_ws.search("occupazione", 5)  # warm
    calls = []
    monkeypatch.setattr(corpus_ws.store, "chunks", lambda *a, **kw: calls.append(a) or [])
    corpus_ws.search("disoccupazione", 5)
    assert calls == []


def test_pdf_hits_cite_pages(pdf_ws):
    hits = pdf_ws.search("perche' e' stato eliminato il progetto Ultranet?", 5)
    top = next(h for h in hits if "Progetto Ultranet" in h.text)
    assert top.page == 25 and top.line is None
    assert top.source == "relazione-performance-2019-ravenna.pdf"
    assert all(h.page is not None for h in hits)


def test_the_embedder_loads_once_from_a_local_path():
    from assistant.index import Embedder, default_model_path, load_embedder

    model = load_embedder()
    # RELAZIONE_EMBEDDING_MODEL naming the same local path reuses the loaded model
    assert Embedder(str(default_model_path())).model is model
    with pytest.raises(FileNotFoundError, match="modello di embedding non trovato"):
        load_embedder("/nonexistent/model")
    vectors = Embedder().encode(["uno", "due", "tre"])
    assert len(vectors) == 3 and abs(sum(x * x for x in vectors[0]) - 1) < 1e-4


def test_a_query_is_embedded_on_one_thread_and_the_thread_count_restored():
    """A question's vector is computed on one thread (torch's threads wait on each other on a
    busy machine) and gives the same vector as the batch path; the process keeps its setting."""
    import torch

    from assistant.index import Embedder

    embedder = Embedder()
    before = torch.get_num_threads()
    seen: list[int] = []
    model = embedder.model
    original = model.encode

    def spying(*args, **kwargs):
        seen.append(torch.get_num_threads())
        return original(*args, **kwargs)

    model.encode = spying
    try:
        query = embedder.encode_query("chi ha validato la relazione?")
    finally:
        del model.encode
    assert seen == [1] and torch.get_num_threads() == before
    batch = embedder.encode(["chi ha validato la relazione?"])[0]
    assert max(abs(a - b) for a, b in zip(query, batch)) < 1e-5


def test_torch_threads_wait_passively_unless_configured():
    import subprocess
    import sys

    from conftest import ROOT

    code = "import os, assistant; print(os.environ['OMP_WAIT_POLICY'])"
    env = {k: v for k, v in __import__("os").environ.items() if k != "OMP_WAIT_POLICY"}
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          check=True).stdout.strip() == "PASSIVE"
    env["OMP_WAIT_POLICY"] = "ACTIVE"  # an operator's own choice is kept
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          check=True).stdout.strip() == "ACTIVE"
