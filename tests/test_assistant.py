"""Staff questions answered with no language model: intents, facts, sources, verification."""

from __future__ import annotations

import json

import pytest

from conftest import DATA

QUESTIONS = [json.loads(line) for line in (DATA / "staff-questions.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def assistant(embedded_corpus_ws):
    from assistant.chat import Assistant, passage_search

    return Assistant(embedded_corpus_ws, search=passage_search(embedded_corpus_ws))


def test_the_question_set_covers_every_intent():
    assert len(QUESTIONS) >= 25
    intents = {q["intent"] for q in QUESTIONS}
    assert intents == {"target_changes", "below_target", "achievement", "indicator", "count", "financial",
                       "interventions", "resources", "findings", "retrieval", "clarify"}


@pytest.mark.model
@pytest.mark.parametrize("case", QUESTIONS, ids=[q["question"][:50] for q in QUESTIONS])
def test_staff_question(assistant, case):
    answer = assistant.ask(case["question"])
    assert answer.intent == case["intent"]
    assert answer.year == case["year"]
    assert answer.verified, answer.unverified_numbers
    cited = {f.id for f in answer.facts}
    assert set(case["facts"]) <= cited, set(case["facts"]) - cited
    text = answer.markdown()
    for expected in case["contains"]:
        assert expected in text
    assert answer.used_llm is False and "nessun modello" in answer.note
    # every fact cited in the answer has a source: a printed cell or the facts it came from
    assert all(f.source for f in answer.facts)


@pytest.mark.model
def test_a_staff_question_answers_only_what_it_names(assistant):
    """Scoped answers: one strategic objective's amount, one area's counts, not the whole table."""
    spent = assistant.ask("Quanto è stato speso per l'internazionalizzazione?")
    assert {f.id for f in spent.facts} == {"int:1.1", "share(int:1.1,int:totale)", "int:totale"}
    area = assistant.ask("Quanti indicatori ci sono nell'area 2?")
    assert "count:indicators:2019" not in {f.id for f in area.facts}
    people = assistant.ask("Quante persone lavorano alla Camera?")
    assert people.intent == "retrieval"  # the tables count objectives, not staff


@pytest.mark.model
def test_target_changes_lists_the_inconsistencies(assistant):
    answer = assistant.ask("Quali obiettivi hanno cambiato target quest'anno?")
    assert answer.answer.count("**non riportata dalle tabelle**") == 4
    assert answer.answer.count("**senza spiegazione nella sezione 5**") == 2
    lines = {s.line for s in answer.sources if s.kind == "dato"}
    assert {535, 536, 394, 264, 238, 366} <= lines


@pytest.mark.model
def test_retrieval_answers_quote_the_passage_with_its_line(assistant):
    answer = assistant.ask("Perché è stato eliminato il progetto Ultranet?")
    passages = [s for s in answer.sources if s.kind == "passaggio"]
    assert passages and passages[0].line == 534
    assert "indisponibilità di risorse Unioncamere - MISE" in answer.answer


@pytest.mark.model
def test_deviation_causes_come_from_the_same_year(assistant):
    answer = assistant.ask("Quali indicatori non hanno raggiunto il target nel 2020 e perché?")
    # the only narrative in the corpus is the 2019 Relazione: it cannot explain 2020
    assert "[causa da indicare]" in answer.answer
    assert not [s for s in answer.sources if s.kind == "passaggio"]


@pytest.mark.model
def test_unknown_year_is_said_plainly(assistant):
    answer = assistant.ask("Qual è il grado di raggiungimento nel 2015?")
    assert "2015" in answer.answer and "anni disponibili" in answer.answer
    assert not answer.facts


@pytest.mark.model
def test_ask_cli_reads_questions_from_stdin(cli, embedded_corpus_ws):
    env = {"RELAZIONE_DATA_DIR": str(embedded_corpus_ws.settings.data_dir)}
    questions = "Quali indicatori sono sotto target nel 2020?\nCome è andata l'occupazione in provincia?\n"
    result = cli("ask", "-", stdin=questions, env=env)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["question"] for r in rows] == questions.split("\n")[:2]
    for row in rows:
        assert set(row) >= {"question", "answer", "verified", "unverified_numbers", "sources", "facts"}
        assert row["verified"] is True and row["unverified_numbers"] == []
    assert any(f["id"] == "3.1/1.1/1#achievement" and f["value"] == "81,82%" for f in rows[0]["facts"])
    assert rows[1]["sources"][0]["kind"] == "passaggio" and rows[1]["sources"][0]["line"] == 101


@pytest.mark.model
def test_target_changes_from_the_pdf(pdf_ws):
    """In the PDF all section 5 claims sit on page 25: each finding keeps its own claim."""
    from assistant.chat import Assistant, passage_search

    answer = Assistant(pdf_ws, search=passage_search(pdf_ws)).ask("Quali obiettivi hanno cambiato target quest'anno?")
    assert answer.verified
    text = answer.answer
    assert "obiettivo 3.2.2.1" in text and "obiettivo 1.3.1.1" in text
    assert "spostato da 3.1.2 a 3.1.1" in text and "spostato da 3.1.1 a 3.1.2" in text
    assert "2.4.2" in text and text.count("(pag. 25)") == 5
    assert text.count("**non riportata dalle tabelle**") == 4
    assert {s.page for s in answer.sources if s.kind == "dato"} >= {12, 20, 25}
