"""Property: any mutation of the corpus text is either refused with one line (an `IngestError`)
or read into a report that is complete and holds no impossible value; never a traceback."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from conftest import RELAZIONE_TXT
from damaged import mutated


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
