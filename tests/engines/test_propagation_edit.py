"""Adding one link to a built network (``with_link``, ``add_link``) or taking one away
(``without_link``, ``remove_link``) against building it afresh: the same network but for the
topological order (any valid one), the same implied dates, and cycles refused (hypothesis,
small random networks)."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from epmo.engines.propagation import (
    LINK_TYPES,
    CycleError,
    Dates,
    Link,
    Network,
    add_link,
    build_network,
    full_recompute,
    remove_link,
    with_link,
    without_link,
)
from tests.engines.test_propagation_properties import own_dates

FIELDS = ("ids", "links", "in_ptr", "in_src", "in_lag", "in_fin", "out_ptr", "out_dst",
          "out_link")


@dataclass(frozen=True)
class Growth:
    """A random acyclic network, own dates for every node it may reach, links to add one by
    one (any direction, new ends and parallel links too)."""

    nodes: list[int]
    dates: dict[int, Dates]
    links: list[Link]
    added: list[Link]


def link(draw: st.DrawFn, pred: int, succ: int) -> Link:
    return Link(pred, succ, draw(st.sampled_from(LINK_TYPES)), draw(st.integers(-6, 10)))


@st.composite
def growths(draw: st.DrawFn) -> Growth:
    ids = draw(st.lists(st.integers(1, 60), min_size=2, max_size=14, unique=True))
    inside = ids[:draw(st.integers(1, len(ids)))]  # the rest are new ends when linked
    pairs = [(inside[i], inside[j]) for i in range(len(inside))
             for j in range(i + 1, len(inside))]
    chosen = draw(st.lists(st.sampled_from(pairs), max_size=20)) if pairs else []
    added = draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)),
                          min_size=1, max_size=8))
    return Growth(inside, {node: draw(own_dates()) for node in ids},
                  [link(draw, a, b) for a, b in chosen], [link(draw, a, b) for a, b in added])


def check_same(grown: Network, built: Network) -> None:
    """Equal to ``build_network`` but for the order, which must be a valid one."""
    for name in FIELDS:
        assert getattr(grown, name) == getattr(built, name), name
    assert dict(grown.index) == dict(built.index)
    assert sorted(grown.order) == list(range(len(grown)))
    assert all(grown.position[v] == place for place, v in enumerate(grown.order))
    for k, ln in enumerate(grown.links):
        assert grown.position[grown.index[ln.pred]] < grown.position[grown.index[ln.succ]], k


def check_cycle(cycle: tuple[int, ...], links: list[Link]) -> None:
    """A real cycle of the links, named from its smallest id as ``build_network`` does."""
    pairs = {(ln.pred, ln.succ) for ln in links}
    assert cycle[0] == cycle[-1] == min(cycle)
    assert all((a, b) in pairs for a, b in pairwise(cycle))


@settings(max_examples=400, deadline=None)
@given(growths())
def test_adding_links_one_by_one_equals_building_afresh(growth: Growth) -> None:
    nodes, links = set(growth.nodes), list(growth.links)
    network = build_network(nodes, links)
    state = full_recompute(network, {n: growth.dates[n] for n in nodes})
    for new in growth.added:
        ends = nodes | {new.pred, new.succ}
        try:
            built = build_network(ends, [*links, new])
        except CycleError:
            with pytest.raises(CycleError) as refused:
                with_link(network, new)
            check_cycle(refused.value.cycle, [*links, new])
            with pytest.raises(CycleError):
                add_link(state, new, growth.dates)
            continue
        grown = with_link(network, new)
        check_same(grown, built)
        if (new.pred in network.index and new.succ in network.index
                and network.position[network.index[new.pred]]
                < network.position[network.index[new.succ]]):
            assert grown.order == network.order  # the link agrees with it: nothing re-ordered
        after, impact = add_link(state, new, {n: growth.dates[n] for n in ends - nodes})
        again = full_recompute(built, {n: growth.dates[n] for n in ends})
        check_same(after.network, built)
        assert (after.implied, after.base_start, after.duration) == (
            again.implied, again.base_start, again.duration)
        was = {n: (state.dates(n) if n in nodes else growth.dates[n]) for n in ends}
        assert set(impact.shifts) == {n for n in ends if again.dates(n) != was[n]}
        assert impact.visited <= len(ends)
        nodes, links, network, state = ends, [*links, new], grown, after


def test_a_link_against_the_order_reorders_only_between_its_ends() -> None:
    # order 1 2 3 4 5 6 (a chain 1 -> 2 -> 3 plus 4 -> 5 and loose 6); 5 -> 2 moves 4, 5
    # before 2 and 3, and leaves 1 and 6 where they were
    network = build_network(range(1, 7), [Link(1, 2), Link(2, 3), Link(4, 5)])
    assert [network.ids[v] for v in network.order] == [1, 4, 6, 2, 5, 3]
    grown = with_link(network, Link(5, 2))
    assert [grown.ids[v] for v in grown.order] == [1, 4, 6, 5, 2, 3]


def test_a_closing_link_is_refused_naming_the_cycle_like_a_full_build() -> None:
    links = [Link(3, 7), Link(7, 9), Link(9, 4)]
    network = build_network([3, 4, 7, 9], links)
    with pytest.raises(CycleError) as built:
        build_network([3, 4, 7, 9], [*links, Link(4, 3)])
    with pytest.raises(CycleError) as grown:
        with_link(network, Link(4, 3))
    assert str(grown.value) == str(built.value) == "cycle: 3 -> 7 -> 9 -> 4 -> 3"
    with pytest.raises(CycleError, match="cycle: 7 -> 7"):
        with_link(network, Link(7, 7))


def test_new_ends_take_their_own_dates_and_push_downstream() -> None:
    dates = {1: Dates(10, 12), 2: Dates(14, 14)}
    state = full_recompute(build_network(dates, [Link(1, 2)]), dates)
    after, impact = add_link(state, Link(5, 1, "FS", 2), {5: Dates(9, 20)})
    assert after.dates(1) == Dates(22, 24) and after.dates(2) == Dates(24, 24)
    assert after.dates(5) == Dates(9, 20) and set(impact.shifts) == {1, 2}


@settings(max_examples=300, deadline=None)
@given(growths(), st.randoms(use_true_random=False))
def test_removing_links_one_by_one_equals_building_afresh(growth: Growth, rng: Any) -> None:
    nodes, links = set(growth.nodes), list(growth.links)
    network = build_network(nodes, links)
    state = full_recompute(network, {n: growth.dates[n] for n in nodes})
    while links:
        gone = links.pop(rng.randrange(len(links)))
        # an end of the link left with no link leaves the network; other nodes stay
        left = (nodes - {gone.pred, gone.succ}) | {n for ln in links for n in (ln.pred, ln.succ)}
        built = build_network(left, links)
        cut = without_link(network, gone)
        check_same(cut, built)
        assert [cut.ids[v] for v in cut.order] == [
            network.ids[v] for v in network.order if network.ids[v] in left]
        after, impact = remove_link(state, gone)
        again = full_recompute(built, {n: growth.dates[n] for n in left})
        check_same(after.network, built)
        assert (after.implied, after.base_start, after.duration) == (
            again.implied, again.base_start, again.duration)
        assert set(impact.shifts) == {n for n in left if again.dates(n) != state.dates(n)}
        nodes, network, state = left, cut, after


def test_removing_a_link_that_is_not_there_is_refused() -> None:
    network = build_network([1, 2, 3], [Link(1, 2), Link(2, 3)])
    with pytest.raises(ValueError, match="link 1 -> 3 is not in the network"):
        without_link(network, Link(1, 3))
    with pytest.raises(ValueError, match="link 1 -> 2 is not"):
        without_link(network, Link(1, 2, "SS"))
