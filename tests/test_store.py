"""The structured store: a new version on re-ingest, one transaction per file, crash safety."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from assistant.chunks import chunk_report
from assistant.store import Store
from conftest import ROOT


def _save(store: Store, report, index=None):
    return store.save(report, lambda doc_id: chunk_report(report, doc_id), index)


def test_same_file_twice_is_a_no_op(store_url, relazione_txt):
    store = Store(store_url)
    first = _save(store, relazione_txt)
    token = store.generation(relazione_txt.ente)
    second = _save(store, relazione_txt)
    assert second.unchanged and second.document.id == first.document.id and not second.replaced
    assert [d.id for d in store.documents(history=True)] == [first.document.id]
    assert store.generation(relazione_txt.ente) == token  # nothing written, no cache dropped
    assert {c.document_id for c in store.chunks()} == {first.document.id}
    assert len(store.chunks()) == first.chunks


def test_another_rendering_of_the_same_report_replaces_it(store_url, relazione_txt, relazione_pdf):
    store = Store(store_url)
    _save(store, relazione_pdf)
    result = _save(store, relazione_txt)
    assert [d.source_file for d in store.documents()] == [relazione_txt.source_file]
    assert [r.source_file for r in result.replaced] == [relazione_pdf.source_file]


def test_report_round_trips(store_url, relazione_txt):
    store = Store(store_url)
    doc = _save(store, relazione_txt).document
    assert store.report(doc.id) == relazione_txt
    assert Store(store.url).report(doc.id) == relazione_txt  # a fresh process reads the same


class _FailingIndex:
    """An index that fails while adding: the store must roll back and clean up after it."""

    def __init__(self):
        self.added: list[str] = []
        self.deleted: list[str] = []

    def add(self, chunks, progress=None):
        self.added += [c.document_id for c in chunks[:1]]
        raise RuntimeError("disco pieno")

    def delete(self, document_ids, ente=None):
        self.deleted += list(document_ids)

    def document_ids(self):
        return set(self.added) - set(self.deleted)


def test_failure_while_indexing_leaves_the_store_as_it_was(store_url, relazione_txt, relazione_pdf):
    store = Store(store_url)
    kept = _save(store, relazione_pdf).document
    before = (store.documents(), store.chunks())
    index = _FailingIndex()
    with pytest.raises(RuntimeError, match="disco pieno"):
        _save(store, relazione_txt, index)
    assert (store.documents(), store.chunks()) == before
    assert store.documents()[0].id == kept.id
    assert index.deleted == index.added  # the half-written entries were removed


def test_remove(store_url, relazione_txt, piano):
    store = Store(store_url)
    doc = _save(store, relazione_txt).document
    _save(store, piano)
    removed = store.remove(doc.id, None)
    assert removed.id == doc.id
    assert [d.kind for d in store.documents()] == ["piano"]
    assert all(c.document_id != doc.id for c in store.chunks())


def test_find_matches_only_the_document_named(store_url, relazione_txt, piano):
    """Regression: any reference without a '/' used to match the first document (the file-name
    comparison compared the reference with itself), so `relazione remove <typo>` removed it."""
    store = Store(store_url)
    rel = _save(store, relazione_txt).document
    plan = _save(store, piano).document
    assert store.find("documento-che-non-esiste.txt") is None
    assert store.find("abc") is None
    assert store.find(rel.id).id == rel.id and store.find(plan.sha256[:12]).id == plan.id
    assert store.find(plan.source_file).id == plan.id
    assert store.find(f"/percorso/qualunque/{rel.source_file}").id == rel.id


CRASHER = """
import sys, time
from pathlib import Path
from assistant.store import Store
from assistant.chunks import chunk_report
from ingest.pipeline import read_path

class SlowIndex:
    def add(self, chunks, progress=None):
        Path(sys.argv[2]).write_text("writing")
        time.sleep(120)
    def delete(self, ids, ente=None): pass
    def document_ids(self): return set()

store = Store(sys.argv[1])
report = read_path(sys.argv[3])
store.save(report, lambda d: chunk_report(report, d), SlowIndex())
"""


def test_crash_mid_ingest_leaves_the_store_as_it_was(store_url, tmp_path, relazione_pdf):
    store = Store(store_url)
    _save(store, relazione_pdf)
    before = (store.documents(), store.chunks())
    marker = tmp_path / "marker"
    proc = subprocess.Popen(
        [sys.executable, "-c", CRASHER, store.url, str(marker), str(ROOT / "corpus" / "relazione-performance-2019-ravenna.txt")],
        cwd=ROOT,
    )
    try:
        deadline = time.time() + 120
        while not marker.exists():
            assert proc.poll() is None, "the ingesting process ended before the crash point"
            assert time.time() < deadline
            time.sleep(0.1)
        os.kill(proc.pid, signal.SIGKILL)  # crash with the transaction open
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    fresh = Store(store.url)
    assert (fresh.documents(), fresh.chunks()) == before


def test_database_url_points_elsewhere(tmp_path, relazione_txt):
    """RELAZIONE_DATABASE_URL (any SQLAlchemy URL) is used instead of the SQLite file in the data dir."""
    from assistant.settings import Settings
    from assistant.workspace import Workspace

    other = tmp_path / "altrove" / "archivio.db"
    settings = Settings(data_dir=tmp_path / "data", database_url=f"sqlite:///{other}")
    ws = Workspace(settings, index=None)
    ws.store.save(relazione_txt, lambda doc_id: chunk_report(relazione_txt, doc_id), None)
    assert other.exists() and not (tmp_path / "data" / "relazione.db").exists()
    assert Workspace(settings, index=None).view(2019).report.sha256 == relazione_txt.sha256


@pytest.mark.server
def test_database_url_reaches_a_postgresql_server(tmp_path, postgres_url, relazione_txt, piano):
    """A PostgreSQL URL in the settings: the whole workspace (store, views, findings) runs on it."""
    from assistant.settings import Settings
    from assistant.workspace import Workspace

    settings = Settings(data_dir=tmp_path / "data", database_url=postgres_url)
    ws = Workspace(settings, index=None)
    for report in (relazione_txt, piano):
        ws.store.save(report, lambda doc_id, r=report: chunk_report(r, doc_id), None)
    assert not (tmp_path / "data" / "relazione.db").exists()
    fresh = Workspace(settings, index=None)
    assert {d.kind for d in fresh.documents()} == {"relazione", "piano"}
    view = fresh.view(2019)
    assert view.report.sha256 == relazione_txt.sha256 and view.plan is not None
    assert view.scorecard.root.achievement == 1
    assert len(view.indicator_records()) == 128 and view.findings == ws.view(2019).findings


def test_two_ingestions_of_the_same_report_at_once_leave_one(store_url, relazione_txt):
    """Two sessions upload the same Relazione at the same moment: one document remains, with
    its chunks, whichever transaction commits last."""
    import threading

    store = Store(store_url)
    errors: list[BaseException] = []

    class _SlowIndex:
        """Holds each ingestion inside its transaction for a while, so that they overlap."""

        def add(self, chunks, progress=None):
            time.sleep(1)

        def delete(self, document_ids, ente=None):
            pass

        def document_ids(self):
            return set()

    def ingest():
        try:
            _save(Store(store_url), relazione_txt, _SlowIndex())
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=ingest) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    docs = store.documents()
    assert not errors and len(docs) == 1, (docs, errors)
    assert {c.document_id for c in store.chunks()} == {docs[0].id}
