"""Resource-constrained project scheduling (RCPSP) with OR-Tools CP-SAT, one or many projects.

Jobs are non-preemptive intervals of whole periods; a finish-to-start link runs from a job to
each of its successors; a ``Delay`` is a generalised link, a minimal time lag between two
starts (``link_gap`` turns an FS, SS, FF or SF link with a lag into one); each renewable
resource is one cumulative constraint with a constant capacity; a job starts no earlier than
its release date. One project minimises the makespan;
several (``objective="total"``) minimise the sum of the projects' makespans, each project's
makespan being the end of its last job counted from time 0 (release dates included).
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from ortools.sat.python import cp_model

Status = Literal["optimal", "feasible", "unknown", "infeasible"]
Objective = Literal["makespan", "total"]
LinkType = Literal["FS", "SS", "FF", "SF"]

_STATUS: dict[cp_model.CpSolverStatus, Status] = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
}


@dataclass(frozen=True, slots=True)
class Job:
    """A job: whole periods of work, a demand per resource, the jobs that wait for it."""

    id: int
    duration: int
    demands: tuple[int, ...]
    successors: tuple[int, ...] = ()
    release: int = 0
    project: int = 0

    def __post_init__(self) -> None:
        if self.duration < 0 or self.release < 0 or any(d < 0 for d in self.demands):
            raise ValueError(f"job {self.id}: duration, release and demands must be >= 0")


@dataclass(frozen=True, slots=True)
class Delay:
    """Job ``after`` starts at least ``gap`` periods after job ``before`` starts (may be < 0)."""

    before: int
    after: int
    gap: int


def link_gap(kind: LinkType, lag: int, before: int, after: int) -> int:
    """The start-to-start gap of a link of ``kind`` with ``lag`` between jobs lasting
    ``before`` and ``after`` periods: FS s2 >= s1+d1+lag, SS s2 >= s1+lag,
    FF s2+d2 >= s1+d1+lag, SF s2+d2 >= s1+lag."""
    return lag + (before if kind in ("FS", "FF") else 0) - (after if kind in ("FF", "SF") else 0)


@dataclass(frozen=True, slots=True)
class Problem:
    """Jobs, the capacity of each renewable resource, an optional horizon (last end) and
    generalised links (``delays``) besides the jobs' finish-to-start successors."""

    jobs: tuple[Job, ...]
    capacities: tuple[int, ...]
    horizon: int | None = None
    delays: tuple[Delay, ...] = ()

    def __post_init__(self) -> None:
        ids = {job.id for job in self.jobs}
        if len(ids) != len(self.jobs):
            raise ValueError("job ids must be unique")
        for job in self.jobs:
            if len(job.demands) != len(self.capacities):
                raise ValueError(f"job {job.id}: {len(job.demands)} demands for "
                                 f"{len(self.capacities)} resources")
            if unknown := set(job.successors) - ids:
                raise ValueError(f"job {job.id}: unknown successors {sorted(unknown)}")
        for delay in self.delays:
            if not {delay.before, delay.after} <= ids:
                raise ValueError(f"delay {delay.before}->{delay.after}: unknown job")

    def projects(self) -> tuple[int, ...]:
        """The project numbers, in order of first appearance."""
        return tuple(dict.fromkeys(job.project for job in self.jobs))


@dataclass(frozen=True, slots=True)
class Solution:
    """Start per job id, the makespan, each project's end and a proven bound on the objective.

    ``objective`` is the makespan or the sum of project ends; ``lower_bound`` bounds it from
    below (critical path with release dates, a resource-energy bound, CP-SAT's own bound).
    With ``status`` "unknown" or "infeasible" there is no schedule: ``starts`` is empty.
    """

    starts: Mapping[int, int]
    makespan: int | None
    lower_bound: int
    status: Status
    seconds: float
    objective: int | None = None
    project_ends: Mapping[int, int] = field(default_factory=dict)


def solve(problem: Problem, time_limit_s: float, *, workers: int = 1, seed: int = 0,
          objective: Objective = "makespan", compact: bool = False) -> Solution:
    """Schedule ``problem`` within ``time_limit_s`` seconds of CP-SAT search.

    One worker is CP-SAT's default search, fastest to prove the easy instances. Several
    ``workers`` are interleaved (``interleave_search``): slower on easy instances, better on
    hard ones. Either way the search is the same for a given seed, so a search that ends
    before the time limit is reproducible. ``compact`` then spends up to a fifth of the time
    limit (at least a second, never past the limit) on the least sum of starts at the
    objective found, so that no job starts later than it must.
    """
    began = time.perf_counter()
    if not problem.jobs:
        return Solution({}, 0, 0, "optimal", 0.0, 0)
    bound = lower_bound(problem, objective)
    if _overloaded(problem):
        return Solution({}, None, bound, "infeasible", time.perf_counter() - began)
    model, starts, ends = _model(problem, objective, bound)
    solver = _solver(time_limit_s, workers, seed)
    status = _STATUS.get(solver.solve(model), "unknown")
    if status not in ("optimal", "feasible"):
        return Solution({}, None, bound, status, time.perf_counter() - began)
    best = max(bound, math.ceil(solver.best_objective_bound - 1e-6))
    found = _read(solver, starts, ends, status, best, time.perf_counter() - began)
    if compact:
        left = time_limit_s - (time.perf_counter() - began)
        budget = min(left, max(1.0, time_limit_s / 5))
        found = _compacted(problem, objective, found, max(budget, 0.1), workers, seed)
    return replace(found, seconds=time.perf_counter() - began)


def _solver(time_limit_s: float, workers: int, seed: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = workers
    solver.parameters.interleave_search = workers > 1
    solver.parameters.random_seed = seed
    return solver


def _compacted(problem: Problem, objective: Objective, found: Solution, time_limit_s: float,
               workers: int, seed: int) -> Solution:
    """The same objective with the least sum of starts, searched from ``found`` (kept when
    no better placement turns up in time)."""
    model, starts, ends = _model(problem, objective, found.lower_bound)
    if objective == "total":
        model.add(sum(ends.values()) <= (found.objective or 0))
    else:
        for end in ends.values():
            model.add(end <= (found.makespan or 0))
    for job, var in starts.items():
        model.add_hint(var, found.starts[job])
    model.minimize(sum(starts.values()))  # replaces the objective _model set
    solver = _solver(time_limit_s, workers, seed)
    if _STATUS.get(solver.solve(model), "unknown") not in ("optimal", "feasible"):
        return found
    project_ends = {project: solver.value(var) for project, var in ends.items()}
    value = sum(project_ends.values()) if objective == "total" else max(project_ends.values())
    return replace(found, starts={job: solver.value(var) for job, var in starts.items()},
                   project_ends=project_ends, makespan=max(project_ends.values()),
                   objective=value, lower_bound=min(found.lower_bound, value))


def _read(solver: cp_model.CpSolver, starts: dict[int, cp_model.IntVar],
          ends: dict[int, cp_model.IntVar], status: Status, bound: int,
          seconds: float) -> Solution:
    placed = {job: solver.value(var) for job, var in starts.items()}
    project_ends = {project: solver.value(var) for project, var in ends.items()}
    value = round(solver.objective_value)
    return Solution(placed, max(project_ends.values(), default=0), min(bound, value), status,
                    seconds, value, project_ends)


# --- bounds --------------------------------------------------------------------------------------


def edges(problem: Problem) -> list[tuple[int, int, int]]:
    """Every precedence as (before, after, start-to-start gap): successors and delays."""
    by_id = {job.id: job for job in problem.jobs}
    found = [(job.id, succ, by_id[job.id].duration) for job in problem.jobs
             for succ in job.successors]
    return found + [(d.before, d.after, d.gap) for d in problem.delays]


def earliest_finishes(problem: Problem) -> dict[int, int]:
    """Each job's earliest finish with release dates and links but no resource limit."""
    preds: dict[int, list[tuple[int, int]]] = {job.id: [] for job in problem.jobs}
    succs: dict[int, list[int]] = {job.id: [] for job in problem.jobs}
    for before, after, gap in edges(problem):
        preds[after].append((before, gap))
        succs[before].append(after)
    by_id = {job.id: job for job in problem.jobs}
    start: dict[int, int] = {}
    pending = [job.id for job in problem.jobs if not preds[job.id]]
    waiting = {job: len(p) for job, p in preds.items()}
    while pending:
        job = by_id[pending.pop()]
        start[job.id] = max([job.release, *(start[p] + gap for p, gap in preds[job.id])])
        for succ in succs[job.id]:
            waiting[succ] -= 1
            if not waiting[succ]:
                pending.append(succ)
    # jobs on a cycle are missing: their bound is left out (the model decides on them)
    return {job: begin + by_id[job].duration for job, begin in start.items()}


def lower_bound(problem: Problem, objective: Objective = "makespan") -> int:
    """A bound on the objective from critical paths with release dates (and energy for one)."""
    finish = earliest_finishes(problem)
    ends = {project: 0 for project in problem.projects()}
    for job in problem.jobs:
        ends[job.project] = max(ends[job.project], finish.get(job.id, 0))
    if objective == "total":
        return sum(ends.values())
    return max([0, *ends.values(), *_energy(problem)])


def _energy(problem: Problem) -> list[int]:
    """Per resource, the work it must carry divided by its capacity, from the first release."""
    first = min((job.release for job in problem.jobs), default=0)
    return [first + math.ceil(sum(job.duration * job.demands[r] for job in problem.jobs) / cap)
            for r, cap in enumerate(problem.capacities) if cap > 0]


def _overloaded(problem: Problem) -> bool:
    """Some job asks more of a resource than it has (for a job that takes time)."""
    return any(job.duration and demand > cap for job in problem.jobs
               for demand, cap in zip(job.demands, problem.capacities, strict=True))


# --- the model -----------------------------------------------------------------------------------


def _horizon(problem: Problem) -> int:
    release = max((job.release for job in problem.jobs), default=0)
    # a serial schedule in link order fits: every duration and positive gap once, end to end
    serial = (release + sum(job.duration for job in problem.jobs)
              + sum(max(delay.gap, 0) for delay in problem.delays))
    return serial if problem.horizon is None else max(problem.horizon, 0)


def _model(problem: Problem, objective: Objective, bound: int) -> tuple[
        cp_model.CpModel, dict[int, cp_model.IntVar], dict[int, cp_model.IntVar]]:
    """The CP-SAT model: intervals, links, one cumulative per resource, the objective."""
    model = cp_model.CpModel()
    horizon = _horizon(problem)
    starts, intervals = {}, {}
    for job in problem.jobs:
        start = model.new_int_var(job.release, horizon, f"s{job.id}")
        starts[job.id] = start
        intervals[job.id] = model.new_fixed_size_interval_var(start, job.duration, f"i{job.id}")
    by_id = {job.id: job for job in problem.jobs}
    for before, after, gap in edges(problem):
        model.add(starts[after] >= starts[before] + gap)
    for r, cap in enumerate(problem.capacities):
        users = [job for job in problem.jobs if job.demands[r] and job.duration]
        if users:
            model.add_cumulative([intervals[job.id] for job in users],
                                 [job.demands[r] for job in users], cap)
    ends = _project_ends(model, problem, starts, by_id, horizon)
    _objective(model, ends, objective, bound, horizon)
    return model, starts, ends


def _project_ends(model: cp_model.CpModel, problem: Problem, starts: dict[int, cp_model.IntVar],
                  by_id: dict[int, Job], horizon: int) -> dict[int, cp_model.IntVar]:
    """Per project, a variable equal to the end of its last job."""
    ends = {}
    for project in problem.projects():
        members = [job for job in problem.jobs if job.project == project]
        end = model.new_int_var(0, horizon, f"end{project}")
        model.add_max_equality(end, [starts[job.id] + by_id[job.id].duration for job in members])
        ends[project] = end
    return ends


def _objective(model: cp_model.CpModel, ends: dict[int, cp_model.IntVar], objective: Objective,
               bound: int, horizon: int) -> None:
    """Minimise the makespan or the sum of project ends, starting from the known bound."""
    top = horizon * (len(ends) if objective == "total" else 1)
    goal = model.new_int_var(min(bound, top), max(top, 0), "objective")
    if objective == "total":
        model.add(goal == sum(ends.values()))
    else:
        model.add_max_equality(goal, list(ends.values()))
    model.minimize(goal)


# --- checking a schedule -------------------------------------------------------------------------


def violations(problem: Problem, starts: Mapping[int, int]) -> list[str]:
    """What ``starts`` breaks: a missing job, a release date, a link or a capacity."""
    by_id = {job.id: job for job in problem.jobs}
    if missing := sorted(set(by_id) - set(starts)):
        return [f"jobs without a start: {missing}"]
    found = [f"job {job.id} starts before its release {job.release}"
             for job in problem.jobs if starts[job.id] < job.release]
    found += [f"job {succ} starts before job {job.id} ends" for job in problem.jobs
              for succ in job.successors if starts[succ] < starts[job.id] + job.duration]
    found += [f"job {d.after} starts less than {d.gap} after job {d.before} starts"
              for d in problem.delays if starts[d.after] < starts[d.before] + d.gap]
    return found + _overloads(problem, starts)


def _overloads(problem: Problem, starts: Mapping[int, int]) -> list[str]:
    """Periods where a resource carries more than its capacity."""
    found = []
    for r, cap in enumerate(problem.capacities):
        use: dict[int, int] = {}
        for job in problem.jobs:
            for t in range(starts[job.id], starts[job.id] + job.duration):
                use[t] = use.get(t, 0) + job.demands[r]
        found += [f"resource {r} carries {use[t]} > {cap} at {t}"
                  for t in sorted(use) if use[t] > cap]
    return found
