"""The year views, facts and name catalogs kept on disk between processes (each `relazione
ask` is one): a new process reads them back instead of rebuilding them, a re-ingestion of the
Ente makes them unused, and a damaged file is ignored."""

from __future__ import annotations

import hashlib

import pytest

from assistant import disk_cache
from assistant.chat import Assistant
from assistant.chunks import chunk_report
from assistant.disk_cache import DiskCache
from assistant.plan import Catalog
from assistant.settings import Settings
from assistant.workspace import Workspace

QUESTION = "Qual è il grado di raggiungimento dell'Ente?"


def test_an_entry_is_read_back_at_its_version_only(tmp_path):
    cache = DiskCache(tmp_path / "cache")
    cache.put("context", ("Parma", 2019), ("g1",), {"value": 1})
    assert DiskCache(tmp_path / "cache").get("context", ("Parma", 2019), ("g1",)) == {"value": 1}
    assert cache.get("context", ("Parma", 2019), ("g2",)) is None
    assert cache.get("context", ("Parma", 2020), ("g1",)) is None
    cache.put("context", ("Parma", 2019), ("g2",), {"value": 2})  # the newer version replaces the file
    assert [p.name.count("-") for p in (tmp_path / "cache").iterdir()] == [2]
    assert cache.get("context", ("Parma", 2019), ("g1",)) is None
    assert cache.get("context", ("Parma", 2019), ("g2",)) == {"value": 2}


def test_a_code_change_makes_entries_unused(tmp_path, monkeypatch):
    cache = DiskCache(tmp_path / "cache")
    cache.put("catalog", ("Parma",), ("g1",), "old code's value")
    monkeypatch.setattr(disk_cache, "code_fingerprint", lambda: "another release")
    assert cache.get("catalog", ("Parma",), ("g1",)) is None


@pytest.mark.parametrize("damage", [b"", b"not a pickle at all", b"\x80\x05\x95garbage"])
def test_a_damaged_file_is_a_miss_and_goes(tmp_path, damage):
    cache = DiskCache(tmp_path / "cache")
    cache.put("context", ("Parma", 2019), ("g1",), [1, 2, 3])
    (path,) = (tmp_path / "cache").iterdir()
    path.write_bytes(damage)
    assert cache.get("context", ("Parma", 2019), ("g1",)) is None
    assert not path.exists()


def test_an_unwritable_directory_only_costs_the_rebuild(tmp_path):
    (tmp_path / "cache").write_text("a file where the directory should be")
    cache = DiskCache(tmp_path / "cache")
    cache.put("context", ("Parma", 2019), ("g1",), [1])
    assert cache.get("context", ("Parma", 2019), ("g1",)) is None


def _renamed_area(report, title: str):
    """Another version of `report` (another file) whose first area has another title."""
    first, *rest = report.areas
    digest = hashlib.sha256(f"{report.sha256}:{title}".encode()).hexdigest()
    return report.model_copy(update={"areas": (first.model_copy(update={"title": title}), *rest), "sha256": digest})


def _fresh(tmp_path) -> Assistant:
    """An Assistant as a new process starts it: nothing in memory, the same data dir."""
    return Assistant(Workspace(Settings(data_dir=tmp_path / "data"), index=None))


def test_a_new_process_reads_the_context_back_and_a_reingestion_invalidates_it(tmp_path, relazione_txt, monkeypatch):
    first = _fresh(tmp_path)
    first.workspace.store.save(relazione_txt, lambda doc_id: chunk_report(relazione_txt, doc_id), None)
    expected = first.ask(QUESTION, year=2019).answer
    assert "Competitività delle imprese" in expected

    def no_rebuild(*args, **kwargs):
        raise AssertionError("rebuilt although the disk holds this generation's context")

    from_reports = Catalog.from_reports

    def no_reread(reports, **kwargs):  # the catalog of the Enti' names alone reads no report
        assert not reports, "the reports read again although the disk holds their catalog"
        return from_reports(reports, **kwargs)

    second = _fresh(tmp_path)
    with monkeypatch.context() as patch:
        patch.setattr(Assistant, "_build_context", no_rebuild)
        patch.setattr(Catalog, "from_reports", no_reread)
        assert second.ask(QUESTION, year=2019).answer == expected

    # another version of the Relazione: the next process must not answer from the old one
    changed = _renamed_area(relazione_txt, "Imprese competitive e innovative")
    second.workspace.store.save(changed, lambda doc_id: chunk_report(changed, doc_id), None)
    third = _fresh(tmp_path)
    view, _ = third.context(2019)
    assert view.report.sha256 == changed.sha256
    answer = third.ask(QUESTION, year=2019).answer
    assert "Imprese competitive e innovative" in answer and "Competitività delle imprese" not in answer
    assert third.parser(view.ente).catalog.by_code("area", "1").name == "Imprese competitive e innovative"


def test_a_corrupt_context_file_is_rebuilt(tmp_path, relazione_txt):
    first = _fresh(tmp_path)
    first.workspace.store.save(relazione_txt, lambda doc_id: chunk_report(relazione_txt, doc_id), None)
    expected = first.ask(QUESTION, year=2019).answer
    for path in (tmp_path / "data" / "cache").glob("*.pickle"):
        path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])  # a write cut short
    assert _fresh(tmp_path).ask(QUESTION, year=2019).answer == expected
