"""The filters a question sets (conditions, thresholds), the places that name a Camera, and
follow-ups that ask a measure of the previous question's items."""

from decimal import Decimal
from pathlib import Path

import pytest

from assistant.plan import PlanParser
from assistant.plan.evaluation import corpus_catalog
from assistant.plan.model import Bound
from assistant.plan.places import leading_place

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def parser():
    return PlanParser(corpus_catalog(ROOT / "corpus"))


def test_a_bound_holds_within_its_limits_and_says_if_strict():
    between = Bound(low=Decimal(80), high=Decimal(100))
    assert between.holds(Decimal(80)) and between.holds(Decimal(100)) and not between.holds(Decimal("79.99"))
    below = Bound(high=Decimal(90), strict_high=True)
    assert below.holds(Decimal("89.9")) and not below.holds(Decimal(90)) and not below.holds(None)


@pytest.mark.parametrize("question, low, high, measure", [
    ("indicatori con raggiungimento tra 80 e 100", "80", "100", "achievement"),
    ("obiettivi con raggiungimento sotto il 70%", None, "70", "achievement"),
    ("obiettivi operativi con peso superiore al 30%", "30", None, "weight"),
    ("indicatori con raggiungimento di almeno 95,5%", "95.5", None, "achievement"),
])
def test_a_threshold_is_read_with_its_measure(parser, question, low, high, measure):
    bound = parser.parse(question).bound
    assert bound is not None and bound.measure == measure
    assert bound.low == (Decimal(low) if low else None) and bound.high == (Decimal(high) if high else None)


@pytest.mark.parametrize("question", [
    "quali obiettivi hanno più di 3 indicatori?",  # a bare number: no measure said
    "indicatori sotto target nel 2020",  # the condition, not a threshold
    "sopra il 2019",
])
def test_a_number_that_is_no_threshold_sets_none(parser, question):
    assert parser.parse(question).bound is None


@pytest.mark.parametrize("question, condition", [
    ("quanti indicatori sono stati raggiunti?", "met"),
    ("indicatori che hanno superato il target", "above_target"),
    ("ci sono indicatori con consuntivo mancante?", "missing"),
    ("indicatori senza target", "missing"),
    ("quanti indicatori non sono stati raggiunti?", "below_target"),
    ("l'obiettivo 1.3 ha raggiunto il target?", None),  # one named item: its achievement
])
def test_conditions_on_several_items(parser, question, condition):
    assert parser.parse(question).condition == condition


def test_a_camera_is_named_by_a_place_and_bare_words_are_not_one(parser):
    assert leading_place("reggio emilia nel 2019") == "reggio emilia"
    assert leading_place("diritto annuale") is None
    assert parser.parse("quanto ha incassato la camera di diritto annuale?").ente_said is None
    assert parser.parse("la camera di Ferrara quanto ha speso?").ente_said == "Ferrara"
    assert parser.parse("camera di commercio di Vattelapesca: risultato").ente_said  # said plainly: a Camera


def test_a_bare_measure_in_a_conversation_is_asked_of_the_previous_items(parser):
    first = parser.parse("qual è l'obiettivo 2.2?")
    weight = parser.parse("quanto pesa?", first)
    assert weight.followup and [r.key() for r in weight.refs] == ["strategic:2.2"] and weight.measure == "weight"
    count = parser.parse("quanti indicatori ha?", parser.parse("com'è andato nel 2020?", first))
    assert [r.key() for r in count.refs] == ["strategic:2.2"] and count.measure == "count" and count.act == "lookup"
    alone = parser.parse("quanto pesa?")
    assert not alone.followup and not alone.refs


@pytest.mark.parametrize("question, value, measure", [
    ("quali obiettivi operativi hanno un peso del 50%?", "50", "weight"),
    ("quanti obiettivi strategici sono raggiunti al 100% nel 2020?", "100", "achievement"),
])
def test_a_threshold_may_be_one_value(parser, question, value, measure):
    plan = parser.parse(question)
    assert plan.bound is not None and plan.bound.measure == measure
    assert plan.bound.low == plan.bound.high == Decimal(value) and plan.condition is None


@pytest.mark.parametrize("question, keys", [
    # the words after the second noun qualify both ('correnti')
    ("confronta proventi e oneri correnti del 2019", ["financial:Totale proventi correnti (A)", "financial:Totale Oneri Correnti (B)"]),
    # two names that tie on a shared word, each called by a word of its own: both named
    ("confronta il diritto annuale e i diritti di segreteria", ["financial:1) Diritto Annuale", "financial:2) Diritti di Segreteria"]),
])
def test_a_question_may_name_two_lines(parser, question, keys):
    assert [r.key() for r in parser.parse(question).refs] == keys


def test_a_shared_word_alone_still_asks_which(parser):
    plan = parser.parse("quanto valgono i diritti?")
    assert not plan.refs and len(plan.candidates) == 2


@pytest.mark.parametrize("question, act, trend", [
    ("quale obiettivo strategico è peggiorato di più tra il 2019 e il 2020?", "compare", "down"),
    ("quali indicatori sono peggiorati?", "compare", "down"),
    ("mostra le aree in ordine di raggiungimento nel 2020", "rank", None),
])
def test_a_change_between_years_is_a_comparison_and_an_order_a_ranking(parser, question, act, trend):
    plan = parser.parse(question)
    assert plan.act == act and plan.trend == trend and not plan.refs


def test_indicators_in_the_plural_name_every_indicator_with_the_words(parser):
    plural = parser.parse("gli indicatori sulle mediazioni")
    assert len(plural.refs) == 2 and {r.kind for r in plural.refs} == {"indicator"} and not plural.candidates
    one = parser.parse("che peso ha l'indicatore sulle mediazioni?")  # one indicator asked: which one?
    assert not one.refs and len(one.candidates) == 2


def test_a_question_of_only_asking_words_leans_on_the_conversation(parser):
    scoped = parser.parse("quanti indicatori ha l'obiettivo 1.3?")
    below = parser.parse("quanti sono sotto target nel 2020?", scoped)
    assert below.followup and [r.key() for r in below.refs] == ["strategic:1.3"] and below.condition == "below_target"
    which = parser.parse("quali?", below)
    assert which.followup and which.condition == "below_target" and which.years == (2020,)
    only = parser.parse("solo quelli dell'area 2", parser.parse("mostrami gli scostamenti del 2020"))
    assert [r.key() for r in only.refs] == ["area:2"] and only.condition == "below_target" and only.years == (2020,)
    # words of its own: a new question, not the previous one's
    assert not parser.parse("chi è il segretario generale?", scoped).followup
    draft = parser.parse("scrivi le azioni correttive", parser.parse("mostrami gli scostamenti del 2020"))
    assert draft.act == "draft" and draft.years == (2020,)


def test_a_target_ranked_is_no_target_change_and_a_told_thing_no_draft(parser):
    assert parser.parse("quali indicatori hanno il target più alto?").condition is None
    assert parser.parse("quali target sono più alti nel 2021 rispetto al 2020?").condition == "target_changed"
    assert parser.parse("dimmi qualcosa sull'area 2").act != "draft"
    assert parser.parse("scrivimi qualcosa sui risultati").act == "draft"
    assert parser.parse("quanti indicatori ha ciascuna area?").group == "area"
