"""Auto-schedule: hand-computed cases, validation, and seeded random instances against a
pure-Python brute force (every start tried in order, every period checked)."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Mapping, Sequence

import pytest

from epmo.engines.autoschedule import (
    Need,
    Placement,
    Plan,
    Shortage,
    Work,
    auto_schedule,
    earliest_start,
    number,
)

MONTHS = [f"2027-{m:02d}" for m in range(1, 13)]
DATA = "IT|Data engineer"
DEV = "IT|Developer"


def work(id: int, start: int, *needs: tuple[str, tuple[float, ...]], fixed: bool = False,
         not_before: int | None = None) -> Work:
    return Work(id, f"IT-{id:05d}", start, tuple(Need(p, a) for p, a in needs), fixed,
                not_before)


def flat(value: float, periods: int = 12) -> list[float]:
    return [value] * periods


def by_id(plan: Plan) -> dict[int, Placement]:
    return {p.id: p for p in plan.placements}


def test_fits_at_its_wanted_start() -> None:
    plan = auto_schedule({DATA: flat(3.0)}, [work(1, 2, (DATA, (2.0, 2.0, 1.0)))], MONTHS)
    (placed,) = plan.placements
    assert (placed.start, placed.moved_by, placed.shortage, placed.reason) == (2, 0, None, "")
    assert plan.remaining[DATA][:6] == (3.0, 3.0, 1.0, 1.0, 2.0, 3.0)


def test_moved_later_with_its_first_shortage_in_words() -> None:
    capacity = {DATA: [3, 3, 3, 0.5, 0.5, 3, 3, 3, 3, 3, 3, 3], DEV: flat(1.0)}
    plan = auto_schedule(capacity, [work(42, 2, (DEV, (1.0,)), (DATA, (0.0, 3.0, 3.0)))],
                         MONTHS)
    (placed,) = plan.placements
    # at 2 the data engineers are short in 2027-04 (3 needed, 0.5 there); 3 and 4 hit the
    # same dip; from 5 on both pools fit
    assert placed.start == 4 and placed.moved_by == 2
    assert placed.shortage == Shortage(DATA, 3, 2.5)
    assert placed.reason == ("IT-00042 moved from 2027-03 to 2027-05: "
                             "IT|Data engineer short by 2.5 FTE in 2027-04")


def test_first_shortage_is_the_earliest_period_then_the_largest() -> None:
    capacity: dict[str, list[float]] = {DATA: [1, 1, 0, 5, 5, 5], DEV: [1, 0.5, 0, 5, 5, 5]}
    plan = auto_schedule(capacity, [work(1, 0, (DATA, (1, 1, 1)), (DEV, (1, 1, 1)))],
                         MONTHS[:6], unit="days")
    (placed,) = plan.placements
    assert placed.start == 3
    assert placed.shortage == Shortage(DEV, 1, 0.5)
    assert placed.reason.endswith("IT|Developer short by 0.5 days in 2027-02")
    both_at_two = auto_schedule({DATA: [1, 1, 0, 5], DEV: [1, 1, 0.5, 5]},
                                [work(1, 0, (DATA, (1, 1, 1)), (DEV, (1, 1, 1)))], MONTHS[:4])
    assert both_at_two.placements[0].shortage == Shortage(DATA, 2, 1.0)
    assert both_at_two.placements[0].start is None


def test_rank_is_preserved_a_higher_ranked_work_takes_capacity_first() -> None:
    high = work(1, 3, (DATA, (2.0, 2.0)))
    low = work(2, 2, (DATA, (2.0, 2.0)))  # wanted earlier, ranked lower
    plan = by_id(auto_schedule({DATA: flat(2.0)}, [high, low], MONTHS))
    assert plan[1].start == 3 and plan[1].reason == ""
    assert plan[2].start == 5
    assert plan[2].shortage == Shortage(DATA, 3, 2.0)
    swapped = by_id(auto_schedule({DATA: flat(2.0)}, [low, high], MONTHS))
    assert (swapped[2].start, swapped[1].start) == (2, 4)


def test_a_lower_ranked_work_may_use_a_gap_the_higher_ones_left() -> None:
    first = work(1, 0, (DATA, (2.0, 2.0, 0.0, 2.0)))
    second = work(2, 0, (DATA, (0.0, 0.0, 2.0)))
    plan = by_id(auto_schedule({DATA: flat(2.0)}, [first, second], MONTHS))
    assert (plan[1].start, plan[2].start) == (0, 0)


def test_fixed_work_overloads_and_blocks_movable_work_in_those_periods() -> None:
    fixed = work(1, 1, (DATA, (3.0, 2.5)), fixed=True)
    movable = work(2, 0, (DATA, (0.5, 0.5)))
    plan = auto_schedule({DATA: flat(2.0)}, [movable, fixed], MONTHS)
    placed = by_id(plan)
    assert placed[1].start == 1 and placed[1].reason == "" and placed[1].shortage is None
    assert placed[1].fixed and placed[1].overload == Shortage(DATA, 1, 1.0)
    assert placed[2].start == 3
    assert placed[2].shortage == Shortage(DATA, 1, 1.5)
    assert plan.remaining[DATA][:5] == (2.0, -1.0, -0.5, 1.5, 1.5)


def test_fixed_work_beyond_the_horizon_and_on_an_unknown_pool_is_kept_where_known() -> None:
    fixed = work(1, 10, (DATA, (1.0, 1.0, 1.0, 1.0)), (DEV, (9.0,)), fixed=True)
    plan = auto_schedule({DATA: flat(2.0)}, [fixed], MONTHS)
    assert plan.placements[0].start == 10
    assert plan.remaining[DATA][-3:] == (2.0, 1.0, 1.0)
    assert set(plan.remaining) == {DATA}


def test_a_need_on_an_unknown_pool_never_fits() -> None:
    plan = auto_schedule({DATA: flat(5.0)}, [work(7, 1, (DATA, (1.0,)), (DEV, (0, 1.5)))],
                         MONTHS)
    (placed,) = plan.placements
    assert placed.start is None and placed.moved_by is None
    assert placed.shortage == Shortage(DEV, 2, 1.5)
    assert placed.reason == ("IT-00007 does not fit before the end of 2027-12: IT|Developer "
                             "short by 1.5 FTE in 2027-03 (no capacity is known for it)")
    assert plan.remaining[DATA] == tuple(flat(5.0))  # an unplaced work takes nothing


def test_a_work_longer_than_the_horizon_is_unplaced() -> None:
    plan = auto_schedule({DATA: flat(5.0)}, [work(1, 0, (DATA, tuple(flat(1.0, 13))))], MONTHS)
    (placed,) = plan.placements
    assert placed.start is None and placed.shortage is None
    assert placed.reason == ("IT-00001 does not fit before the end of 2027-12: "
                             "it needs 13 periods from 2027-01, 1 past the end")


def test_trailing_zero_amounts_may_run_past_the_horizon() -> None:
    plan = auto_schedule({DATA: flat(5.0)}, [work(1, 11, (DATA, (1.0, 0.0, 0.0)))], MONTHS)
    assert plan.placements[0].start == 11


def test_a_work_with_no_positive_need_fits_at_its_wanted_start() -> None:
    plan = auto_schedule({DATA: flat(0.0)}, [work(1, 4, (DATA, (0.0, 0.0))), work(2, 5)],
                         MONTHS)
    assert [p.start for p in plan.placements] == [4, 5]


def test_needs_on_the_same_pool_are_added_up() -> None:
    plan = auto_schedule({DATA: [2.0, *flat(3.0, 11)]},
                         [work(1, 0, (DATA, (1.5,)), (DATA, (1.0, 1.0)))], MONTHS)
    assert plan.placements[0].start == 1
    assert plan.placements[0].shortage == Shortage(DATA, 0, 0.5)


def test_amounts_that_fill_a_pool_exactly_fit_despite_rounding() -> None:
    works = [work(1, 0, (DATA, (0.1,))), work(2, 0, (DATA, (0.2,)))]
    plan = auto_schedule({DATA: flat(0.3)}, works, MONTHS)
    assert [p.start for p in plan.placements] == [0, 0]


def test_not_before_holds_a_work_back_and_may_pull_it_earlier() -> None:
    capacity = {DATA: [2, 2, 2, 2, 0, 2, 2, 2, 2, 2, 2, 2]}
    later = work(1, 1, (DATA, (1.0,)), not_before=3)
    blocked = work(2, 1, (DATA, (1.0,)), not_before=4)
    earlier = work(3, 6, (DATA, (1.0,)), not_before=0)
    plan = by_id(auto_schedule(capacity, [later, blocked, earlier], MONTHS))
    assert plan[1].start == 3 and plan[1].shortage is None
    assert plan[1].reason == "IT-00001 moved from 2027-02 to 2027-04: may not start before 2027-04"
    assert plan[2].start == 5 and plan[2].shortage == Shortage(DATA, 4, 1.0)
    assert plan[2].reason == ("IT-00002 moved from 2027-02 to 2027-06: may not start before "
                              "2027-05; IT|Data engineer short by 1 FTE in 2027-05")
    assert plan[3].start == 0 and plan[3].moved_by == -6
    assert plan[3].reason == ("IT-00003 moved from 2027-07 to 2027-01: "
                              "fits earlier (may start from 2027-01)")


def test_earliest_start_answers_for_one_work_and_leaves_its_input_alone() -> None:
    plan = auto_schedule({DATA: flat(2.0)}, [work(1, 0, (DATA, (2.0,) * 4))], MONTHS)
    remaining = dict(plan.remaining)
    before = {pool: list(series) for pool, series in remaining.items()}
    queued = work(9, 1, (DATA, (1.0, 1.0)))
    answer = earliest_start(remaining, queued, MONTHS)
    assert answer.start == 4 and answer.shortage == Shortage(DATA, 1, 1.0)
    assert {pool: list(series) for pool, series in remaining.items()} == before
    again = auto_schedule({DATA: flat(2.0)}, [work(1, 0, (DATA, (2.0,) * 4)), queued], MONTHS)
    assert again.placements[1] == answer


@pytest.mark.parametrize(("capacity", "works", "message"), [
    ({DATA: flat(1.0, 11)}, [], "has 11 values; the horizon has 12"),
    ({DATA: flat(1.0)}, [work(1, 0, (DATA, (1.0, -0.5)))], "negative"),
    ({DATA: [float("nan")] * 12}, [], "not a number"),
    ({DATA: flat(1.0)}, [work(1, 0), work(1, 2)], "work id 1 appears twice"),
    ({DATA: flat(1.0)}, [work(1, 12)], "start 12 lies outside"),
    ({DATA: flat(1.0)}, [work(1, -1, fixed=True)], "start -1 lies outside"),
    ({DATA: flat(1.0)}, [work(1, 0, not_before=12)], "not_before 12 lies outside"),
])
def test_bad_input_is_refused_with_words(capacity: Mapping[str, Sequence[float]],
                                          works: list[Work], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        auto_schedule(capacity, works, MONTHS)


def test_earliest_start_checks_its_inputs_too() -> None:
    with pytest.raises(ValueError, match="has 3 values"):
        earliest_start({DATA: [1.0, 1.0, 1.0]}, work(1, 0, (DATA, (1.0,))), MONTHS)
    with pytest.raises(ValueError, match="outside"):
        earliest_start({DATA: flat(1.0)}, work(1, 20), MONTHS)


def test_numbers_are_compact() -> None:
    assert [number(v) for v in (2.5, 3.0, 2.456, 1234.5, 0.004, 10.0)] == [
        "2.5", "3", "2.46", "1234.5", "0.004", "10"]


# --- seeded random instances against a brute force --------------------------------------

TOL = 1e-9


def brute_fits(remaining: Mapping[str, list[float]], w: Work, start: int, horizon: int) -> bool:
    total: dict[tuple[str, int], float] = defaultdict(float)
    for need in w.needs:
        for t, amount in enumerate(need.amounts):
            total[need.pool, t] += amount
    return all(amount <= 0 or (pool in remaining and start + t < horizon
                               and remaining[pool][start + t] >= amount - TOL * max(1, amount))
               for (pool, t), amount in total.items())


def brute_take(remaining: dict[str, list[float]], w: Work, start: int, horizon: int) -> None:
    for need in w.needs:
        for t, amount in enumerate(need.amounts):
            if need.pool in remaining and start + t < horizon:
                remaining[need.pool][start + t] -= amount


def brute_force(capacity: Mapping[str, list[float]], works: list[Work],
                horizon: int) -> tuple[dict[int, int | None], dict[str, list[float]],
                                       dict[str, list[float]]]:
    remaining = {pool: list(series) for pool, series in capacity.items()}
    for w in works:
        if w.fixed:
            brute_take(remaining, w, w.start, horizon)
    after_fixed = {pool: list(series) for pool, series in remaining.items()}
    starts: dict[int, int | None] = {}
    for w in works:
        if w.fixed:
            starts[w.id] = w.start
            continue
        lowest = w.start if w.not_before is None else w.not_before
        found = next((s for s in range(lowest, horizon)
                      if brute_fits(remaining, w, s, horizon)), None)
        if found is not None:
            brute_take(remaining, w, found, horizon)
        starts[w.id] = found
    return starts, remaining, after_fixed


def random_instance(seed: int) -> tuple[dict[str, list[float]], list[Work], list[str]]:
    rng = random.Random(seed)
    horizon = rng.randint(4, 16)
    periods = [f"P{i}" for i in range(horizon)]
    pools = [f"pool{i}" for i in range(rng.randint(1, 3))]
    capacity = {p: [rng.choice([0, 0.3, 1, 1.5, 2, 3, 4, 5, 6]) for _ in periods] for p in pools}
    works = [random_work(rng, i, pools + ["unknown"] * (seed % 5 == 0), horizon)
             for i in range(rng.randint(1, 12))]
    return capacity, works, periods


def random_work(rng: random.Random, id: int, pools: list[str], horizon: int) -> Work:
    needs = tuple(Need(rng.choice(pools), tuple(rng.choice([0, 0.1, 0.2, 0.5, 1, 1.5, 2])
                                                for _ in range(rng.randint(1, 6))))
                  for _ in range(rng.randint(0, 3)))
    start = rng.randrange(horizon)
    not_before = rng.choice([None, None, rng.randrange(horizon)])
    return Work(id, f"W{id}", start, needs, rng.random() < 0.2, not_before)


@pytest.mark.parametrize("seed", range(300))
def test_random_instances_match_the_brute_force(seed: int) -> None:
    capacity, works, periods = random_instance(seed)
    horizon = len(periods)
    plan = auto_schedule(capacity, works, periods)
    starts, remaining, after_fixed = brute_force(capacity, works, horizon)
    assert {p.id: p.start for p in plan.placements} == starts
    assert [p.id for p in plan.placements] == [w.id for w in works]
    for pool, series in plan.remaining.items():
        assert series == pytest.approx(remaining[pool], abs=1e-9)
        for left, fixed_only in zip(series, after_fixed[pool], strict=True):
            # movable work never overloads; where fixed work did, movable work took nothing
            assert left >= -1e-9 if fixed_only >= -1e-9 else left == pytest.approx(fixed_only)
    for placement, w in zip(plan.placements, works, strict=True):
        check_explained(placement, w, periods)
    assert auto_schedule(capacity, works, periods) == plan


def check_explained(placement: Placement, w: Work, periods: list[str]) -> None:
    if placement.start == w.start:
        assert placement.reason == "" and placement.shortage is None
    elif placement.start is None:
        assert placement.reason.startswith(f"{w.label} does not fit before the end of ")
    else:
        assert placement.reason.startswith(
            f"{w.label} moved from {periods[w.start]} to {periods[placement.start]}: ")
    if placement.shortage is not None:
        assert placement.shortage.short_by > 0
        assert f"short by {number(placement.shortage.short_by)} FTE" in placement.reason


@pytest.mark.parametrize("seed", range(100))
def test_earliest_start_matches_the_brute_force_on_what_is_left(seed: int) -> None:
    capacity, works, periods = random_instance(seed)
    plan = auto_schedule(capacity, works, periods)
    rng = random.Random(-seed)
    queued = random_work(rng, 10_000, [*capacity, "unknown"], len(periods))
    queued = Work(queued.id, queued.label, queued.start, queued.needs, False, queued.not_before)
    remaining = {pool: list(series) for pool, series in plan.remaining.items()}
    expected = next((s for s in range(queued.not_before if queued.not_before is not None
                                      else queued.start, len(periods))
                     if brute_fits(remaining, queued, s, len(periods))), None)
    assert earliest_start(plan.remaining, queued, periods).start == expected
