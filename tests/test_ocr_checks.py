"""Totals checked against their lines, and the findings of pages read by OCR marked as such."""

from __future__ import annotations

from decimal import Decimal

from ingest.checks import check_report
from ingest.model import FindingKind, Quantity
from ingest.ocr_checks import SCAN_NOTE
from ingest.totals import check_totals


def _kinds(findings, kind):
    return [f for f in findings if f.kind == kind]


def _q(q: Quantity, value: str, raw: str) -> Quantity:
    return q.model_copy(update={"value": Decimal(value), "raw": raw})


def test_the_real_totals_add_up(relazione_txt, relazione_pdf):
    assert relazione_txt.financial and relazione_txt.interventions and relazione_txt.resources
    assert check_totals(relazione_txt) == [] and check_totals(relazione_pdf) == []


def test_a_misread_amount_breaks_its_total(relazione_txt):
    """One digit changed (as OCR does: 8 read as 3) in an intervention, a financial line, a ratio."""
    interventions = list(relazione_txt.interventions)
    first = interventions[0]
    interventions[0] = first.model_copy(update={"amount": _q(first.amount, "663701", "663.701")})
    fin = relazione_txt.financial
    lines = list(fin.lines)
    lines[1] = lines[1].model_copy(update={"values": {**lines[1].values, 2019: _q(lines[1].values[2019], "1887838", "1.887.838,00")}})
    resources = list(relazione_txt.resources)
    resources[1] = resources[1].model_copy(update={"ratio": _q(resources[1].ratio, "97.78", "97,78%")})
    broken = relazione_txt.model_copy(update={
        "interventions": tuple(interventions), "financial": fin.model_copy(update={"lines": tuple(lines)}),
        "resources": tuple(resources),
    })
    found = check_totals(broken)
    assert [f.kind for f in found] == [FindingKind.total_mismatch] * 3
    total_row = next(i for i in relazione_txt.interventions if i.total)
    assert found[0].source == total_row.source and found[0].printed == "1.838.556" and found[0].expected == "1.833.556 €"
    assert "2019" in found[1].message and found[1].printed == "7.078.933,00" and found[1].expected == "7.128.932,00"
    assert found[2].printed == "97,78%" and found[2].expected == "92,78 %"
    assert all(f.source.line for f in found)


def test_findings_of_scanned_pages_say_so(relazione_pdf):
    digital = check_report(relazione_pdf)
    mismatch = _kinds(digital, FindingKind.consuntivo_mismatch)[0]
    page = mismatch.source.page
    scanned = relazione_pdf.model_copy(update={"ocr_pages": (page,)})
    findings = check_report(scanned)
    on_page = [f for f in findings if f.source and f.source.page == page and f.kind != FindingKind.read_by_ocr]
    elsewhere = [f for f in findings if f.source and f.source.page != page]
    assert on_page and all(f.message.endswith(SCAN_NOTE) for f in on_page)
    assert not any(SCAN_NOTE in f.message for f in elsewhere)
    ocr = _kinds(findings, FindingKind.read_by_ocr)
    assert len(ocr) == 1 and f"pagina {page} letta con l'OCR" in ocr[0].message and ocr[0].source.page == page
    assert not _kinds(digital, FindingKind.read_by_ocr)
