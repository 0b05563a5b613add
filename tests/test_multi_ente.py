"""Several Camere in one store: every query carries the Ente, and one never sees another's data."""

from __future__ import annotations

import pytest

from conftest import RELAZIONE_TXT


@pytest.fixture(scope="module")
def two_enti(tmp_path_factory):
    from assistant.settings import Settings
    from assistant.workspace import Workspace

    folder = tmp_path_factory.mktemp("enti")
    other = RELAZIONE_TXT.read_text(encoding="utf-8").replace("di Ravenna", "di Forlì-Cesena", 1).replace(
        "Lo scenario economico ha fatto registrare", "A Forlì lo scenario economico ha fatto registrare", 1
    )
    (folder / "relazione-2019-forli.txt").write_text(other, encoding="utf-8")
    ws = Workspace(Settings(data_dir=tmp_path_factory.mktemp("enti-data")))
    ws.ingest(RELAZIONE_TXT)
    ws.ingest(folder / "relazione-2019-forli.txt")
    return ws


@pytest.mark.model
def test_both_are_kept_apart(two_enti):
    assert two_enti.store.enti() == ["Camera di commercio di Forlì-Cesena", "Camera di commercio di Ravenna"]
    assert len(two_enti.documents()) == 2  # same year and kind, different Ente: nothing replaced


@pytest.mark.model
def test_a_query_must_name_the_ente(two_enti):
    from assistant.workspace import WorkspaceError

    with pytest.raises(WorkspaceError, match="più Enti"):
        two_enti.view(2019)
    assert two_enti.view(2019, "Forlì").ente == "Camera di commercio di Forlì-Cesena"


@pytest.mark.model
def test_search_sees_only_its_ente(two_enti):
    forli = two_enti.search("scenario economico frenata", 10, ente="Forlì")
    ravenna = two_enti.search("scenario economico frenata", 10, ente="Ravenna")
    assert forli and all(h.ente == "Camera di commercio di Forlì-Cesena" for h in forli)
    assert ravenna and all(h.ente == "Camera di commercio di Ravenna" for h in ravenna)
    assert any("A Forlì" in h.text for h in forli) and not any("A Forlì" in h.text for h in ravenna)


@pytest.mark.model
def test_answers_stay_within_the_ente(cli, two_enti):
    from assistant.chat import Assistant, passage_search

    assistant = Assistant(two_enti, search=passage_search(two_enti))
    answer = assistant.ask("Come è andata l'economia provinciale?", ente="Ravenna")
    assert answer.ente == "Camera di commercio di Ravenna"
    assert "A Forlì" not in answer.answer
    env = {"RELAZIONE_DATA_DIR": str(two_enti.settings.data_dir)}
    result = cli("indicators", "--year", "2019", "--format", "json", env=env)
    assert result.returncode != 0 and "--ente" in result.stderr


@pytest.mark.model
def test_the_camera_named_in_the_question_selects_the_ente(two_enti):
    from assistant.chat import Assistant, Session, passage_search

    assistant = Assistant(two_enti, search=passage_search(two_enti))
    forli = assistant.ask("Quanti indicatori ha la Camera di Forlì-Cesena nel 2019?")
    assert forli.ente == "Camera di commercio di Forlì-Cesena" and forli.intent == "count" and forli.verified
    ravenna = assistant.ask("CCIAA di Ravenna: come è andata l'economia provinciale?")
    assert ravenna.ente == "Camera di commercio di Ravenna" and "A Forlì" not in ravenna.answer
    # several Camere, none named: a short question back, not an error with the whole list
    which = assistant.ask("Quali indicatori sono sotto target?")
    assert which.intent == "clarify" and which.answer.startswith("Di quale Camera?") and len(which.answer) < 200
    absent = assistant.ask("Qual è il raggiungimento della Camera di Ferrara?")
    assert "Ferrara" in absent.answer and "Forlì-Cesena" in absent.answer and not absent.facts
    # a follow-up keeps the Camera of the conversation
    session = Session()
    assistant.ask("Quanti indicatori ha la Camera di Forlì-Cesena nel 2019?", session=session)
    follow = assistant.ask("e quanti obiettivi strategici?", session=session)
    assert follow.ente == "Camera di commercio di Forlì-Cesena"


@pytest.mark.model  # the fixture indexes both Relazioni with the embedder
def test_the_store_question_lists_the_camere_and_a_bare_camera_di_is_no_camera(two_enti):
    from assistant.chat import Assistant, passage_search

    assistant = Assistant(two_enti, search=passage_search(two_enti))
    store = assistant.ask("quali camere ci sono nello store?")  # several Camere, none named: no question back
    assert store.intent == "library" and store.verified
    assert "Forlì-Cesena" in store.answer and "Ravenna" in store.answer
    # 'la camera di diritto annuale' names no place: a question on the bilancio line, not a missing Camera
    annual = assistant.ask("quanto ha incassato la camera di diritto annuale nel 2019 a Ravenna?")
    assert "Nello store non ci sono documenti" not in annual.answer


@pytest.mark.model  # the fixture indexes both Relazioni with the embedder
def test_with_several_camere_a_place_tells_which_and_the_answer_names_it(two_enti):
    from assistant.chat import Assistant, passage_search

    assistant = Assistant(two_enti, search=passage_search(two_enti))
    answer = assistant.ask("com'è andata la digitalizzazione a Forlì nel 2019?")
    assert answer.ente == "Camera di commercio di Forlì-Cesena" and answer.intent == "achievement" and answer.verified
    assert answer.answer.startswith("Camera di commercio di Forlì-Cesena – ")  # which Camera, said first
