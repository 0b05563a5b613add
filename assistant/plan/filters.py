"""The filters a question sets on the items it asks about: a condition (below or beyond the
target, reached, without an actual or a target, changed from the Piano, over or under the
preventivo) and a threshold on a percentage ('sotto l'80%', 'tra 80 e 100'). Read before the
names, whose words they would otherwise take ('in corso d'anno' is no indicator)."""

from __future__ import annotations

import re
from decimal import Decimal

from . import cues
from .model import Bound


def read_condition(r) -> tuple[str | None, bool]:
    """Below target, or changed from the Piano; read before the names, whose words it uses up
    ('in corso d'anno' is not the indicator 'N. corsi ... nell'anno')."""
    mismatch = bool(cues.MISMATCH.search(r.text))  # 'consuntivo diverso dai valori misure': a check
    if cues.OVER_BUDGET.search(r.text):  # its words stay: they also name the resources table
        return "over_budget", mismatch
    if cues.UNDER_BUDGET.search(r.text):
        return "under_budget", mismatch
    gap = cues.RESULT_GAP.search(r.text)
    if gap and not re.search(r"consuntiv|valore|risultat", gap.group(0)):
        gap = None  # 'la differenza tra il target 2020 e il 2021' compares targets
    if not mismatch and not gap and cues.TARGET_CHANGED.search(r.text):
        r.take(cues.CONDITION_WORDS)
        return "target_changed", mismatch
    if cues.BELOW_TARGET.search(r.text):
        r.take(cues.BELOW_TARGET)
        r.take(cues.CONDITION_WORDS)
        return "below_target", mismatch
    for condition, pattern in (("missing", cues.MISSING), ("above_target", cues.ABOVE_TARGET), ("met", cues.MET)):
        if condition == "met" and cues.BOUND_EQUAL.search(r.text):
            continue  # 'raggiunti al 100%': a threshold on the achievement, read next
        if pattern.search(r.text):
            for m in pattern.finditer(r.text):  # the verb and 'target' ask; the plural noun stays the subject
                cut = re.search(r"\b(?:raggiunt|centrat|rispettat|superat|oltre|sopra|senza|manca|privi|consuntiv|target|"
                                r"in linea|entro|non )", m.group(0))
                r.blank(m.start() + (cut.start() if cut else 0), m.end())
            return condition, mismatch
    return None, mismatch


def read_bound(r) -> Bound | None:
    """A threshold on a percentage ('sotto l'80%', 'tra 80 e 100'): on the weight when the
    question speaks of weights, else on the achievement. A bare number ('più di 3') is one only
    when the question names what it measures."""
    def number(text: str) -> Decimal:
        return Decimal(text.replace(",", "."))

    measured = bool(cues.BOUND_MEASURED.search(r.text))
    measure = "weight" if cues.BOUND_ON_WEIGHT.search(r.text) else "achievement"
    for pattern in (cues.BOUND_BETWEEN, cues.BOUND_BELOW, cues.BOUND_ABOVE, cues.BOUND_EQUAL):
        m = pattern.search(r.text)
        if m is None:
            continue
        values = [g for g in m.groups()[::2] if g is not None]
        pct = any(g for g in m.groups()[1::2])
        if not (pct or measured) or any(number(v) > 100 for v in values):
            continue
        r.blank(m.start(), m.end())
        said = m.group(0).strip()
        if pattern is cues.BOUND_BETWEEN:
            low, high = sorted(number(v) for v in values)
            return Bound(measure=measure, low=low, high=high, said=said)  # type: ignore[arg-type]
        if pattern is cues.BOUND_EQUAL:
            return Bound(measure=measure, low=number(values[0]), high=number(values[0]), said=said)  # type: ignore[arg-type]
        if pattern is cues.BOUND_BELOW:
            return Bound(measure=measure, high=number(values[0]), strict_high=True, said=said)  # type: ignore[arg-type]
        inclusive = said.startswith(("almeno", "non meno")) or "=" in said
        return Bound(measure=measure, low=number(values[0]), strict_low=not inclusive, said=said)  # type: ignore[arg-type]
    return None
