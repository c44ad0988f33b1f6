"""Tests for the budget and health roll-up engine."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from epmo.engines.rollup import (
    HEALTH_ORDER,
    Figures,
    Health,
    Rating,
    Totals,
    rollup,
    summarise,
    total,
    tree_totals,
)

D = Decimal
RANK: dict[str, int] = {"green": 0, "amber": 1, "red": 2}


def fig(
    node: int,
    health: Health | None,
    planned: str = "0",
    count: int = 1,
    actual: str = "0",
    forecast: str = "0",
) -> Figures:
    """Build a Figures row with terse defaults."""
    return Figures(node, count, D(planned), D(actual), D(forecast), health)


# --- table-driven cases -------------------------------------------------------------------------


@dataclass(frozen=True)
class HealthCase:
    """Figures of one node and the worst/weighted health expected for them."""

    name: str
    figures: tuple[Figures, ...]
    worst: Rating
    weighted: Rating


HEALTH_CASES = [
    HealthCase("nothing", (), "unknown", "unknown"),
    HealthCase("only unreported", (fig(1, None, "500", 3),), "unknown", "unknown"),
    HealthCase("all green", (fig(1, "green", "10"), fig(1, "green", "5")), "green", "green"),
    HealthCase("all red", (fig(1, "red", "10"),), "red", "red"),
    HealthCase(
        "even green/red is amber", (fig(1, "green", "100"), fig(1, "red", "100")), "red", "amber"
    ),
    HealthCase(
        "mean exactly 0.5 is amber", (fig(1, "green", "300"), fig(1, "red", "100")), "red", "amber"
    ),
    HealthCase(
        "mean just under 0.5 is green",
        (fig(1, "green", "301"), fig(1, "red", "99")),
        "red",
        "green",
    ),
    HealthCase("mean exactly 1.5 is red", (fig(1, "amber", "1"), fig(1, "red", "1")), "red", "red"),
    HealthCase(
        "mean just under 1.5 is amber",
        (fig(1, "amber", "1.01"), fig(1, "red", "1")),
        "red",
        "amber",
    ),
    HealthCase(
        "budget outweighs count", (fig(1, "green", "1", 9), fig(1, "red", "99", 1)), "red", "red"
    ),
    HealthCase(
        "zero budgets fall back to counts",
        (fig(1, "green", "0", 4), fig(1, "red", "0", 1)),
        "red",
        "green",
    ),
    HealthCase(
        "zero-budget red is outweighed",
        (fig(1, "green", "5"), fig(1, "red", "0", 7)),
        "red",
        "green",
    ),
    HealthCase(
        "unreported budget carries no weight",
        (fig(1, None, "1000"), fig(1, "amber", "1")),
        "amber",
        "amber",
    ),
    HealthCase(
        "negative budget carries no weight",
        (fig(1, "red", "-50"), fig(1, "green", "1")),
        "red",
        "green",
    ),
    HealthCase(
        "empty group has no health",
        (fig(1, "red", "100", 0), fig(1, "green", "1")),
        "green",
        "green",
    ),
]


@pytest.mark.parametrize("case", HEALTH_CASES, ids=lambda c: c.name)
def test_health_of_one_node(case: HealthCase) -> None:
    """worst and weighted follow the documented rules, including thresholds and fallbacks."""
    got = total(case.figures)
    assert (got.worst, got.weighted) == (case.worst, case.weighted)


TREE: dict[int, int | None] = {1: None, 2: 1, 3: 1, 4: 2, 5: None}
TREE_FIGURES = (
    fig(1, "green", "100", 2, actual="90", forecast="95"),
    fig(2, "amber", "50", 1, actual="60", forecast="70"),
    fig(4, "red", "10", 3, actual="1", forecast="30"),
    fig(4, None, "5", 1, actual="5", forecast="5"),
)


@pytest.mark.parametrize(
    ("node", "count", "planned", "actual", "forecast", "counts", "worst", "weighted"),
    [
        (4, 4, "15", "6", "35", (0, 0, 3, 1), "red", "red"),
        (2, 5, "65", "66", "105", (0, 1, 3, 1), "red", "amber"),
        (3, 0, "0", "0", "0", (0, 0, 0, 0), "unknown", "unknown"),
        (1, 7, "165", "156", "200", (2, 1, 3, 1), "red", "green"),
        (5, 0, "0", "0", "0", (0, 0, 0, 0), "unknown", "unknown"),
    ],
)
def test_rollup_small_tree(
    node: int,
    count: int,
    planned: str,
    actual: str,
    forecast: str,
    counts: tuple[int, int, int, int],
    worst: Rating,
    weighted: Rating,
) -> None:
    """Each node of a fixed tree carries its subtree's sums; empty nodes get zero totals."""
    got = rollup(TREE_FIGURES, TREE)[node]
    expected = Totals(
        node_id=node,
        count=count,
        planned=D(planned),
        actual=D(actual),
        forecast=D(forecast),
        health_counts=dict(zip(("green", "amber", "red", "unknown"), counts, strict=True)),
        worst=worst,
        weighted=weighted,
        variance=D(forecast) - D(planned),
        compared=count,
    )
    assert got == expected


def test_rollup_returns_every_node_in_parents_order() -> None:
    """The result has exactly the nodes of parents, in the order given."""
    assert list(rollup(TREE_FIGURES, TREE)) == [1, 2, 3, 4, 5]


def test_summarise_uses_own_figures_only() -> None:
    """summarise does not add children into parents and omits nodes without figures."""
    got = summarise(TREE_FIGURES)
    assert sorted(got) == [1, 2, 4]
    assert (got[1].count, got[1].planned, got[1].worst) == (2, D("100"), "green")
    assert (got[4].count, got[4].planned, got[4].variance) == (4, D("15"), D("20"))


def test_total_of_nothing_is_zero() -> None:
    """total() of no figures is all zeros under node 0, with all four health keys."""
    got = total([])
    assert (got.node_id, got.count, got.planned, got.variance) == (0, 0, D(0), D(0))
    assert dict(got.health_counts) == {"green": 0, "amber": 0, "red": 0, "unknown": 0}


def test_health_counts_are_read_only() -> None:
    """Totals is frozen, so its counts mapping must not be mutable either."""
    counts = total([fig(1, "green")]).health_counts
    with pytest.raises(TypeError):
        counts["green"] = 5  # type: ignore[index]


@pytest.mark.parametrize(
    ("parents", "cycle"),
    [
        ({7: 7}, "7 -> 7"),
        ({1: 2, 2: 1}, "1 -> 2 -> 1"),
        ({1: None, 2: 1, 30: 20, 20: 10, 10: 30}, "10 -> 30 -> 20 -> 10"),
        ({9: 5, 5: 6, 6: 5, 8: 9}, "5 -> 6 -> 5"),
    ],
)
def test_cycle_raises_naming_it(parents: dict[int, int | None], cycle: str) -> None:
    """A cycle in parents is reported with its member ids, smallest first."""
    with pytest.raises(ValueError, match=re.escape(f"cycle in parents: {cycle}")):
        rollup([], parents)


def test_figure_on_unknown_node_raises() -> None:
    """A figure whose node is not in parents is rejected by id."""
    with pytest.raises(ValueError, match=r"node 42\b"):
        rollup([fig(1, "green"), fig(42, "red")], {1: None})


def test_parent_not_in_parents_raises() -> None:
    """A parent id that is not itself a node is rejected by id."""
    with pytest.raises(ValueError, match=r"parent 99\b"):
        rollup([], {1: None, 2: 99})


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"count": -1, "health": "green"}, "count"),
        ({"count": 1, "health": "purple"}, "purple"),
    ],
)
def test_figures_reject_bad_values(kwargs: dict[str, object], message: str) -> None:
    """Negative counts and unknown health strings are refused at construction."""
    with pytest.raises(ValueError, match=message):
        Figures(node_id=1, planned=D(0), actual=D(0), forecast=D(0), **kwargs)  # type: ignore[arg-type]


def test_deep_chain_is_linear_and_not_recursive() -> None:
    """A 50,000-deep chain rolls up without recursion limits or quadratic rescans."""
    n = 50_000
    parents: dict[int, int | None] = {i: (i - 1 if i else None) for i in reversed(range(n))}
    figures = [fig(i, "amber", "1") for i in range(n)]
    got = rollup(figures, parents)
    assert (got[0].count, got[0].planned, got[n - 1].count) == (n, D(n), 1)


def test_health_order_is_worse_to_the_right() -> None:
    """HEALTH_ORDER is the documented ranking."""
    assert HEALTH_ORDER == ("green", "amber", "red")


# --- hypothesis properties ----------------------------------------------------------------------

money = st.integers(-(10**9), 10**9).map(lambda cents: D(cents).scaleb(-2))
budget = st.one_of(st.just(D(0)), st.integers(0, 10**7).map(lambda c: D(c).scaleb(-2)), money)
healths: st.SearchStrategy[Health | None] = st.sampled_from([None, *HEALTH_ORDER])


@st.composite
def forests(draw: st.DrawFn, single_root: bool = False) -> dict[int, int | None]:
    """Random forest on shuffled ids; parents point to earlier nodes, so it is acyclic."""
    n = draw(st.integers(1, 25))
    ids = draw(st.lists(st.integers(1, 999), min_size=n, max_size=n, unique=True))
    parents: dict[int, int | None] = {ids[0]: None}
    for i in range(1, n):
        parent = draw(st.integers(0, i - 1) if single_root else st.none() | st.integers(0, i - 1))
        parents[ids[i]] = None if parent is None else ids[parent]
    order = draw(st.permutations(list(parents)))
    return {node: parents[node] for node in order}


@st.composite
def figures_on(draw: st.DrawFn, nodes: Sequence[int]) -> list[Figures]:
    """Random figures attached to the given nodes."""
    return draw(
        st.lists(
            st.builds(
                Figures,
                node_id=st.sampled_from(list(nodes)),
                count=st.integers(0, 5),
                planned=budget,
                actual=money,
                forecast=money,
                health=healths,
            ),
            max_size=40,
        )
    )


@st.composite
def forest_with_figures(
    draw: st.DrawFn, single_root: bool = False
) -> tuple[dict[int, int | None], list[Figures]]:
    """A forest and figures on its nodes."""
    parents = draw(forests(single_root))
    return parents, draw(figures_on(list(parents)))


def subtree_figures(
    parents: Mapping[int, int | None], figures: Sequence[Figures]
) -> dict[int, list[Figures]]:
    """Oracle: for every node, the figures found by walking each figure up to its root."""
    out: dict[int, list[Figures]] = {node: [] for node in parents}
    for f in figures:
        node: int | None = f.node_id
        while node is not None:
            out[node].append(f)
            node = parents[node]
    return out


def reported(figures: Sequence[Figures]) -> list[Health]:
    """Healths of the groups that actually contain projects."""
    return [f.health for f in figures if f.health is not None and f.count > 0]


def oracle_weighted(figures: Sequence[Figures]) -> Rating:
    """Oracle: weighted rating by exact fractions, straight from the specification."""
    rows = [(f, f.health) for f in figures if f.health is not None and f.count > 0]
    weights = [Fraction(max(f.planned, D(0))) for f, _ in rows]
    if sum(weights) == 0:
        weights = [Fraction(f.count) for f, _ in rows]
    if sum(weights) == 0:
        return "unknown"
    scores = [RANK[health] for _, health in rows]
    mean = sum(w * s for w, s in zip(weights, scores, strict=True)) / sum(weights)
    return "green" if mean < Fraction(1, 2) else "amber" if mean < Fraction(3, 2) else "red"


@given(forest_with_figures(single_root=True))
def test_root_equals_total_of_everything(case: tuple[dict[int, int | None], list[Figures]]) -> None:
    """On a single tree, the root's totals are exactly total() of all figures."""
    parents, figures = case
    root = next(node for node, parent in parents.items() if parent is None)
    assert replace(rollup(figures, parents)[root], node_id=0) == total(figures)


@given(forest_with_figures())
def test_each_node_matches_brute_force_oracle(
    case: tuple[dict[int, int | None], list[Figures]],
) -> None:
    """Every node's counts, money and ratings equal a brute-force walk over its subtree."""
    parents, figures = case
    got = rollup(figures, parents)
    assert got.keys() == parents.keys()
    for node, subtree in subtree_figures(parents, figures).items():
        t = got[node]
        assert t.node_id == node
        assert t.count == sum(f.count for f in subtree)
        assert t.planned == sum((f.planned for f in subtree), D(0))
        assert t.actual == sum((f.actual for f in subtree), D(0))
        assert t.forecast == sum((f.forecast for f in subtree), D(0))
        assert t.variance == t.forecast - t.planned
        assert sum(t.health_counts.values()) == sum(f.count for f in subtree)
        for label in HEALTH_ORDER:
            assert t.health_counts[label] == sum(f.count for f in subtree if f.health == label)
        assert t.weighted == oracle_weighted(subtree)


@given(forest_with_figures())
def test_worst_is_never_better_than_a_contributor(
    case: tuple[dict[int, int | None], list[Figures]],
) -> None:
    """worst ranks at or below every contributing health, and is one of them."""
    parents, figures = case
    got = rollup(figures, parents)
    for node, subtree in subtree_figures(parents, figures).items():
        seen = reported(subtree)
        worst = got[node].worst
        if not seen:
            assert worst == "unknown"
            continue
        assert worst in seen
        assert all(RANK[worst] >= RANK[h] for h in seen)


@given(forest_with_figures())
def test_weighted_lies_between_best_and_worst(
    case: tuple[dict[int, int | None], list[Figures]],
) -> None:
    """weighted is never better than the best nor worse than the worst contributor."""
    parents, figures = case
    got = rollup(figures, parents)
    for node, subtree in subtree_figures(parents, figures).items():
        seen = reported(subtree)
        weighted = got[node].weighted
        if not seen:
            assert weighted == "unknown"
            continue
        assert min(RANK[h] for h in seen) <= RANK[weighted] <= max(RANK[h] for h in seen)


@given(forest_with_figures())
def test_summarise_is_rollup_without_edges(
    case: tuple[dict[int, int | None], list[Figures]],
) -> None:
    """summarise equals a roll-up over the same nodes with every parent removed."""
    parents, figures = case
    flat = rollup(figures, dict.fromkeys(parents))
    assert summarise(figures) == {
        n: t for n, t in flat.items() if any(f.node_id == n for f in figures)
    }


@given(forests(), st.data())
@settings(max_examples=200)
def test_any_injected_cycle_is_named(parents: dict[int, int | None], data: st.DataObject) -> None:
    """Closing a ring over some nodes raises ValueError naming exactly that ring."""
    ring = data.draw(st.lists(st.sampled_from(list(parents)), min_size=1, unique=True))
    broken = dict(parents)
    for here, there in zip(ring, ring[1:] + ring[:1], strict=True):
        broken[here] = there
    with pytest.raises(ValueError, match="cycle in parents") as info:
        rollup([], broken)
    start = ring.index(min(ring))
    expected = [*ring[start:], *ring[:start], min(ring)]
    assert [int(x) for x in re.findall(r"\d+", str(info.value))] == expected


@given(forest_with_figures(), st.integers(1000, 2000))
def test_figure_on_missing_node_is_named(
    case: tuple[dict[int, int | None], list[Figures]], missing: int
) -> None:
    """Any figure on a node outside parents raises ValueError naming that node."""
    parents, figures = case
    with pytest.raises(ValueError, match=rf"node {missing}\b"):
        rollup([*figures, fig(missing, "green")], parents)


def test_tree_totals_is_summarise_rollup_and_total() -> None:
    """One pass gives what the three functions give, negative budgets and zero counts too
    (each figure's weight is clipped at zero before the sums are merged)."""
    figures = [*TREE_FIGURES, fig(4, "red", "-50.00"), fig(2, "amber", "7.25", count=0),
               fig(5, None, "3.10", actual="1.05", forecast="9.99"), fig(4, "red", "20.00")]
    own, rolled, everything = tree_totals(figures, TREE)
    assert own == summarise(figures) and list(own) == list(summarise(figures))
    assert rolled == rollup(figures, TREE) and list(rolled) == list(rollup(figures, TREE))
    assert everything == total(figures)
    assert str(everything.planned) == str(total(figures).planned)
    with pytest.raises(ValueError, match="not in parents"):
        tree_totals([fig(99, "green")], TREE)
