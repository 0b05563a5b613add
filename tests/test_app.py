"""The Streamlit app driven by `streamlit.testing.v1.AppTest`: one test per page's main flow.

The app reads its settings from the environment, so each test points RELAZIONE_DATA_DIR at a
data directory: an empty one for the first start, the session's ingested corpus for the tests
that only read, a copy of it for the tests that write. The real embedding model is used."""

from __future__ import annotations

import shutil

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from conftest import ROOT, SHARED_PDFS

pytestmark = pytest.mark.model

APP = str(ROOT / "streamlit_app.py")
TIMEOUT = 300  # the first start loads the corpus and the embedding model


@pytest.fixture
def use_data_dir(monkeypatch):
    from assistant.settings import get_settings

    def use(path) -> None:
        monkeypatch.setenv("RELAZIONE_DATA_DIR", str(path))
        for name in ("RELAZIONE_DATABASE_URL", "RELAZIONE_CHROMA_URL", "RELAZIONE_CHROMA_COLLECTION", "RELAZIONE_LLM"):
            monkeypatch.delenv(name, raising=False)
        get_settings.cache_clear()

    yield use
    get_settings.cache_clear()


@pytest.fixture
def corpus_dir(embedded_corpus_ws, use_data_dir):
    """The corpus ingested once for the session (read only)."""
    use_data_dir(embedded_corpus_ws.settings.data_dir)
    return embedded_corpus_ws.settings.data_dir


@pytest.fixture
def corpus_copy(embedded_corpus_ws, use_data_dir, tmp_path):
    """A copy of the ingested corpus that this test may change."""
    target = tmp_path / "data"
    shutil.copytree(embedded_corpus_ws.settings.data_dir, target)
    use_data_dir(target)
    return target


@pytest.fixture
def downloads(monkeypatch) -> dict[str, bytes]:
    """What the app's download buttons would serve, by file name."""
    served: dict[str, bytes] = {}

    class Recording(MemoryMediaFileStorage):
        def load_and_get_id(self, path_or_data, mimetype, kind, filename=None):
            if filename and isinstance(path_or_data, bytes):
                served[filename] = path_or_data
            return super().load_and_get_id(path_or_data, mimetype, kind, filename)

    monkeypatch.setattr("streamlit.testing.v1.app_test.MemoryMediaFileStorage", Recording)
    return served


def start(page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception, at.exception
    if page:
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, at.exception
    return at


def markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def state(data_dir):
    """(documents, chunk ids in SQL, ids in Chroma) of a data directory."""
    from assistant.settings import Settings
    from assistant.workspace import Workspace

    ws = Workspace(Settings(data_dir=data_dir))
    docs = {(d.id, d.source_file) for d in ws.documents()}
    chunks = {c.id for c in ws.store.chunks()}
    return docs, chunks, ws.index.chunk_ids()


def test_first_start_loads_the_corpus_then_opens_the_chat(tmp_path, use_data_dir):
    use_data_dir(tmp_path / "vuota")
    at = start()
    [status] = at.status
    assert status.label == "Documenti di esempio caricati" and status.state == "complete"
    lines = markdown(at)
    for name in ("relazione-performance-2019-ravenna.pdf", "piano-performance-2019-2021-ravenna-SINTETICO.txt",
                 "consuntivi-2020-ravenna-SINTETICO.csv"):
        assert f"**{name}**" in lines
    assert any("la precedente, relazione-performance-2019-ravenna.pdf, resta nello storico" in s.value for s in at.success)
    assert any("indicizzazione" in c.value for c in at.caption)  # a line per stage
    assert at.title[0].value == "Chiedi all'assistente" and len(at.chat_input) == 1
    assert any(b.label == "Quali obiettivi hanno cambiato target quest'anno?" for b in at.button)
    docs, chunks, index = state(tmp_path / "vuota")
    assert {name for _, name in docs} == {"relazione-performance-2019-ravenna.txt",
                                          "piano-performance-2019-2021-ravenna-SINTETICO.txt",
                                          "consuntivi-2020-ravenna-SINTETICO.csv"}
    assert chunks == index and chunks
    # the next run does not load anything again
    at.run()
    assert not at.status


def test_ask_shows_the_answer_verified_with_its_sources(corpus_dir):
    at = start()
    assert "Ente:** Camera di commercio di Ravenna" in at.sidebar.markdown[-1].value
    assert "nessuno: risposte deterministiche" in at.sidebar.markdown[-1].value
    at.chat_input[0].set_value("Quali obiettivi hanno cambiato target quest'anno?").run()
    assert not at.exception, at.exception
    text = markdown(at)
    assert ":green-badge[:material/verified: verificata]" in text
    assert "3.2.2.1" in text and text.count("**non riportata dalle tabelle**") == 4
    assert "4⁽¹⁾" in text and "30⁽³⁾" in text  # footnote references read as marks, explained in the sources
    [sources] = [e for e in at.expander if e.label.startswith("Fonti")]
    assert "riga 535" in "\n".join(m.value for m in sources.markdown)
    history = at.session_state["chat_history"]
    assert len(history) == 1 and history[0]["answer"].verified
    # suggestions are for a first-time user: after the first answer they move to an expander
    assert not any(b.key == "suggested-0" for b in at.button)
    # a listed answer comes with its table; the history keeps both turns
    at.button(key="suggested-more-2").click().run()
    assert len(at.session_state["chat_history"]) == 2
    frame = at.dataframe[-1].value
    assert len(frame) == 11 and "2020 SINTETICO" in markdown(at)


def test_a_draft_asked_in_the_chat_is_offered_for_download_and_follow_ups_complete_it(corpus_dir, downloads):
    at = start()
    at.chat_input[0].set_value("Quali indicatori sono sotto target nel 2020?").run()
    at.chat_input[0].set_value("fammene la bozza").run()
    assert not at.exception, at.exception
    answer = at.session_state["chat_history"][-1]["answer"]
    assert answer.intent == "draft" and answer.year == 2020 and answer.verified
    [attachment] = answer.attachments
    assert attachment.name == "04-scostamenti-e-azioni-correttive-2020.md"
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Scostamenti e azioni correttive (.md)" in labels
    assert "Scostamenti e azioni correttive" in markdown(at)
    assert len(at.session_state["chat_session"].turns) == 2
    # 'Nuova conversazione' forgets the plans too: a follow-up then stands alone
    at.button(key=[b.key for b in at.button if b.label == "Nuova conversazione"][0]).click().run()
    assert not at.session_state["chat_session"].turns


def test_indicators_filter_below_target_and_download(corpus_dir, downloads):
    at = start("indicatori")
    assert at.selectbox[0].value == 2019
    assert [m.value for m in at.metric][:3] == ["100,00%", "128", "0"]
    at.selectbox[0].set_value(2020).run()
    assert any("2020: dati SINTETICI" in m.value for m in at.markdown)
    assert len(at.expander) == 3
    all_rows = sum(len(d.value) for d in at.dataframe)
    at.toggle(key="below_target").set_value(True).run()
    assert not at.exception, at.exception
    indicator_rows = [r for d in at.dataframe for r in d.value.to_dict("records") if r["Livello"] == "Indicatore"]
    assert len(indicator_rows) == 11 and sum(len(d.value) for d in at.dataframe) < all_rows
    assert all(r["Valutazione"] != "raggiunto" or r["Raggiungimento"] != "100,00%" for r in indicator_rows)
    [button] = at.get("download_button")
    assert button.label == "Scarica gli indicatori in CSV (11)"
    data = downloads["indicatori-2020-sotto-target.csv"].decode("utf-8-sig")
    assert data.splitlines()[0].startswith("sezione;area;") and len(data.splitlines()) == 12
    assert ";81,82;" in data
    # the findings list for the OIV
    at.selectbox[0].set_value(2019).run()
    assert len(at.table[-1].value) == 13  # 12 + the cross-table check (spese promozionali = 2018 interventi)


def test_generate_edit_and_download_a_draft(corpus_dir, downloads):
    at = start("bozze")
    at.selectbox[0].set_value("scostamenti")
    at.selectbox[1].set_value(2020)
    next(b for b in at.button if b.label == "Genera bozza").click().run()
    assert not at.exception, at.exception
    text = markdown(at)
    assert "**Scostamenti e azioni correttive** – 2020" in text and ":green-badge[:material/verified: verificata]" in text
    assert ":orange-badge[:material/science: SINTETICO]" in text
    draft = at.session_state["draft"]
    assert at.text_area(key="draft_text").value == draft.markdown
    assert downloads["04-scostamenti-e-azioni-correttive-2020.md"].decode("utf-8") == draft.markdown
    # an edit with an invented number is caught, highlighted and never downloaded silently
    edited = draft.markdown.replace("\n\n", "\n\nLe imprese coinvolte sono state 12.345.\n\n", 1)
    at.text_area(key="draft_text").set_value(edited).run()
    assert not at.exception, at.exception
    assert ":red-badge[:material/warning: NON verificata]" in markdown(at)
    assert "12.345" in at.error[0].value
    assert any(":red-background[**12.345**]" in m.value for m in at.markdown)
    served = downloads["04-scostamenti-e-azioni-correttive-2020.md"].decode("utf-8")
    assert served.startswith("> ATTENZIONE: questa bozza contiene numeri non verificati: 12.345") and edited in served
    # fixing the text verifies again
    at.text_area(key="draft_text").set_value(draft.markdown).run()
    assert ":green-badge[:material/verified: verificata]" in markdown(at) and not at.error


def test_a_bad_upload_shows_the_cli_message_and_changes_nothing(cli, corpus_copy):
    encrypted = SHARED_PDFS / "password-example.pdf"
    refused = cli("ingest", str(encrypted), env={"RELAZIONE_DATA_DIR": str(corpus_copy.parent / "cli")})
    before = state(corpus_copy)
    at = start("documenti")
    assert len(at.table[0].value) == 3
    assert "SINTETICO" in set(at.table[0].value["Dati"])
    at.file_uploader[0].set_value((encrypted.name, encrypted.read_bytes(), "application/pdf")).run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [refused.stderr.strip()]
    assert "protetto da password" in at.error[0].value
    assert at.status[0].state == "error" and at.status[0].label == "File non caricati: 1 su 1"
    assert state(corpus_copy) == before
    # the same file again changes nothing
    csv = ROOT / "corpus" / "consuntivi-2020-ravenna-SINTETICO.csv"
    at.file_uploader[0].set_value((csv.name, csv.read_bytes(), "text/csv")).run()
    assert any("già in archivio, stessa versione (nessuna modifica)" in s.value for s in at.success)
    assert len(at.table[0].value) == 3
    # and a document can be removed
    from assistant.settings import Settings
    from assistant.workspace import Workspace

    # the user picks the third document (a regression: `Store.find` matched the first one)
    consuntivi = next(d for d in Workspace(Settings(data_dir=corpus_copy), index=None).documents() if d.kind == "consuntivi")
    at.selectbox(key="remove_choice").set_value(consuntivi.id).run()
    next(b for b in at.button if b.label == "Rimuovi").click().run()
    assert not at.exception, at.exception
    assert any(s.value.startswith("Rimosso: consuntivi-2020") for s in at.success)
    assert len(at.table[0].value) == 2
    docs, chunks, index = state(corpus_copy)
    assert chunks == index and {name for _, name in docs} == {
        "relazione-performance-2019-ravenna.txt", "piano-performance-2019-2021-ravenna-SINTETICO.txt"}


def test_an_answer_that_compares_items_is_drawn_as_bars(corpus_dir):
    at = start()
    at.chat_input[0].set_value("com'è andata l'area 2 nel 2020?").run()
    assert not at.exception, at.exception
    [chart] = at.get("vega_lite_chart")
    spec = chart.proto.spec
    assert '"type": "bar"' in spec and '"type": "rule"' in spec and '"voce"' in spec  # bars and the threshold line
    answer = at.session_state["chat_history"][-1]["answer"]
    assert answer.chart.bars[0].item == "2.1 Ambiente e sviluppo sostenibile (D5)"
    assert answer.chart.bars[0].text == "62,50%" and answer.chart.threshold == 90  # the answer's own numbers


def test_year_comparison_charts_and_tables(corpus_dir):
    at = start("confronto")
    charts = at.get("vega_lite_chart")
    assert len(charts) == 4
    tables = [d.value for d in at.dataframe]
    assert list(tables[0].columns) == ["Voce", "2016", "2017", "2018", "2019"]
    yoy = tables[1].set_index("Voce")
    assert yoy.loc["Totale proventi correnti (A)", "2019 su 2018 (%)"] == "-5,0%"
    areas = tables[2].set_index("Area")
    assert areas.loc["Ente", "2020 (SINTETICO)"] == "87,79% (parzialmente raggiunto)"


def test_with_several_enti_the_session_chooses_one(corpus_copy, tmp_path):
    from assistant.settings import Settings
    from assistant.workspace import Workspace
    from conftest import RELAZIONE_TXT

    other = RELAZIONE_TXT.read_text(encoding="utf-8").replace("di Ravenna", "di Forlì-Cesena", 1).replace(
        "Lo scenario economico ha fatto registrare", "A Forlì lo scenario economico ha fatto registrare", 1)
    (tmp_path / "relazione-2019-forli.txt").write_text(other, encoding="utf-8")
    Workspace(Settings(data_dir=corpus_copy)).ingest(tmp_path / "relazione-2019-forli.txt")
    forli, ravenna = "Camera di commercio di Forlì-Cesena", "Camera di commercio di Ravenna"

    at = start()
    choice = at.sidebar.selectbox(key="ente")
    assert choice.options == ["CCIAA di Forlì-Cesena", "CCIAA di Ravenna"]
    choice.set_value(forli).run()
    at.chat_input[0].set_value("Come è andata l'economia provinciale?").run()
    assert not at.exception, at.exception
    answer = at.session_state["chat_history"][-1]["answer"]
    assert answer.ente == forli
    assert answer.sources and {s.file for s in answer.sources if s.file} == {"relazione-2019-forli.txt"}
    at.switch_page("app_pages/indicatori.py").run()
    assert at.main.selectbox[0].options == ["2019"]  # the 2020 actuals are Ravenna's
    at.sidebar.selectbox(key="ente").set_value(ravenna).run()
    assert at.main.selectbox[0].options == ["2019", "2020 (SINTETICO)"]


def test_an_uploaded_file_name_is_shown_as_text(corpus_copy):
    """A name holding a Markdown image and HTML is never rendered: nothing is fetched."""
    before = state(corpus_copy)
    at = start("documenti")
    name = "![x](http://127.0.0.1:9/x.png) <img src=http://127.0.0.1:9/y.png> __nome__.txt"
    at.file_uploader[0].set_value((name, b"Appunti senza tabelle.\n", "text/plain")).run()
    assert not at.exception, at.exception
    shown = [m.value for m in at.markdown] + [e.value for e in at.error]
    assert any("!\\[x\\]" in text for text in shown)
    assert not [text for text in shown if "![x](" in text or "<img" in text.replace("\\<img", "")]
    assert state(corpus_copy) == before


def test_a_version_that_loses_data_waits_for_a_confirmation(corpus_copy, relazione_txt):
    """A damaged copy of the Relazione (a table printed twice) is refused with the comparison;
    'Sostituisci comunque' stores it as the new version and the earlier one stays in the history."""
    import damaged

    copy = damaged.duplicated_table(relazione_txt).encode("utf-8")
    before = state(corpus_copy)
    at = start("documenti")
    at.file_uploader[0].set_value(("relazione-performance-2019-ravenna.txt", copy, "text/plain")).run()
    assert not at.exception, at.exception
    assert any("non sostituisce la versione in archivio" in w.value for w in at.warning)
    shown = markdown(at)  # the comparison: what is in the archive, the new findings
    assert "toglierebbe dati alla versione in archivio" in shown and "In archivio: relazione-performance-2019-ravenna.txt, 128 indicatori." in shown
    assert "rilievo nuovo: " in shown and "stampato più volte" in shown
    assert state(corpus_copy) == before
    next(b for b in at.button if b.label == "Sostituisci comunque").click().run()
    assert not at.exception, at.exception
    assert any("resta nello storico" in s.value for s in at.success)
    history = at.table[1].value
    relazione = history[history["Tipo"] == "Relazione"]
    # the corpus held two versions of the Relazione (PDF, then text: current); the copy is the third
    assert list(relazione["Versione"]) == [1, 2, 3] and list(relazione["Corrente"]) == ["", "", "sì"]
    assert list(relazione["Indicatori"])[-1] > 128 and list(history["Corrente"]).count("sì") == 3
