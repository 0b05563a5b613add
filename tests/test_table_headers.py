"""Performance tables recognised by their header in other wordings and orders, and rows read by
the header's columns: the table parser on made-up rows."""

from __future__ import annotations

from ingest.model import Loc
from ingest.readers.blocks import BlockStream, Row, Text
from ingest.tables import parse_tables
from ingest.tables.roles import header_roles
from ingest.tables.schema import header_schema


def _row(*cells: str, page: int = 1) -> Row:
    return Row(tuple(cells), Loc(page=page))


def test_header_wordings_give_the_column_roles():
    roles = header_roles(("Algoritmo di calcolo", "Indicatori di performance", "Valore atteso", "Valore raggiunto", "Peso %", "PESO"))
    assert roles == ("algorithm", "name", "target", "actual", "weight", "objective_weight")
    # a lone PESO after the TARGET is the objective's weight, as in the corpus's headings style
    assert header_roles(("INDICATORE", "TARGET", "PESO")) == ("name", "target", "objective_weight")
    schema = header_schema(_row("Formula", "Indicatori di performance", "Valore atteso", "Consuntivo 2019", "Peso %", "Peso %"), None)
    assert schema is not None and schema.kind == "performance"
    assert schema.objective_weight_column == 5 and schema.plan_years == ()
    # a Piano's targets by year are still its years
    piano = header_schema(_row("PESO", "INDICATORE", "TARGET 2020", "TARGET 2021", "TARGET 2022"), None)
    assert piano is not None and piano.plan_years == (2020, 2021, 2022)


def test_rows_in_another_column_order_are_read_by_the_header():
    header = ("ALGORITMO", "INDICATORE", "TARGET", "VALORI MISURE", "CONSUNTIVO", "PESO", "PESO")
    blocks = [
        Text("3.1 - Rendicontazione degli obiettivi strategici", Loc(page=1), kind="heading", level=2),
        _row(*header),
        _row("Area 1 – Competitività delle imprese", "", "", "", "", "", "33%"),
        _row("1.1 Internazionalizzazione (D1)", "", "", "", "", "", "25%"),
        _row("N. imprese", "N. imprese coinvolte in", ">= 200 N.", "1.150 N.", "1.150 N.", "50%", ""),
        # the indicator's name wrapped onto a line of its own: no weight under PESO
        _row("", "iniziative", "", "", "", "", ""),
        _row("N. eventi", "N. eventi", ">= 2 N.", "3 N.", "3 N.", "50%", ""),
    ]
    parsed = parse_tables(BlockStream(tuple(blocks)))
    (area,) = parsed.areas
    indicators = area.strategic_objectives[0].indicators
    assert [i.name for i in indicators] == ["N. imprese coinvolte in iniziative", "N. eventi"]
    assert [i.target.raw for i in indicators] == [">= 200 N.", ">= 2 N."]


def test_an_overview_title_wrapped_onto_a_row_of_its_own_goes_on():
    blocks = [
        _row("Ente", "Ambito", "Obiettivo strategico", "Raggiungimento"),
        _row("33,33 %", "Area 1 – Competitività delle imprese", "", "100,00 %"),
        _row("", "25 %", "1.4 Sviluppo e qualificazione aziendale e dei prodotti", "100,00 %"),
        _row("", "", "(D6)", ""),
    ]
    parsed = parse_tables(BlockStream(tuple(blocks)))
    titles = [e.title for e in parsed.overview]
    assert titles[-1] == "Sviluppo e qualificazione aziendale e dei prodotti (D6)"
    assert parsed.areas[0].strategic_objectives[0].title == "Sviluppo e qualificazione aziendale e dei prodotti (D6)"
