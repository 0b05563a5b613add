"""Two sessions at once against the one Workspace and Assistant the app shares per process:
one ingests (re-ingests, removes) while the other keeps asking. No question may fail, and at
the end the store and the index agree."""

from __future__ import annotations

import threading
import time

import pytest

from conftest import CONSUNTIVI_CSV, PIANO_TXT, RELAZIONE_TXT

pytestmark = pytest.mark.model

QUESTIONS = [
    "Quali obiettivi hanno cambiato target quest'anno?",
    "Perché è stato eliminato il progetto Ultranet?",
    "Quali indicatori sono sotto target nel 2020 e perché?",
    "Come è andata l'occupazione in provincia?",
]


def test_one_session_ingests_while_another_chats(tmp_path):  # long: two threads and the final agreement check
    from assistant.chat import Assistant, passage_search
    from assistant.settings import Settings
    from assistant.workspace import Workspace

    ws = Workspace(Settings(data_dir=tmp_path / "data"))
    ws.ingest(PIANO_TXT)
    ws.ingest(RELAZIONE_TXT)
    assistant = Assistant(ws, search=passage_search(ws))
    assistant.ask(QUESTIONS[1])  # the embedding model is loaded before the race starts

    errors: list[BaseException] = []
    answers: list = []
    during: list = []
    writing = threading.Event()
    done = threading.Event()

    def ingesting() -> None:
        try:
            writing.set()
            for i, path in enumerate((CONSUNTIVI_CSV, RELAZIONE_TXT, PIANO_TXT, CONSUNTIVI_CSV, RELAZIONE_TXT)):
                # each time a new version (other bytes): the same file again would change nothing
                ws.ingest_bytes(path.read_bytes() + b"\n" * (i + 1), path.name)
            ws.remove(CONSUNTIVI_CSV.name)
            ws.ingest(CONSUNTIVI_CSV)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            done.set()

    def chatting() -> None:
        writing.wait()
        try:
            while not done.is_set() or len(answers) < 2 * len(QUESTIONS):
                for question in QUESTIONS:
                    answer = assistant.ask(question)
                    answers.append(answer)
                    if not done.is_set():
                        during.append(answer)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=ingesting), threading.Thread(target=chatting)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    assert not any(t.is_alive() for t in threads), "a session did not finish"
    assert not errors, errors
    assert during, "no question was answered while the other session was writing"
    assert all(a.verified for a in answers), [a.unverified_numbers for a in answers if not a.verified]
    # the Relazione is replaced in one transaction: its questions always had their answer
    changes = [a for a in answers if a.question == QUESTIONS[0]]
    assert all("3.2.2.1" in a.answer for a in changes)
    ultranet = [a for a in answers if a.question == QUESTIONS[1]]
    assert all(any(s.kind == "passaggio" and s.line == 534 for s in a.sources) for a in ultranet)
    print(f"{len(answers)} risposte ({len(during)} durante le scritture) in {time.monotonic() - start:.1f} s")

    # store and index agree: every document has its chunks, no chunk without a document
    docs = {d.id: d for d in ws.documents()}
    assert sorted(d.source_file for d in docs.values()) == sorted(
        [RELAZIONE_TXT.name, PIANO_TXT.name, CONSUNTIVI_CSV.name])
    sql_chunks = ws.store.chunks()
    chroma_ids = ws.index.chunk_ids()
    assert {c.id for c in sql_chunks} == chroma_ids
    assert {c.document_id for c in sql_chunks} <= set(docs)
    for doc in docs.values():
        if doc.kind in ("relazione", "piano"):
            assert any(c.document_id == doc.id for c in sql_chunks), doc.source_file
    assert {h.document_id for h in ws.search("progetto Ultranet banda larga", 5)} <= set(docs)
