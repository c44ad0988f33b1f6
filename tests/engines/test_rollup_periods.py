"""Tests for the period status roll-up: worst-of and budget-weighted rules, de-duplication, trends."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from epmo.engines.rollup import (
    AMBER_BELOW,
    GREEN_BELOW,
    HEALTH_ORDER,
    RULES,
    SCORES,
    Health,
    Rating,
    Rule,
    StatusGroup,
    project,
    rate,
    rollup_status,
    trend,
    trends,
)

D = Decimal


def grp(nodes: int | tuple[int, ...], colour: Health | None, planned: str = "0", count: int = 1,
        unbudgeted: int = 0, carried: int = 0, forecast: str = "0") -> StatusGroup:
    """A status group with terse arguments."""
    members = frozenset((nodes,) if isinstance(nodes, int) else nodes)
    return StatusGroup(members, colour, count, D(planned), D(forecast), unbudgeted, carried)


# --- table-driven: the two rules on one node ---------------------------------------------------

RULE_CASES: list[tuple[str, list[StatusGroup], Rating, Rating]] = [
    ("nothing", [], "unknown", "unknown"),
    ("only uncoloured", [grp(1, None, "500")], "unknown", "unknown"),
    ("one green", [project(1, "green", D(10))], "green", "green"),
    ("one red without budget", [project(1, "red")], "red", "red"),
    ("equal budgets green and red: mean 1 is amber",
     [project(1, "green", D(100)), project(1, "red", D(100))], "red", "amber"),
    ("mean exactly 0.5 is amber", [project(1, "green", D(300)), project(1, "red", D(100))],
     "red", "amber"),
    ("mean just under 0.5 is green", [project(1, "green", D(301)), project(1, "red", D(99))],
     "red", "green"),
    ("mean exactly 1.5 is red", [project(1, "amber", D(5)), project(1, "red", D(5))],
     "red", "red"),
    ("mean just under 1.5 is amber", [project(1, "amber", D("5.01")), project(1, "red", D(5))],
     "red", "amber"),
    ("budget outweighs numbers", [grp(1, "green", "9", 9), project(1, "red", D(91))],
     "red", "red"),
    # Unlike the overview's weighted health, a project without budget weighs 1, not nothing:
    ("zero budgets weigh one each", [project(1, "green"), project(1, "green"), project(1, "red")],
     "red", "amber"),
    ("a zero budget weighs like a budget of 1",
     [project(1, "green", D(2)), project(1, "red"), project(1, "red", D(1))], "red", "amber"),
    ("uncoloured projects carry no weight", [grp(1, None, "1000"), project(1, "amber", D(1))],
     "amber", "amber"),
    ("a group of no projects has no colour", [grp(1, "red", "100", 0), project(1, "green", D(1))],
     "green", "green"),
]


@pytest.mark.parametrize(("name", "groups", "worst", "weighted"), RULE_CASES,
                         ids=[c[0] for c in RULE_CASES])
def test_rules_on_one_node(name: str, groups: list[StatusGroup], worst: Rating,
                           weighted: Rating) -> None:
    """worst-of and weighted follow the documented weights and cut-offs."""
    assert (rate(groups, "worst"), rate(groups, "weighted")) == (worst, weighted), name


def test_cut_offs_are_the_documented_ones() -> None:
    """The weighted cut-offs are 0.5 and 1.5 on the 0..2 score scale."""
    assert (Fraction(1, 2), Fraction(3, 2)) == (GREEN_BELOW, AMBER_BELOW)
    assert dict(SCORES) == {"green": 0, "amber": 1, "red": 2} and RULES == ("worst", "weighted")


# --- trees, de-duplication, per-node rules ---------------------------------------------------

TREE: dict[int, int | None] = {1: None, 2: 1, 3: 1, 4: 3, 9: None}


def test_subtree_sums_and_per_node_rules() -> None:
    """A node covers its own and its descendants' projects; each node uses its own rule."""
    groups = [project(2, "green", D(100), D(110)), project(4, "red", D(10), D(30), carried=True),
              grp(3, "amber", "50", 2, carried=1, forecast="40")]
    got = rollup_status(groups, TREE, {1: "weighted", 3: "worst"})
    root, three, nine = got[1], got[3], got[9]
    assert (root.rule, root.colour, root.count, root.planned, root.forecast, root.carried) == (
        "weighted", "green", 4, D(160), D(180), 2)
    assert dict(root.counts) == {"green": 1, "amber": 2, "red": 1, "unknown": 0}
    assert root.score == Fraction(50 + 2 * 10, 160)  # 0.4375: just green
    assert (three.rule, three.colour, three.count) == ("worst", "red", 3)
    assert (got[2].rule, nine.colour, nine.count, nine.score) == ("worst", "unknown", 0, None)


def test_project_in_two_subnodes_counts_once_above_them() -> None:
    """A group serving two nodes of one subtree counts once in their common ancestors."""
    goals: dict[int, int | None] = {1: None, 2: 1, 3: 1, 4: 2}
    groups = [grp((3, 4), "red", "100", 2), project(2, "green", D(100))]
    got = rollup_status(groups, goals, "weighted")
    assert [got[n].count for n in (1, 2, 3, 4)] == [3, 3, 2, 2]
    assert got[1].planned == D(200) and got[1].counts["red"] == 2
    assert got[1].score == Fraction(2 * 100, 200)


def test_errors_name_the_node() -> None:
    """Unknown nodes, unknown parents, cycles and bad groups are refused by id."""
    with pytest.raises(ValueError, match=r"node 42\b"):
        rollup_status([project(42, "green")], TREE)
    with pytest.raises(ValueError, match=r"node 43\b"):
        rollup_status([grp((1, 43), "green")], TREE)
    with pytest.raises(ValueError, match=r"parent 99\b"):
        rollup_status([], {1: 99})
    with pytest.raises(ValueError, match="cycle in parents: 1 -> 2 -> 1"):
        rollup_status([], {1: 2, 2: 1})
    for bad in ({"colour": "purple"}, {"count": -1}, {"unbudgeted": 2}, {"carried": 2},
                {"nodes": frozenset()}):
        with pytest.raises(ValueError):
            replace(grp(1, "green"), **bad)


@pytest.mark.parametrize(("current", "previous", "expected"), [
    ("green", "red", "improved"), ("amber", "red", "improved"), ("green", "amber", "improved"),
    ("red", "green", "worsened"), ("amber", "green", "worsened"), ("red", "amber", "worsened"),
    ("amber", "amber", "unchanged"), ("green", "unknown", "new"), ("red", None, "new"),
    ("unknown", "green", None), ("unknown", None, None),
])
def test_trend(current: Rating, previous: Rating | None, expected: str | None) -> None:
    """Trends compare this period's colour with the previous one's."""
    assert trend(current, previous) == expected


def test_trends_per_node() -> None:
    """Every current node gets a trend; nodes absent before are new."""
    before = rollup_status([project(2, "red")], {1: None, 2: 1})
    now = rollup_status([project(2, "green"), project(5, "amber")], {1: None, 2: 1, 5: None})
    assert trends(now, before) == {1: "improved", 2: "improved", 5: "new"}


def test_deep_chain_is_not_recursive() -> None:
    """A 50,000-deep chain with a multi-node group rolls up without recursion limits."""
    n = 50_000
    parents: dict[int, int | None] = {i: (i - 1 if i else None) for i in range(n)}
    got = rollup_status([grp((n - 1, n - 2), "red"), project(n - 1, "green")], parents)
    assert (got[0].count, got[0].colour, got[n - 1].count) == (2, "red", 2)


# --- hypothesis properties -------------------------------------------------------------------

budgets = st.one_of(st.just(D(0)), st.integers(0, 10**9).map(lambda c: D(c).scaleb(-2)))
colours: st.SearchStrategy[Health | None] = st.sampled_from([None, *HEALTH_ORDER])
rules: st.SearchStrategy[Rule] = st.sampled_from(RULES)


@st.composite
def forests(draw: st.DrawFn) -> dict[int, int | None]:
    """A random forest; parents point to earlier nodes, so it is acyclic."""
    n = draw(st.integers(1, 12))
    parents: dict[int, int | None] = {1: None}
    for i in range(2, n + 1):
        parents[i] = draw(st.none() | st.integers(1, i - 1))
    return parents


@st.composite
def groups_on(draw: st.DrawFn, nodes: Sequence[int]) -> list[StatusGroup]:
    """Random groups, some serving several nodes at once."""
    out = []
    for _ in range(draw(st.integers(0, 12))):
        members = draw(st.frozensets(st.sampled_from(list(nodes)), min_size=1, max_size=3))
        count = draw(st.integers(0, 4))
        out.append(StatusGroup(members, draw(colours), count, draw(budgets), draw(budgets),
                               draw(st.integers(0, count)), draw(st.integers(0, count))))
    return out


@st.composite
def forest_with_groups(draw: st.DrawFn) -> tuple[dict[int, int | None], list[StatusGroup]]:
    """A forest and status groups on its nodes."""
    parents = draw(forests())
    return parents, draw(groups_on(list(parents)))


def reach(parents: Mapping[int, int | None], group: StatusGroup) -> set[int]:
    """Oracle: the nodes a group counts in, walking each of its nodes to the root."""
    found: set[int] = set()
    for node in group.nodes:
        current: int | None = node
        while current is not None:
            found.add(current)
            current = parents[current]
    return found


def coloured(groups: Sequence[StatusGroup]) -> list[int]:
    """Scores of the groups that hold projects with a colour."""
    return [SCORES[g.colour] for g in groups if g.colour is not None and g.count > 0]


@given(colours, budgets, st.integers(1, 5), rules)
def test_single_child_rolls_up_to_itself(colour: Health | None, planned: Decimal, count: int,
                                         rule: Rule) -> None:
    """One group under a parent and grandparent gives all three the group's colour."""
    got = rollup_status([StatusGroup(frozenset({3}), colour, count, planned)],
                        {1: None, 2: 1, 3: 2}, rule)
    assert {got[n].colour for n in (1, 2, 3)} == {colour or "unknown"}


@given(forest_with_groups(), rules)
def test_parent_with_single_child_equals_the_child(
    case: tuple[dict[int, int | None], list[StatusGroup]], rule: Rule,
) -> None:
    """A new root whose only child is the root 1, with nothing of its own, equals node 1."""
    parents, groups = case
    lifted: dict[int, int | None] = {0: None, **{n: (0 if n == 1 else p) for n, p in parents.items()}}
    got = rollup_status(groups, lifted, rule)
    assert replace(got[0], node_id=1) == got[1]
    assert got[1] == rollup_status(groups, parents, rule)[1]


@given(forest_with_groups(), rules)
def test_matches_brute_force_oracle(
    case: tuple[dict[int, int | None], list[StatusGroup]], rule: Rule,
) -> None:
    """Counts and money equal a walk of every group to the root, each group once per node."""
    parents, groups = case
    got = rollup_status(groups, parents, rule)
    for node in parents:
        mine = [g for g in groups if node in reach(parents, g)]
        status = got[node]
        assert status.count == sum(g.count for g in mine)
        assert status.planned == sum((g.planned for g in mine), D(0))
        assert status.carried == sum(g.carried for g in mine)
        assert status.colour == rate(mine, rule)


@given(forest_with_groups(), st.data())
def test_worst_never_improves_when_a_child_worsens(
    case: tuple[dict[int, int | None], list[StatusGroup]], data: st.DataObject,
) -> None:
    """Worsening any one group's colour never makes any node's worst-of colour better."""
    parents, groups = case
    if not groups:
        return
    i = data.draw(st.integers(0, len(groups) - 1))
    current = groups[i].colour
    worse_options = [c for c in HEALTH_ORDER if current is None or SCORES[c] > SCORES[current]]
    if not worse_options:
        return
    worse = [*groups[:i], replace(groups[i], colour=data.draw(st.sampled_from(worse_options))),
             *groups[i + 1:]]
    before, after = rollup_status(groups, parents), rollup_status(worse, parents)
    rank = {**SCORES, "unknown": -1}
    for node in parents:
        assert rank[after[node].colour] >= rank[before[node].colour]


@given(forest_with_groups())
def test_weighted_stays_between_best_and_worst(
    case: tuple[dict[int, int | None], list[StatusGroup]],
) -> None:
    """The weighted colour is never better than the best nor worse than the worst project."""
    parents, groups = case
    got = rollup_status(groups, parents, "weighted")
    for node in parents:
        scores = coloured([g for g in groups if node in reach(parents, g)])
        colour = got[node].colour
        if not scores:
            assert colour == "unknown"
            continue
        assert min(scores) <= SCORES[colour] <= max(scores)
        worst = rollup_status(groups, parents, "worst")[node].colour
        assert SCORES[colour] <= SCORES[worst]
