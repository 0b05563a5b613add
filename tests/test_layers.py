"""The layers stay one-way: ingest/ never imports assistant/ or streamlit; the core is light."""

from __future__ import annotations

import ast
import subprocess
import sys

from conftest import ROOT

FORBIDDEN = ("assistant", "streamlit", "chromadb", "sentence_transformers", "langchain", "langchain_core")


def test_ingest_sources_never_import_upper_layers():
    offenders = []
    for path in (ROOT / "ingest").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            offenders += [(path.name, n) for n in names if n.split(".")[0] in FORBIDDEN]
    assert not offenders


def test_core_imports_without_heavy_dependencies():
    code = (
        "import sys, ingest.pipeline, ingest.checks, ingest.compare, ingest.scoring, ingest.records;"
        f"bad = [m for m in {FORBIDDEN!r} if m in sys.modules]; assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_every_command_is_in_the_readme():
    from assistant.cli import app

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = [c.name or c.callback.__name__ for c in app.registered_commands]
    assert "search" in names
    for name in names:
        assert f"relazione {name}" in readme, name


def _imports(path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


def test_only_the_app_imports_streamlit():
    offenders = [
        (path.name, name)
        for package in ("ingest", "assistant")
        for path in (ROOT / package).rglob("*.py")
        for name in _imports(path)
        if name.split(".")[0] in ("streamlit", "altair")
    ]
    assert not offenders


def test_the_app_holds_widgets_and_session_state_only():
    """Pages reach the product through the workspace, the assistant and `assistant.ui_data`
    (which shapes everything they show); they never reach into ingestion or the store."""
    allowed = {"__future__", "threading", "dataclasses", "pathlib", "streamlit", "altair", "pandas", "app_pages",
               "assistant", "assistant.ui_data", "assistant.chat", "assistant.workspace", "assistant.settings"}
    files = [ROOT / "streamlit_app.py", *(ROOT / "app_pages").glob("*.py")]
    offenders = [(p.name, n) for p in files for n in _imports(p) if n not in allowed]
    assert not offenders


def _assistant_imports(path) -> set[str]:
    """The assistant modules a module imports (relative or absolute), by their first name."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level >= 1 and path.parent.name == "assistant":
            names.add((node.module or "").split(".")[0] or next(a.name for a in node.names))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("assistant."):
            names.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            names |= {a.name.split(".")[1] for a in node.names if a.name.startswith("assistant.")}
    return names


def test_the_cli_imports_no_ui_module():
    for name in ("cli.py", "cli_chat.py", "cli_output.py"):
        assert not _assistant_imports(ROOT / "assistant" / name) & {"ui_data"}, name
        assert not {n for n in _imports(ROOT / "assistant" / name) if n.split(".")[0] in ("streamlit", "app_pages")}


# the store side: documents, chunks, index, retrieval, versions (the check before a new
# version replaces the current one) and the workspace's scored views
STORE_SIDE = {"store", "store_schema", "versions", "workspace", "views", "index", "retrieval", "chunks", "settings"}


def test_the_store_side_imports_nothing_of_the_answering_side():
    offenders = {
        (name, imported)
        for name in STORE_SIDE
        for imported in _assistant_imports(ROOT / "assistant" / f"{name}.py")
        if imported not in STORE_SIDE
    }
    assert not offenders
