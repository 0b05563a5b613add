"""Field accuracy of extracted indicator rows against the hand-checked truth.

The fields and the comparison are those of tests/test_golden.py (same JSON type and value;
the PDF's EC27 algorithm compared without the text rendering's '**' pairs). Rows are paired
in printed order by their objective and indicator name (difflib), so that one missing or
extra row costs its own fields only, not those of every row after it. Accuracy = matching
fields / (fields per row x the larger of the two row counts).
"""

from __future__ import annotations

import difflib
import re

SCORED_FIELDS = [
    "section", "area", "strategic_objective", "operational_objective", "operational_objective_title",
    "operational_objective_weight_pct", "indicator", "kpi_code", "weight_pct", "algorithm", "measures",
    "actual_value", "actual_unit", "target_operator", "target_value", "target_unit",
]
TRACE_FIELDS = ["strategic_objective_title", "descrizione", "measure_units"]
FIELDS = SCORED_FIELDS + TRACE_FIELDS


def same(a, b) -> bool:
    """Equal values of the same JSON type (1150 is not 1150.0: the conventions keep them apart)."""
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b and type(a) is type(b)


def expected_value(want: dict, field: str, printed_pdf: bool):
    value = want[field]
    if printed_pdf and field == "algorithm" and value:
        # a PDF renders the text's '**...**' in the EC27 algorithm as bold type
        value = " ".join(value.replace("**", "").split())
    return value


def _key(row: dict) -> str:
    name = re.sub(r"\W+", " ", str(row.get("indicator") or "")).lower().strip()
    return f"{row.get('section')}|{row.get('strategic_objective')}|{row.get('operational_objective')}|{name}"


def pair_rows(expected: list[dict], got: list[dict]) -> list[tuple[dict, dict | None]]:
    """Each truth row with the extracted row that stands for it (None when there is none)."""
    matcher = difflib.SequenceMatcher(a=[_key(r) for r in expected], b=[_key(r) for r in got], autojunk=False)
    paired: list[tuple[dict, dict | None]] = [(want, None) for want in expected]
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("equal", "replace"):
            for k in range(min(i2 - i1, j2 - j1)):  # a misread name still pairs with its place
                paired[i1 + k] = (expected[i1 + k], got[j1 + k])
    return paired


def field_accuracy(expected: list[dict], got: list[dict], printed_pdf: bool = True) -> tuple[float, list[tuple]]:
    """(accuracy, mismatches as (truth id, field, expected, extracted))."""
    mismatches: list[tuple] = []
    right = 0
    for want, row in pair_rows(expected, got):
        for field in FIELDS:
            a = expected_value(want, field, printed_pdf)
            b = row.get(field) if row is not None else None
            if row is not None and same(a, b):
                right += 1
            else:
                mismatches.append((want["id"], field, a, b))
    total = len(FIELDS) * max(len(expected), len(got))
    return (right / total if total else 0.0), mismatches
