"""The change-propagation engine against brute-force oracles on random networks (hypothesis)."""

from __future__ import annotations

import graphlib
import random
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from epmo.engines.propagation import (
    LINK_TYPES,
    CycleError,
    Dates,
    Link,
    State,
    apply,
    build_network,
    closes_cycle,
    critical_chain,
    full_recompute,
    propagate,
    summarise,
    what_if,
)


@dataclass(frozen=True)
class Case:
    """A random acyclic network: node ids, own dates and links."""

    dates: dict[int, Dates]
    links: list[Link]


def own_dates() -> st.SearchStrategy[Dates]:
    """Milestones (start == finish) and projects of up to 10 days."""
    return st.builds(lambda start, days: Dates(start, start + days),
                     st.integers(0, 40), st.integers(0, 10) | st.just(0))


@st.composite
def dags(draw: st.DrawFn, max_nodes: int = 12) -> Case:
    """Random DAGs: ids in a random order, links only forward in it, all types, leads too."""
    ids = draw(st.lists(st.integers(1, 999), min_size=1, max_size=max_nodes, unique=True))
    pairs = [(ids[i], ids[j]) for i in range(len(ids)) for j in range(i + 1, len(ids))]
    chosen = draw(st.lists(st.sampled_from(pairs), max_size=24)) if pairs else []
    links = [Link(pred, succ, draw(st.sampled_from(LINK_TYPES)), draw(st.integers(-6, 10)))
             for pred, succ in chosen]
    return Case({node: draw(own_dates()) for node in ids}, links)


def weight(link: Link, dates: dict[int, Dates]) -> int:
    """Days a link adds from the predecessor's start to the successor's start."""
    pred, succ = dates[link.pred], dates[link.succ]
    return (link.lag + (pred.duration if link.from_finish else 0)
            - (succ.duration if link.to_finish else 0))


def relaxed(case: Case) -> dict[int, int]:
    """Oracle 1: implied starts by relaxing every link until nothing changes."""
    start = {node: d.start for node, d in case.dates.items()}
    changed = True
    while changed:
        changed = False
        for link in case.links:
            bound = start[link.pred] + weight(link, case.dates)
            if bound > start[link.succ]:
                start[link.succ], changed = bound, True
    return start


def paths_from(case: Case, node: int) -> Iterator[tuple[int, int]]:
    """Every (end node, summed weight) of every path leaving ``node``, the empty one too."""
    yield node, 0
    for link in case.links:
        if link.pred == node:
            for end, total in paths_from(case, link.succ):
                yield end, total + weight(link, case.dates)


def enumerated(case: Case) -> dict[int, int]:
    """Oracle 2: each implied start is the latest own start plus path weight reaching it."""
    start = {node: d.start for node, d in case.dates.items()}
    for node, own in case.dates.items():
        for end, total in paths_from(case, node):
            start[end] = max(start[end], own.start + total)
    return start


def starts_of(state_dates: dict[int, Dates]) -> dict[int, int]:
    """Start per node."""
    return {node: d.start for node, d in state_dates.items()}


@settings(max_examples=200, deadline=None)
@given(dags())
def test_full_recompute_equals_both_oracles(case: Case) -> None:
    network = build_network(case.dates, case.links)
    state = full_recompute(network, case.dates)
    implied = {node: state.dates(node) for node in case.dates}
    assert starts_of(implied) == relaxed(case) == enumerated(case)
    for node, dates in implied.items():
        assert dates.duration == case.dates[node].duration
    for link in case.links:  # every link holds
        assert implied[link.succ].start >= implied[link.pred].start + weight(link, case.dates)


@st.composite
def changed(draw: st.DrawFn) -> tuple[Case, dict[int, Dates]]:
    """A random DAG and new own dates for some of its nodes (slips and pull-ins)."""
    case = draw(dags())
    nodes = draw(st.lists(st.sampled_from(sorted(case.dates)), min_size=1, max_size=3))
    return case, {node: draw(own_dates()) for node in nodes}


@settings(max_examples=300, deadline=None)
@given(changed())
def test_incremental_propagation_equals_a_full_recompute(
        drawn: tuple[Case, dict[int, Dates]]) -> None:
    case, changes = drawn
    network = build_network(case.dates, case.links)
    state = full_recompute(network, case.dates)
    impact = propagate(network, state, changes)
    after = Case({**case.dates, **changes}, case.links)
    again = full_recompute(network, after.dates)
    assert apply(state, impact).implied == again.implied
    assert starts_of({n: again.dates(n) for n in case.dates}) == relaxed(after)
    moved = {n for n in case.dates if again.dates(n) != state.dates(n)}
    assert set(impact.shifts) == moved
    # Only the changed nodes and the successors of nodes that moved were recomputed.
    touched = set(changes) | {link.succ for link in case.links if link.pred in moved}
    assert impact.visited == len(touched)
    for node, shift in impact.shifts.items():
        assert (shift.old, shift.new) == (state.dates(node), again.dates(node))
        check_driver(after, shift.node, shift.new, shift.driver)
        check_path(case, impact.path_to(node), set(impact.shifts), set(changes))


def check_driver(case: Case, node: int, new: Dates, driver: Link | None) -> None:
    """The driver sets the new start and beats the own date; no driver: the own date holds."""
    if driver is None:
        assert new.start == case.dates[node].start
        return
    assert driver.succ == node and driver in case.links
    value = relaxed(case)[driver.pred] + weight(driver, case.dates)
    assert value == new.start > case.dates[node].start


def check_path(case: Case, path: tuple[int, ...], moved: set[int], sources: set[int]) -> None:
    """A path starts at a changed node and follows links through nodes that moved."""
    assert path[0] in sources
    assert set(path) <= moved
    linked = {(link.pred, link.succ) for link in case.links}
    assert all(pair in linked for pair in pairwise(path))


@settings(max_examples=150, deadline=None)
@given(changed(), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_input_order(drawn: tuple[Case, dict[int, Dates]],
                                              rnd: random.Random) -> None:
    case, changes = drawn
    network = build_network(case.dates, case.links)
    impact = propagate(network, full_recompute(network, case.dates), changes)
    nodes, links = list(case.dates), list(case.links)
    rnd.shuffle(nodes)
    rnd.shuffle(links)
    shuffled = build_network(nodes, links)
    again = propagate(shuffled, full_recompute(shuffled, case.dates), dict(reversed(changes.items())))
    assert shuffled.order == network.order
    assert list(again.shifts.items()) == list(impact.shifts.items())


@st.composite
def graphs(draw: st.DrawFn) -> Case:
    """Random directed graphs of up to 8 nodes, often with cycles."""
    ids = draw(st.lists(st.integers(1, 99), min_size=1, max_size=8, unique=True))
    pairs = draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=14))
    links = [Link(pred, succ, draw(st.sampled_from(LINK_TYPES))) for pred, succ in pairs]
    return Case({node: Dates(0, 0) for node in ids}, links)


def is_acyclic(nodes: list[int], pairs: set[tuple[int, int]]) -> bool:
    """The standard library's verdict."""
    preds: dict[int, set[int]] = {node: set() for node in nodes}
    for pred, succ in pairs:
        preds[succ].add(pred)
    try:
        list(graphlib.TopologicalSorter(preds).static_order())
    except graphlib.CycleError:
        return False
    return True


def check_cycle(cycle: tuple[int, ...], pairs: set[tuple[int, int]]) -> None:
    """A closed walk along existing links that visits no node twice."""
    assert cycle[0] == cycle[-1] and len(set(cycle)) == len(cycle) - 1
    assert all(pair in pairs for pair in pairwise(cycle))


@settings(max_examples=300, deadline=None)
@given(graphs())
def test_every_cycle_is_found_and_named_from_its_smallest_id(case: Case) -> None:
    pairs = {(link.pred, link.succ) for link in case.links}
    try:
        build_network(case.dates, case.links)
    except CycleError as error:
        assert not is_acyclic(list(case.dates), pairs)
        check_cycle(error.cycle, pairs)
        assert error.cycle[0] == min(error.cycle)
        assert str(error) == "cycle: " + " -> ".join(map(str, error.cycle))
    else:
        assert is_acyclic(list(case.dates), pairs)


@settings(max_examples=200, deadline=None)
@given(dags(), st.data())
def test_closes_cycle_agrees_with_building_the_network(case: Case, data: st.DataObject) -> None:
    network = build_network(case.dates, case.links)
    pred = data.draw(st.sampled_from(sorted(case.dates)))
    succ = data.draw(st.sampled_from(sorted(case.dates)))
    cycle = closes_cycle(network, pred, succ)
    pairs = {(link.pred, link.succ) for link in case.links} | {(pred, succ)}
    assert (cycle is None) == is_acyclic(list(case.dates), pairs)
    if cycle is not None:
        assert cycle[:2] == (pred, succ) or (pred == succ and cycle == (pred, pred))
        check_cycle(cycle, pairs)


@settings(max_examples=200, deadline=None)
@given(dags(max_nodes=9), st.data())
def test_critical_chain_and_floats_against_trying_every_slip(case: Case,
                                                            data: st.DataObject) -> None:
    network = build_network(case.dates, case.links)
    state = full_recompute(network, case.dates)
    group = data.draw(st.lists(st.sampled_from(sorted(case.dates)), min_size=1, unique=True))
    chain = critical_chain(network, state, group)
    assert chain.finish == max(state.dates(node).finish for node in group)
    assert state.dates(chain.nodes[-1]).finish == chain.finish
    for link, (pred, succ) in zip(chain.links, pairwise(chain.nodes),
                                  strict=True):
        assert (link.pred, link.succ) == (pred, succ) and link in case.links
        value = state.dates(pred).start + weight(link, case.dates)
        assert value == state.dates(succ).start  # binding
    assert all(chain.floats[node] == 0 for node in chain.nodes)
    assert chain.floats == floats_by_trying(case, state, group, chain.finish)


def floats_by_trying(case: Case, state: State, group: list[int], finish: int) -> dict[int, int]:
    """Oracle: the largest slip of each node, within the group's own links, that keeps the
    group's latest finish (nodes start from their implied dates)."""
    dates = {node: state.dates(node) for node in group}
    inner = [link for link in case.links if link.pred in dates and link.succ in dates]
    sub = build_network(dates, inner)
    base = full_recompute(sub, dates)
    floats = {}
    for node in group:
        days = 0
        while max(shift.new.finish for shift in
                  what_if(sub, base, {node: days + 1}).shifts.values()) <= finish:
            days += 1
        floats[node] = days
    return floats


@settings(max_examples=100, deadline=None)
@given(changed(), st.data())
def test_summarise_counts_and_takes_the_largest_slip(drawn: tuple[Case, dict[int, Dates]],
                                                     data: st.DataObject) -> None:
    case, changes = drawn
    network = build_network(case.dates, case.links)
    impact = propagate(network, full_recompute(network, case.dates), changes)
    groups = {node: data.draw(st.lists(st.sampled_from("abc"), unique=True))
              for node in case.dates}
    summary = summarise(impact, groups)
    for key in "abc":
        hit = [(shift.slip, -node) for node, shift in impact.shifts.items() if key in groups[node]]
        if not hit:
            assert key not in summary
            continue
        best = max(hit)
        assert (summary[key].count, summary[key].max_slip, summary[key].worst) == (
            len(hit), best[0], -best[1])
