"""Tests for the tiering engine: table-driven cases, properties and a brute-force oracle."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from epmo.engines.tiering import (
    DIMENSIONS,
    Classifier,
    ProjectFacts,
    TierThresholds,
    classify,
    duration_days,
    threshold_problems,
)

D = Decimal
DEFAULTS = (
    TierThresholds(1, D(5_000_000), 730, 50, 5),
    TierThresholds(2, D(1_000_000), 365, 20, 4),
    TierThresholds(3, D(250_000), 180, 8, 3),
    TierThresholds(4),
)


def facts(budget: int = 0, days: int = 0, people: int = 0, risk: int = 0) -> ProjectFacts:
    """Terse ProjectFacts."""
    return ProjectFacts(D(budget), days, people, risk)


# --- table-driven cases -------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """A project's facts and the tier the default rules give it."""

    name: str
    facts: ProjectFacts
    tier: int


CASES = [
    Case("nothing known: catch-all", facts(), 4),
    Case("small everywhere", facts(10_000, 30, 2, 1), 4),
    Case("budget exactly at tier 3", facts(budget=250_000), 3),
    Case("budget a cent below tier 3", ProjectFacts(D("249999.99")), 4),
    Case("budget at tier 1", facts(budget=5_000_000), 1),
    Case("duration decides", facts(1_000, 400, 1, 1), 2),
    Case("duration exactly two years", facts(days=730), 1),
    Case("headcount decides", facts(people=50), 1),
    Case("headcount just below tier 2", facts(people=19), 3),
    Case("risk 5 alone is tier 1", facts(risk=5), 1),
    Case("risk 3 is tier 3", facts(risk=3), 3),
    Case("risk 2 reaches nothing", facts(risk=2), 4),
    Case("the largest dimension wins", facts(300_000, 200, 25, 1), 2),
    Case("all at tier 1", facts(9_000_000, 1_000, 90, 5), 1),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_default_rules(case: Case) -> None:
    assert classify(DEFAULTS, case.facts) == case.tier


def test_zero_threshold_leaves_the_dimension_out() -> None:
    only_budget = (TierThresholds(1, D(100)), TierThresholds(2, D(10)), TierThresholds(3))
    assert classify(only_budget, facts(days=10_000, people=10_000, risk=5)) == 3
    assert classify(only_budget, facts(budget=10)) == 2


def test_explain_names_the_deciding_dimensions() -> None:
    found = Classifier(DEFAULTS).explain(facts(300_000, 200, 25, 4))
    assert found.tier == 2
    assert dict(found.reached) == {"budget": 3, "duration_days": 3, "headcount": 2, "risk": 2}
    assert found.deciding == ("headcount", "risk")
    assert Classifier(DEFAULTS).explain(facts()).deciding == ()


def test_rules_in_any_order_and_any_numbering() -> None:
    rules = (TierThresholds(7), TierThresholds(5, D(10)))
    assert classify(rules, facts(budget=10)) == 5
    assert classify(rules, facts(budget=9)) == 7


@pytest.mark.parametrize("rules", [(), (TierThresholds(1), TierThresholds(1))])
def test_bad_rule_sets_are_refused(rules: tuple[TierThresholds, ...]) -> None:
    with pytest.raises(ValueError):
        Classifier(rules)


@pytest.mark.parametrize(("spans", "days"), [
    ([(date(2025, 1, 1), date(2025, 3, 1))], 59),
    ([(None, date(2025, 3, 1)), (date(2025, 1, 1), date(2025, 1, 11))], 10),
    ([(date(2025, 1, 1), None), (None, None), (date(2024, 1, 1), date(2025, 1, 1))], 366),
    ([(None, None), (None, None), (None, None)], 0),
    ([(date(2025, 3, 1), date(2025, 1, 1))], 0),
    ([], 0),
])
def test_duration_takes_the_first_complete_span(spans: list[tuple[date | None, date | None]],
                                               days: int) -> None:
    assert duration_days(spans) == days


def test_threshold_problems_name_tier_and_field() -> None:
    assert threshold_problems(DEFAULTS) == []
    broken = (TierThresholds(1, D(10), 5), TierThresholds(2, D(20), 5), TierThresholds(3))
    problems = threshold_problems(broken)
    assert [(p.tier, p.field) for p in problems] == [(1, "min_budget")]
    assert "tier 2's 20" in problems[0].message


# --- a brute-force oracle and properties --------------------------------------------------


def oracle(rules: tuple[TierThresholds, ...], project: ProjectFacts) -> int:
    """Straight from the definition: the smallest tier with a used threshold reached."""
    reached = [rule.tier for rule in rules for d in DIMENSIONS
               if rule.threshold(d) > 0 and project.value(d) >= rule.threshold(d)]
    return min(reached) if reached else max(rule.tier for rule in rules)


small = st.integers(min_value=0, max_value=12)
fact_sets = st.builds(ProjectFacts, st.integers(0, 12).map(D), small, small, st.integers(0, 6))
threshold_sets = st.lists(st.tuples(st.integers(0, 12), small, small, st.integers(0, 5)),
                          min_size=1, max_size=5)


def rules_of(rows: list[tuple[int, int, int, int]]) -> tuple[TierThresholds, ...]:
    """Rules numbered 1.. from threshold tuples (not necessarily monotonic)."""
    return tuple(TierThresholds(i + 1, D(b), d, h, r) for i, (b, d, h, r) in enumerate(rows))


@settings(max_examples=300, deadline=None)
@given(threshold_sets, fact_sets)
def test_matches_the_oracle(rows: list[tuple[int, int, int, int]], project: ProjectFacts) -> None:
    rules = rules_of(rows)
    assert classify(rules, project) == oracle(rules, project)
    assert classify(rules, project) in {rule.tier for rule in rules}


@settings(max_examples=300, deadline=None)
@given(threshold_sets, fact_sets, st.sampled_from(DIMENSIONS), st.integers(1, 10))
def test_raising_an_input_never_makes_the_tier_less_demanding(
        rows: list[tuple[int, int, int, int]], project: ProjectFacts, dimension: str,
        step: int) -> None:
    rules = rules_of(rows)
    raised_value = project.value(dimension) + step
    raised = replace(project, **{dimension: D(raised_value) if dimension == "budget"
                                 else int(raised_value)})
    assert classify(rules, raised) <= classify(rules, project)


@settings(max_examples=200, deadline=None)
@given(threshold_sets, fact_sets)
def test_a_tier_used_on_no_dimension_is_never_reached_except_as_catch_all(
        rows: list[tuple[int, int, int, int]], project: ProjectFacts) -> None:
    rules = (*rules_of(rows), TierThresholds(len(rows) + 1))
    tier = classify(rules, project)
    if tier != len(rows) + 1:
        assert any(rules[tier - 1].threshold(d) > 0 for d in DIMENSIONS)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 12), small, small, st.integers(0, 5)),
                min_size=2, max_size=5))
def test_threshold_problems_are_exactly_the_decreases(
        rows: list[tuple[int, int, int, int]]) -> None:
    rules = rules_of(rows)
    expected = {(a.tier, f) for a, b in itertools.pairwise(rules)
                for f, d in zip(("min_budget", "min_duration_days", "min_headcount", "min_risk"),
                                DIMENSIONS, strict=True)
                if a.threshold(d) < b.threshold(d)}
    assert {(p.tier, p.field) for p in threshold_problems(rules)} == expected
