"""'Verificata' never hides a doubtful source: a number an open finding concerns (or one computed
from such a number) carries a note beside it and is listed in the answer's `warnings`."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import RELAZIONE_TXT


def _book():
    from assistant.facts import Doubt, Fact, FactBook

    book = FactBook()
    book.add(Fact(id="a", value=Decimal(5), unit="N.", label="consuntivo A"))
    book.add(Fact(id="b", value=Decimal(7), unit="N.", label="consuntivo B"))
    book.difference(book["b"], book["a"], "B meno A")
    book.doubt("a", Doubt(kind="finding", note="rilievo aperto: prova", detail="Il consuntivo A è sospetto.", where="f.txt, riga 3"))
    return book


def test_a_doubt_is_written_beside_the_number_and_listed():
    from assistant.writer import Writer

    w = Writer(_book())
    text = w.n("a")
    assert text == "5 N.[^1] (rilievo aperto: prova)"
    [warning] = w.warnings()
    assert (warning.kind, warning.reason, warning.where, warning.detail) == (
        "finding", "rilievo aperto: prova", "f.txt, riga 3", "Il consuntivo A è sospetto.")


def test_a_number_computed_from_a_doubtful_one_says_so_and_a_clean_one_does_not():
    from assistant.facts import DERIVED_NOTE
    from assistant.writer import Writer

    w = Writer(_book())
    assert w.n("b") == "7 N.[^1]" and not w.warnings()
    assert w.n("diff(b,a)").endswith(f"({DERIVED_NOTE})")
    assert [x.fact for x in w.warnings()] == ["diff(b,a)"]


def test_notes_carry_no_digits():
    """The verifier reads every number of a text: a note must not add one."""
    from assistant.doubts import doubt_note
    from ingest.model import FindingKind

    notes = [doubt_note(k) for k in FindingKind]
    assert any(notes)
    assert not [n for n in notes if n and any(c.isdigit() for c in n)]


@pytest.fixture(scope="module")
def fake_row_store(tmp_path_factory, relazione_txt):
    """The Relazione with a fake row added to a table of strategic indicators (weights then sum to
    200% for that objective), stored as the only document."""
    from assistant.store import Store
    from ingest.pipeline import read_report

    ind = next(i for i in relazione_txt.indicators() if i.section == "3.1")
    lines = RELAZIONE_TXT.read_text(encoding="utf-8").split("\n")
    lines.insert(ind.source.line, lines[ind.source.line - 1].replace(ind.name, "Indicatore aggiunto per prova"))
    report = read_report("\n".join(lines).encode("utf-8"), RELAZIONE_TXT.name)
    d = tmp_path_factory.mktemp("fake") / "data"
    store = Store(f"sqlite:///{d / 'relazione.db'}")
    store.save(report, lambda doc_id: [], None)
    store.engine.dispose()
    return d, ind.strategic_objective


def test_answer_on_a_fake_row_is_flagged_beside_the_ente_number(fake_row_store):
    from assistant.chat import Assistant
    from assistant.facts import DERIVED_NOTE
    from assistant.settings import Settings
    from assistant.workspace import Workspace

    data, code = fake_row_store
    answer = Assistant(Workspace(Settings(data_dir=data), index=None)).ask("Qual è il grado di raggiungimento dell'Ente?")
    first = answer.answer.split("\n", 1)[0]
    assert f"[^1] ({DERIVED_NOTE})" in first
    facts = {w.fact for w in answer.warnings if w.kind == "finding"}
    assert "ente:ente#achievement" in facts and f"strategic:{code}#achievement" in facts
    assert all("200,00%" in w.detail for w in answer.warnings)
    assert "rilievo aperto: pesi che non sommano al cento per cento" in answer.answer


def test_cli_json_lists_the_warnings(cli, fake_row_store):
    import json

    data, _ = fake_row_store
    result = cli("ask", "Qual è il grado di raggiungimento dell'Ente?", "--format", "json",
                     env={"RELAZIONE_DATA_DIR": str(data)})
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["verified"] is True
    assert {w["kind"] for w in payload["warnings"]} == {"finding"}
    assert all(w["number"].split(" [^")[0] + "[^" in payload["answer"] for w in payload["warnings"])


def test_draft_of_the_corpus_flags_the_printed_consuntivo_that_does_not_match(tmp_path, relazione_txt):
    from assistant.chat import Assistant
    from assistant.drafts import FINDINGS_HEADER
    from assistant.settings import Settings
    from assistant.workspace import Workspace

    ws = Workspace(Settings(data_dir=tmp_path), index=None)
    ws.store.save(relazione_txt, lambda doc_id: [], None)
    draft = Assistant(ws).draft("scostamenti")
    assert draft.verified, draft.problems
    assert FINDINGS_HEADER in draft.markdown
    assert "23.532,93%[^4] (rilievo aperto: consuntivo diverso dai valori misure)" in draft.markdown
    # the measures themselves are not what the finding doubts
    assert "560 N.[^1]," in draft.markdown


def test_ui_badges_and_lines_per_kind():
    from assistant import ui_data
    from assistant.writer import NumberWarning

    warnings = [
        NumberWarning(number="1 [^1]", fact="x", label="x", where="a.pdf, pag. 2", reason="letto da scansione: da verificare"),
        NumberWarning(number="2 [^2]", fact="y", label="y", where="a.pdf, pag. 3", reason="rilievo aperto: prova",
                      kind="finding", detail="I pesi **non** sommano"),
    ]
    badges = ui_data.warning_badges(warnings)
    assert len(badges) == 2 and ui_data.FINDINGS_BADGE in badges[1]
    lines = ui_data.warning_lines(warnings)
    assert len(lines) == 2 and "\\*\\*non\\*\\*" in lines[1]
