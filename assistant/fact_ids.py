"""Typed fact ids: one model, one formatter, one parser.

A fact id names a number the assistant may write. Its text form is what answers print (JSON
`facts[].id`), what tests and the question set name, and what a computed fact lists in
`derived_from`; it is built and read only here:

    3.1/1.1/1#actual                 an indicator's field (actual, target, target2021, weight,
                                     achievement, measure0, recomputed)
    area:1#achievement               a node of the objective tree (ente, area, strategic, operational)
    fin:6) Personale:2019            a line of the financial summary, one year
    res:Spese promozionali:ratio     a line of "Risorse disponibili e spese sostenute"
    int:1.1, int:totale              interventi economici per strategic objective, and their total
    key:<label>, overview:<t:l:c>    key indicators, printed overview rows
    count:below:2020                 a count the answer computed
    plan:<indicator key>#target2020  a target of the Piano
    claim:<where>:<objective>:new    a target claimed in section 5
    plan-weight:<code>:<indicator>   a weight in the Piano (report-weight: in the Relazione)
    finding:3:printed                a number a finding printed or expected
    policy:achieved_from             a threshold of the scoring policy
    diff(a,b) pct_change(a,b) share(a,b)   computed from two facts
    2019@area:1#achievement          a fact of another year than the answer's (year comparisons)

Any other text is a "free" id (a caller's own name for a fact): kept as it is.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal, Union

from pydantic import BaseModel, ConfigDict

from ingest.patterns import compiled

Kind = Literal[
    "indicator", "node", "fin", "res", "int", "key", "overview", "count", "plan", "claim", "plan-weight",
    "report-weight", "finding", "policy", "diff", "pct_change", "share", "free",
]
NodeLevel = Literal["ente", "area", "strategic", "operational"]

_PREFIXED = ("fin", "res", "int", "key", "overview", "count", "plan", "claim", "plan-weight", "report-weight", "finding", "policy")
_COMPUTED = ("diff", "pct_change", "share")
_NODE_RE = compiled(r"^(ente|area|strategic|operational):(.+)#(\w+)$")
_AT_RE = compiled(r"^(\d{4})@(.+)$")


class FactId(BaseModel):
    """The typed id of a fact; `str(fid)` is its text form, `FactId.parse(text)` reads it back."""

    model_config = ConfigDict(frozen=True)

    kind: Kind
    name: str = ""  # indicator key, 'level:code', table line, count name, objective code...
    field: str = ""  # actual, target2021, preventivo, new...
    year: int | None = None  # the column year of a financial line, the year of a count
    args: tuple["FactId", ...] = ()  # the operands of a computed fact
    at: int | None = None  # the view's year, for a fact of another year than the answer's

    def __str__(self) -> str:
        text = self._body()
        return f"{self.at}@{text}" if self.at is not None else text

    def _body(self) -> str:
        k = self.kind
        if k == "free":
            return self.name
        if k in _COMPUTED:
            return f"{k}({','.join(str(a) for a in self.args)})"
        if k in ("indicator", "node"):
            return f"{self.name}#{self.field}"
        if k == "plan":
            return f"plan:{self.name}#{self.field}"
        if k in ("fin", "count"):
            return f"{k}:{self.name}:{self.year}"
        if k in ("res", "claim", "plan-weight", "report-weight", "finding"):
            return f"{k}:{self.name}:{self.field}"
        return f"{k}:{self.name}"  # int, key, overview, policy

    def of_year(self, year: int) -> "FactId":
        """The same fact, read in the view of `year` (operands too)."""
        return self.model_copy(update={"at": year, "args": tuple(a.of_year(year) for a in self.args)})

    @classmethod
    def parse(cls, text: str) -> "FactId":
        if m := _AT_RE.match(text):
            return cls.parse(m.group(2)).of_year(int(m.group(1)))
        for kind in _COMPUTED:
            if text.startswith(kind + "(") and text.endswith(")"):
                return cls(kind=kind, args=tuple(cls.parse(a) for a in _split_args(text[len(kind) + 1 : -1])))
        for kind in _PREFIXED:
            if text.startswith(kind + ":"):
                return _parse_prefixed(kind, text[len(kind) + 1 :])
        if m := _NODE_RE.match(text):
            return cls(kind="node", name=f"{m.group(1)}:{m.group(2)}", field=m.group(3))
        name, sep, field = text.rpartition("#")
        if not sep:
            raise ValueError(f"not a fact id: {text!r}")
        return cls(kind="indicator", name=name, field=field)


def _parse_prefixed(kind: str, rest: str) -> FactId:
    if kind == "plan":
        name, _, field = rest.rpartition("#")
        return FactId(kind="plan", name=name, field=field)
    if kind in ("fin", "count"):
        name, _, year = rest.rpartition(":")
        return FactId(kind=kind, name=name, year=int(year))  # type: ignore[arg-type]
    if kind in ("res", "claim"):
        name, _, field = rest.rpartition(":")
        return FactId(kind=kind, name=name, field=field)  # type: ignore[arg-type]
    if kind in ("plan-weight", "report-weight", "finding"):
        name, _, field = rest.partition(":")  # an objective code or an index: no ':' inside
        return FactId(kind=kind, name=name, field=field)  # type: ignore[arg-type]
    return FactId(kind=kind, name=rest)  # type: ignore[arg-type]


def _split_args(text: str) -> list[str]:
    """'a,b' at the top level: commas inside parentheses (labels, nested computations) stay."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


AnyId = Union[FactId, str]


@lru_cache(maxsize=1 << 16)  # a book's ids are parsed once per finding; FactId is frozen
def try_parse(text: str) -> FactId | None:
    """The typed id of `text`, or None when it is not a fact id (a book may hold free ids)."""
    try:
        return FactId.parse(text)
    except ValueError:
        return None


def as_text(fid: AnyId) -> str:
    return fid if isinstance(fid, str) else str(fid)


# -- constructors: the only places the kinds of ids are spelled ---------------------------------


def indicator(key: str, field: str) -> FactId:
    return FactId(kind="indicator", name=key, field=field)


def node(level: str, code: str, field: str) -> FactId:
    return FactId(kind="node", name=f"{level}:{code}", field=field)


def fin(label: str, year: int) -> FactId:
    return FactId(kind="fin", name=label, year=year)


def res(label: str, field: str) -> FactId:
    return FactId(kind="res", name=label, field=field)


def intervention(code: str | None) -> FactId:
    return FactId(kind="int", name=code or "totale")


def key_indicator(label: str) -> FactId:
    return FactId(kind="key", name=label)


def overview(table: str, level: str, code: str | None) -> FactId:
    return FactId(kind="overview", name=f"{table}:{level}:{code or 'ente'}")


def count(name: str, year: int) -> FactId:
    return FactId(kind="count", name=name, year=year)


def plan_target(key: str, year: int) -> FactId:
    return FactId(kind="plan", name=key, field=f"target{year}")


def claim(where: str, objective: str | None, which: str) -> FactId:
    return FactId(kind="claim", name=f"{where}:{objective or ''}", field=which)


def weight_in(document: Literal["plan", "report"], code: str, indicator_name: str | None) -> FactId:
    return FactId(kind=f"{document}-weight", name=code, field=indicator_name or "")  # type: ignore[arg-type]


def finding(index: int, which: str) -> FactId:
    return FactId(kind="finding", name=str(index), field=which)


def policy(name: str) -> FactId:
    return FactId(kind="policy", name=name)


def computed(kind: Literal["diff", "pct_change", "share"], a: AnyId, b: AnyId) -> FactId:
    return FactId(kind=kind, args=(_typed(a), _typed(b)))


def of_year(fid: AnyId, year: int) -> FactId:
    """`fid` as read in the view of `year`."""
    return _typed(fid).of_year(year)


def of_year_text(text: str, year: int) -> str:
    """`str(of_year(text, year))`, without parsing the ids that are no computation (most of a
    book: an answer comparing two years imports every fact of the other year)."""
    if text.startswith(_COMPUTED) or _AT_RE.match(text):
        return str(of_year(text, year))
    return f"{year}@{text}"


def _typed(fid: AnyId) -> FactId:
    """A typed id; text that is no fact id (a caller's own name) is kept as it is."""
    if isinstance(fid, FactId):
        return fid
    return try_parse(fid) or FactId(kind="free", name=fid)
