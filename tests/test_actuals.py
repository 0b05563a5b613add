"""Piano (targets by year) + files of actual values (CSV/XLSX): the 2020 SYNTHETIC year."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import Workbook

from conftest import CONSUNTIVI_CSV
from ingest.errors import IngestError, NotAPerformanceDocument
from ingest.model import FindingKind
from ingest.pipeline import read_report
from ingest.scoring import score_report
from ingest.yearview import year_report

# Hand-computed from corpus/consuntivi-2020-ravenna-SINTETICO.csv and the Piano's 2020 targets:
#   1.1  180 vs >= 220                      -> 180/220                      = 81,82 %
#   1.2  96,50 vs >= 10 (met); 88 vs >= 100 -> (100 + 88) / 2              = 94,00 %
#   1.3  640 vs >= 1.100; 72,73 vs >= 90    -> (640/1100 + 72,73/90) / 2    = 69,50 %
#   2.1  5 vs >= 8                          -> 5/8                          = 62,50 %
#   2.3  66,67 vs >= 80; 58,40 vs >= 80     -> (66,67/80 + 58,40/80) / 2    = 78,17 %
#   3.2.1 7 vs >= 8                         -> 7/8                          = 87,50 %
#   3.2.3 16,7/16,7/16,6/16,6/16,7/16,7 weights; 18,70 vs >= 20, 6,90 vs >= 8,
#         1 non-conformity vs = 0           -> 79,94 %
EXPECTED_2020 = {
    "1.1": "81.82", "1.2": "94.00", "1.3": "69.50", "1.4": "100.00", "2.1": "62.50", "2.2": "100.00",
    "2.3": "78.17", "2.4": "100.00", "3.1": "100.00", "3.2.1": "87.50", "3.2.2": "100.00", "3.2.3": "79.94",
}


def test_plan_is_read_with_targets_by_year(piano):
    assert piano.kind == "piano" and piano.plan_years == (2019, 2020, 2021) and piano.synthetic
    strategic = [i for i in piano.indicators() if i.section == "3.1"]
    assert len(strategic) == 21
    assert all(set(i.targets_by_year) == {2019, 2020, 2021} for i in strategic)
    first = strategic[0]
    assert [first.targets_by_year[y].value for y in (2019, 2020, 2021)] == [200, 220, 242]
    assert piano.find_operational("2.4.2") is not None


def test_2020_strategic_objectives_below_100_where_they_should(piano, consuntivi):
    assert consuntivi.year == 2020 and len(consuntivi.actuals) == 21 and not consuntivi.problems
    card = score_report(year_report(piano, consuntivi))
    got = {n.code: str(n.pct) for n in card.nodes("strategic")}
    assert got == EXPECTED_2020
    assert card.root.pct < Decimal(100)
    below = {k for k, v in EXPECTED_2020.items() if Decimal(v) < 100}
    assert {n.code for n in card.nodes("strategic") if n.band != "raggiunto" or n.pct < 100} == below


def test_2020_sources_point_to_both_files(piano, consuntivi):
    report = year_report(piano, consuntivi)
    ind = report.indicators()[0]
    assert ind.actual_file == CONSUNTIVI_CSV.name and ind.actual_source.line == 2
    assert ind.target_file == piano.source_file and ind.target_source.line == 15


def test_bad_rows_are_reported_row_by_row(piano):
    data = (
        "anno;obiettivo;indicatore;consuntivo;unita\n"
        "2020;1.1;N. imprese coinvolte in iniziative per internazionalizzazione;180;N.\n"
        "2020;1.1;Indicatore che non esiste;12;N.\n"
        "2020;1.2;Media indicatori di risultato del progetto PID;ottantotto;%\n"
        "2020;1.3;N. soggetti coinvolti nelle attività di orientamento al lavoro/ASL;1.1.00;N.\n"
    ).encode()
    report = read_report(data, "consuntivi-prova.csv", plan=piano, allow_partial=True)  # 1 of 21 values
    assert len(report.actuals) == 1
    problems = {(p.kind, p.source.line) for p in report.problems if p.kind != FindingKind.incomplete}
    assert problems == {
        (FindingKind.unknown_indicator, 3),
        (FindingKind.unparseable_number, 4),
        (FindingKind.unparseable_number, 5),
    }


def test_xlsx_is_accepted(piano, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Anno", "Obiettivo", "Indicatore", "Consuntivo", "Unità"])
    sheet.append([2020, "1.1", "N. imprese coinvolte in iniziative per internazionalizzazione", 180, "N."])
    sheet.append([2020, "2.2", "N. Mediazioni, conciliazioni e arbitrati su totale imprese attive", 0.61, "%"])
    path = tmp_path / "consuntivi.xlsx"
    book.save(path)
    report = read_report(path.read_bytes(), path.name, plan=piano, allow_partial=True)  # 2 of 21 values
    values = {a.objective: a.value for a in report.actuals}
    assert values["1.1"].value == 180 and values["1.1"].is_integer_literal
    assert values["2.2"].value == Decimal("0.61") and values["2.2"].unit == "%"


def test_actuals_need_a_plan_and_matching_rows(piano):
    data = CONSUNTIVI_CSV.read_bytes()
    with pytest.raises(IngestError, match="Piano"):
        read_report(data, CONSUNTIVI_CSV.name, plan=None)
    with pytest.raises(NotAPerformanceDocument, match="intestazione"):
        read_report(b"a;b;c\n1;2;3\n", "x.csv", plan=piano)
    with pytest.raises(NotAPerformanceDocument, match="nessuna riga"):
        read_report(b"anno;obiettivo;indicatore;consuntivo;unita\n2020;9.9;boh;1;N.\n", "x.csv", plan=piano)
