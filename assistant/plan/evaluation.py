"""The question set (tests/data/questions.jsonl) and how a plan is scored against it: used by
the parse-only test and by bench/assistant.py."""

from __future__ import annotations

import json
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from .catalog import Catalog
from .model import QuestionPlan
from .parser import PlanParser

_KEYS = ("act", "measure", "subject", "condition", "bound", "refs", "years", "section", "rank", "group", "level", "ente", "candidates", "dangling")
_SETS = ("refs", "candidates")


class Case(BaseModel):
    model_config = ConfigDict(frozen=True)

    line: int  # 0-based line of the file
    q: str
    chain: tuple[str, ...] = ()
    plan: dict
    handler: str
    year: int | None = None
    facts: tuple[str, ...] = ()
    contains: tuple[str, ...] = ()

    @property
    def half(self) -> str:
        """The fixed split: even lines develop the parser, odd lines are held out."""
        return "dev" if self.line % 2 == 0 else "held-out"


def load(path: Path) -> list[Case]:
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines()]
    return [Case(line=i, **json.loads(ln)) for i, ln in enumerate(lines) if ln.strip()]


def plan_for(parser: PlanParser, case: Case) -> QuestionPlan:
    previous = None
    for q in case.chain:
        previous = parser.parse(q, previous)
    return parser.parse(case.q, previous)


def differences(plan: QuestionPlan, expected: dict) -> dict[str, tuple]:
    """Fields where the plan differs from what the case expects ({} when it matches)."""
    got = plan.summary()
    out = {}
    for key in _KEYS:
        want, have = expected.get(key), got.get(key)
        if key in ("refs", "years", "candidates"):
            want, have = want or [], have or []
        if key in _SETS:
            want, have = sorted(want), sorted(have)
        if want != have:
            out[key] = (want, have)
    return out


def expected_plan(case: Case, catalog: Catalog | None = None) -> QuestionPlan:
    """The plan a case expects, as a QuestionPlan (refs by key, unknown when `catalog` lacks
    them; for routing tests)."""
    from .model import Ref

    def ref(key: str) -> Ref:
        kind, _, code = key.partition(":")
        known = catalog is None or catalog.by_code(kind, code) is not None
        return Ref(kind=kind, code=code, known=known)  # type: ignore[arg-type]

    data = {k: v for k, v in case.plan.items() if k not in ("refs", "candidates")}
    return QuestionPlan(text=case.q, refs=tuple(ref(k) for k in case.plan.get("refs", [])),
                        candidates=tuple(ref(k) for k in case.plan.get("candidates", [])), **data)


def corpus_catalog(corpus: Path) -> Catalog:
    """The names of a corpus folder, read from its files with no store: its Relazioni and
    Piani (actuals add no names, only their year)."""
    from ingest.pipeline import read_path

    reports = [read_path(p) for p in sorted(corpus.glob("*.txt")) if not p.name.startswith("README")]
    reports.sort(key=lambda r: r.kind != "piano")  # the Relazione's names win over the Piano's
    years = {r.year for r in reports if r.kind == "relazione"}
    years |= {int(m) for p in corpus.glob("*.csv") for m in re.findall(r"(20\d{2})", p.name)[:1]}
    return Catalog.from_reports(reports, enti={r.ente for r in reports}, years=years)
