"""Routing is data: each handler declares the plans it answers; the first handler (in the
order of `ORDER`) with a route that accepts a plan answers it. `route(plan)` needs neither
the store nor a model, so routing is tested on plans alone."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from pydantic import BaseModel, ConfigDict

from ..plan.model import QuestionPlan
from .base import Composed, Context


class Route(BaseModel):
    """A set of plans: every field given must hold (an empty set means any value)."""

    model_config = ConfigDict(frozen=True)

    acts: frozenset[str] = frozenset()
    subjects: frozenset[str | None] = frozenset()
    measures: frozenset[str | None] = frozenset()
    conditions: frozenset[str | None] = frozenset()
    ref_kinds: frozenset[str] = frozenset()  # the plan names an item of one of these kinds
    without_ref_kinds: frozenset[str] = frozenset()  # ... and none of these
    candidates: bool | None = None  # the plan has a name that fits several items
    unknown_refs: bool | None = None  # the plan names a code the store does not hold
    dangling: bool | None = None  # a follow-up with no previous question
    bounded: bool | None = None  # the plan sets a threshold ('sotto l'80%')

    def accepts(self, plan: QuestionPlan) -> bool:
        kinds = plan.ref_kinds()
        return (
            (not self.acts or plan.act in self.acts)
            and (not self.subjects or plan.subject in self.subjects)
            and (not self.measures or plan.measure in self.measures)
            and (not self.conditions or plan.condition in self.conditions)
            and (not self.ref_kinds or bool(kinds & self.ref_kinds))
            and not (kinds & self.without_ref_kinds)
            and (self.candidates is None or bool(plan.candidates) == self.candidates)
            and (self.unknown_refs is None or any(not r.known for r in plan.refs) == self.unknown_refs)
            and (self.dangling is None or plan.dangling == self.dangling)
            and (self.bounded is None or (plan.bound is not None) == self.bounded)
        )


def when(**fields) -> Route:
    return Route(**{k: frozenset(v) if isinstance(v, (set, list, tuple)) else v for k, v in fields.items()})


@dataclass(frozen=True)
class Handler:
    name: str  # also the answer's `intent`
    routes: tuple[Route, ...]
    answer: Callable[[Context], Composed]

    def accepts(self, plan: QuestionPlan) -> bool:
        return any(r.accepts(plan) for r in self.routes)


# the order in which handlers are tried: the narrowest plans first, retrieval last
ORDER = (
    "clarify", "library", "draft", "export", "retrieval", "target_changes", "findings", "selection", "below_target", "indicator",
    "count", "interventions", "resources", "financial", "achievement",
)
_HANDLERS: dict[str, Handler] = {}


def handler(name: str, *routes: Route) -> Callable[[Callable[[Context], Composed]], Callable[[Context], Composed]]:
    """Register `fn` as the handler `name`, answering the plans of `routes`."""
    if name not in ORDER:
        raise ValueError(f"handler {name!r} missing from ORDER")

    def register(fn: Callable[[Context], Composed]) -> Callable[[Context], Composed]:
        _HANDLERS[name] = Handler(name, tuple(routes), fn)
        return fn

    return register


def handlers() -> list[Handler]:
    _load()
    return [_HANDLERS[n] for n in ORDER if n in _HANDLERS]


def route(plan: QuestionPlan) -> Handler:
    """The handler that answers `plan` (retrieval when no other does)."""
    for h in handlers():
        if h.accepts(plan):
            return h
    return _HANDLERS["retrieval"]


_loaded: list[bool] = []


def _load() -> None:
    if _loaded:
        return
    _loaded.append(True)
    from . import (  # noqa: F401  (each module registers its handlers)
        achievement,
        changes,
        deviations,
        documents,
        finance,
        findings,
        indicators,
        library,
        narrative,
        selection,
    )
