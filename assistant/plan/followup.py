"""Follow-ups: 'e nel 2018?', 'e l'area 2?', 'perché?', 'fammene la bozza' complete the
previous plan of the conversation with what they change."""

from __future__ import annotations

from ingest.textnorm import fold

from . import cues
from .model import QuestionPlan
from .normal import section_for

_OPPOSITE = {"met": "below_target", "below_target": "met"}
_NATURAL = {"area": "area", "strategic": "objective", "operational": "objective", "indicator": "indicator",
            "financial": "financial", "resource": "resource"}


def is_followup(folded: str, plan: QuestionPlan) -> bool:
    """A question that leans on the previous one: it opens with 'e', 'invece', 'anche'...,
    asks only 'perché?', refers to it with a clitic ('fammene', 'esportala'), or names
    nothing of its own (no subject, item, measure or condition)."""
    if cues.WHY_ONLY.search(folded) or cues.FOLLOWUP_CLITIC.search(folded):
        return True
    short = len(folded.split()) <= 9
    if short and cues.FOLLOWUP_START.search(folded):
        return True
    bare = not (plan.refs or plan.measure or plan.condition or plan.candidates) and plan.subject in (None, "narrative")
    if short and bare and plan.act in ("draft", "export"):
        return True
    return (len(folded.split()) <= 6 and _unscoped(plan)) or (short and _anaphoric(plan))


def _anaphoric(plan: QuestionPlan) -> bool:
    """'quale ha il raggiungimento più basso?', 'quanti sono sotto target?', 'quali?': every word
    asks (the parser understood it all) and none names what it is about (no item, no Camera, no
    noun such as 'indicatori'): in a conversation, it is asked of the previous question's items.
    'chi è il segretario generale?' has words of its own: a new question."""
    return (plan.confidence >= 0.9 and not (plan.refs or plan.candidates or plan.ente or plan.ente_said)
            and plan.act not in ("draft", "export") and plan.subject != "store" and not _says_subject(plan))


def leans_on_items(folded: str, plan: QuestionPlan, previous: QuestionPlan) -> bool:
    """'quanti indicatori ha?', 'quali obiettivi ci sono?' right after a question on an area or
    an objective: the items below the previous ones, asked without naming them again."""
    below = {"area": {"objective", "indicator"}, "strategic": {"objective", "indicator"}, "operational": {"indicator"}}
    kinds = {r.kind for r in previous.refs if r.kind in below}
    return (len(folded.split()) <= 6 and bool(kinds) and not (plan.refs or plan.candidates or plan.ente)
            and any(plan.subject in below[k] for k in kinds) and plan.act not in ("draft", "export"))


def _unscoped(plan: QuestionPlan) -> bool:
    """'quanto pesa?', 'com'è andato nel 2020?': a measure (or a year) asked of nothing the
    question names itself (no item, no 'indicatori' or 'area', no table, no Camera, no
    condition): in a conversation, it is asked of the previous question's items."""
    asks = plan.measure is not None or (plan.act == "compare" and bool(plan.years))
    return (asks and not (plan.refs or plan.candidates or plan.condition or plan.ente)
            and plan.act in ("lookup", "compare") and not _says_subject(plan))


def is_dangling(folded: str, plan: QuestionPlan) -> bool:
    """A follow-up with nothing to lean on: 'e nel 2020?', 'perché?', 'fammene la bozza' as the
    first question of a conversation. It says nothing of its own (no item, measure, condition
    or subject), so any answer would be a guess: the assistant asks for the whole question."""
    if cues.WHY_ONLY.search(folded) or cues.FOLLOWUP_CLITIC.search(folded):
        return True
    own = plan.refs or plan.measure or plan.condition or plan.candidates or plan.subject not in (None, "narrative")
    return not own and len(folded.split()) <= 6 and bool(cues.FOLLOWUP_START.search(folded))


def complete(previous: QuestionPlan, new: QuestionPlan) -> QuestionPlan:
    """The previous plan with what the follow-up says in its place."""
    act = new.act if _asked_act(new) or new.measure == "count" else previous.act  # a count compares nothing
    if act in ("draft", "export") and previous.act not in ("draft", "export") and new.section is None:
        section = section_for(previous)
    else:
        section = new.section or previous.section
    measure = new.measure or previous.measure
    if act == "list" and new.measure is None and previous.measure == "count":
        measure = None
    refs = new.refs or previous.refs
    subject = previous.subject
    if new.subject is not None and new.subject != "narrative" and _says_subject(new):
        introduces_ref = new.refs and _NATURAL[new.refs[0].kind] == new.subject
        if not introduces_ref or previous.subject in (None, "narrative"):
            subject = new.subject
    years = new.years or previous.years
    if new.years and act == "compare" and previous.years:
        years = tuple(sorted(set(previous.years) | set(new.years)))
    condition = new.condition or previous.condition or _why_condition(new, previous)
    if cues.THE_OTHERS.search(fold(new.text)) and condition in _OPPOSITE:  # 'e quanti no?': the others
        condition = _OPPOSITE[condition]
    return previous.model_copy(update={
        "text": new.text, "act": act, "measure": measure, "subject": subject,
        "condition": condition, "refs": refs, "years": years,
        "this_year": new.this_year or (previous.this_year and not new.years),
        "ente": new.ente or previous.ente, "ente_said": new.ente_said or previous.ente_said, "section": section,
        "rank": new.rank or (previous.rank if act == "rank" else None), "trend": new.trend, "group": new.group or previous.group,
        "level": new.level or (previous.level if not new.refs else None),
        "formats": new.formats or previous.formats,
        "candidates": new.candidates, "followup": True, "confidence": max(new.confidence, 0.6),
    })


def _why_condition(new: QuestionPlan, previous: QuestionPlan) -> str | None:
    """'perché?' after an achievement (of the Ente, an area, an objective): the reasons are the
    indicators of that scope below their target, each with its cause."""
    asks_why = new.act == "explain" and not (new.refs or new.measure or new.condition)
    about_score = previous.measure == "achievement" and previous.subject in ("ente", "area", "objective")
    return "below_target" if asks_why and about_score else None


def _says_subject(plan: QuestionPlan) -> bool:
    """The follow-up names what it is about (an item, 'gli indicatori', 'il bilancio'); a
    subject the parser only inferred ('e quanto pesa?' -> the Ente) leaves the previous one."""
    folded = fold(plan.text)
    return bool(plan.refs) or any(p.search(folded) for _, p in (*cues.TREE_NOUNS, *cues.TABLES, *cues.TABLE_TITLES))


def _asked_act(plan: QuestionPlan) -> bool:
    """The follow-up asks for an act of its own ('perché?', 'e quali sono?', 'fammene la bozza')."""
    return plan.act != "lookup"
