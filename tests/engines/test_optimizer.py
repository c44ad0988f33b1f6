"""The portfolio optimiser: brute-force oracle, every rule, reasons, conflicts and frontier."""

from __future__ import annotations

import random
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from epmo.engines.optimizer import (
    Balance,
    Item,
    Problem,
    ProblemError,
    Solution,
    frontier,
    solve,
    violations,
)

EPS = 1e-6
CAP = ("data-engineer", "2027-Q2")


# --- an independent oracle ------------------------------------------------------------------


def feasible(problem: Problem, chosen: frozenset[int]) -> bool:
    """Every rule, checked directly from the problem's fields (not through the engine)."""
    items = [item for item in problem.items if item.id in chosen]
    for line, limit in problem.budgets.items():
        if sum(item.costs.get(line, 0.0) for item in items) > limit + EPS:
            return False
    for key, limit in problem.capacity.items():
        if sum(item.demand.get(key, 0.0) for item in items) > limit + EPS:
            return False
    if any(item.mandatory and item.id not in chosen for item in problem.items):
        return False
    if any(item.excluded for item in items):
        return False
    if any(b in chosen and a not in chosen for b, a in problem.requires):
        return False
    if any(len(group & chosen) > 1 for group in problem.exclusive):
        return False
    total = sum(sum(item.costs.values()) for item in items)
    for rule in problem.balance:
        tagged = sum(sum(item.costs.values()) for item in items if rule.tag in item.groups)
        if tagged < rule.min_share * total - EPS or tagged > rule.max_share * total + EPS:
            return False
    return True


def brute_force(problem: Problem) -> float | None:
    """Best value over every subset, or None when no subset is feasible."""
    ids = [item.id for item in problem.items]
    value = {item.id: item.value for item in problem.items}
    best: float | None = None
    for size in range(len(ids) + 1):
        for subset in combinations(ids, size):
            chosen = frozenset(subset)
            if feasible(problem, chosen):
                total = sum(value[i] for i in chosen)
                best = total if best is None or total > best else best
    return best


@st.composite
def problems(draw: st.DrawFn, rules: bool = True) -> Problem:
    n = draw(st.integers(1, 9))
    cost = st.integers(0, 20).map(float)
    items = tuple(
        Item(j, float(draw(st.integers(0, 30))),
             {"2027": draw(cost), "2028": draw(cost)},
             {CAP: float(draw(st.integers(0, 6)))},
             mandatory=rules and draw(st.integers(0, 7)) == 7,
             excluded=rules and draw(st.integers(0, 5)) == 5,
             groups=frozenset({"it"}) if draw(st.booleans()) else frozenset())
        for j in range(n)
    )
    pair = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] != p[1])
    requires = tuple(draw(st.lists(pair, max_size=3))) if rules else ()
    group = st.frozensets(st.integers(0, n - 1), min_size=2, max_size=3)
    exclusive = tuple(draw(st.lists(group, max_size=2))) if rules and n > 1 else ()
    balance: tuple[Balance, ...] = ()
    if rules and draw(st.booleans()):
        low = draw(st.sampled_from([0.0, 0.2, 0.4]))
        balance = (Balance("it", low, draw(st.sampled_from([0.6, 0.8, 1.0]))),)
    budgets = {"2027": float(draw(st.integers(0, 90))), "2028": float(draw(st.integers(0, 90)))}
    capacity = {CAP: float(draw(st.integers(0, 15)))}
    return Problem(items, budgets, capacity, requires, exclusive, balance, time_limit=5.0)


@settings(max_examples=150, deadline=None)
@given(problems())
def test_agrees_with_brute_force_and_breaks_no_rule(problem: Problem) -> None:
    solution = solve(problem)
    best = brute_force(problem)
    if best is None:
        assert solution.status == "infeasible"
        assert solution.conflicts
        return
    assert solution.status == "optimal"
    assert solution.value == pytest.approx(best)
    assert feasible(problem, frozenset(solution.selected))
    assert violations(problem, solution.selected) == []
    assert set(solution.reasons) == {i.id for i in problem.items} - set(solution.selected)


@settings(max_examples=30, deadline=None)
@given(problems(rules=False))
def test_frontier_never_decreases_and_each_point_is_feasible(problem: Problem) -> None:
    points = frontier(problem, points=6)
    assert len(points) == 6
    values = [p.value for p in points]
    assert values == sorted(values)
    assert points[-1].value == pytest.approx(solve(problem).value)
    for point in points:
        scaled = {line: limit * point.scale for line, limit in problem.budgets.items()}
        shrunk = Problem(problem.items, scaled, problem.capacity)
        assert feasible(shrunk, frozenset(point.selected))


# --- each rule --------------------------------------------------------------------------


def item(i: int, value: float, cost: float, **kw: object) -> Item:
    return Item(i, value, {"2027": cost}, **kw)  # type: ignore[arg-type]


def pick(problem: Problem) -> tuple[int, ...]:
    solution = solve(problem)
    assert solution.status == "optimal"
    return solution.selected


def test_budget_picks_best_combination() -> None:
    items = (item(1, 10, 6), item(2, 7, 5), item(3, 7, 5))
    assert pick(Problem(items, {"2027": 10})) == (2, 3)


def test_requires_b_only_if_a() -> None:
    items = (item(1, 1, 5), item(2, 10, 5), item(3, 8, 5))
    assert pick(Problem(items, {"2027": 10})) == (2, 3)
    solution = solve(Problem(items, {"2027": 10}, requires=((2, 1),)))
    assert solution.selected == (1, 2)
    solution = solve(Problem(items, {"2027": 5}, requires=((2, 1),)))
    assert solution.selected == (3,)
    assert solution.reasons[2] == (
        "would exceed the 2027 budget by 5; requires item 1, which is not selected")


def test_exclusive_group_allows_at_most_one() -> None:
    items = (item(1, 10, 1), item(2, 9, 1), item(3, 1, 1))
    solution = solve(Problem(items, {"2027": 10}, exclusive=(frozenset({1, 2}),)))
    assert solution.selected == (1, 3)
    assert solution.reasons[2] == "is mutually exclusive with item 1, which is selected"


def test_mandatory_and_excluded() -> None:
    items = (item(1, 1, 8, mandatory=True), item(2, 10, 5), item(3, 9, 2, excluded=True))
    solution = solve(Problem(items, {"2027": 10}))
    assert solution.selected == (1,)
    assert solution.reasons == {2: "would exceed the 2027 budget by 3", 3: "excluded"}


def test_balance_limits_a_tags_share_of_spend() -> None:
    it = frozenset({"it"})
    items = (item(1, 10, 5, groups=it), item(2, 9, 5, groups=it), item(3, 2, 5))
    assert pick(Problem(items, {"2027": 10})) == (1, 2)
    assert pick(Problem(items, {"2027": 15})) == (1, 2, 3)
    solution = solve(Problem(items, {"2027": 15}, balance=(Balance("it", max_share=0.5),)))
    assert solution.selected == (1, 3)
    assert "it maximum share of spend" in solution.binding
    assert "balance rule" in solution.reasons[2]
    assert pick(Problem(items, {"2027": 15}, balance=(Balance("it", min_share=1.0),))) == (1, 2)


# --- reasons, usage, conflicts, validation --------------------------------------------------


def test_reasons_name_budget_overflow_and_exhausted_capacity() -> None:
    items = (Item(1, 10, {"2027": 1.0e6}, {CAP: 3}),
             Item(2, 4, {"2027": 1.2e6}),
             Item(3, 5, {"2027": 0.1e6}, {CAP: 2}),
             Item(4, 1, {"2027": 0.1e6}))
    solution = solve(Problem(items, {"2027": 2.0e6}, {CAP: 4.0}))
    assert solution.selected == (1, 4)
    assert solution.reasons[2] == "would exceed the 2027 budget by 300 k"
    assert solution.reasons[3] == ("data-engineer capacity in 2027-Q2 is used up by item 1, "
                                   "which gives more value per unit of it (short by 1)")
    usage = {line.name: (line.used, line.limit) for line in solution.usage}
    assert usage == {"2027": (1.1e6, 2.0e6), "data-engineer capacity in 2027-Q2": (3.0, 4.0)}
    assert solution.binding == ()


def test_capacity_reason_names_only_what_truly_beat_the_item() -> None:
    # X has the most value per unit, yet Y + Z together give more: no single item beat X.
    combination = solve(Problem((Item(1, 9, {}, {CAP: 6}), Item(2, 5.5, {}, {CAP: 5}),
                                 Item(3, 5.5, {}, {CAP: 5})), {}, {CAP: 10.0}))
    assert combination.selected == (2, 3)
    assert combination.reasons[1] == (
        "data-engineer capacity in 2027-Q2 is used up by the selected combination: no selected "
        "item using it gives more value per unit of it, but together they give more value "
        "(short by 6)")
    # a mandatory item takes the line whatever its value; several better items are listed
    forced = solve(Problem((Item(1, 1, {}, {CAP: 2}, mandatory=True), Item(2, 8, {}, {CAP: 1}),
                            Item(3, 9, {}, {CAP: 1}), Item(4, 2, {}, {CAP: 1})), {}, {CAP: 4.0}))
    assert forced.selected == (1, 2, 3)
    assert forced.reasons[4] == (
        "data-engineer capacity in 2027-Q2 is used up by items [3, 2], which give more value "
        "per unit of it and by mandatory item 1 (short by 1)")
    alone = solve(Problem((Item(1, 5, {}, {CAP: 5}),), {}, {CAP: 4.0}))
    assert alone.reasons[1] == ("needs 5 of data-engineer capacity in 2027-Q2, more than the 4 "
                                "there is (short by 1)")


def test_reason_gives_millions_and_binding_lines() -> None:
    items = (Item(1, 10, {"2027": 2.0e6}), Item(2, 5, {"2027": 1.2e6}))
    solution = solve(Problem(items, {"2027": 2.0e6}))
    assert solution.reasons[2] == "would exceed the 2027 budget by 1.2 M"
    assert solution.binding == ("2027",)
    assert solution.gap == 0 and solution.bound == solution.value == 10
    named = solve(Problem(items, {"2027": 2.0e6}, currency="CHF"))
    assert named.reasons[2] == "would exceed the 2027 budget by 1.2 M CHF"


def test_infeasible_mandatory_set_names_the_conflicting_line() -> None:
    items = (item(1, 1, 6, mandatory=True), item(2, 1, 6, mandatory=True), item(3, 1, 1))
    solution = solve(Problem(items, {"2027": 10, "2028": 5}))
    assert solution.status == "infeasible" and solution.selected == ()
    assert solution.conflicts == ("mandatory items alone exceed the 2027 budget by 2",)
    named = solve(Problem(items, {"2027": 10, "2028": 5}, currency="EUR"))
    assert named.conflicts == ("mandatory items alone exceed the 2027 budget by 2 EUR",)


@pytest.mark.parametrize(("problem", "expected"), [
    (Problem((item(1, 1, 1, mandatory=True, excluded=True),), {"2027": 5}),
     "item 1 is both mandatory and excluded"),
    (Problem((item(1, 1, 1, mandatory=True), item(2, 1, 1, excluded=True)), {"2027": 5},
             requires=((1, 2),)), "mandatory item 1 requires item 2, which is excluded"),
    (Problem((item(1, 1, 1, mandatory=True), item(2, 1, 1, mandatory=True)), {"2027": 5},
             exclusive=(frozenset({1, 2}),)), "mandatory items [1, 2] are mutually exclusive"),
])
def test_conflicts_in_words(problem: Problem, expected: str) -> None:
    solution = solve(problem)
    assert solution.status == "infeasible"
    assert expected in solution.conflicts


def test_bad_input_is_reported_with_field_paths() -> None:
    problem = Problem(
        (Item(1, 1, {"2027": -5, "2029": 1}, {("tester", "2027-Q1"): 1, ("data-engineer",
                                                                          "2031-Q4"): 1}),
         Item(1, 2)),
        {"2027": 10}, {CAP: 3}, requires=((1, 9),), exclusive=(frozenset({1, 8}),),
        balance=(Balance("it", 0.7, 0.2),))
    with pytest.raises(ProblemError) as caught:
        solve(problem)
    paths = {p.path: p.message for p in caught.value.problems}
    assert paths["items[0].costs.2027"] == "cost must be a number >= 0"
    assert paths["items[0].costs.2029"] == "no budget line '2029'"
    assert "unknown role 'tester'" in paths["items[0].demand.tester.2027-Q1"]
    assert "period '2031-Q4'" in paths["items[0].demand.data-engineer.2031-Q4"]
    assert paths["requires[0]"] == "unknown item id 9"
    assert paths["exclusive[0]"] == "unknown item id 8"
    assert paths["items"] == "item id 1 appears more than once"
    assert "min_share" in paths["balance[0]"]


def test_negative_limits_are_rejected() -> None:
    with pytest.raises(ProblemError, match=r"budgets\.2027"):
        solve(Problem((item(1, 1, 1),), {"2027": -1}))


def test_solution_is_frozen() -> None:
    solution = solve(Problem((item(1, 1, 1),), {"2027": 1}))
    assert isinstance(solution, Solution)
    with pytest.raises(AttributeError):
        solution.value = 3  # type: ignore[misc]


def test_frontier_starts_at_mandatory_spend() -> None:
    items = (item(1, 1, 4, mandatory=True), item(2, 5, 4), item(3, 4, 2))
    points = frontier(Problem(items, {"2027": 8}), points=20)
    assert len(points) == 20
    assert points[0].scale == pytest.approx(0.5) and points[0].selected == (1,)
    assert points[-1].value == 6 and points[-1].total_budget == pytest.approx(8)
    assert [p.value for p in points] == sorted(p.value for p in points)


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000))
def test_larger_instances_with_rules_stay_feasible(seed: int) -> None:
    """Beyond brute force (the core-problem start runs here): every rule still holds."""
    rng = random.Random(seed)
    n = rng.randint(25, 60)
    items = tuple(Item(j, float(rng.randint(1, 50)), {"2027": float(rng.randint(1, 30))},
                       {CAP: float(rng.randint(0, 5))}, mandatory=j == 0, excluded=j == 1,
                       groups=frozenset({"it"}) if j % 3 == 0 else frozenset())
                  for j in range(n))
    requires = tuple((rng.randrange(2, n), rng.randrange(n)) for _ in range(5))
    exclusive = (frozenset({2, 3, 4}), frozenset({5, 6}))
    problem = Problem(items, {"2027": 8.0 * n}, {CAP: 1.0 * n}, requires, exclusive,
                      (Balance("it", 0.1, 0.5),), time_limit=5.0)
    solution = solve(problem)
    assert solution.status in ("optimal", "infeasible")
    if solution.status == "optimal":
        assert feasible(problem, frozenset(solution.selected))
