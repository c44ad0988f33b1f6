"""The change-propagation engine on small hand-made networks: link types, impacts, cycles."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from epmo.engines.propagation import (
    CycleError,
    Dates,
    Link,
    LinkType,
    Network,
    State,
    apply,
    build_network,
    closes_cycle,
    critical_chain,
    driver_of,
    full_recompute,
    propagate,
    summarise,
    what_if,
)


def ms(day: int) -> Dates:
    """A milestone's dates."""
    return Dates(day, day)


def solve(dates: dict[int, Dates], links: list[Link]) -> tuple[Network, State]:
    """The network of these nodes and links, and its implied dates."""
    network = build_network(dates, links)
    return network, full_recompute(network, dates)


# --- one link of each type ----------------------------------------------------------------------


@dataclass(frozen=True)
class LinkCase:
    """Predecessor A (days 10..20) linked to successor B with its own dates; B's implied dates."""

    name: str
    kind: LinkType
    lag: int
    b_own: Dates
    b_implied: Dates


LINK_CASES = [
    LinkCase("FS waits for the finish", "FS", 2, Dates(0, 5), Dates(22, 27)),
    LinkCase("SS waits for the start", "SS", 2, Dates(0, 5), Dates(12, 17)),
    LinkCase("FF holds the finish, start moves with it", "FF", 2, Dates(0, 5), Dates(17, 22)),
    LinkCase("SF holds the finish from the start", "SF", 2, Dates(0, 5), Dates(7, 12)),
    LinkCase("FS with a lead", "FS", -3, Dates(0, 5), Dates(17, 22)),
    LinkCase("SS lead before the predecessor", "SS", -4, Dates(0, 0), Dates(6, 6)),
    LinkCase("own dates later than the link asks", "FS", 0, Dates(30, 35), Dates(30, 35)),
    LinkCase("exactly at the link's bound", "FS", 0, Dates(20, 20), Dates(20, 20)),
    LinkCase("milestone after FF", "FF", 0, ms(1), ms(20)),
    LinkCase("milestone after SF", "SF", 5, ms(1), ms(15)),
]


@pytest.mark.parametrize("case", LINK_CASES, ids=lambda case: case.name)
def test_link_types(case: LinkCase) -> None:
    network, state = solve({1: Dates(10, 20), 2: case.b_own}, [Link(1, 2, case.kind, case.lag)])
    assert state.dates(2) == case.b_implied
    assert state.dates(1) == Dates(10, 20)
    assert state.base(2) == case.b_own
    bound = driver_of(network, state, 2)
    assert bound == (None if case.b_implied == case.b_own else Link(1, 2, case.kind, case.lag))


def test_the_latest_constraint_wins_and_a_tie_goes_to_the_smallest_predecessor() -> None:
    dates = {1: ms(10), 2: ms(12), 3: ms(8), 4: ms(0)}
    links = [Link(3, 4, "FS", 4), Link(2, 4, "FS", 0), Link(1, 4, "FS", 2)]
    network, state = solve(dates, links)
    assert state.dates(4) == ms(12)
    assert driver_of(network, state, 4) == Link(1, 4, "FS", 2)


# --- propagation --------------------------------------------------------------------------------

CHAIN = {1: ms(10), 2: ms(15), 3: ms(20), 4: ms(40)}
CHAIN_LINKS = [Link(1, 2, "FS", 2), Link(2, 3, "FS", 3), Link(3, 4, "FS", 0)]


def test_a_slip_moves_what_it_must_and_stops_where_there_is_slack() -> None:
    network, state = solve(CHAIN, CHAIN_LINKS)
    impact = propagate(network, state, {1: ms(20)})
    assert {node: shift.slip for node, shift in impact.shifts.items()} == {1: 10, 2: 7, 3: 5}
    assert list(impact.shifts) == [1, 2, 3]  # upstream first
    assert impact.shifts[3].new == ms(25)
    assert impact.shifts[3].driver == Link(2, 3, "FS", 3)
    assert impact.shifts[1].cause is None
    assert impact.path_to(3) == (1, 2, 3)
    assert impact.sources == (1,)
    assert impact.visited == 4  # node 4 was looked at, did not move, and went no further
    assert state.dates(3) == ms(20)  # the stored state is untouched


def test_a_pull_in_lets_successors_come_back_to_their_own_dates_but_not_earlier() -> None:
    network, state = solve(CHAIN, CHAIN_LINKS)
    late = apply(state, propagate(network, state, {1: ms(30)}))
    assert late.dates(3) == ms(35)
    assert late.dates(4) == ms(40)  # 35 + 0 < 40: 4 keeps its own date
    back = propagate(network, late, {1: ms(5)})
    assert {node: shift.new for node, shift in back.shifts.items()} == {
        1: ms(5), 2: ms(15), 3: ms(20),
    }
    assert back.shifts[2].driver is None  # its own date holds it now
    assert back.shifts[2].cause == Link(1, 2, "FS", 2)  # the pull-in came through 1
    assert back.path_to(3) == (1, 2, 3)


def test_apply_gives_the_same_state_as_a_full_recompute() -> None:
    network, state = solve(CHAIN, CHAIN_LINKS)
    after = apply(state, propagate(network, state, {2: ms(50)}))
    again = full_recompute(network, {**CHAIN, 2: ms(50)})
    assert after.implied == again.implied
    assert after.base(2) == ms(50)


def test_a_project_keeps_its_duration_and_a_longer_project_pushes_its_finish() -> None:
    dates = {1: Dates(0, 10), 2: Dates(0, 20), 3: ms(0)}
    links = [Link(1, 2, "FS", 0), Link(2, 3, "FS", 1)]
    network, state = solve(dates, links)
    assert state.dates(2) == Dates(10, 30)
    impact = propagate(network, state, {1: Dates(0, 15)})  # the project runs 5 days longer
    assert impact.shifts[1].start_slip == 0 and impact.shifts[1].slip == 5
    assert impact.shifts[2].new == Dates(15, 35)
    assert impact.shifts[3].new == ms(36)


def test_what_if_slips_from_the_implied_date_and_saves_nothing() -> None:
    network, state = solve({1: ms(10), 2: ms(0), 3: ms(0)}, [Link(1, 2), Link(2, 3, "FS", 1)])
    assert state.dates(2) == ms(10)
    impact = what_if(network, state, {2: 5})  # 2 is at 10 (pushed), so it goes to 15
    assert impact.shifts[2].new == ms(15)
    assert impact.shifts[3].new == ms(16)
    assert what_if(network, state, {2: -5}).shifts == {}  # 1 still holds it at 10
    assert state.dates(3) == ms(11)


def test_a_change_that_moves_nothing_has_an_empty_impact() -> None:
    network, state = solve(CHAIN, CHAIN_LINKS)
    impact = propagate(network, state, {4: ms(40)})
    assert impact.shifts == {}
    assert impact.visited == 1
    with pytest.raises(KeyError, match="did not move"):
        impact.path_to(4)


def test_summarise_groups_by_any_key() -> None:
    network, state = solve(CHAIN, CHAIN_LINKS)
    impact = propagate(network, state, {1: ms(20)})
    groups = {1: [("project", 7)], 2: [("project", 7), ("department", 1)],
              3: [("project", 8), ("department", 1)], 4: [("project", 8)]}
    summary = summarise(impact, groups)
    assert list(summary) == [("project", 7), ("department", 1), ("project", 8)]
    assert (summary[("project", 7)].count, summary[("project", 7)].max_slip) == (2, 10)
    assert summary[("project", 7)].worst == 1
    assert (summary[("department", 1)].count, summary[("department", 1)].max_slip) == (2, 7)
    assert summary[("department", 1)].worst == 2


# --- critical chain -----------------------------------------------------------------------------


def test_critical_chain_follows_the_binding_links_and_gives_floats() -> None:
    dates = {1: Dates(0, 10), 2: Dates(0, 4), 3: ms(0), 4: ms(0), 9: ms(100)}
    links = [Link(1, 3, "FS", 2), Link(2, 3, "FS", 0), Link(3, 4, "FS", 5), Link(2, 4, "SS", 1),
             Link(4, 9, "FS", 0)]
    network, state = solve(dates, links)
    chain = critical_chain(network, state, [1, 2, 3, 4])
    assert chain.nodes == (1, 3, 4)
    assert chain.links == (Link(1, 3, "FS", 2), Link(3, 4, "FS", 5))
    assert chain.finish == 17
    assert chain.floats == {1: 0, 2: 8, 3: 0, 4: 0}  # 2 may finish as late as 12


def test_critical_chain_of_unlinked_nodes_is_the_latest_one() -> None:
    network, state = solve({1: ms(5), 2: Dates(1, 9), 3: ms(9)}, [])
    chain = critical_chain(network, state, [1, 2, 3])
    assert chain.nodes == (2,)  # 2 and 3 both finish on 9; the smaller id wins
    assert chain.floats == {1: 4, 2: 0, 3: 0}


# --- cycles -------------------------------------------------------------------------------------


def test_a_cycle_is_refused_and_named_from_its_smallest_id() -> None:
    dates = {node: ms(0) for node in (2, 5, 7, 9)}
    with pytest.raises(CycleError, match=r"^cycle: 2 -> 5 -> 7 -> 2$") as caught:
        build_network(dates, [Link(9, 5), Link(5, 7), Link(7, 2, "SS", -3), Link(2, 5)])
    assert caught.value.cycle == (2, 5, 7, 2)


def test_a_link_to_itself_is_a_cycle() -> None:
    with pytest.raises(CycleError, match=r"^cycle: 4 -> 4$"):
        build_network([4], [Link(4, 4, "SS")])


def test_closes_cycle_names_the_cycle_a_new_link_would_close() -> None:
    network = build_network(range(1, 6), [Link(1, 2), Link(2, 3), Link(3, 4), Link(1, 5)])
    assert closes_cycle(network, 4, 1) == (4, 1, 2, 3, 4)
    assert closes_cycle(network, 3, 3) == (3, 3)
    assert closes_cycle(network, 5, 4) is None
    assert closes_cycle(network, 4, 5) is None


# --- bad input ----------------------------------------------------------------------------------


def test_bad_input_is_refused_naming_what_is_wrong() -> None:
    with pytest.raises(ValueError, match="node 3 is not in the network"):
        build_network([1, 2], [Link(1, 3)])
    with pytest.raises(ValueError, match="unknown type 'XX'"):
        Link(1, 2, "XX")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="finish 1 is before start 2"):
        Dates(2, 1)
    network = build_network([1, 2], [Link(1, 2)])
    with pytest.raises(ValueError, match=r"missing \[2\], unknown \[7\]"):
        full_recompute(network, {1: ms(0), 7: ms(0)})
    state = full_recompute(network, {1: ms(0), 2: ms(0)})
    with pytest.raises(ValueError, match="node 8 is not in the network"):
        propagate(network, state, {8: ms(1)})
    with pytest.raises(ValueError, match="another network"):
        propagate(build_network([1, 2], []), state, {1: ms(1)})
    with pytest.raises(ValueError, match="at least one node"):
        critical_chain(network, state, [])
    moved = apply(state, propagate(network, state, {1: ms(3)}))
    with pytest.raises(ValueError, match=r"not computed from this state \(node 1\)"):
        apply(moved, propagate(network, state, {1: ms(5)}))
