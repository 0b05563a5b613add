"""The same Relazione in the layouts Camere really publish: every layout gives the 128 rows of
the truth on every field, as the corpus does (tests/test_golden.py), and says how it was read.

The zoo (tests/data/layouts) is made by scripts/make_layouts.py from the corpus text and
committed, so that the suite reads the files without rendering them; one test renders the
Word layout again through python-docx and LibreOffice, to keep the script working.
"""

from __future__ import annotations

import json
import shutil

import pytest

from bench.accuracy import FIELDS, expected_value, field_accuracy, same
from conftest import RELAZIONE_TXT, ROOT, SHARED_LAYOUTS

ZOO = ROOT / "tests" / "data" / "layouts"
# layout -> the strategy its tables are read by
EXACT = {
    SHARED_LAYOUTS / "grid-merged.pdf": "cells",
    SHARED_LAYOUTS / "borderless-zebra.pdf": "words",
    ZOO / "merged-grid.pdf": "cells",
    ZOO / "mixed-orientation.pdf": "cells",
    ZOO / "word-merged.docx": "cells",
    ZOO / "landscape-plain.pdf": "words",
    ZOO / "merged-rules.pdf": "rules",
}
# Layouts whose renderer lost what tells one reading from another: every field exact but these.
# The text prints 'nuovi media -realizzazione' (a word-initial hyphen); Chromium and LibreOffice
# both break the line after that hyphen, and print no space character at any line end, so the
# PDF cannot tell it from 'nuovi media - realizzazione' (a dash between words, the usual
# Italian spelling, which the reader keeps).
RENDERER_LOST = {
    ZOO / "portrait-rules.pdf": ("rules", {(111, "descrizione")}),
    ZOO / "word-merged-libreoffice.pdf": ("cells", {(111, "descrizione")}),
}


@pytest.fixture(scope="session")
def extracted() -> dict:
    """Each layout extracted once per session."""
    from assistant.workspace import Workspace

    workspace = Workspace(index=None)
    return {path: workspace.extract(path) for path in [*EXACT, *RENDERER_LOST]}


def _rows(extraction) -> list[dict]:
    return [r.model_dump(mode="json") for r in extraction.indicators]


def mismatches(truth: dict, extraction) -> list[tuple]:
    """(truth id, field, expected, extracted) for every field that differs, row by row."""
    rows = _rows(extraction)
    assert len(rows) == len(truth["indicators"]) == 128
    out = []
    for want, got in zip(truth["indicators"], rows):
        for field in FIELDS:
            expected = expected_value(want, field, printed_pdf=True)
            if not same(expected, got[field]):
                out.append((want["id"], field, expected, got[field]))
    return out


@pytest.mark.parametrize("path", EXACT, ids=[p.name for p in EXACT])
def test_every_layout_gives_every_row_exactly(extracted, truth, path):
    assert not mismatches(truth, extracted[path])[:5]
    accuracy, _ = field_accuracy(truth["indicators"], _rows(extracted[path]))
    assert accuracy == 1.0


@pytest.mark.parametrize("path", RENDERER_LOST, ids=[p.name for p in RENDERER_LOST])
def test_layouts_are_exact_but_for_what_the_renderer_lost(extracted, truth, path):
    strategy, lost = RENDERER_LOST[path]
    assert {(row_id, field) for row_id, field, _, _ in mismatches(truth, extracted[path])} == lost
    assert {t.strategy for t in extracted[path].layout.tables} == {strategy}


@pytest.mark.parametrize("path", EXACT, ids=[p.name for p in EXACT])
def test_the_layout_says_how_each_table_was_read(extracted, path):
    layout = extracted[path].layout
    assert layout.reader == path.suffix[1:]
    assert {t.strategy for t in layout.tables} == {EXACT[path]}
    performance = [t for t in layout.tables if t.columns >= 8]
    assert performance and all(t.rows > 0 for t in performance)
    if layout.reader == "pdf":
        # a table printed over several pages (its header repeated on each) is one table
        assert any(len(t.pages) >= 3 for t in performance)


def test_merged_cells_and_repeated_headers(extracted):
    grid = extracted[SHARED_LAYOUTS / "grid-merged.pdf"]
    # every indicator of a merged objective cell got its objective
    assert {r.strategic_objective for r in grid.indicators if r.section == "3.1"} >= {"1.1", "1.2", "3.2.3"}
    assert not [f for f in grid.findings if f.kind == "row_not_parsed"]


def test_a_word_file_cites_table_row_and_headings(extracted):
    docx = extracted[ZOO / "word-merged.docx"]
    source = docx.indicators[0].source
    assert source.page is None and source.line is None
    assert source.label.startswith("tabella ") and ", riga" in source.label and "(" in source.label


def test_extract_prints_the_layout(cli):
    result = cli("extract", str(RELAZIONE_TXT), "--format", "json")
    assert result.returncode == 0, result.stderr
    layout = json.loads(result.stdout)["layout"]
    assert layout["reader"] == "text"
    assert {t["strategy"] for t in layout["tables"]} == {"tabs"}
    assert all(t["source"]["line"] for t in layout["tables"])
    table = cli("extract", str(RELAZIONE_TXT), "--format", "table", env={"COLUMNS": "200"})
    assert table.returncode == 0, table.stderr
    assert "Come sono state lette le tabelle (lettore: text)" in table.stdout
    assert "tabulazioni" in table.stdout


@pytest.mark.slow  # LibreOffice renders the Word file: tens of seconds
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (libreoffice-writer-nogui) non installato")
def test_the_zoo_script_renders_the_word_layout(tmp_path):
    import subprocess
    import sys

    import pdfplumber

    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_layouts.py"), str(tmp_path), "--only", "word-merged"],
        capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "word-merged.docx").stat().st_size > 10_000
    with pdfplumber.open(tmp_path / "word-merged-libreoffice.pdf") as pdf:
        assert len(pdf.pages) > 10 and pdf.pages[0].chars
