"""Left shift: start each job of a feasible RCPSP schedule as early as the jobs before it allow.

Jobs are taken in the order of their given starts; each moves to the first period, from its
links' earliest start up to where it was, at which the jobs already placed leave it room. No
job moves later, so the schedule stays feasible and its makespan never grows: a job placed
earlier only frees periods at or after the later jobs' old starts (it occupies no period there
it did not occupy before). A job that waits on one not yet placed (a negative gap) stays put.
"""

from __future__ import annotations

from collections.abc import Mapping

from epmo.engines.rcpsp import Job, Problem, edges


def left_shift(problem: Problem, starts: Mapping[int, int]) -> dict[int, int]:
    """The starts of ``problem`` moved as early as the order of ``starts`` allows."""
    preds: dict[int, list[tuple[int, int]]] = {job.id: [] for job in problem.jobs}
    for before, after, gap in edges(problem):
        preds[after].append((before, gap))
    use: list[dict[int, int]] = [{} for _ in problem.capacities]
    placed: dict[int, int] = {}
    for job in sorted(problem.jobs, key=lambda j: (starts[j.id], j.id)):
        if any(p not in placed for p, _gap in preds[job.id]):
            begin = starts[job.id]
        else:
            low = max([job.release, *(placed[p] + gap for p, gap in preds[job.id])])
            begin = _first_fit(problem, job, use, low, starts[job.id])
        placed[job.id] = begin
        for r, demand in enumerate(job.demands):
            for t in range(begin, begin + job.duration):
                use[r][t] = use[r].get(t, 0) + demand
    return placed


def _first_fit(problem: Problem, job: Job, use: list[dict[int, int]], low: int,
               high: int) -> int:
    """The first start in ``low..high`` where the job fits beside the jobs placed (``high``
    always fits, see the module docstring)."""
    begin = low
    while begin < high:
        clash = _clash(problem, job, use, begin)
        if clash is None:
            return begin
        begin = clash + 1
    return high


def _clash(problem: Problem, job: Job, use: list[dict[int, int]], begin: int) -> int | None:
    """The last period of ``begin..`` where the job would exceed a capacity, if any."""
    for t in range(begin + job.duration - 1, begin - 1, -1):
        for r, cap in enumerate(problem.capacities):
            if job.demands[r] and use[r].get(t, 0) + job.demands[r] > cap:
                return t
    return None
