"""Start fast: the command line imports no language model, embedding, Chroma or pandoc
library, and a question answered from the tables never loads or waits for them
(bench/startup.py measures the cold start)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading

import pytest

from conftest import ROOT

HEAVY = ("langchain", "langchain_core", "langsmith", "sentence_transformers", "torch", "chromadb", "pypandoc")
# what a deterministic `relazione ask` does not need either (cold start, bench/startup.py): the
# table printer, SQLAlchemy's ORM (the store uses Core), the pure-Python stemmers, the PDF
# readers and OCR
LIGHT_ASK = ("rich", "sqlalchemy.orm", "snowballstemmer", "pdfplumber", "pdfminer", "ingest.readers.pdf.document", "ingest.readers.ocr")


def _loaded_after(code: str, names: tuple[str, ...], env: dict | None = None) -> list[str]:
    check = (f"import sys; print(sorted(n for n in {names!r} "
             "if any(m == n or m.startswith(n + '.') for m in sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code + "\n" + check], cwd=ROOT, capture_output=True, text=True,
                          env=env, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1].replace("'", '"'))


def _heavy_after(code: str, env: dict | None = None) -> list[str]:
    return _loaded_after(code, HEAVY, env)


def test_importing_the_cli_imports_no_heavy_library():
    assert _loaded_after("import assistant.cli", HEAVY + LIGHT_ASK) == []


@pytest.mark.slow  # a process of its own
def test_a_deterministic_ask_and_documents_import_no_heavy_library(tmp_path, relazione_txt):
    import os

    from assistant.chunks import chunk_report
    from assistant.store import Store

    data = tmp_path / "data"
    Store(f"sqlite:///{data / 'relazione.db'}").save(relazione_txt, lambda d: chunk_report(relazione_txt, d), None)
    env = {**os.environ, "RELAZIONE_DATA_DIR": str(data), "PYTHONPATH": str(ROOT)}
    env.pop("RELAZIONE_LLM", None)
    code = (
        "from typer.testing import CliRunner\n"
        "from assistant.cli import app\n"
        "for args in (['ask', \"Qual è il grado di raggiungimento dell'Ente?\", '--format', 'json'], ['documents']):\n"
        "    result = CliRunner().invoke(app, args)\n"
        "    assert result.exit_code == 0, result.output\n"
        "    assert ('100,00%' in result.output) or args[0] == 'documents', result.output\n"
    )
    assert _heavy_after(code, env) == []
    ask_alone = code.replace(", ['documents'])", ",)")
    assert _loaded_after(ask_alone, LIGHT_ASK, env) == []


def test_a_question_from_the_tables_never_waits_for_the_index(tmp_path, relazione_txt, monkeypatch):
    """The app warms the index and the embedder up in the background; while they load, an
    answer from the tables comes at once and only a dense search waits for them."""
    from assistant import index as index_module
    from assistant.chat import Assistant
    from assistant.chunks import chunk_report
    from assistant.settings import Settings
    from assistant.workspace import Workspace

    opening = threading.Event()
    release = threading.Event()

    class NoHits:  # stands in for Chroma: what a search needs of the dense index
        def embed_query(self, text):
            return [1.0]

        def query(self, vector, n, where=None):
            return []

    def slow_open(settings):
        opening.set()
        release.wait(60)
        return NoHits()

    monkeypatch.setattr(index_module, "open_index", slow_open)
    ws = Workspace(Settings(data_dir=tmp_path / "data"))
    ws.store.save(relazione_txt, lambda d: chunk_report(relazione_txt, d), None)
    warm = ws.warm_up()
    assert opening.wait(30)
    try:
        answer = Assistant(ws).ask("Qual è il grado di raggiungimento dell'Ente?")
        assert answer.verified and "100,00%" in answer.answer
        assert ws.search("perché è stato eliminato il progetto?", 3, mode="lexical")
        dense: list = []
        searching = threading.Thread(target=lambda: dense.append(ws.search("progetto", 3, mode="dense")))
        searching.start()
        searching.join(0.5)
        assert searching.is_alive()  # the dense search waits for the index being opened
    finally:
        release.set()
    searching.join(30)
    warm.join(30)
    assert dense == [[]]
