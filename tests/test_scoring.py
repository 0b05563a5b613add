"""The pure scoring core: achievement rules, rollups, bands."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from ingest.model import Target
from ingest.scoring import (
    Policy,
    achievement,
    band,
    round_pct,
    score_report,
    target_met,
    weighted_mean,
)
from ingest.yearview import year_report

D = Decimal


def target(op: str, value: str, unit: str = "N.") -> Target:
    return Target(operator=op, value=D(value), unit=unit, raw=f"{op} {value} {unit}")


values = st.decimals(min_value=-10_000, max_value=10_000, allow_nan=False, allow_infinity=False, places=2)
positive = st.decimals(min_value=D("0.01"), max_value=10_000, allow_nan=False, allow_infinity=False, places=2)


def test_proportional_rules():
    assert achievement(D(180), target(">=", "220")) == D(180) / D(220)
    assert achievement(D(300), target(">=", "220")) == 1
    assert achievement(D(150), target("<=", "135")) == D(135) / D(150)
    assert achievement(D(120), target("<=", "135")) == 1
    assert achievement(D(1), target("=", "0")) == 0
    assert achievement(D(0), target("=", "0")) == 1


def test_binary_policy():
    binary = Policy(method="binary")
    assert achievement(D(180), target(">=", "220"), binary) == 0
    assert achievement(D(220), target(">=", "220"), binary) == 1


def test_negative_target_lower_is_better():
    """Tempestività dei pagamenti, '<= -10' days: paying 15 days early meets it; 5 days early
    is half way (shortfall of 5 on a target of 10); paying on the due day or late scores 0."""
    t = target("<=", "-10")
    assert achievement(D("-15.23"), t) == 1
    assert achievement(D("-5"), t) == D("0.5")
    assert achievement(D("0"), t) == 0
    assert achievement(D("3"), t) == 0
    assert not target_met(D("-9.99"), t)


@given(values, values, st.sampled_from([">=", "<=", "="]), st.sampled_from(["proportional", "binary"]))
def test_achievement_is_a_fraction(actual, t, op, method):
    value = achievement(actual, target(op, str(t)), Policy(method=method))
    assert 0 <= value <= 1


@given(values, values, values)
def test_monotone_for_greater_equal(t, a, b):
    lo, hi = sorted([a, b])
    assert achievement(lo, target(">=", str(t))) <= achievement(hi, target(">=", str(t)))


@given(values, values, values)
def test_monotone_for_less_equal(t, a, b):
    lo, hi = sorted([a, b])
    assert achievement(lo, target("<=", str(t))) >= achievement(hi, target("<=", str(t)))


@given(positive, values)
def test_met_means_full_achievement(t, a):
    tg = target(">=", str(t))
    assert (achievement(a, tg) == 1) == target_met(a, tg)


def test_bands_and_rounding():
    assert band(D("0.9")) == "raggiunto"
    assert band(D("0.89995")) == "raggiunto"  # 90,00% after ROUND_HALF_UP
    assert band(D("0.8999")) == "parzialmente raggiunto"
    assert band(D("0.7")) == "parzialmente raggiunto"
    assert band(D("0.6999")) == "non raggiunto"
    assert round_pct(D("90.625")) == D("90.63")
    custom = Policy(achieved_from=D(95), partial_from=D(60))
    assert band(D("0.93"), custom) == "parzialmente raggiunto"


def test_weighted_mean_normalises():
    value, total = weighted_mean([(D(50), D(1)), (D(30), D("0.5")), (D(10), None)])
    assert total == 80
    assert value == (D(50) + D(15)) / D(80)


@pytest.mark.parametrize("method", ["proportional", "binary"])
def test_2019_ente_is_100(relazione_txt, method):
    card = score_report(relazione_txt, Policy(method=method))
    assert card.root.pct == D("100.00")
    assert all(n.pct == D("100.00") for n in card.root.walk() if n.achievement is not None)


def _check_rollups(node, card, report):
    """Every node equals the weighted mean of what it rolls up."""
    if node.level == "operational":
        obj = report.find_operational(node.code)
        items = [(i.weight_pct, card.indicators[i.key].achievement) for i in obj.indicators]
    elif node.level == "strategic":
        obj = report.find_strategic(node.code)
        if node.basis.startswith("indicatori"):
            items = [(i.weight_pct, card.indicators[i.key].achievement) for i in obj.indicators]
        else:
            items = [(c.weight_pct, c.achievement) for c in node.children]
    else:
        items = [(c.weight_pct, c.achievement) for c in node.children]
    scored = [(w, a) for w, a in items if a is not None]
    if scored:
        expected = sum(w * a for w, a in scored) / sum(w for w, _ in scored)
        assert node.achievement == expected
    for child in node.children:
        _check_rollups(child, card, report)


def test_rollups_are_weighted_means_2020(piano, consuntivi):
    report = year_report(piano, consuntivi)
    card = score_report(report)
    _check_rollups(card.root, card, report)
    assert card.root.achievement < 1


def test_rollups_are_weighted_means_operational_basis(relazione_txt):
    card = score_report(relazione_txt, Policy(strategic_basis="operational"))
    _check_rollups(card.root, card, relazione_txt)
    assert all(s.basis == "obiettivi operativi (3.2)" for s in card.nodes("strategic"))
