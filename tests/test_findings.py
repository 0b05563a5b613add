"""Findings an OIV would check, on the real Relazione and the SYNTHETIC Piano."""

from __future__ import annotations

from decimal import Decimal

from ingest.checks import check_report, recompute_actual
from ingest.compare import compare_plan_report
from ingest.model import FindingKind


def _kinds(findings, kind):
    return [f for f in findings if f.kind == kind]


def test_consuntivo_mismatches_are_the_two_in_the_truth(relazione_txt, truth):
    found = _kinds(check_report(relazione_txt), FindingKind.consuntivo_mismatch)
    expected = truth["validation"]["consuntivo_formula_mismatches"]
    assert sorted(f.source.line for f in found) == sorted(e["source_line"] for e in expected)
    by_line = {f.source.line: f for f in found}
    assert by_line[273].printed == "23.532,93 %" and by_line[273].expected == "235,33 %"
    assert by_line[354].printed == "32,20 %" and by_line[354].expected == "32,00 %"


def test_per_enterprise_ratios_are_not_mismatches(relazione_txt, truth):
    """'a / b' in euro (53,44 €) is not multiplied by 100: no false alarm."""
    rows = {i.source.line: i for i in relazione_txt.indicators()}
    for ratio in truth["validation"]["non_percentage_ratio_rows"]:
        ind = rows[ratio["source_line"]]
        assert abs(recompute_actual(ind) - Decimal(str(ratio["a_over_b"]))) < Decimal("0.001")


def test_single_measure_in_another_unit_is_reported_as_info(relazione_txt, truth):
    found = _kinds(check_report(relazione_txt), FindingKind.measure_unit_mismatch)
    assert [f.source.line for f in found] == [m["source_line"] for m in truth["validation"]["single_measure_mismatches"]]
    assert all(f.severity.value == "info" for f in found)


def test_weights_sum_to_100_everywhere(relazione_txt, relazione_pdf, piano):
    for report in (relazione_txt, relazione_pdf):
        assert not _kinds(check_report(report), FindingKind.weights_not_100)
    # the Piano keeps 2.4.1 and 2.4.2 at 50% each: its sums are fine too
    assert not _kinds(check_report(piano), FindingKind.weights_not_100)


def test_weights_not_100_is_found(relazione_txt):
    area = relazione_txt.areas[0]
    s = area.strategic_objectives[0]
    broken_ind = s.indicators[0].model_copy(update={"weight_pct": Decimal("90")})
    broken_s = s.model_copy(update={"indicators": (broken_ind,)})
    broken_area = area.model_copy(update={"strategic_objectives": (broken_s,) + area.strategic_objectives[1:]})
    broken = relazione_txt.model_copy(update={"areas": (broken_area,) + relazione_txt.areas[1:]})
    found = _kinds(check_report(broken), FindingKind.weights_not_100)
    assert len(found) == 1 and found[0].strategic_objective == "1.1" and found[0].printed == "90,00 %"


def test_section_5_claims_against_tables(relazione_txt, truth):
    findings = check_report(relazione_txt)
    inconsistent = _kinds(findings, FindingKind.narrative_claim_not_in_tables)
    confirmed = _kinds(findings, FindingKind.narrative_claim_confirmed)
    want_inconsistent = [c for c in truth["validation"]["section_5_claims"] if not c["consistent"]]
    want_confirmed = [c for c in truth["validation"]["section_5_claims"] if c["consistent"]]
    assert sorted(f.claim_source.line for f in inconsistent) == sorted(c["claim_line"] for c in want_inconsistent)
    assert sorted(f.source.line for f in inconsistent) == sorted(c["table_rows"][0] for c in want_inconsistent)
    assert [f.claim_source.line for f in confirmed] == [c["claim_line"] for c in want_confirmed]


def test_claims_found_in_the_pdf_too(relazione_pdf):
    findings = check_report(relazione_pdf)
    assert len(_kinds(findings, FindingKind.narrative_claim_not_in_tables)) == 4
    assert all(f.claim_source.page == 25 for f in _kinds(findings, FindingKind.narrative_claim_not_in_tables))


def test_plan_vs_report_differences(piano, relazione_txt, plan_differences):
    found = compare_plan_report(piano, relazione_txt)
    narrative = _kinds(check_report(relazione_txt), FindingKind.narrative_claim_not_in_tables)
    expected = plan_differences["differences"]
    got = {(f.kind.value, f.operational_objective or f.strategic_objective) for f in found}
    # every plan-vs-report difference and nothing else
    want = {(d["kind"], d["operational_objective"]) for d in expected if d["kind"] != "narrative_claim_not_in_tables"}
    assert got == want
    targets = {f.operational_objective: f for f in _kinds(found, FindingKind.target_changed_unexplained)}
    for d in expected:
        if d["kind"] == "target_changed_unexplained":
            f = targets[d["operational_objective"]]
            assert f.indicator == d["indicator"]
            assert f.expected == d["plan_target"] and f.printed == d["report_target"]
            assert f.plan_source.line is not None and f.source.line is not None
    weight = _kinds(found, FindingKind.weight_changed)[0]
    assert (weight.expected, weight.printed) == ("50,00%", "100,00%")
    removed = _kinds(found, FindingKind.objective_removed_in_report)[0]
    assert removed.claim_source.line == 534  # the removal is explained in section 5
    # the narrative claims the tables do not show
    claimed = [d for d in expected if d["kind"] == "narrative_claim_not_in_tables"]
    assert len(narrative) == len(claimed)
    assert sorted(f.claim_source.line for f in narrative) == sorted(d["claim_line"] for d in claimed)
