"""What the app's pages show, built without Streamlit and without the embedding model: labels,
tables, chart series, the indicator CSV, highlighted drafts and the files to download."""

from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal

import pytest

from assistant import ui_data
from assistant.chunks import chunk_report
from assistant.grounding import Verification
from assistant.settings import Settings
from assistant.workspace import Workspace
from conftest import SHARED_PDFS


@pytest.fixture(scope="module")
def ws(tmp_path_factory, relazione_txt, piano, consuntivi) -> Workspace:
    """The corpus (text Relazione, SYNTHETIC Piano and 2020 actuals) in a store with no index."""
    ws = Workspace(Settings(data_dir=tmp_path_factory.mktemp("ui-data")), index=None)
    for report in (piano, relazione_txt, consuntivi):
        ws.store.save(report, lambda doc_id, r=report: chunk_report(r, doc_id), None)
    return ws


@pytest.fixture(scope="module")
def assistant(ws):
    from assistant.chat import Assistant

    return Assistant(ws)  # no retrieval, no model: every number comes from the store


# -- model, errors, progress ----------------------------------------------------------------------


def test_model_label_never_shows_a_key_or_credentials():
    assert Settings().llm_label() == "nessuno: risposte deterministiche"
    settings = Settings(llm="openai:qwen2.5", llm_base_url="https://utente:segreto@llm.example.it:8443/v1",
                        llm_api_key="sk-molto-segreto")
    label = settings.llm_label()
    assert label == "openai:qwen2.5 (server llm.example.it:8443)"
    assert "segreto" not in label and "sk-" not in label and "utente" not in label


def test_a_refused_file_gets_the_cli_message(cli, tmp_path):
    from assistant.workspace import Workspace

    encrypted = SHARED_PDFS / "password-example.pdf"
    ws = Workspace(Settings(data_dir=tmp_path / "app"), index=None)
    with pytest.raises(Exception) as refused:
        ws.ingest_bytes(encrypted.read_bytes(), encrypted.name)
    result = cli("ingest", str(encrypted), env={"RELAZIONE_DATA_DIR": str(tmp_path / "cli")})
    assert result.returncode != 0
    assert ui_data.error_message(refused.value, encrypted.name) == result.stderr.strip()
    assert "protetto da password" in ui_data.error_message(refused.value, encrypted.name)
    assert ui_data.error_message(ValueError("x"), "a.pdf") == "Errore: a.pdf: errore imprevisto (ValueError)"


def test_progress_log_writes_one_line_per_stage():
    log = ui_data.ProgressLog()
    events = [log.update("lettura pagine", d, 3) for d in range(4)] + [log.update("indicizzazione", 32, 44)]
    assert [e.new_stage for e in events] == [True, False, False, False, True]
    assert log.stages == ["lettura pagine", "indicizzazione"]
    assert events[3].fraction == 1.0 and events[3].text == "lettura pagine: 3/3"
    assert ui_data.ProgressLog().update("tabelle", 1, 1).text == "tabelle"


# -- documents -------------------------------------------------------------------------------------


def test_documents_table_marks_the_synthetic_documents(ws):
    rows = {r["File"]: r for r in ui_data.documents_table(ws.documents())}
    assert rows["piano-performance-2019-2021-ravenna-SINTETICO.txt"]["Dati"] == "SINTETICO"
    assert rows["consuntivi-2020-ravenna-SINTETICO.csv"]["Dati"] == "SINTETICO"
    assert rows["relazione-performance-2019-ravenna.txt"]["Dati"] == "reali"
    assert rows["relazione-performance-2019-ravenna.txt"]["Indicatori"] == 128
    assert rows["piano-performance-2019-2021-ravenna-SINTETICO.txt"]["Indicatori"] == 129
    assert rows["consuntivi-2020-ravenna-SINTETICO.csv"]["Indicatori"] == 21  # its actual values
    labels = [ui_data.document_label(d) for d in ws.documents()]
    assert "consuntivi-2020-ravenna-SINTETICO.csv – Consuntivi 2020 [SINTETICO]" in labels


def test_uploader_text_is_italian():
    css = ui_data.uploader_css(ui_data.UPLOAD_TYPES, 200)
    assert 'content: "Scegli i file"' in css
    assert 'content: "Fino a 200 MB per file • PDF, DOCX, TXT, MD, CSV, XLSX"' in css


def test_short_ente_names():
    assert ui_data.ente_short("Camera di commercio di Forlì-Cesena") == "CCIAA di Forlì-Cesena"
    assert ui_data.ente_short("Camera di commercio, industria, artigianato e agricoltura di Ravenna") == "CCIAA di Ravenna"
    assert ui_data.ente_short("Unioncamere Emilia-Romagna") == "Unioncamere Emilia-Romagna"


def test_the_synthetic_year_is_2020(ws):
    assert ui_data.synthetic_years(ws) == {2020}
    assert ui_data.year_label(2020, {2020}) == "2020 (SINTETICO)" and ui_data.year_label(2019, {2020}) == "2019"


# -- indicators ------------------------------------------------------------------------------------


def _indicator_rows(blocks):
    return [row for b in blocks for row in b.rows if row["Livello"] == "Indicatore"]


def test_the_tree_shows_every_indicator_once_under_its_objectives(ws):
    view = ws.view(2019)
    records = view.indicator_records()
    blocks = ui_data.tree_blocks(view.objective_tree(), records)
    assert [b.code for b in blocks] == ["1", "2", "3"]
    assert len(_indicator_rows(blocks)) == len(records) == 128
    first = blocks[0].rows[:2]
    assert first[0]["Livello"] == "Obiettivo strategico" and first[0][ui_data.TREE_ITEM].endswith("1.1 Internazionalizzazione (D1)")
    assert first[1][ui_data.TREE_ITEM].strip() == "▸ N. imprese coinvolte in iniziative per internazionalizzazione"
    assert first[1]["Consuntivo"] == "1.150 N." and first[1]["Target"] == "≥ 200 N."
    assert first[1]["Raggiungimento"] == "100,00%" and first[1]["Fonte"] == "relazione-performance-2019-ravenna.txt, riga 178"
    assert "raggiunto" in blocks[0].heading and "100,00%" in blocks[0].heading


def test_below_target_filter_keeps_the_indicators_and_their_objectives(ws):
    view = ws.view(2020)
    below = view.indicator_records(below_target=True)
    blocks = ui_data.tree_blocks(view.objective_tree(), view.indicator_records(), {r.key for r in below})
    shown = _indicator_rows(blocks)
    assert len(shown) == len(below) == 11
    assert all(row["Valutazione"] != "raggiunto" or row["Raggiungimento"] != "100,00%" for row in shown)
    # every indicator row sits under an objective row of its block
    for block in blocks:
        assert block.rows[0]["Livello"] == "Obiettivo strategico"
    assert ui_data.tree_blocks(ws.view(2019).objective_tree(), ws.view(2019).indicator_records(), set()) == []


def test_summary_and_findings(ws):
    view = ws.view(2019)
    summary = ui_data.indicator_summary(view)
    assert summary == {"Raggiungimento dell'Ente": "100,00%", "Indicatori": "128", "Sotto target": "0",
                       "Segnalazioni per l'OIV": "13"}  # 12 + the cross-table check (ingest/crosscheck.py)
    rows = ui_data.findings_table(view.finding_records())
    assert len(rows) == 13
    rasl = next(r for r in rows if "RASL" in r["Descrizione"])
    assert rasl["Gravità"] == "avviso" and rasl["Tipo"] == "Consuntivo diverso dai valori misure"
    assert rasl["Dove"] == "relazione-performance-2019-ravenna.txt, riga 273"
    moved = next(r for r in rows if "Brevetti e Marchi" in r["Descrizione"])
    assert "sezione 5: riga 532" in moved["Dove"]
    assert ui_data.band_css("non raggiunto").startswith("background-color")
    assert ui_data.band_css("Indicatore") == ""
    assert ui_data.band_badge("parzialmente raggiunto") == ":orange-badge[parzialmente raggiunto]"


def test_indicator_csv_is_for_an_italian_spreadsheet(ws):
    records = ws.view(2020).indicator_records(below_target=True)
    data = ui_data.indicator_csv_bytes(records)
    assert data.startswith("\ufeff".encode("utf-8"))  # Excel reads the accents
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 11
    first = rows[0]
    assert first["indicatore"] == "N. imprese coinvolte in iniziative per internazionalizzazione"
    assert first["raggiungimento_pct"] == "81,82" and first["peso_pct"] == "100,00"
    assert first["consuntivo"] == "180" and first["target"] == "220" and first["operatore_target"] == ">="
    assert first["fonte"] == "consuntivi-2020-ravenna-SINTETICO.csv riga 2"
    assert any(r["target"] == "1.100" for r in rows)  # thousands with a dot


def test_the_cli_writes_the_same_csv(cli, ws, tmp_path):
    env = {"RELAZIONE_DATA_DIR": str(ws.settings.data_dir)}
    result = cli("indicators", "--year", "2020", "--below-target", "--format", "csv", env=env)
    assert result.returncode == 0, result.stderr
    expected = ui_data.indicator_csv(ws.view(2020).indicator_records(below_target=True))
    assert result.stdout == expected.replace("\r\n", "\n")  # the subprocess reads text mode


# -- financial table and years ---------------------------------------------------------------------


def test_financial_series_and_year_over_year(ws):
    series = ui_data.financial_series_for(ws)
    assert series.years == [2016, 2017, 2018, 2019]
    assert series.value("Totale proventi correnti (A)", 2019) == Decimal("7078933")
    assert series.groups["1) Diritto Annuale"] == "proventi"
    assert series.groups["6) Personale"] == "oneri"
    assert series.groups["Risultato della gestione corrente (A-B)"] == "risultato"
    assert series.groups["C) GESTIONE FINANZIARIA"] == "altro"
    values = {r["Voce"]: r for r in ui_data.financial_values_table(series)}
    assert values["Totale proventi correnti (A)"]["2019"] == "7.078.933 €"
    assert values["E) RETTIFICHE ATTIVITÀ FINANZ"]["2019"] == "—"
    yoy = {r["Voce"]: r for r in ui_data.financial_yoy_table(series)}
    row = yoy["Totale proventi correnti (A)"]
    assert row["2019 su 2018"] == "-373.381 €" and row["2019 su 2018 (%)"] == "-5,0%"
    assert yoy["Totale Oneri Correnti (B)"]["2017 su 2016"] == "+690.958 €"  # oneri: less spending


def test_year_over_year_agrees_with_the_assistant(ws, assistant):
    answer = assistant.ask("Confronta i proventi correnti del 2019 con gli anni precedenti")
    yoy = {r["Voce"]: r for r in ui_data.financial_yoy_table(ui_data.financial_series_for(ws))}
    change = yoy["Totale proventi correnti (A)"]["2019 su 2018 (%)"]  # '-5,0%': the answer says it in words
    direction = "in calo" if change.startswith("-") else "in aumento"
    assert f"rispetto al 2018 {direction} di " in answer.answer
    assert f"({change.lstrip('+-')}[^" in answer.answer


def test_chart_series(ws):
    series = ui_data.financial_series_for(ws)
    flows = ui_data.chart_flows(series)
    assert {r["gruppo"] for r in flows} == {"Proventi correnti", "Oneri correnti"}
    oneri_2019 = next(r for r in flows if r["gruppo"] == "Oneri correnti" and r["anno"] == "2019")
    assert oneri_2019["valore"] == 7648243.0 and oneri_2019["importo"] == "-7.648.243 €"
    assert oneri_2019["fonte"] == "relazione-performance-2019-ravenna.txt, riga 122"
    results = ui_data.chart_results(series)
    assert {r["voce"] for r in results} == {"Risultato della gestione corrente (A-B)",
                                            "DISAVANZO/AVANZO ECONOMICO DI ESERCIZIO (A+B+C+D+E)"}
    assert min(r["valore"] for r in results) < 0  # results keep their sign
    components = ui_data.chart_components(series)
    assert len(components) == 9 * 4 and all(r["valore"] > 0 for r in components if r["gruppo"] == "Oneri correnti")


def test_a_later_relazione_overrides_the_years_it_reprints(relazione_txt):
    table = relazione_txt.financial
    later_line = table.lines[0].model_copy(update={"values": {
        2019: table.lines[0].values[2019].model_copy(update={"value": Decimal("1")}),
        2020: table.lines[0].values[2019].model_copy(update={"value": Decimal("2")}),
    }})
    later = relazione_txt.model_copy(update={
        "year": 2020, "source_file": "relazione-2020.txt",
        "financial": table.model_copy(update={"years": (2019, 2020), "lines": (later_line,)}),
    })
    series = ui_data.financial_series([later, relazione_txt])
    label = table.lines[0].label
    assert series.years == [2016, 2017, 2018, 2019, 2020]
    assert series.value(label, 2019) == Decimal("1") and series.value(label, 2018) == table.lines[0].values[2018].value
    assert next(p for p in series.points if p.label == label and p.year == 2019).source.startswith("relazione-2020.txt")


def test_achievement_by_area_per_year(ws):
    points = ui_data.area_points_for(ws)
    assert {(p.year, p.code) for p in points} == {(y, c) for y in (2019, 2020) for c in ("Ente", "1", "2", "3")}
    synthetic = {p.year_label for p in points if p.synthetic}
    assert synthetic == {"2020 (SINTETICO)"}
    rows = {r["Area"]: r for r in ui_data.area_table(points)}
    assert rows["Ente"]["2019"] == "100,00% (raggiunto)"
    assert rows["Ente"]["2020 (SINTETICO)"] == "87,79% (parzialmente raggiunto)"
    chart = ui_data.area_chart_rows(points)
    assert {r["anno"] for r in chart} == {"2019", "2020 (SINTETICO)"} and len(chart) == 8


# -- chat ------------------------------------------------------------------------------------------


def test_answer_body_and_sources():
    assert ui_data.answer_body("target 30[^1] e «passo»[^p2]") == "target 30⁽¹⁾ e «passo»⁽ᵖ²⁾"
    from assistant.writer import SourceItem

    item = SourceItem(label="p1", kind="passaggio", text="Costo *stimato* $5 <b>x</b>", where="rel.txt, riga 3")
    assert ui_data.source_lines([item]) == [
        "**⁽ᵖ¹⁾** *passaggio – rel.txt, riga 3*  \nCosto \\*stimato\\* \\$5 \\<b\\>x\\</b\\>"
    ]
    assert ui_data.md_escape("1) Diritto Annuale") == "1\\) Diritto Annuale"


# -- drafts ----------------------------------------------------------------------------------------


def test_an_edited_draft_highlights_only_the_invented_numbers(assistant):
    draft = assistant.draft("scostamenti", 2020)
    assert draft.verified
    assert assistant.reverify(draft, draft.markdown).verified
    edited = draft.markdown.replace("\n\n", "\n\nLe imprese coinvolte sono state 12.345, il 45,6% in più.\n\n", 1)
    check = assistant.reverify(draft, edited)
    assert not check.verified and check.unmatched == ["12.345", "45,6%"]
    shown = ui_data.highlight_unverified(edited, check)
    assert "sono state :red-background[**12.345**], il :red-background[**45,6%**] in più" in shown
    assert shown.count(":red-background[") == 2
    assert shown.split("### Fonti")[1] == edited.split("### Fonti")[1]  # footnotes untouched
    warned = ui_data.with_warning(edited, check)
    assert warned.startswith("> ATTENZIONE: questa bozza contiene numeri non verificati: 12.345; 45,6%\n\n")
    assert ui_data.with_warning(draft.markdown, assistant.reverify(draft, draft.markdown)) == draft.markdown


def test_an_edited_place_is_highlighted(assistant):
    draft = assistant.draft("5", 2019)
    edited = draft.markdown.replace("(riga 360)", "(riga 361)", 1)
    check = assistant.reverify(draft, edited)
    assert not check.verified and check.bad_locations == ["riga 361"] and not check.unmatched
    shown = ui_data.highlight_unverified(edited, check)
    assert "(:red-background[**riga 361**])" in shown and shown.count(":red-background[") == 1


def test_highlight_leaves_quotes_and_names_alone():
    check = Verification(verified=False, mentions=1, unmatched=["20"])
    text = "Valore 20 e «progetto 20» \n> «nel 20 per cento»[^p1]\n\n[^1]: 20 — nota"
    assert ui_data.highlight_unverified(text, check).split("\n") == [
        "Valore :red-background[**20**] e «progetto 20» ", "> «nel 20 per cento»[^p1]", "", "[^1]: 20 — nota",
    ]


def test_chapter_names_and_the_export_zip(assistant):
    assert ui_data.chapter_name("3.3", "3.3 Valutazione complessiva", 2019) == "03-3-3-valutazione-complessiva-2019"
    assert ui_data.chapter_name("all", "Bozza della Relazione", 2019) == "bozza-della-relazione-2019"
    name, data = ui_data.export_zip(assistant, 2019, docx=False)
    assert name == "relazione-2019-capitoli.zip"
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert len(names) == 5 and all(n.startswith("relazione-2019-capitoli/0") and n.endswith(".md") for n in names)


@pytest.mark.skipif(not ui_data.docx_available(), reason="pandoc non disponibile")
def test_docx_of_an_edited_draft():
    data = ui_data.markdown_to_docx("# Titolo\n\nTesto con 1.234 €.\n", "prova")
    assert data is not None and data[:2] == b"PK"  # a .docx is a zip


def test_the_version_confirmation_lists_the_comparison(relazione_txt):
    from datetime import datetime, timezone

    from assistant.store import DocumentInfo
    from assistant.versions import VersionConflict
    from ingest.versions import Comparison

    current = DocumentInfo(id="a", ente="E", year=2019, kind="relazione", title="t", source_file="good.pdf",
                           sha256="0" * 64, source_format="pdf", synthetic=False,
                           ingested_at=datetime(2026, 1, 2, 3, 4, tzinfo=timezone.utc), indicators=128, problems=0)
    comparison = Comparison(new_rows=11, old_rows=128, losses=("11 indicatori contro i 128 della versione in archivio",),
                            new_findings=tuple(f"rilievo {i}" for i in range(10)))
    conflict = VersionConflict("bad.txt", current, comparison)
    assert "\n" not in str(conflict) and "good.pdf, caricata il 02/01/2026 03:04" in str(conflict)
    lines = ui_data.conflict_lines(conflict)
    assert lines[:2] == ["In archivio: good.pdf, 128 indicatori.", "11 indicatori contro i 128 della versione in archivio"]
    assert lines[2:] == [f"rilievo nuovo: rilievo {i}" for i in range(8)] + ["e altri 2 rilievi nuovi"]
    assert ui_data.conflict_lines(ValueError("x")) == []
