"""Amounts printed in two tables of one Relazione, checked against each other (an OIV's check):
the corpus' "Spese promozionali" consuntivo equals the 2018 "Interventi economici" of the
bilancio summary, not the 2019 one; a consistent amount is no finding."""

from __future__ import annotations

from decimal import Decimal

from ingest.checks import check_report
from ingest.crosscheck import RESOURCES_TABLE, check_cross_tables, cross_table_pairs
from ingest.model import FindingKind


def test_an_amount_equal_to_another_years_line_is_a_finding(relazione_txt):
    findings = [f for f in check_report(relazione_txt) if f.kind == FindingKind.amount_from_other_year]
    assert len(findings) == 1
    [finding] = findings
    assert "Spese promozionali" in finding.message and "2018" in finding.message
    assert "1.893.612" in finding.printed and "1.838.556" in finding.expected
    assert finding.other_source is not None


def test_pairs_by_value_whatever_the_labels(relazione_txt):
    pairs = {(p.table, p.label): p for p in cross_table_pairs(relazione_txt)}
    promo = pairs[(RESOURCES_TABLE, "Spese promozionali")]
    assert (promo.line_year, promo.same_year) == (2018, False)
    assert promo.line is not None and "Interventi economici" in promo.line
    # the same report with the amount set to the summary's own year is consistent
    resources = [
        r.model_copy(update={"consuntivo": r.consuntivo.model_copy(update={"value": Decimal(1838556), "raw": "1.838.556"})})
        if r.label == "Spese promozionali" else r
        for r in relazione_txt.resources
    ]
    fixed = relazione_txt.model_copy(update={"resources": resources})
    assert not check_cross_tables(fixed)
