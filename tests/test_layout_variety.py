"""Layouts nobody developed the reader against: drawn at random with a fixed seed by
scripts/make_layouts.py --variety (scripts/layout_variety.py), printed by Chromium and read
like any upload. Each must read at least the field accuracy measured when it was added (the
floor rises as the reader improves; the goal, as for every layout, is 1.000, at least 0.98)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from bench.accuracy import field_accuracy
from conftest import ROOT

SEED = 1
# name -> the field accuracy it reads at least (as measured when the generator was added)
FLOORS = {"variety-1-1": 1.0, "variety-1-2": 1.0, "variety-1-3": 0.91, "variety-1-4": 0.72}


@pytest.mark.slow  # Chromium prints four layouts, the reader reads them: about two minutes
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Chromium (Debian's chromium) non installato")
def test_layouts_drawn_at_random_read_at_least_their_floor(tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    from make_layouts import make

    from ingest.pipeline import read_report
    from ingest.records import indicator_record
    from ingest.scoring import score_report

    truth = json.loads((ROOT / "tests" / "data" / "indicators-2019.json").read_text(encoding="utf-8"))["indicators"]
    written = make(tmp_path, variety=(len(FLOORS), SEED))
    assert [p.stem for p in written] == list(FLOORS)
    for path in written:
        report = read_report(path.read_bytes(), path.name, allow_partial=True)
        card = score_report(report)
        rows = [indicator_record(report, i, card.indicators[i.key].pct).model_dump(mode="json") for i in report.indicators()]
        accuracy, _ = field_accuracy(truth, rows)
        assert accuracy >= FLOORS[path.stem], (path.stem, accuracy)
