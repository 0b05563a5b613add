"""Optional: a language model reads a question the rules read with little confidence, filling
the same plan through langchain's structured output. What it returns is validated: the act,
measure and subject must be values of the plan, every item it names must be a code of the
store's catalog (others are dropped), years are years. The numbers still come from the
handlers; the model never writes an answer here."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field, ValidationError

from .catalog import Catalog
from .model import Act, Condition, Measure, QuestionPlan, Rank, Ref, Subject
from .normal import normalise

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

_MAX_NAMES = 400


class PlanFill(BaseModel):
    """How to read a question about a Relazione sulla performance (fill what the question says)."""

    act: Act = Field(description="lookup, list, compare, rank, explain, check, draft or export")
    measure: Measure | None = Field(None, description="target, actual, achievement, weight, amount, change, count")
    subject: Subject | None = Field(None, description="ente, area, objective, indicator, financial, resource, "
                                                      "intervention, finding or narrative")
    condition: Condition | None = Field(None, description="below_target or target_changed")
    refs: list[str] = Field(default_factory=list, description="items named, as 'kind:code' from the catalog")
    years: list[int] = Field(default_factory=list, description="years named in the question")
    section: str | None = Field(None, description="chapter to draft or export: 1, 2, 3.3, scostamenti, 5, all")
    rank: Rank | None = None


def model_plan(model: "BaseChatModel", plan: QuestionPlan, catalog: Catalog) -> QuestionPlan | None:
    """The model's reading of `plan.text`, validated against `catalog`; None when the model
    is unreachable or returns nothing valid (the rules' plan is then kept)."""
    from langchain_core.messages import HumanMessage, SystemMessage

    names = "\n".join(f"{n.kind}:{n.code} = {n.name}" for n in catalog.names[:_MAX_NAMES])
    messages = [
        SystemMessage("Leggi una domanda sulla Relazione sulla performance di una Camera di commercio e compila il piano "
                      "della domanda. Usa solo voci del catalogo, nella forma tipo:codice.\n\nCatalogo:\n" + names),
        HumanMessage(plan.text),
    ]
    try:
        fill = _structured(model, messages)
    except Exception:  # an unreachable server or an unusable reply: keep the rules' plan
        return None
    if fill is None:
        return None
    refs = tuple(r for r in (_ref(key, catalog) for key in fill.refs) if r is not None)
    years = tuple(sorted({y for y in fill.years if 1990 <= y <= 2100}))
    update = {"act": fill.act, "measure": fill.measure, "subject": fill.subject, "condition": fill.condition,
              "refs": refs, "years": years or plan.years, "section": fill.section, "rank": fill.rank,
              "candidates": (), "parsed_by": "model", "confidence": 0.5}
    try:
        return normalise(plan.model_copy(update=update))
    except ValidationError:
        return None


def _structured(model: "BaseChatModel", messages: list) -> PlanFill | None:
    """with_structured_output when the model supports tools; else a JSON reply, parsed."""
    try:
        runnable = model.with_structured_output(PlanFill)
    except NotImplementedError:
        runnable = None
    if runnable is not None:
        result = runnable.invoke(messages)
        return result if isinstance(result, PlanFill) else PlanFill.model_validate(result)
    from langchain_core.messages import HumanMessage

    schema = json.dumps(PlanFill.model_json_schema(), ensure_ascii=False)
    reply = model.invoke(messages + [HumanMessage(f"Rispondi solo con un oggetto JSON conforme a questo schema:\n{schema}")])
    text = str(reply.content).strip().removeprefix("```json").removeprefix("```").removesuffix("```").strip()
    return PlanFill.model_validate_json(text)


def _ref(key: str, catalog: Catalog) -> Ref | None:
    kind, _, code = key.partition(":")
    name = catalog.by_code(kind, code)
    if name is None:
        return None
    return Ref(kind=name.kind, code=name.code, name=name.name, by="fuzzy", said=key)
