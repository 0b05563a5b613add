"""Answers and drafts say which of their numbers were read from a scan ("letto da scansione:
da verificare"): beside the number, in the JSON `warnings`, at the head of a draft."""

from __future__ import annotations

import json

import pytest

NOTE = "letto da scansione: da verificare"


@pytest.fixture(scope="module")
def scanned_report(relazione_pdf):
    """The PDF Relazione as the OCR reader returns a scan of it: every page read by OCR but the
    first ones (the overview's weights and achievements are printed on a digital page)."""
    pages = sorted({i.source.page for i in relazione_pdf.indicators()})
    return relazione_pdf.model_copy(update={"ocr_pages": tuple(pages)})


@pytest.fixture(scope="module")
def scanned_store(tmp_path_factory, scanned_report):
    from assistant.chunks import chunk_report
    from assistant.store import Store

    d = tmp_path_factory.mktemp("scan") / "data"
    store = Store(f"sqlite:///{d / 'relazione.db'}")
    store.save(scanned_report, lambda doc_id: chunk_report(scanned_report, doc_id), None)
    store.engine.dispose()
    return d


def test_the_store_keeps_the_ocr_pages(scanned_store, scanned_report):
    from assistant.store import Store

    store = Store(f"sqlite:///{scanned_store / 'relazione.db'}")
    stored = store.report(store.documents()[0].id)
    store.engine.dispose()
    assert stored.ocr_pages == scanned_report.ocr_pages and stored.ocr_pages


def test_answer_json_flags_numbers_read_from_a_scan(cli, scanned_store, scanned_report):
    result = cli("ask", "Qual è il target dell'indicatore «N. imprese coinvolte in iniziative per internazionalizzazione»?",
                     "--format", "json", env={"RELAZIONE_DATA_DIR": str(scanned_store)})
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["verified"] is True
    assert data["warnings"], data
    page = scanned_report.indicators()[0].source.page
    for w in (w for w in data["warnings"] if w["kind"] == "scan"):
        assert w["reason"] == NOTE and f"pag. {page}" in w["where"]
        number = w["number"].split(" [^")[0]
        assert f"{number}[^" in data["answer"]
    assert data["answer"].count(f"({NOTE})") >= len(data["warnings"])


def test_digital_numbers_carry_no_warning(relazione_pdf, tmp_path):
    from assistant.chat import Assistant
    from assistant.settings import Settings
    from assistant.workspace import Workspace

    ws = Workspace(Settings(data_dir=tmp_path), index=None)
    ws.store.save(relazione_pdf, lambda doc_id: [], None)
    answer = Assistant(ws).ask("Qual è il grado di raggiungimento dell'Ente?")
    assert answer.verified and not answer.warnings and NOTE not in answer.answer


def test_draft_says_so_at_the_head_and_beside_each_number(scanned_store):
    from assistant.chat import Assistant
    from assistant.drafts import SCANNED_HEADER
    from assistant.settings import Settings
    from assistant.workspace import Workspace

    ws = Workspace(Settings(data_dir=scanned_store), index=None)
    draft = Assistant(ws).draft("scostamenti")
    assert draft.verified, draft.problems
    assert draft.warnings and draft.markdown.startswith(SCANNED_HEADER)
    scanned = [w for w in draft.warnings if w.kind == "scan"]
    assert scanned and draft.markdown.count(f"({NOTE})") >= len(scanned)


@pytest.mark.model
def test_app_shows_the_scan_warning(scanned_store, tmp_path, monkeypatch):
    import shutil

    from streamlit.testing.v1 import AppTest

    from assistant.settings import get_settings
    from conftest import ROOT

    data = tmp_path / "data"
    shutil.copytree(scanned_store, data)
    monkeypatch.setenv("RELAZIONE_DATA_DIR", str(data))
    for name in ("RELAZIONE_DATABASE_URL", "RELAZIONE_CHROMA_URL", "RELAZIONE_LLM"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=300).run()
    assert not at.exception, at.exception
    at.chat_input[0].set_value("Qual è il target dell'indicatore «N. imprese coinvolte in iniziative per internazionalizzazione»?").run()
    assert not at.exception, at.exception
    text = "\n".join(m.value for m in at.markdown)
    assert ":orange-badge[:material/document_scanner: numeri letti da scansione]" in text
    assert f"({NOTE})" in text
    assert any("da scansione (OCR), da verificare sull'originale: relazione-performance-2019-ravenna.pdf, pag. 5" in w.value
               for w in at.warning)
    get_settings.cache_clear()
