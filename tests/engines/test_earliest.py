"""Earliest feasible start: table cases, the yearly-cost spreading rule, and a brute-force oracle."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from epmo.engines.optimizer import Earliest, Limits, Profile, earliest_start
from epmo.engines.optimizer.earliest import (
    anchor,
    blocking_lines,
    quarter_index,
    quarter_name,
    shifted,
)

YEARS = ("2027", "2028", "2029")
QUARTERS = [f"{y}-Q{q}" for y in YEARS for q in range(1, 5)]


def test_quarter_numbers_round_trip() -> None:
    assert [quarter_name(quarter_index(q)) for q in QUARTERS] == QUARTERS
    assert quarter_index("2028-Q1") - quarter_index("2027-Q4") == 1
    with pytest.raises(ValueError, match="not a quarter"):
        quarter_index("2027-Q5")


def test_yearly_cost_is_spread_over_quarters_then_resummed() -> None:
    moved = shifted(Profile(costs={"2027": 400.0}), 1)
    assert moved.costs == {"2027": 300.0, "2028": 100.0}
    assert shifted(Profile(costs={"2027": 400.0}), 4).costs == {"2028": 400.0}
    back = shifted(Profile(demand={("dev", "2027-Q4"): 2.0}), 2).demand
    assert back == {("dev", "2028-Q2"): 2.0}


def test_fits_at_once_when_room_is_left() -> None:
    profile = Profile({"2027": 100.0}, {("dev", "2027-Q1"): 3.0})
    limits = Limits({"2027": 500.0}, {("dev", "2027-Q1"): 6.0})
    assert earliest_start(profile, limits, ["2027-Q1"]) == Earliest("2027-Q1", 0)


def test_waits_for_capacity_freed_by_committed_work() -> None:
    profile = Profile(demand={("dev", "2027-Q1"): 3.0, ("dev", "2027-Q2"): 3.0})
    capacity = {("dev", q): 6.0 for q in QUARTERS}
    used = {("dev", "2027-Q1"): 6.0, ("dev", "2027-Q2"): 4.0, ("dev", "2027-Q3"): 1.0}
    limits = Limits(capacity=capacity, capacity_used=used)
    found = earliest_start(profile, limits, QUARTERS)
    assert found == Earliest("2027-Q3", 2)


def test_budget_blocks_until_next_year() -> None:
    profile = Profile(costs={"2027": 400.0})
    limits = Limits({"2027": 1000.0, "2028": 1000.0, "2029": 1000.0},
                    budget_used={"2027": 900.0})
    found = earliest_start(profile, limits, QUARTERS)
    # any start in 2027 leaves at least a quarter's share (100) in 2027, where only 100 is left;
    # Q4 leaves exactly 100 in 2027: it fits
    assert found == Earliest("2027-Q4", 3)


def test_none_names_the_blocking_line() -> None:
    profile = Profile(demand={("architect", "2027-Q1"): 1.0})
    limits = Limits(capacity={("dev", q): 5.0 for q in QUARTERS})
    found = earliest_start(profile, limits, QUARTERS)
    assert found.start is None and found.offset is None
    assert found.blocking is not None and found.blocking.startswith("architect capacity in")


def test_beyond_the_horizon_does_not_fit() -> None:
    profile = Profile(costs={"2027": 100.0, "2028": 100.0})
    limits = Limits({"2027": 1000.0, "2028": 1000.0})
    assert earliest_start(profile, limits, ["2028-Q1"]).blocking == "budget 2029"
    assert earliest_start(profile, limits, ["2027-Q1", "2028-Q1"]).start == "2027-Q1"


def test_empty_profile_starts_at_the_first_quarter() -> None:
    assert earliest_start(Profile(), Limits(), ["2027-Q2", "2027-Q1"]) == Earliest("2027-Q1", 0)
    assert anchor(Profile()) is None
    assert earliest_start(Profile(), Limits(), []).start is None


# --- property: the answer fits and nothing earlier does (brute force) ----------------------

profiles = st.builds(
    lambda costs, demand: Profile(
        {YEARS[i]: c for i, c in enumerate(costs) if c},
        {("dev", QUARTERS[i]): d for i, d in enumerate(demand) if d},
    ),
    st.lists(st.sampled_from([0.0, 40.0, 100.0, 250.0]), min_size=0, max_size=2),
    st.lists(st.sampled_from([0.0, 1.0, 2.5, 4.0]), min_size=0, max_size=6),
)
used_lists = st.lists(st.sampled_from([0.0, 1.0, 3.0, 5.0, 6.0]), min_size=12, max_size=12)
budget_used = st.lists(st.sampled_from([0.0, 100.0, 250.0, 300.0]), min_size=3, max_size=3)


def _limits(cap_used: list[float], money_used: list[float]) -> Limits:
    return Limits(
        budgets=dict.fromkeys(YEARS, 400.0),
        capacity={("dev", q): 6.0 for q in QUARTERS},
        budget_used=dict(zip(YEARS, money_used, strict=True)),
        capacity_used={("dev", q): u for q, u in zip(QUARTERS, cap_used, strict=True)},
    )


def _fits(profile: Profile, limits: Limits, start: str) -> bool:
    first = anchor(profile)
    offset = 0 if first is None else quarter_index(start) - first
    return not blocking_lines(shifted(profile, offset), limits)


@settings(max_examples=300, deadline=None)
@given(profiles, used_lists, budget_used)
def test_result_fits_and_no_earlier_start_does(profile: Profile, cap_used: list[float],
                                               money_used: list[float]) -> None:
    limits = _limits(cap_used, money_used)
    found = earliest_start(profile, limits, QUARTERS)
    oracle = next((q for q in QUARTERS if _fits(profile, limits, q)), None)
    assert found.start == oracle
    if found.start is not None:
        assert _fits(profile, limits, found.start)
        assert all(not _fits(profile, limits, q) for q in QUARTERS[:QUARTERS.index(found.start)])
    else:
        assert found.blocking
