"""The question plan on its own (no store, no model): names resolved against the store's names
with the glossary and typo matching, ambiguity asked back, the Camera named, follow-ups,
typed fact ids, and the optional model filling a plan (langchain_core's fake chat models
stand in for a real one)."""

from __future__ import annotations

import pytest

from assistant import fact_ids as ids
from assistant.handlers.registry import route
from assistant.plan import Catalog, PlanParser
from assistant.plan.evaluation import corpus_catalog
from conftest import CORPUS


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return corpus_catalog(CORPUS)


@pytest.fixture(scope="module")
def parser(catalog) -> PlanParser:
    return PlanParser(catalog)


def refs(plan) -> list[str]:
    return [r.key() for r in plan.refs]


# -- names -----------------------------------------------------------------------------------------


def test_per_area_breaks_down_unless_a_name_follows(parser):
    assert parser.parse("quanto e stato speso per area?").group == "area"
    named = parser.parse("interventi per area competitivita delle imprese")
    assert named.group is None and refs(named) == ["area:1"]


def test_typos_and_missing_accents_reach_the_store_name(parser):
    assert refs(parser.parse("quanti sopraluoghi metrologici nel 2019?")) == ["indicator:3.2/2.2.3/1"]
    assert refs(parser.parse("la digitalizazione com'e andata")) == ["strategic:1.2"]
    assert refs(parser.parse("area competitivita delle imprese")) == ["area:1"]


def test_the_glossary_links_colloquial_words_to_the_document(parser):
    assert refs(parser.parse("costi del personale 2019")) == ["financial:6) Personale"]
    assert refs(parser.parse("fatture scartate dallo SDI")) == ["indicator:3.2/3.2.3.2.2/1"]
    assert refs(parser.parse("il risultato d'esercizio del 2018")) == ["financial:DISAVANZO/AVANZO ECONOMICO DI ESERCIZIO (A+B+C+D+E)"]
    assert refs(parser.parse("spese promozionali rispetto al preventivo")) == ["resource:Spese promozionali"]


def test_an_ambiguous_name_is_asked_back_never_picked(parser):
    plan = parser.parse("consuntivo dell'aggiornamento elenco arbitri")
    assert not plan.refs
    assert sorted(r.key() for r in plan.candidates) == ["indicator:3.2/2.2.1/1", "indicator:3.2/2.2.5/1"]
    assert route(plan).name == "clarify"


def test_a_parent_objective_wins_over_its_children_with_the_same_title(parser):
    assert refs(parser.parse("come e andato l'orientamento al lavoro nel 2020?")) == ["strategic:1.3"]


def test_a_name_said_in_full_wins_over_longer_names(parser):
    assert refs(parser.parse("N. Visite ispettive")) == ["indicator:3.2/2.2.2/2"]


def test_words_inside_a_name_do_not_ask(parser):
    """'Media indicatori di risultato' names an indicator: 'risultato' does not ask an achievement."""
    plan = parser.parse("media indicatori di risultato del progetto pid 2020")
    assert refs(plan) == ["indicator:3.1/1.2/2"] and plan.measure != "achievement" and plan.years == (2020,)


def test_a_code_the_store_does_not_hold_is_said_so(parser):
    plan = parser.parse("com'è andato l'obiettivo 9.9?")
    assert [r.known for r in plan.refs] == [False] and route(plan).name == "clarify"


# -- the Camera ------------------------------------------------------------------------------------


def test_the_camera_named_selects_the_ente():
    catalog = Catalog(enti=("Camera di commercio di Forlì-Cesena", "Camera di commercio di Ravenna"))
    parser = PlanParser(catalog)
    assert parser.parse("Quanti indicatori ha la Camera di Ravenna?").ente == "Camera di commercio di Ravenna"
    assert parser.parse("CCIAA di Forli: anomalie?").ente == "Camera di commercio di Forlì-Cesena"
    assert parser.parse("Ravenna: quanti indicatori nel 2019?").ente == "Camera di commercio di Ravenna"
    unknown = parser.parse("la Camera di Ferrara ha raggiunto i target?")
    assert unknown.ente is None and unknown.ente_said == "Ferrara"
    # 'a Ravenna' is the province; with several Camere in the store it tells which Camera's documents answer
    assert parser.parse("quante imprese a ravenna?").ente == "Camera di commercio di Ravenna"
    alone = PlanParser(Catalog(enti=("Camera di commercio di Ravenna",)))
    assert alone.parse("quante imprese a ravenna?").ente is None
    assert parser.parse("quanto ha speso Ravenna in interventi economici?").ente == "Camera di commercio di Ravenna"
    assert parser.parse("grado di raggiungimento di forli-cesena").ente == "Camera di commercio di Forlì-Cesena"


# -- follow-ups ------------------------------------------------------------------------------------


def test_follow_ups_complete_the_previous_plan(parser):
    first = parser.parse("Quanto valeva il diritto annuale nel 2019?")
    year = parser.parse("e nel 2018?", first)
    assert year.followup and refs(year) == refs(first) and year.years == (2018,) and year.measure == "amount"
    area = parser.parse("e l'area 2?", parser.parse("Com'è andata l'area 1 nel 2020?"))
    assert refs(area) == ["area:2"] and area.years == (2020,) and area.measure == "achievement"
    below = parser.parse("Quali indicatori sono sotto target nel 2020?")
    why = parser.parse("perché?", below)
    assert why.act == "explain" and why.condition == "below_target" and route(why).name == "below_target"
    draft = parser.parse("fammene la bozza", below)
    assert draft.act == "draft" and draft.section == "scostamenti" and draft.years == (2020,)
    compare = parser.parse("e rispetto al 2019?", parser.parse("Risultato dell'area 2 nel 2020"))
    assert compare.act == "compare" and compare.years == (2019, 2020)


def test_why_after_an_achievement_asks_for_the_indicators_below_target(parser):
    why = parser.parse("perché?", parser.parse("com'è andata l'area 2 nel 2020?"))
    assert (why.act, why.condition, refs(why), why.years) == ("explain", "below_target", ["area:2"], (2020,))
    assert route(why).name == "below_target"


def test_a_new_question_is_not_a_follow_up(parser):
    first = parser.parse("Quanto valeva il diritto annuale nel 2019?")
    other = parser.parse("Quali indicatori sono sotto target nel 2020?", first)
    assert not other.followup and other.refs == ()


# -- routing is data -------------------------------------------------------------------------------


@pytest.mark.parametrize("question, handler", [
    ("Scrivi la bozza della sezione 2", "draft"),
    ("esporta i capitoli in markdown", "export"),
    ("le spese promozionali sono in linea con il preventivo?", "resources"),
    ("formazione del personale rispetto al limite di spesa", "indicator"),
    ("confronta il raggiungimento dell'area 1 nel 2019 con il 2020", "achievement"),
    ("il consuntivo del RASL e coerente con i valori misure?", "findings"),
    ("totale dell'area 2 in interventi economici", "interventions"),
    ("Perché è stato eliminato il progetto Ultranet?", "retrieval"),
])
def test_one_keyword_does_not_outvote_the_subject(parser, question, handler):
    assert route(parser.parse(question)).name == handler


def test_parsing_needs_no_store():
    plan = PlanParser().parse("Quali indicatori sono sotto target nel 2020?")
    assert plan.condition == "below_target" and plan.years == (2020,) and route(plan).name == "below_target"


# -- typed fact ids --------------------------------------------------------------------------------


def test_fact_ids_format_and_parse_back():
    cases = [
        ids.indicator("3.2/1.2.1/2", "target2021"), ids.node("strategic", "3.2.3", "weight"), ids.node("ente", "ente", "achievement"),
        ids.fin("DISAVANZO/AVANZO ECONOMICO DI ESERCIZIO (A+B+C+D+E)", 2019), ids.res("Spese per il personale", "ratio"),
        ids.intervention(None), ids.intervention("1.1"), ids.count("below:area:2", 2020), ids.plan_target("3.1/1.1/1", 2020),
        ids.claim("riga 535", "3.2.2.1", "new"), ids.weight_in("plan", "2.4.1", None), ids.finding(3, "printed"),
        ids.computed("share", ids.intervention("1.1"), ids.intervention(None)),
        ids.computed("pct_change", ids.fin("Totale proventi correnti (A)", 2019), ids.fin("Totale proventi correnti (A)", 2018)),
        ids.node("area", "1", "achievement").of_year(2019),
        ids.computed("diff", ids.node("area", "1", "achievement"), ids.node("area", "1", "achievement").of_year(2019)),
    ]
    for fid in cases:
        assert ids.FactId.parse(str(fid)) == fid, str(fid)
    assert str(cases[0]) == "3.2/1.2.1/2#target2021" and str(cases[5]) == "int:totale"
    assert str(cases[-1]) == "diff(area:1#achievement,2019@area:1#achievement)"


def test_text_that_is_no_fact_id_is_refused_by_parse_and_kept_by_the_helpers():
    assert ids.try_parse("b") is None
    with pytest.raises(ValueError):
        ids.FactId.parse("b")
    assert str(ids.computed("diff", "b", "a")) == "diff(b,a)"
    assert str(ids.of_year("b", 2019)) == "2019@b"


@pytest.mark.parametrize("text", ["3.2/1.2.1/2#target", "fin:6) Personale:2019", "b", "diff(area:1#achievement,b)",
                                  "2018@area:1#achievement", "share(int:1.1,int:totale)"])
def test_the_quick_year_form_is_the_typed_one(text):
    assert ids.of_year_text(text, 2019) == str(ids.of_year(text, 2019))


def test_every_fact_of_the_corpus_has_an_id_that_parses_back(catalog):
    from assistant.facts import build_facts
    from ingest.pipeline import read_path
    from ingest.scoring import score_report

    report = read_path(CORPUS / "relazione-performance-2019-ravenna.txt")
    book = build_facts(report, score_report(report))
    assert len(book) > 500
    for fact in book:
        assert str(ids.FactId.parse(fact.id)) == fact.id


# -- the optional model ----------------------------------------------------------------------------


def _tool_model(args: dict):
    """GenericFakeChatModel answering with one tool call (what with_structured_output reads)."""
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage

    class ToolFake(GenericFakeChatModel):
        def bind_tools(self, tools, **kwargs):
            return self

    message = AIMessage(content="", tool_calls=[{"name": "PlanFill", "args": args, "id": "call-1"}])
    return ToolFake(messages=iter([message]))


def test_the_model_fills_a_plan_the_rules_read_with_little_confidence(parser, catalog):
    from assistant.plan.llm import model_plan

    plan = parser.parse("mi racconti qualcosa sul lavoro fatto con le scuole superiori?")
    assert plan.confidence < 0.5
    filled = model_plan(_tool_model({"act": "lookup", "measure": "actual", "subject": "indicator",
                                     "refs": ["indicator:3.2/1.3.2/3", "indicator:9.9/9.9/9"], "years": [2019]}), plan, catalog)
    assert filled is not None and filled.parsed_by == "model"
    assert refs(filled) == ["indicator:3.2/1.3.2/3"]  # a name the store does not hold is dropped
    assert route(filled).name == "indicator"


def test_a_model_without_tools_answers_in_json_and_a_bad_reply_keeps_the_rules(parser, catalog):
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    from assistant.plan.llm import model_plan

    plan = parser.parse("mi racconti qualcosa sul lavoro fatto con le scuole superiori?")
    good = FakeListChatModel(responses=['{"act": "list", "subject": "indicator", "refs": ["area:1"]}'])
    filled = model_plan(good, plan, catalog)
    assert filled is not None and filled.act == "list" and refs(filled) == ["area:1"]
    bad = FakeListChatModel(responses=['{"act": "dance"}'])
    assert model_plan(bad, plan, catalog) is None


def test_a_follow_up_without_a_previous_question_is_asked_back(parser):
    for question in ("e nel 2020?", "perché?", "fammene la bozza"):
        plan = parser.parse(question)
        assert plan.dangling and route(plan).name == "clarify", question
    first = parser.parse("Qual è il grado di raggiungimento dell'Ente nel 2019?")
    assert not parser.parse("e nel 2020?", first).dangling
    assert not parser.parse("e l'area 2?").dangling  # it names what it is about


def test_kpi_codes_and_levels(parser):
    assert refs(parser.parse("il consuntivo dell'EC27")) == ["indicator:3.1/3.2.3/4"]
    assert refs(parser.parse("ec02.1 nel 2019")) == ["indicator:3.1/3.2.3/1"]  # not objective 02.1
    worst = parser.parse("qual è l'obiettivo operativo andato peggio?")
    assert (worst.act, worst.rank, worst.level) == ("rank", "worst", "operational")
    heavy = parser.parse("gli obiettivi strategici con peso maggiore")
    assert (heavy.act, heavy.measure, heavy.rank, heavy.level) == ("rank", "weight", "best", "strategic")


def test_the_camera_is_read_alone_with_one_pattern_per_store():
    from assistant.plan.places import _camere

    enti = tuple(f"Camera di commercio di Città{i}" for i in range(199)) + ("Camera di commercio di Forlì-Cesena",)
    parser = PlanParser(Catalog(enti=enti))
    assert parser.camera("com'è andata la digitalizzazione a Forlì?") == ("Camera di commercio di Forlì-Cesena", "Forlì-Cesena", False)
    assert parser.camera("quali Camere ci sono?")[2] and parser.camera("quanto pesa l'area 2?") == (None, None, False)
    before = _camere.cache_info().hits
    parser.camera("la CCIAA di Città7: anomalie?")
    assert _camere.cache_info().hits == before + 1  # the store's patterns are built once, not per question
