"""`relazione extract` on the real Relazione (text and PDF) against the hand-checked truth."""

from __future__ import annotations

import json

import pytest

from bench.accuracy import FIELDS, expected_value, same
from conftest import RELAZIONE_PDF, RELAZIONE_TXT, run_cli


@pytest.fixture(scope="module")
def extracted() -> dict[str, dict]:
    out = {}
    for name, path in (("txt", RELAZIONE_TXT), ("pdf", RELAZIONE_PDF)):
        result = run_cli("extract", str(path), "--format", "json")
        assert result.returncode == 0, result.stderr
        out[name] = json.loads(result.stdout)
    return out


@pytest.mark.parametrize("fmt", ["txt", "pdf"])
def test_every_row_matches_the_truth(extracted, truth, fmt):
    rows = extracted[fmt]["indicators"]
    expected = truth["indicators"]
    assert len(rows) == len(expected) == 128
    mismatches = []
    for want, got in zip(expected, rows):
        for field in FIELDS:
            # a PDF prints the text's '**...**' in the EC27 algorithm as bold type
            a, b = expected_value(want, field, printed_pdf=fmt == "pdf"), got[field]
            if not same(a, b):
                mismatches.append((want["id"], field, a, b))
    assert not mismatches, mismatches[:5]


def test_text_rows_cite_their_lines(extracted, truth):
    for want, got in zip(truth["indicators"], extracted["txt"]["indicators"]):
        assert got["source"]["line"] == want["source_line"]
        assert got["source"]["lines"] == want["source_lines"]
        assert got["source"]["file"] == RELAZIONE_TXT.name
        assert got["source"]["sha256"] == truth["document"]["source_sha256"]


def test_pdf_rows_cite_their_pages(extracted):
    pages = [row["source"]["page"] for row in extracted["pdf"]["indicators"]]
    assert all(isinstance(p, int) and 1 <= p <= 25 for p in pages)
    strategic = pages[:21]
    operational = pages[21:]
    assert strategic == sorted(strategic) and operational == sorted(operational)
    assert strategic[0] == 5 and operational[-1] == 21  # tables 3.1 and 3.2 as printed


@pytest.mark.parametrize("fmt", ["txt", "pdf"])
def test_extract_scores_and_rolls_up(extracted, fmt):
    data = extracted[fmt]
    assert all(row["achievement"] == 100.0 for row in data["indicators"])
    root = data["objectives"]
    assert root["level"] == "ente" and root["achievement"] == 100.0
    assert [a["code"] for a in root["children"]] == ["1", "2", "3"]
    assert [a["weight_pct"] for a in root["children"]] == [33.34, 33.33, 33.33]
    strategic = [s["code"] for a in root["children"] for s in a["children"]]
    assert strategic == ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2.1", "3.2.2", "3.2.3"]


def test_tree_matches_the_truth(relazione_txt, truth):
    for area_truth, area in zip(truth["tree"]["areas"], relazione_txt.areas):
        assert area.number == area_truth["area"]
        assert area.title == area_truth["title"]
        assert float(area.weight_pct) == area_truth["weight_pct"]
        for s_truth, s in zip(area_truth["strategic_objectives"], area.strategic_objectives):
            assert s.code == s_truth["code"]
            assert s.title == s_truth["title"]
            assert s.bsc_perspective == s_truth["bsc_perspective"]
            assert float(s.weight_pct) == s_truth["weight_pct"]
            for key, ws in s_truth["weight_sources"].items():
                assert float(s.weight_sources[key].weight_pct) == ws["weight_pct"]
                assert s.weight_sources[key].source.line == ws["source_line"]
            got = [(o.code, o.title, float(o.weight_pct), o.source.line, o.nested_under) for o in s.operational_objectives]
            want = [(o["code"], o["title"], o["weight_pct"], o["source_line"], o["nested_under"]) for o in s_truth["operational_objectives"]]
            assert got == want
