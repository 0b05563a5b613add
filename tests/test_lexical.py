"""Italian normalisation, BM25 terms, fusion and filters: pure functions, no model."""

from __future__ import annotations

from hypothesis import given, strategies as st

from assistant import retrieval
from assistant.chunks import Chunk
from assistant.retrieval import SearchFilters, reciprocal_rank_fusion
from assistant.settings import Settings
from ingest.textnorm import fold, stopwords, tokens


def test_fold_lowercases_and_removes_accents():
    assert fold("Perché È Città Attività") == "perche e citta attivita"


def test_elisions_are_split_and_articles_dropped():
    assert tokens("dell'occupazione") == tokens("occupazione")
    assert tokens("l’indisponibilità") == tokens("indisponibilità")
    assert tokens("all'export") == tokens("export")


def test_typed_apostrophe_accents_meet_the_document():
    # users type "perche'" and "e'" for "perché" and "è"
    assert tokens("perche' e' stato eliminato") == tokens("perché è stato eliminato")
    assert tokens("attivita'") == tokens("attività")


def test_stemming_joins_inflections():
    assert tokens("imprese") == tokens("impresa")
    assert tokens("eliminato") == tokens("eliminazione")
    assert tokens("approvato") == tokens("approvazione")


def test_stopwords_are_dropped_but_relazione_words_kept():
    assert tokens("il e di che per come quando") == []
    for word in ("consiglio", "generale", "anno", "fine"):
        assert word not in stopwords()
        assert tokens(word)


def test_numbers_keep_their_form():
    assert "38674" in tokens("pari a 38.674 imprese")
    assert "38674" in tokens("38674")
    assert "4,5" in tokens("l'export è cresciuto del 4,5%")
    assert "2.4.2" in tokens("obiettivo 2.4.2 Progetto Ultranet")
    assert {"19", "05", "2020"} <= set(tokens("il 19/05/2020"))


@given(st.text())
def test_tokens_never_fail_and_are_plain_terms(text):
    for term in tokens(text):
        assert term and term.isascii() and term == term.lower() and " " not in term


@given(st.lists(st.sampled_from(sorted(stopwords()))))
def test_a_text_of_stopwords_has_no_terms(words):
    assert tokens(" ".join(words)) == []


@given(st.text(alphabet=st.sampled_from("aeiouàèéìòù bcdlmnrst'’")))
def test_tokens_ignore_accents(text):
    assert tokens(text) == tokens(fold(text))


def test_rrf_rewards_agreement_and_respects_weights():
    dense = [(1, 0.9), (2, 0.8), (3, 0.7)]
    lexical = [(3, 9.0), (2, 5.0), (4, 1.0)]
    fused = [i for i, _ in reciprocal_rank_fusion({"dense": dense, "lexical": lexical}, k=60)]
    assert fused[0] in (2, 3) and set(fused) == {1, 2, 3, 4}
    lexical_first = reciprocal_rank_fusion({"dense": dense, "lexical": lexical}, k=1, weights={"dense": 0.1, "lexical": 1})
    assert lexical_first[0][0] == 3
    assert reciprocal_rank_fusion({"dense": [], "lexical": []}) == []
    score = dict(reciprocal_rank_fusion({"dense": [(7, 0.0)], "lexical": [(7, 0.0)]}, k=5, weights={"dense": 0.5}))
    assert score[7] == 0.5 / 6 + 1 / 6


def _chunk(section: str | None, **kw) -> Chunk:
    base = dict(
        id="d:0", document_id="d", ordinal=0, text="t", ente="Camera di commercio di Ravenna", year=2019,
        kind="relazione", section_number=section, section_title="x", section_path=("x",), source_file="f.txt",
        sha256="0" * 64,
    )
    return Chunk(**(base | kw))


def test_section_filter_matches_the_section_and_its_subsections():
    f = SearchFilters(section="3")
    assert f.accepts(_chunk("3")) and f.accepts(_chunk("3.3")) and f.accepts(_chunk("3.2.1"))
    assert not f.accepts(_chunk("2")) and not f.accepts(_chunk("30")) and not f.accepts(_chunk(None))
    assert SearchFilters(section="3.3.").accepts(_chunk("3.3"))


def test_ente_year_kind_filters():
    c = _chunk("5")
    assert SearchFilters(ente="Camera di commercio di Ravenna", year=2019, kind="relazione").accepts(c)
    assert not SearchFilters(ente="Camera di commercio di Bergamo").accepts(c)
    assert not SearchFilters(year=2020).accepts(c)
    assert not SearchFilters(kind="piano").accepts(c)


def test_chroma_where_filter():
    where = retrieval._where(SearchFilters(ente="E", year=2019, kind="relazione", section="5"), ["d1"], ["5", "5.1"], ["E"])
    assert where == {
        "$and": [
            {"document_id": {"$in": ["d1"]}},
            {"ente": "E"},
            {"year": 2019},
            {"kind": "relazione"},
            {"section_number": {"$in": ["5", "5.1"]}},
        ]
    }
    # without an Ente in the filters the Enti of the allowed chunks are named (one collection each)
    assert retrieval._where(SearchFilters(), ["d1", "d2"], [], ["E", "F"]) == {
        "$and": [{"document_id": {"$in": ["d1", "d2"]}}, {"ente": {"$in": ["E", "F"]}}]}


def test_fusion_settings_default_to_the_measured_constants():
    s = Settings()
    assert (s.rrf_k, s.dense_weight, s.lexical_weight) == (retrieval.RRF_K, retrieval.DENSE_WEIGHT, retrieval.LEXICAL_WEIGHT)
