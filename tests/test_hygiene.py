"""Output hygiene: document text is written as text. CSV cells cannot start a formula, HTML and
Markdown images from a document never reach a draft, an export or the app as markup."""

from __future__ import annotations

import csv
import io

import pytest

from conftest import RELAZIONE_TXT

SCRIPT = "<script>alert(1)</script>"
IMAGE = "![x](http://127.0.0.1:9/x.png)"
FORMULA = '=HYPERLINK("http://127.0.0.1:9/";"N. imprese coinvolte")'


@pytest.mark.parametrize("cell,expected", [
    ("=1+2", "'=1+2"), ("+33", "+33"), ("-5,00", "-5,00"), ("-", "'-"), ("@SUM(A1)", "'@SUM(A1)"),
    ("-inf", "'-inf"), ("\t=1", "'\t=1"), ("1.150", "1.150"), ("testo", "testo"), ("-1e308", "'-1e308"), (3, 3),
])
def test_csv_cells_that_would_start_a_formula_are_neutralised(cell, expected):
    from assistant.hygiene import csv_cell

    assert csv_cell(cell) == expected


def test_markup_is_escaped_but_targets_are_not():
    from assistant.hygiene import as_rendered, escape_markup

    text = f"«{SCRIPT}» {IMAGE} <!-- x --> target <= 10 N. e < 5 e <img src=x>"
    escaped = escape_markup(text)
    assert "<script" not in escaped and "<img" not in escaped and "<!--" not in escaped and "![" not in escaped
    assert "<= 10 N." in escaped and "< 5" in escaped
    assert as_rendered(escaped) == text


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory):
    """The Relazione with HTML, a Markdown image and a formula in its names, stored (no index)."""
    from assistant.store import Store
    from ingest.pipeline import read_report

    text = RELAZIONE_TXT.read_text(encoding="utf-8")
    text = text.replace("Competitività delle imprese", f"Competitività {SCRIPT} delle imprese")
    text = text.replace("N. imprese coinvolte in iniziative per internazionalizzazione", FORMULA)
    report = read_report(text.encode("utf-8"), RELAZIONE_TXT.name)
    assert SCRIPT in report.areas[0].title and report.indicators()[0].name == FORMULA
    d = tmp_path_factory.mktemp("hostile") / "data"
    store = Store(f"sqlite:///{d / 'relazione.db'}")
    store.save(report, lambda doc_id: [], None)
    store.engine.dispose()
    return d


def test_indicators_csv_neutralises_formulas(cli, hostile_store):
    result = cli("indicators", "--format", "csv", env={"RELAZIONE_DATA_DIR": str(hostile_store)})
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout), delimiter=";"))
    names = [r[4] for r in rows[1:]]
    assert "'" + FORMULA in names and FORMULA not in names
    assert not [cell for r in rows[1:] for cell in r if cell and cell[0] in "=+@"]


def test_app_download_neutralises_formulas(hostile_store):
    from assistant.settings import Settings
    from assistant.ui_data import indicator_csv_bytes
    from assistant.workspace import Workspace

    records = Workspace(Settings(data_dir=hostile_store), index=None).view(2019).indicator_records()
    text = indicator_csv_bytes(records).decode("utf-8-sig")
    assert f";\"'{FORMULA.replace(chr(34), chr(34) * 2)}\";" in text


def test_drafts_answers_and_exports_escape_html(hostile_store, tmp_path):
    from assistant.chat import Assistant
    from assistant.settings import Settings
    from assistant.workspace import Workspace

    assistant = Assistant(Workspace(Settings(data_dir=hostile_store), index=None))
    draft = assistant.draft("1")
    assert draft.verified, draft.problems
    assert "<script" not in draft.markdown and "&lt;script>alert(1)&lt;/script>" in draft.markdown
    answer = assistant.ask("Qual è il grado di raggiungimento dell'Ente?")
    assert answer.verified and "<script" not in answer.answer + answer.footnotes
    for path in assistant.export(2019, tmp_path / "capitoli", docx=False):
        assert "<script" not in path.read_text(encoding="utf-8"), path


def test_an_edited_draft_is_downloaded_escaped():
    from assistant import ui_data
    from assistant.grounding import Verification

    check = Verification(verified=True, mentions=0, unmatched=[], wrong_references=[])
    assert "<script" not in ui_data.with_warning(f"# Titolo\n\n{SCRIPT}\n", check)


def test_file_names_are_shown_as_text():
    from assistant import ui_data

    name = f"{IMAGE} <img src=http://127.0.0.1:9/y.png> **nome**.txt"
    shown = ui_data.md_escape(ui_data.error_message(ValueError("x"), name))
    # every character Markdown would read is escaped: no image, no tag, no bold
    assert "!\\[x\\]" in shown and "\\<img" in shown and "\\*\\*nome" in shown
