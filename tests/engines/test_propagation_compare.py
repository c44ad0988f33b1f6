"""``compare``: what adding or removing a link did to the implied dates."""

from __future__ import annotations

from epmo.engines.propagation import Dates, Link, State, build_network, compare, full_recompute

DATES = {1: Dates(100, 100), 2: Dates(90, 95), 3: Dates(96, 96), 4: Dates(50, 50)}


def solve(links: list[Link]) -> State:
    """Implied dates of the network of these links (only their ends are nodes)."""
    ends = {link.pred for link in links} | {link.succ for link in links}
    network = build_network(ends, links)
    return full_recompute(network, {node: DATES[node] for node in ends})


def test_an_added_link_pushes_downstream_with_paths() -> None:
    before = solve([Link(2, 3, "FS", 0), Link(4, 2, "FS", 0)])
    after = solve([Link(2, 3, "FS", 0), Link(4, 2, "FS", 0), Link(1, 2, "FS", 0)])
    impact = compare(before, after, [2])
    assert {n: (s.old, s.new) for n, s in impact.shifts.items()} == {
        2: (Dates(90, 95), Dates(100, 105)), 3: (Dates(96, 96), Dates(105, 105))}
    assert impact.path_to(2) == (1, 2) and impact.path_to(3) == (1, 2, 3)
    assert list(impact.shifts) == [2, 3]  # upstream first
    assert compare(after, after).shifts == {}


def test_a_removed_link_pulls_in_even_nodes_that_leave_the_network() -> None:
    before = solve([Link(1, 2, "FS", 0), Link(2, 3, "FS", 0)])
    after = solve([Link(2, 3, "FS", 0)])  # node 1 leaves; 2 and 3 return to their own dates
    impact = compare(before, after, [2])
    assert {n: s.slip for n, s in impact.shifts.items()} == {2: -10, 3: -9}
    assert impact.path_to(3) == (1, 2, 3)  # through the link that held them before
    gone = compare(solve([Link(1, 3, "FS", 0)]), solve([Link(4, 2, "FS", 0)]), [3])
    assert {n: s.slip for n, s in gone.shifts.items()} == {3: -4}  # 3 left the network
