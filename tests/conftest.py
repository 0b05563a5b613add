"""Shared fixtures: the bundled corpus, the truth files, isolated data directories."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
DATA = Path(__file__).resolve().parent / "data"
SHARED_PDFS = ROOT.parent / "shared" / "pdfs"

RELAZIONE_TXT = CORPUS / "relazione-performance-2019-ravenna.txt"
RELAZIONE_PDF = CORPUS / "relazione-performance-2019-ravenna.pdf"
PIANO_TXT = CORPUS / "piano-performance-2019-2021-ravenna-SINTETICO.txt"
CONSUNTIVI_CSV = CORPUS / "consuntivi-2020-ravenna-SINTETICO.csv"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(scope="session")
def truth() -> dict:
    return json.loads((DATA / "indicators-2019.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def plan_differences() -> dict:
    return json.loads((DATA / "piano-2019-differences.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def relazione_txt():
    from ingest.pipeline import read_path

    return read_path(RELAZIONE_TXT)


@pytest.fixture(scope="session")
def relazione_pdf():
    from ingest.pipeline import read_path

    return read_path(RELAZIONE_PDF)


@pytest.fixture(scope="session")
def piano():
    from ingest.pipeline import read_path

    return read_path(PIANO_TXT)


@pytest.fixture(scope="session")
def consuntivi(piano):
    from ingest.pipeline import read_path

    return read_path(CONSUNTIVI_CSV, plan=piano)


@pytest.fixture()
def data_dir(tmp_path, monkeypatch) -> Path:
    """An empty RELAZIONE_DATA_DIR for this test (and the processes it starts)."""
    d = tmp_path / "data"
    monkeypatch.setenv("RELAZIONE_DATA_DIR", str(d))
    monkeypatch.delenv("RELAZIONE_DATABASE_URL", raising=False)
    monkeypatch.delenv("RELAZIONE_CHROMA_URL", raising=False)
    from assistant.settings import get_settings

    get_settings.cache_clear()
    yield d
    get_settings.cache_clear()


def run_cli(*args: str, stdin: str | None = None, env: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    """The real `relazione` command in a subprocess (stdout and stderr kept apart)."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args],
        input=stdin, capture_output=True, text=True, cwd=ROOT, env=full_env, timeout=timeout,
    )
