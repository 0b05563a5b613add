"""The reader registry: one reader per format; everything that names formats derives from it."""

from __future__ import annotations

import subprocess
import sys
import types
from pathlib import Path

import pytest

from ingest.errors import UnsupportedFormat
from ingest.model import Loc
from ingest.pipeline import FORMATS, read_report
from ingest.readers import registry
from ingest.readers.blocks import BlockStream, Row, Text

ROOT = Path(__file__).resolve().parents[1]


def test_every_suffix_has_one_reader():
    seen: dict[str, str] = {}
    for reader in registry.readers():
        assert reader.suffixes, reader.name
        assert (reader.blocks is None) != (reader.actuals is None), reader.name
        for suffix in reader.suffixes:
            assert suffix.startswith(".") and suffix == suffix.lower()
            assert suffix not in seen, (suffix, seen.get(suffix), reader.name)
            seen[suffix] = reader.name
    assert set(seen) == set(FORMATS) == set(registry.suffixes())
    assert {".pdf", ".txt", ".md", ".csv", ".xlsx"} <= set(seen)


def test_unsupported_format_names_every_readable_one():
    with pytest.raises(UnsupportedFormat) as err:
        read_report(b"PK\x03\x04", "relazione.odt")
    message = str(err.value)
    assert "formato non supportato (.odt)" in message
    for reader in registry.readers():
        assert reader.label in message


def test_listing_the_formats_loads_no_reader():
    code = ("import sys; from ingest.readers import registry; registry.formats_label(); registry.suffixes();"
            "print(sorted(m for m in sys.modules if m.startswith('ingest.readers.')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout.strip() == "['ingest.readers.registry']"


def test_each_line_names_a_function_that_reads():
    for reader in registry.readers():
        function = reader.blocks or reader.actuals
        assert callable(function) and function.__name__ == reader.function.split(":")[1], reader.name


def test_app_upload_types_and_cli_help_come_from_the_registry():
    from typer.testing import CliRunner

    from assistant import ui_data
    from assistant.cli import app

    assert set(ui_data.UPLOAD_TYPES) == {s.lstrip(".") for s in registry.suffixes()}
    result = CliRunner().invoke(app, ["ingest", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert registry.formats_label() in " ".join(result.output.split())


def test_a_new_format_is_one_module_and_its_registration(monkeypatch):
    """A reader module with its read function, on a line of the registry, is read by the pipeline."""
    def read_fake(data: bytes, name: str, progress=None) -> BlockStream:
        loc = Loc(line=1)
        rows = [Text("Relazione sulla performance 2019 - Camera di commercio di Ravenna", loc, kind="heading", level=1)]
        rows.append(Row(("OBIETTIVO STRATEGICO", "PESO", "INDICATORE", "ALGORITMO", "VALORI MISURE", "CONSUNTIVO", "TARGET"), loc))
        rows.append(Row(("1.1 Internazionalizzazione (D1)", "100%", "", "", "", "", ""), Loc(line=2)))
        rows.append(Row(("100%", "N. imprese", "Numero imprese", "10 N.", "10 N.", ">= 5 N."), Loc(line=3)))
        return BlockStream(tuple(rows))

    module = types.ModuleType(f"{registry.__package__}.fake")
    module.read_fake = read_fake
    monkeypatch.setitem(sys.modules, module.__name__, module)
    fake = registry.Reader("fake", "FAKE", {".fake": "txt"}, "blocks", ".fake:read_fake")
    monkeypatch.setattr(registry, "READERS", (*registry.READERS, fake))
    report = read_report(b"x", "relazione.fake")
    assert "FAKE" in registry.formats_label()
    assert [i.name for i in report.indicators()] == ["N. imprese"]
    assert report.year == 2019 and report.source_format == "txt"
