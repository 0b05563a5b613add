"""Property: any mutation of the corpus text is either refused with one line (an `IngestError`)
or read into a report that is complete and holds no impossible value; never a traceback."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import RELAZIONE_TXT

LINES = RELAZIONE_TXT.read_text(encoding="utf-8").split("\n")
TABLE_ROWS = [i for i, line in enumerate(LINES) if "\t" in line]
NASTY = ["", "NaN", "inf", "1e308", "-1E+400", "1899", "abc", "0", "-0,0", "100,00 %", "1.150 N.", ">= 3 N.",
         "<script>x</script>", "=SUM(A1)", "\x00", "9" * 40, "€", "%", "N."]


@st.composite
def mutated(draw) -> str:
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["cut", "drop", "duplicate", "swap", "cell", "year", "bytes"]))
        if kind == "cut":
            lines = lines[: draw(st.integers(0, len(lines)))]
        elif kind == "drop" and lines:
            start = draw(st.integers(0, len(lines) - 1))
            del lines[start : start + draw(st.integers(1, 40))]
        elif kind == "duplicate" and lines:
            start = draw(st.integers(0, len(lines) - 1))
            block = lines[start : start + draw(st.integers(1, 40))]
            at = draw(st.integers(0, len(lines)))
            lines[at:at] = block
        elif kind in ("swap", "cell"):
            rows = [i for i in TABLE_ROWS if i < len(lines) and "\t" in lines[i]]
            if not rows:
                continue
            i = draw(st.sampled_from(rows))
            cells = lines[i].split("\t")
            a = draw(st.integers(0, len(cells) - 1))
            if kind == "swap":
                b = draw(st.integers(0, len(cells) - 1))
                cells[a], cells[b] = cells[b], cells[a]
            else:
                cells[a] = draw(st.sampled_from(NASTY) | st.text(max_size=12))
            lines[i] = "\t".join(cells)
        elif kind == "year":
            old, new = draw(st.sampled_from(["2019", "2018", "2020"])), draw(st.sampled_from(["1899", "2150", "0", "20199"]))
            lines = [line.replace(old, new) for line in lines]
        elif kind == "bytes" and lines:
            i = draw(st.integers(0, len(lines) - 1))
            lines[i] = lines[i][: len(lines[i]) // 2] + draw(st.text(max_size=8)) + lines[i][len(lines[i]) // 2 :]
    return "\n".join(lines)


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_a_mutated_relazione_is_refused_or_complete(text):
    from ingest.errors import IngestError
    from ingest.pipeline import read_report
    from ingest.scoring import score_report
    from ingest.validate import validate

    try:
        report = read_report(text.encode("utf-8"), RELAZIONE_TXT.name, current_year=2025)
    except IngestError as exc:
        assert "\n" not in str(exc)
        return
    result = validate(report, 2025)
    assert result.complete and not result.impossible, result
    score_report(report)  # what the store's views do next: never an exception
