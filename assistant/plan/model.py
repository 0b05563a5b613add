"""The typed question plan: what a question asks, about what, and in which form.

One parser (`assistant.plan.parser`) reads an Italian question into a `QuestionPlan`; the
handlers (`assistant.handlers`) declare which plans they answer, so routing is data. A plan is
plain data: built by the rule parser, completed from the previous plan of the conversation (a
follow-up), or filled by a language model and validated.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# what the question asks to do
Act = Literal["lookup", "list", "compare", "rank", "explain", "check", "draft", "export"]
# the quantity it asks about
Measure = Literal["target", "actual", "achievement", "weight", "amount", "change", "count", "algorithm"]
# the form of the answer
Output = Literal["number", "table", "prose", "file"]
# what the answer is about when no single item is named (or what a list enumerates)
Subject = Literal["ente", "area", "objective", "indicator", "financial", "resource", "intervention", "finding", "narrative",
                  "store"]  # 'store': the documents loaded, their years and Camere
# a filter over the items: below their target, reached it ('raggiunti'), beyond it ('hanno superato
# il target'), without an actual or a target ('consuntivo mancante'), changed between Piano and
# Relazione, or (resource lines) spent over or under their preventivo
Condition = Literal["below_target", "met", "above_target", "missing", "target_changed", "over_budget", "under_budget"]
# the items a question can name, as the store names them
RefKind = Literal["area", "strategic", "operational", "indicator", "financial", "resource"]
# how the question named an item
NamedBy = Literal["code", "title", "synonym", "fuzzy", "context"]
Rank = Literal["best", "worst"]
# 'per area', 'per obiettivo', 'anno per anno': the answer is broken down by these
Group = Literal["area", "objective", "year"]
# the level of objectives a question asks about without naming one ('l'obiettivo operativo andato peggio')
Level = Literal["strategic", "operational"]

SECTIONS = ("1", "2", "3.3", "scostamenti", "5", "all")


class Ref(BaseModel):
    """An item of the objective tree or of a table, named in the question."""

    model_config = ConfigDict(frozen=True)

    kind: RefKind
    code: str  # area number, objective code, indicator key ('3.2/1.2.1/2'), table line
    name: str = ""  # the store's own name: title, indicator name, table line
    said: str = ""  # the words of the question that named it
    by: NamedBy = "code"
    score: float = 1.0  # how well the words matched the name (1 for a code)
    known: bool = True  # False: a code the store does not hold (the answer says so)

    def key(self) -> str:
        """'area:1', 'strategic:1.3', 'indicator:3.2/1.2.1/2', 'financial:6) Personale'."""
        return f"{self.kind}:{self.code}"

    @property
    def objective(self) -> str:
        """An indicator's objective code (the middle of its key); else the code."""
        parts = self.code.split("/")
        return parts[1] if self.kind == "indicator" and len(parts) == 3 else self.code

    def label(self) -> str:
        """How the item is shown to the user in a question back."""
        if self.kind == "area":
            return f"area {self.code} – {self.name}" if self.name else f"area {self.code}"
        if self.kind in ("strategic", "operational"):
            kind = "obiettivo strategico" if self.kind == "strategic" else "obiettivo operativo"
            return f"{kind} {self.code} {self.name}".strip()
        if self.kind == "indicator":
            return f"indicatore «{self.name}» (obiettivo {self.objective})"
        table = "sintesi di bilancio" if self.kind == "financial" else "risorse e spese"
        return f"«{self.name}» ({table})"


class Bound(BaseModel):
    """A threshold the question sets on a percentage ('sotto l'80%', 'tra 80 e 100', 'peso
    superiore al 30%'): the items whose achievement (or weight) lies within it."""

    model_config = ConfigDict(frozen=True)

    measure: Literal["achievement", "weight"] = "achievement"
    low: Decimal | None = None  # the items at or above (strictly above when `strict_low`)
    high: Decimal | None = None  # the items at or below (strictly below when `strict_high`)
    strict_low: bool = False
    strict_high: bool = False
    said: str = ""  # the words that set it

    def holds(self, value: Decimal | None) -> bool:
        if value is None:
            return False
        if self.low is not None and (value < self.low or (self.strict_low and value == self.low)):
            return False
        return not (self.high is not None and (value > self.high or (self.strict_high and value == self.high)))


class QuestionPlan(BaseModel):
    """What a question asks (act, measure), about what (scope) and in which form (output)."""

    model_config = ConfigDict(frozen=True)

    text: str
    act: Act = "lookup"
    measure: Measure | None = None
    subject: Subject | None = None
    condition: Condition | None = None
    bound: Bound | None = None
    refs: tuple[Ref, ...] = ()
    years: tuple[int, ...] = ()  # the years named, ascending
    this_year: bool = False  # 'quest'anno', 'l'anno in corso'
    ente: str | None = None  # the Camera named in the question (the store's name once resolved)
    ente_said: str | None = None  # the words that named it (kept when no Ente of the store matches)
    section: str | None = None  # a chapter to draft or export: 1, 2, 3.3, scostamenti, 5, all
    rank: Rank | None = None
    negated: bool = False  # asked in the negative ('ci sono pesi che non sommano a 100?'): 'sì' means a problem
    trend: Literal["up", "down"] | None = None  # a comparison asking only the items that rose, or fell
    group: Group | None = None
    level: Level | None = None
    output: Output = "prose"
    formats: tuple[Literal["md", "docx"], ...] = ()  # the file formats a draft or export asks for
    candidates: tuple[Ref, ...] = ()  # a name that fits several items: ask which one
    followup: bool = False  # completed from the previous plan of the conversation
    dangling: bool = False  # a follow-up ('e nel 2020?') with no previous question to complete
    confidence: float = Field(default=1.0, ge=0, le=1)  # share of the question the parser understood
    parsed_by: Literal["rules", "model"] = "rules"

    @property
    def year(self) -> int | None:
        """The one year the question is about (the last named), if any."""
        return self.years[-1] if self.years else None

    def ref_kinds(self) -> set[str]:
        return {r.kind for r in self.refs}

    def refs_of(self, *kinds: str) -> list[Ref]:
        return [r for r in self.refs if r.kind in kinds]

    def summary(self) -> dict:
        """The plan as compact data (what the question set records and tests compare)."""
        data: dict = {"act": self.act}
        if self.measure is not None:
            data["measure"] = self.measure
        for key in ("subject", "condition"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        if self.bound is not None:
            data["bound"] = self.bound.model_dump(mode="json", exclude={"said"}, exclude_defaults=True)
        data["refs"] = [r.key() for r in self.refs]
        data["years"] = list(self.years)
        for key in ("section", "rank", "trend", "group", "level", "ente"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        if self.candidates:
            data["candidates"] = [r.key() for r in self.candidates]
        if self.dangling:
            data["dangling"] = True
        return data
