"""The `relazione` program's process: the launcher's collector pause and the exit without
teardown (`assistant.launch`, `assistant.cli_output.leave`). Run in subprocesses where the
behaviour is the process's own (its exit status, what reaches the pipe, the exit functions)."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import tomllib

import pytest

import assistant.cli
from assistant import launch
from conftest import ROOT, run_cli

pytestmark = pytest.mark.slow  # processes


def _python(code: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, **env}, timeout=120)


@pytest.mark.fast
def test_launcher_runs_the_command_with_the_collector_on_and_the_imports_frozen(monkeypatch):
    seen = {}

    def command() -> None:
        seen["enabled"], seen["frozen"] = gc.isenabled(), gc.get_freeze_count()

    monkeypatch.setattr(assistant.cli, "main", command)
    try:
        launch.main()
    finally:
        gc.unfreeze()
    assert seen["enabled"] is True
    assert seen["frozen"] > 1000  # every object alive after the imports, this test process's included


def test_console_script_is_the_launcher():
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts == {"relazione": "assistant.launch:main"}


def test_a_command_ends_with_its_status_and_its_whole_output(tmp_path):
    data = {"RELAZIONE_DATA_DIR": str(tmp_path / "data")}
    listed = run_cli("documents", "--format", "json", env=data)
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == {"documents": []}
    missing = run_cli("remove", "nessuno", env=data)
    assert missing.returncode == 1
    assert "nessuno" in missing.stderr and "Traceback" not in missing.stderr


def test_leave_runs_the_exit_functions_and_flushes_a_large_output():
    done = _python(
        "import atexit, sys\n"
        "from assistant.cli_output import leave\n"
        "atexit.register(lambda: print('uscita registrata'))\n"
        "sys.stdout.write('x' * 1_000_000)\n"
        "leave(3)\n"
    )
    assert done.returncode == 3
    assert done.stdout == "x" * 1_000_000 + "uscita registrata\n"


def test_leave_with_a_message_prints_it_and_fails():
    done = _python("from assistant.cli_output import leave\nleave('qualcosa non va')\n")
    assert (done.returncode, done.stderr) == (1, "qualcosa non va\n")


def test_a_reader_that_leaves_early_ends_the_command_quietly():
    """`relazione documents | head`: the reader is gone while the command still prints."""
    child = subprocess.Popen([sys.executable, "-c", (
        "import sys, time\n"
        "from assistant import cli\n"
        "def rumore() -> None:\n"
        "    time.sleep(0.5)\n"
        "    for _ in range(100_000):\n"
        "        print('riga')\n"
        "cli.app.command()(rumore)\n"
        "sys.argv = ['relazione', 'rumore']\n"
        "cli.main()\n")], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()
    errors = child.stderr.read()
    assert child.wait(timeout=120) == 1
    assert errors == b""


@pytest.mark.model
def test_an_ingestion_that_leaves_at_once_keeps_its_index(tmp_path):
    """`leave` skips the interpreter's teardown: what the index wrote must already be on disk
    when the ingestion's process ends (a second process reads it whole)."""
    from assistant.index import ChromaIndex
    from assistant.settings import Settings
    from assistant.workspace import Workspace

    env = {"RELAZIONE_DATA_DIR": str(tmp_path / "data"), "RELAZIONE_CHROMA_URL": ""}
    done = run_cli("ingest", str(ROOT / "corpus" / "relazione-performance-2019-ravenna.txt"), env=env)
    assert done.returncode == 0, done.stderr
    settings = Settings(data_dir=tmp_path / "data")
    chunks = Workspace(settings, index=None).store.chunks()
    assert chunks and ChromaIndex(settings, embedder=object()).count() == len(chunks)
    found = run_cli("search", "quante imprese erano registrate alla fine del 2019?", "--k", "2", "--format", "json",
                    env=env)
    assert found.returncode == 0, found.stderr
    assert any("38.674" in hit["text"] for hit in json.loads(found.stdout)["hits"])
