"""Shared fixtures: the bundled corpus, the truth files, isolated data directories, the corpus
ingested once per Chroma backend, and a real `chroma run` server for the server variant."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
DATA = Path(__file__).resolve().parent / "data"
# the shared test files next to the repository (RELAZIONE_SHARED_DIR overrides, e.g. from a worktree)
SHARED = Path(os.environ.get("RELAZIONE_SHARED_DIR") or ROOT.parent / "shared")
SHARED_PDFS = SHARED / "pdfs"
SHARED_LAYOUTS = SHARED / "layouts"

RELAZIONE_TXT = CORPUS / "relazione-performance-2019-ravenna.txt"
RELAZIONE_PDF = CORPUS / "relazione-performance-2019-ravenna.pdf"
PIANO_TXT = CORPUS / "piano-performance-2019-2021-ravenna-SINTETICO.txt"
CONSUNTIVI_CSV = CORPUS / "consuntivi-2020-ravenna-SINTETICO.csv"
QUESTIONS = DATA / "retrieval-questions.jsonl"

# the two ways the app reaches Chroma; the server variant needs a `chroma run` process
BACKENDS = ["embedded", pytest.param("server", marks=pytest.mark.server)]

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

# The developer's selection, `pytest -m fast` (seconds, README): every test that needs no
# model, server or browser and none of the slow inputs below. A new test is fast unless it
# says otherwise (`@pytest.mark.slow`) or uses one of these.
SLOW_MARKS = ("model", "server", "browser", "slow")
SLOW_FIXTURES = {"relazione_pdf", "pdf_ws", "corpus_ws", "chroma_server", "postgres_server", "postgres_url",
                 "extracted"}  # extracted: every layout of tests/test_layouts.py read once (about a minute)
SLOW_MODULES = {  # OCR, real PDFs, processes started per case
    "test_ocr.py", "test_ocr_golden.py", "test_bad_input.py", "test_hostile_input.py", "test_golden.py",
    "test_mutations.py",  # hypothesis through the whole pipeline
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        slow = (any(item.get_closest_marker(m) for m in SLOW_MARKS) or SLOW_FIXTURES & set(item.fixturenames)
                or item.path.name in SLOW_MODULES)
        if not slow:
            item.add_marker(pytest.mark.fast)


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


@pytest.fixture()
def cli(monkeypatch):
    """`relazione` run in this process with typer's CliRunner: `cli(*args, env=..., stdin=...)`
    returns what `run_cli` returns (returncode, stdout, stderr kept apart), in milliseconds
    instead of a Python start-up. Settings are read afresh from `env` for each call, and the
    environment is restored after it (an app test in the same process keeps its own)."""
    from typer.testing import CliRunner

    from assistant.cli import app
    from assistant.settings import get_settings

    def invoke(*args: str, env: dict | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
        with monkeypatch.context() as patch:
            for key, value in (env or {}).items():
                patch.setenv(key, value)
            get_settings.cache_clear()
            try:
                result = CliRunner().invoke(app, list(args), input=stdin)
            finally:
                get_settings.cache_clear()
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return subprocess.CompletedProcess(list(args), result.exit_code, result.stdout, result.stderr)

    return invoke


def run_cli(*args: str, stdin: str | None = None, env: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    """The real `relazione` command in a subprocess (stdout and stderr kept apart): for the few
    tests that are about the process itself; the others use the `cli` fixture."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        input=stdin, capture_output=True, text=True, cwd=ROOT, env=full_env, timeout=timeout,
    )


def load_questions() -> list[dict]:
    """Each: {"question": ..., "expected": {"line": <1-based line of the .txt>, "contains": <substring>}}."""
    return [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory) -> str:
    """A real Chroma server on 127.0.0.1 (free port, temp path), stopped at the end of the session."""
    exe = Path(sys.executable).parent / "chroma"
    if not exe.exists():
        pytest.fail(f"the chroma executable is missing next to the interpreter: {exe}")
    path = tmp_path_factory.mktemp("chroma-server")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = path.parent / f"{path.name}.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [str(exe), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_up(proc, f"{url}/api/v2/heartbeat", log_path, "chroma run")
        yield url
    finally:
        stop_process(proc)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A real PostgreSQL server on 127.0.0.1 (free port, a new cluster in a temp path, trust
    authentication; bench/pgserver.py), stopped at the end of the session. Returns the server's
    URL without a database; `postgres_url` makes one database per test."""
    from bench.pgserver import postgres_server as start

    try:
        with start() as url:
            yield url
    except SystemExit as exc:  # PostgreSQL missing, or it did not start: the reason and its log
        pytest.fail(str(exc))


@pytest.fixture
def postgres_url(postgres_server) -> str:
    """A new, empty database on the test PostgreSQL server."""
    from bench.pgserver import new_database

    return new_database(postgres_server)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.server)])
def store_url(request, tmp_path) -> str:
    """Each store test runs on SQLite (the default) and on a real PostgreSQL server."""
    if request.param == "postgresql":
        return request.getfixturevalue("postgres_url")
    return f"sqlite:///{tmp_path / 'relazione.db'}"


def stop_process(proc, timeout: float = 20) -> None:
    """Terminate a server started by a test, killing it if it does not stop in time."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def wait_until_up(proc, health_url: str, log_path: Path, what: str, timeout: float = 60, on_fail=None) -> None:
    """Poll a server's health URL until it answers 200; fail with the tail of its log if the
    process exits or the time runs out (calling `on_fail` first, to stop it)."""
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            pytest.fail(f"{what} exited with {proc.returncode}: {log_path.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(health_url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            if on_fail:
                on_fail()
            pytest.fail(f"{what} did not answer within {timeout:.0f} s: {log_path.read_text(errors='replace')[-3000:]}")
        time.sleep(0.2)


def make_settings(data_dir: Path, backend: str, request, collection: str | None = None):
    from assistant.settings import Settings

    extra = {}
    if backend == "server":
        extra["chroma_url"] = request.getfixturevalue("chroma_server")
    if collection:
        extra["chroma_collection"] = collection
    return Settings(data_dir=data_dir, **extra)


def _ingest_corpus(settings):
    from assistant.workspace import Workspace, expand

    ws = Workspace(settings)
    for path in expand([CORPUS]):
        ws.ingest(path)
    return ws


@pytest.fixture(scope="session")
def embedded_corpus_ws(tmp_path_factory):
    """The bundled corpus ingested once (store + embedded Chroma) into a temp data dir."""
    from assistant.settings import Settings

    return _ingest_corpus(Settings(data_dir=tmp_path_factory.mktemp("corpus-embedded")))


@pytest.fixture(scope="session")
def server_corpus_ws(tmp_path_factory, chroma_server):
    """The bundled corpus ingested once into a temp store and the `chroma run` server."""
    from assistant.settings import Settings

    return _ingest_corpus(Settings(data_dir=tmp_path_factory.mktemp("corpus-server"), chroma_url=chroma_server))


@pytest.fixture(scope="session", params=BACKENDS)
def corpus_ws(request):
    """The ingested corpus, once per Chroma backend: tests using it run against both."""
    return request.getfixturevalue(f"{request.param}_corpus_ws")


@pytest.fixture(scope="session")
def pdf_ws(tmp_path_factory):
    """Only the PDF of the Relazione ingested (embedded Chroma): hits cite pages."""
    from assistant.settings import Settings
    from assistant.workspace import Workspace

    ws = Workspace(Settings(data_dir=tmp_path_factory.mktemp("pdf")))
    ws.ingest(RELAZIONE_PDF)
    return ws


@pytest.fixture(params=BACKENDS)
def fresh_settings(request, tmp_path):
    """Settings for an empty store and index of this test only (own data dir, own collection)."""
    return make_settings(tmp_path, request.param, request, collection=f"test-{uuid.uuid4().hex[:12]}")


@pytest.fixture
def cli_env(monkeypatch):
    """Point the CLI (which reads its settings from the environment) at the given settings."""
    from assistant.settings import get_settings

    def use(settings) -> None:
        monkeypatch.setenv("RELAZIONE_DATA_DIR", str(settings.data_dir))
        monkeypatch.setenv("RELAZIONE_CHROMA_COLLECTION", settings.chroma_collection)
        if settings.chroma_url:
            monkeypatch.setenv("RELAZIONE_CHROMA_URL", settings.chroma_url)
        else:
            monkeypatch.delenv("RELAZIONE_CHROMA_URL", raising=False)
        get_settings.cache_clear()

    yield use
    get_settings.cache_clear()
