"""Chunks respect the document: within one section, sized for the embedder, with metadata."""

from __future__ import annotations

import pytest

from assistant.chunks import MAX_CHARS, chunk_report
from conftest import PIANO_TXT, RELAZIONE_PDF, RELAZIONE_TXT, load_questions
from ingest.pipeline import read_path


@pytest.fixture(scope="module")
def relazione():
    return read_path(RELAZIONE_TXT)


def test_chunks_never_cross_sections(relazione):
    for chunk in chunk_report(relazione, "doc"):
        if chunk.is_table_caption:
            continue
        owners = [
            s for s in relazione.sections
            if s.path == chunk.section_path and all(
                any(part in p.text for p in s.paragraphs) for part in chunk.text.split("\n")
            )
        ]
        assert owners, chunk.text[:80]


def test_chunks_fit_the_embedder_and_keep_every_word(relazione):
    chunks = chunk_report(relazione, "doc")
    assert all(len(c.text) <= MAX_CHARS for c in chunks)
    narrative = " ".join(p.text for s in relazione.sections for p in s.paragraphs).split()
    indexed = " ".join(c.text for c in chunks if not c.is_table_caption).split()
    assert indexed == narrative


def test_every_chunk_carries_its_metadata(relazione):
    chunks = chunk_report(relazione, "doc")
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))
    for c in chunks:
        meta = c.metadata()
        assert meta["ente"] == "Camera di commercio di Ravenna" and meta["year"] == 2019 and meta["kind"] == "relazione"
        assert meta["source_file"] == RELAZIONE_TXT.name and len(meta["sha256"]) == 64
        assert meta["section_path"] and meta["section_title"] and isinstance(meta["line"], int)
        assert "page" not in meta and None not in meta.values()
    assert any(c.is_table_caption and c.text.startswith("Tabella:") for c in chunks)


@pytest.mark.slow  # reads the whole corpus PDF (20 s)
def test_pdf_chunks_cite_pages():
    chunks = chunk_report(read_path(RELAZIONE_PDF), "doc")
    assert all(c.page is not None and c.line is None for c in chunks)
    assert all(len(c.text) <= MAX_CHARS for c in chunks)


def test_piano_chunks():
    chunks = chunk_report(read_path(PIANO_TXT), "p")
    assert chunks and all(c.kind == "piano" for c in chunks)


def test_every_question_has_its_passage_in_one_chunk(relazione):
    """The relevance test (a hit contains the expected substring) is fair to the chunking."""
    texts = [c.text for c in chunk_report(relazione, "doc")]
    lines = RELAZIONE_TXT.read_text(encoding="utf-8").split("\n")
    questions = load_questions()
    assert len(questions) >= 30
    for q in questions:
        expected = q["expected"]
        assert expected["contains"] in lines[expected["line"] - 1], q
        assert sum(expected["contains"] in t for t in texts) == 1, q
