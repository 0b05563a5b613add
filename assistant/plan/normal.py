"""The plan's normal form: one plan per meaning (fields that do not apply to the act dropped,
'value' made the subject's own quantity, the output following the act), and the chapter a
plan asks to draft."""

from __future__ import annotations

from . import cues
from .model import QuestionPlan

_DEFAULT_MEASURE = {"financial": "amount", "intervention": "amount", "resource": "amount"}


def normalise(plan: QuestionPlan) -> QuestionPlan:
    """One plan per meaning: fields that do not apply to the act are dropped, 'value' becomes
    the subject's own quantity, the output follows the act."""
    p = plan.model_dump()
    act, subject, measure = p["act"], p["subject"], p["measure"]
    if act in ("draft", "export"):
        p.update(measure=None, condition=None, refs=(), subject=None, rank=None, trend=None, group=None, level=None,
                 candidates=())
        p["section"] = p["section"] or section_for(plan)
    else:
        p["section"] = None
        if p["condition"] in ("over_budget", "under_budget"):
            subject, measure = "resource", "amount"  # only the resources table has a preventivo per line
            act = p["act"] = "list" if act == "lookup" else act
        if act == "explain" and p["condition"] is None and not any(r["kind"] == "indicator" for r in p["refs"]):
            subject = "narrative"  # 'perché l'indicatore X ...?' stays the indicator's: its numbers, findings, cause
        if subject in ("narrative", "store"):
            p.update(refs=(), measure=None, candidates=())
            act = p["act"] = "list" if subject == "store" else act
        else:
            if measure == "algorithm" and subject != "indicator" and p["refs"]:
                measure = None  # how a named objective's achievement is computed: its detail answers
            if measure == "value":
                measure = "actual" if subject == "indicator" else _DEFAULT_MEASURE.get(subject or "")
            if measure == "achievement" and subject == "financial":
                measure = "change"
            if measure == "actual" and subject in ("financial", "intervention"):
                measure = "amount"
            if measure == "actual" and subject == "resource" and act == "compare":
                measure = "amount"
            if measure is None and p["condition"] is None and act != "check":
                measure = _DEFAULT_MEASURE.get(subject or "")
            if subject in ("area", "objective", "ente") and measure is None and p["condition"] is None and act != "list":
                measure = "achievement"
            if subject == "indicator" and act == "compare" and measure is None and not p["refs"] and p["condition"] is None:
                measure = "achievement"  # 'confronta gli indicatori del 2019 e del 2020': how each one went
            p["measure"] = measure
        p["subject"] = subject
        if subject != "objective":
            p["level"] = None
    p["output"] = {"export": "file", "draft": "prose", "explain": "prose"}.get(act) or (
        "table" if act in ("list", "compare", "rank") else "number" if p["measure"] else "prose")
    return QuestionPlan.model_validate(p)


def section_for(plan: QuestionPlan) -> str:
    """The chapter that tells what a plan asks about ('fammene la bozza')."""
    if plan.section:
        return plan.section
    if plan.condition == "below_target":
        return "scostamenti"
    if plan.condition == "target_changed":
        return "5"
    if plan.subject in ("financial", "resource", "intervention"):
        return "2"
    if plan.subject in ("ente", "area", "objective") or plan.measure in ("achievement", "weight"):
        return "3.3"
    if plan.subject == "indicator":
        return "1"
    return "all"


def draft_section(folded: str) -> str | None:
    """The chapter a request to write names by its words ('gli scostamenti', 'il contesto')."""
    return next((s for s, p in cues.SECTION_WORDS if p.search(folded)), None)
