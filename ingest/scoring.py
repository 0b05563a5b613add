"""Achievement per indicator and weighted rollups. Pure: typed input, typed output, no I/O.

Rules (DESIGN.md, "Scoring"):

* Achievement is a fraction in [0, 1], computed with Decimal (28 significant digits).
* Policy "proportional" (default, capped at 1):
    - met target -> 1;
    - ``>=`` not met: actual / target for a positive target; for a target <= 0 the relative
      shortfall 1 - (target - actual) / |target| (0 when the target is 0);
    - ``<=`` not met: target / actual for a positive target; for a target <= 0 (e.g. the
      payment-timeliness indicator, ``<= -10`` days) 1 - (actual - target) / |target|;
    - ``=`` not met -> 0;
    every value is floored at 0.
* Policy "binary": 1 if the target is met, else 0.
* Rollup: weighted mean by the printed weights, sum(w * a) / sum(w), over the children that
  have an achievement; weights that do not sum to 100 are thereby normalised, and flagged.
* Evaluation bands (configurable): >= 90 % raggiunto, >= 70 % parzialmente raggiunto,
  below 70 % non raggiunto.
* One rounding rule, applied only when a percentage is shown: ROUND_HALF_UP to 2 decimals.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Literal

from pydantic import BaseModel, ConfigDict

from .model import Area, Indicator, OperationalObjective, Report, StrategicObjective, Target

ONE = Decimal(1)
ZERO = Decimal(0)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


class Policy(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)

    method: Literal["proportional", "binary"] = "proportional"
    achieved_from: Decimal = Decimal(90)  # % at or above: raggiunto
    partial_from: Decimal = Decimal(70)  # % at or above: parzialmente raggiunto
    # what a strategic objective's achievement rests on: its own indicators (table 3.1),
    # or the rollup of its operational objectives (table 3.2); the other is the fallback
    strategic_basis: Literal["indicators", "operational"] = "indicators"
    weight_tolerance: Decimal = Decimal("0.01")


DEFAULT_POLICY = Policy()

Band = Literal["raggiunto", "parzialmente raggiunto", "non raggiunto"]


def round_pct(value: Decimal) -> Decimal:
    """The one rounding rule: ROUND_HALF_UP to two decimals."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def as_pct(fraction: Decimal | None) -> Decimal | None:
    return None if fraction is None else round_pct(fraction * HUNDRED)


def target_met(actual: Decimal, target: Target) -> bool:
    if target.operator == ">=":
        return actual >= target.value
    if target.operator == "<=":
        return actual <= target.value
    return actual == target.value


def achievement(actual: Decimal, target: Target, policy: Policy = DEFAULT_POLICY) -> Decimal:
    """Fraction of the target achieved, in [0, 1]."""
    if target_met(actual, target):
        return ONE
    if policy.method == "binary" or target.operator == "=":
        return ZERO
    t = target.value
    with localcontext() as ctx:
        ctx.prec = 28
        if target.operator == ">=":
            if t > 0:
                value = actual / t
            elif t < 0:
                value = ONE - (t - actual) / abs(t)
            else:
                value = ZERO
        else:  # "<=" not met: actual > target
            if t > 0:
                value = t / actual
            elif t < 0:
                value = ONE - (actual - t) / abs(t)
            else:
                value = ZERO
    return min(ONE, max(ZERO, value))


def band(fraction: Decimal | None, policy: Policy = DEFAULT_POLICY) -> Band | None:
    if fraction is None:
        return None
    pct = round_pct(fraction * HUNDRED)
    if pct >= policy.achieved_from:
        return "raggiunto"
    if pct >= policy.partial_from:
        return "parzialmente raggiunto"
    return "non raggiunto"


class IndicatorScore(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)

    key: str
    achievement: Decimal | None  # fraction
    met: bool | None
    band: Band | None
    # how far from the target, in the target's unit (actual - target); None when met or unknown
    gap: Decimal | None = None
    missing: str | None = None  # why no achievement: 'consuntivo mancante', 'target mancante'

    @property
    def pct(self) -> Decimal | None:
        return as_pct(self.achievement)


Level = Literal["indicator_group", "operational", "strategic", "area", "ente"]


class NodeScore(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)

    level: Level
    code: str
    title: str
    weight_pct: Decimal | None
    achievement: Decimal | None
    band: Band | None
    weight_sum: Decimal  # of the children that were rolled up
    normalised: bool  # True when weight_sum differs from 100 beyond the tolerance
    basis: str  # what was rolled up: 'indicatori 3.1', 'obiettivi operativi', ...
    children: tuple["NodeScore", ...] = ()
    indicators: tuple[IndicatorScore, ...] = ()

    @property
    def pct(self) -> Decimal | None:
        return as_pct(self.achievement)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


class Scorecard(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)

    ente: str
    year: int
    policy: Policy
    root: NodeScore
    indicators: dict[str, IndicatorScore]

    def node(self, level: Level, code: str) -> NodeScore | None:
        return next((n for n in self.root.walk() if n.level == level and n.code == code), None)

    def nodes(self, level: Level) -> list[NodeScore]:
        return [n for n in self.root.walk() if n.level == level]


def score_indicator(ind: Indicator, policy: Policy = DEFAULT_POLICY) -> IndicatorScore:
    if ind.target is None:
        return IndicatorScore(key=ind.key, achievement=None, met=None, band=None, missing="target mancante")
    if ind.actual is None:
        return IndicatorScore(key=ind.key, achievement=None, met=None, band=None, missing="consuntivo mancante")
    met = target_met(ind.actual.value, ind.target)
    value = achievement(ind.actual.value, ind.target, policy)
    gap = None if met else ind.actual.value - ind.target.value
    return IndicatorScore(key=ind.key, achievement=value, met=met, band=band(value, policy), gap=gap)


def weighted_mean(items: list[tuple[Decimal | None, Decimal | None]]) -> tuple[Decimal | None, Decimal]:
    """Weighted mean of (weight, achievement) pairs that have an achievement.

    Returns the mean and the sum of the weights used. Pairs without a weight count with
    equal weights only when none of them has one.
    """
    scored = [(w, a) for w, a in items if a is not None]
    if not scored:
        return None, ZERO
    if all(w is None for w, _ in scored):
        scored = [(ONE, a) for _, a in scored]
    scored = [(w, a) for w, a in scored if w is not None]
    total = sum((w for w, _ in scored), ZERO)
    if total == 0:
        return None, ZERO
    with localcontext() as ctx:
        ctx.prec = 28
        return sum((w * a for w, a in scored), ZERO) / total, total


def _node(
    level: Level, code: str, title: str, weight: Decimal | None,
    items: list[tuple[Decimal | None, Decimal | None]], basis: str, policy: Policy,
    children: tuple[NodeScore, ...] = (), indicators: tuple[IndicatorScore, ...] = (),
) -> NodeScore:
    value, weight_sum = weighted_mean(items)
    raw_sum = sum((w for w, _ in items if w is not None), ZERO)
    return NodeScore(
        level=level, code=code, title=title, weight_pct=weight, achievement=value, band=band(value, policy),
        weight_sum=raw_sum if items else weight_sum,
        normalised=bool(items) and abs(raw_sum - HUNDRED) > policy.weight_tolerance,
        basis=basis, children=children, indicators=indicators,
    )


def _score_operational(obj: OperationalObjective, scores: dict[str, IndicatorScore], policy: Policy) -> NodeScore:
    ind_scores = tuple(scores[i.key] for i in obj.indicators)
    items = [(i.weight_pct, scores[i.key].achievement) for i in obj.indicators]
    return _node("operational", obj.code, obj.title, obj.weight_pct, items, "indicatori", policy, indicators=ind_scores)


def _score_strategic(obj: StrategicObjective, scores: dict[str, IndicatorScore], policy: Policy) -> NodeScore:
    ops = tuple(_score_operational(o, scores, policy) for o in obj.operational_objectives)
    ind_items = [(i.weight_pct, scores[i.key].achievement) for i in obj.indicators]
    op_items = [(o.weight_pct, o.achievement) for o in ops]
    ind_scores = tuple(scores[i.key] for i in obj.indicators)
    order = [(ind_items, "indicatori strategici (3.1)"), (op_items, "obiettivi operativi (3.2)")]
    if policy.strategic_basis == "operational":
        order.reverse()
    chosen, basis = next(((it, b) for it, b in order if any(a is not None for _, a in it)), order[0])
    return _node(
        "strategic", obj.code, obj.title, obj.weight_pct, chosen, basis, policy,
        children=ops, indicators=ind_scores,
    )


def _score_area(area: Area, scores: dict[str, IndicatorScore], policy: Policy) -> NodeScore:
    strategics = tuple(_score_strategic(s, scores, policy) for s in area.strategic_objectives)
    items = [(s.weight_pct, s.achievement) for s in strategics]
    return _node("area", str(area.number), area.title, area.weight_pct, items, "obiettivi strategici", policy, children=strategics)


def score_report(report: Report, policy: Policy = DEFAULT_POLICY) -> Scorecard:
    """Score every indicator of a report and roll up to operational, strategic, area and Ente."""
    scores = {i.key: score_indicator(i, policy) for i in report.indicators()}
    areas = tuple(_score_area(a, scores, policy) for a in report.areas)
    root = _node("ente", "ente", report.ente, HUNDRED, [(a.weight_pct, a.achievement) for a in areas], "aree strategiche", policy, children=areas)
    return Scorecard(ente=report.ente, year=report.year, policy=policy, root=root, indicators=scores)
