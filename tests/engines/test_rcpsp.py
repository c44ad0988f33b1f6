"""The RCPSP engine: known optima, a brute-force oracle, PSPLIB j30 and MPSPLIB instances."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from epmo.engines.rcpsp import (
    Delay,
    Job,
    LinkType,
    Objective,
    Problem,
    link_gap,
    lower_bound,
    solve,
    violations,
)
from epmo.engines.rcpsp_files import read_mpsplib, read_sm
from epmo.engines.rcpsp_shift import left_shift
from tests.conftest import SHARED_DATA

PSPLIB = SHARED_DATA / "psplib"
MPSPLIB = SHARED_DATA / "mpsplib"


def job(id: int, duration: int, *demands: int, then: tuple[int, ...] = (), release: int = 0,
        project: int = 0) -> Job:
    return Job(id, duration, tuple(demands), then, release, project)


CASES = [
    ("two jobs share one unit", (job(1, 3, 1), job(2, 2, 1)), (1,), "makespan", 5),
    ("two units: in parallel", (job(1, 3, 1), job(2, 2, 1)), (2,), "makespan", 3),
    ("a link after a release", (job(1, 2, 0, then=(2,), release=4), job(2, 3, 0)), (1,),
     "makespan", 9),
    ("two resources cross", (job(1, 2, 1, 0), job(2, 2, 0, 1), job(3, 1, 1, 1)), (1, 1),
     "makespan", 3),
    ("a milestone asks more than there is", (job(1, 0, 5, then=(2,)), job(2, 2, 1)), (1,),
     "makespan", 2),
    ("two projects: the sum of their ends", (job(1, 3, 1), job(2, 3, 1, project=1)), (1,),
     "total", 9),
    ("two projects: the last end", (job(1, 3, 1), job(2, 3, 1, project=1)), (1,),
     "makespan", 6),
    ("a late project goes first when it can", (job(1, 4, 1, release=0),
                                               job(2, 1, 1, release=1, project=1)), (1,),
     "total", 8),
]


@pytest.mark.parametrize(("name", "jobs", "capacities", "objective", "optimum"), CASES,
                         ids=[case[0] for case in CASES])
def test_known_optima(name: str, jobs: tuple[Job, ...], capacities: tuple[int, ...],
                      objective: Objective, optimum: int) -> None:
    problem = Problem(jobs, capacities)
    solution = solve(problem, 5, objective=objective)
    assert solution.status == "optimal", name
    assert solution.objective == optimum == solution.lower_bound
    assert violations(problem, solution.starts) == []


def test_no_schedule_when_a_job_needs_more_than_the_capacity() -> None:
    solution = solve(Problem((job(1, 2, 3),), (2,)), 5)
    assert (solution.status, solution.makespan, dict(solution.starts)) == ("infeasible", None, {})


def test_a_cycle_is_infeasible() -> None:
    problem = Problem((job(1, 1, 0, then=(2,)), job(2, 1, 0, then=(1,))), (1,))
    assert solve(problem, 5).status == "infeasible"


def test_an_empty_problem_ends_at_zero() -> None:
    assert solve(Problem((), (3,)), 1).makespan == 0


@pytest.mark.parametrize("broken", [
    lambda: Problem((job(1, 1, 1, 1),), (1,)),
    lambda: Problem((job(1, 1, 1, then=(7,)),), (1,)),
    lambda: Problem((job(1, 1, 1), job(1, 2, 1)), (1,)),
    lambda: job(1, -1, 1),
])
def test_malformed_problems_are_refused(broken: object) -> None:
    with pytest.raises(ValueError):
        broken()  # type: ignore[operator]


def test_violations_name_each_broken_rule() -> None:
    problem = Problem((job(1, 2, 1, then=(2,), release=1), job(2, 2, 1)), (1,))
    assert violations(problem, {1: 0, 2: 1}) == [
        "job 1 starts before its release 1", "job 2 starts before job 1 ends",
        "resource 0 carries 2 > 1 at 1"]


# --- a brute-force oracle on tiny instances ------------------------------------------------------


def brute_force(problem: Problem, objective: Objective) -> int:
    """The best objective over every integer start time (jobs link only to higher ids)."""
    jobs = sorted(problem.jobs, key=lambda j: j.id)
    preds = {j.id: [p for p in jobs if j.id in p.successors] for j in jobs}
    horizon = max(j.release for j in jobs) + sum(j.duration for j in jobs)
    best = [10**9]

    def place(i: int, starts: dict[int, int], use: list[list[int]]) -> None:
        if i == len(jobs):
            ends: dict[int, int] = {}
            for j in jobs:
                ends[j.project] = max(ends.get(j.project, 0), starts[j.id] + j.duration)
            value = sum(ends.values()) if objective == "total" else max(ends.values())
            best[0] = min(best[0], value)
            return
        j = jobs[i]
        low = max([j.release, *(starts[p.id] + p.duration for p in preds[j.id])])
        for s in range(low, horizon - j.duration + 1):
            span = range(s, s + j.duration)
            if all(use[r][t] + j.demands[r] <= cap for r, cap in enumerate(problem.capacities)
                   for t in span):
                for r in range(len(use)):
                    for t in span:
                        use[r][t] += j.demands[r]
                place(i + 1, starts | {j.id: s}, use)
                for r in range(len(use)):
                    for t in span:
                        use[r][t] -= j.demands[r]

    place(0, {}, [[0] * (horizon + 1) for _ in problem.capacities])
    return best[0]


@st.composite
def tiny(draw: st.DrawFn) -> Problem:
    n = draw(st.integers(1, 4))
    capacities = tuple(draw(st.lists(st.integers(1, 3), min_size=1, max_size=2)))
    jobs = []
    for i in range(1, n + 1):
        later = st.lists(st.integers(i + 1, n), max_size=2, unique=True) if i < n else st.just([])
        jobs.append(Job(i, draw(st.integers(0, 3)),
                        tuple(draw(st.integers(0, cap)) for cap in capacities),
                        tuple(draw(later)), draw(st.integers(0, 3)), draw(st.integers(0, 1))))
    return Problem(tuple(jobs), capacities)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problem=tiny(), objective=st.sampled_from(["makespan", "total"]))
def test_cp_sat_matches_the_brute_force_optimum(problem: Problem, objective: Objective) -> None:
    solution = solve(problem, 5, objective=objective)
    optimum = brute_force(problem, objective)
    assert solution.status == "optimal"
    assert solution.objective == optimum
    assert lower_bound(problem, objective) <= optimum
    assert violations(problem, solution.starts) == []
    assert solution.makespan == max(s + j.duration for j in problem.jobs
                                    for s in [solution.starts[j.id]])


# --- benchmark instances -------------------------------------------------------------------------


def optima() -> dict[str, int]:
    with (PSPLIB / "j30_optimum_kobe.csv").open() as table:
        return {row["problem"]: int(row["optimum"]) for row in csv.DictReader(table)}


@pytest.mark.skipif(not PSPLIB.is_dir(), reason=f"PSPLIB data absent: {PSPLIB} not found")
@pytest.mark.parametrize("name", ["j301_1.sm", "j3010_1.sm", "j3025_7.sm", "j3048_10.sm"])
def test_psplib_j30_reaches_the_proven_optimum(name: str) -> None:
    problem = read_sm(PSPLIB / "j30" / name)
    assert (len(problem.jobs), len(problem.capacities)) == (32, 4)
    solution = solve(problem, 20)
    assert solution.status == "optimal"
    assert solution.makespan == optima()[name]
    assert violations(problem, solution.starts) == []


MP_SETS = [("mp_j30_a2_nr2", 58, (0, 5)), ("mp_j30_a5_nr4", 76, (0, 7, 11, 15, 18))]


@pytest.mark.skipif(not MPSPLIB.is_dir(), reason=f"MPSPLIB data absent: {MPSPLIB} not found")
@pytest.mark.parametrize(("name", "optimum", "releases"), MP_SETS)
def test_mpsplib_total_makespan_with_release_dates(name: str, optimum: int,
                                                   releases: tuple[int, ...]) -> None:
    portfolio = read_mpsplib(Path(MPSPLIB / f"{name}_set" / f"{name}.xml"))
    assert (portfolio.name, portfolio.releases) == (name, releases)
    solution = solve(portfolio.problem, 20)
    assert (solution.status, solution.makespan) == ("optimal", optimum)
    assert violations(portfolio.problem, solution.starts) == []
    assert all(solution.starts[j.id] >= releases[j.project] for j in portfolio.problem.jobs)


# --- generalised links (delays) and compacting ---------------------------------------------------


@pytest.mark.parametrize(("kind", "lag", "gap"), [
    ("FS", 0, 3), ("FS", 2, 5), ("FS", -1, 2), ("SS", 1, 1), ("FF", 0, 1), ("SF", 4, 2)])
def test_link_gap_turns_each_link_type_into_a_start_to_start_gap(kind: LinkType, lag: int,
                                                                 gap: int) -> None:
    assert link_gap(kind, lag, 3, 2) == gap  # the jobs last 3 and 2 periods


def test_delays_bind_starts_and_are_checked() -> None:
    jobs = (job(1, 3, 1), job(2, 2, 0), job(3, 2, 0))
    problem = Problem(jobs, (1,), delays=(Delay(1, 2, 5), Delay(2, 3, -1)))
    solution = solve(problem, 5)
    assert (solution.status, solution.makespan) == ("optimal", 7)
    assert solution.starts[2] == 5 and solution.starts[3] >= 4
    assert violations(problem, solution.starts) == []
    assert violations(problem, {1: 0, 2: 4, 3: 4}) == ["job 2 starts less than 5 after job 1 starts"]


def test_a_delay_naming_an_unknown_job_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown job"):
        Problem((job(1, 1, 1),), (1,), delays=(Delay(1, 9, 0),))


def test_compact_starts_slack_jobs_as_early_as_they_can() -> None:
    # job 3 has slack: without compacting any start up to 8 keeps the makespan of 10
    jobs = (job(1, 5, 1, then=(2,)), job(2, 5, 1), job(3, 2, 0))
    problem = Problem(jobs, (1,))
    solution = solve(problem, 5, compact=True)
    assert (solution.status, solution.makespan, solution.starts[3]) == ("optimal", 10, 0)
    assert violations(problem, solution.starts) == []


def test_left_shift_moves_jobs_into_the_room_left() -> None:
    jobs = (job(1, 2, 1, then=(3,)), job(2, 2, 1), job(3, 1, 0))
    problem = Problem(jobs, (1,), delays=(Delay(2, 3, -5),))
    # 1 and 2 move into the room; 3 also waits on 2 (a negative gap), not yet placed: it stays
    assert left_shift(problem, {1: 3, 2: 7, 3: 6}) == {1: 0, 2: 2, 3: 6}
    assert left_shift(problem, {1: 3, 2: 5, 3: 6}) == {1: 0, 2: 2, 3: 2}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problem=tiny(), late=st.integers(0, 4))
def test_left_shift_keeps_a_schedule_feasible_and_never_later(problem: Problem,
                                                              late: int) -> None:
    solution = solve(problem, 5)
    pushed = {job: start + late for job, start in solution.starts.items()}
    shifted = left_shift(problem, pushed)
    assert violations(problem, shifted) == []
    assert all(shifted[job] <= pushed[job] for job in pushed)
    assert shifted == left_shift(problem, shifted)
