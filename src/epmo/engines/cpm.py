"""Critical path method over working calendars: early and late dates, total float, the path.

A start snaps forward to working time and a finish ends at the end of working time (a one-day
task runs 08:00-17:00; its FS successor starts 08:00 the next working day). Milestones sit
where their driver puts them when that is working time or the end of it. Started tasks keep
their actual start; with a status date their remaining work, and all unstarted work, starts no
earlier than it (P6's data date). Float is the smaller of start and finish float (finish float
alone for started tasks), in working minutes of the task's own calendar.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from epmo.engines.cpm_model import (
    CONSTRAINTS,
    LINK_TYPES,
    ConstraintKind,
    CycleError,
    LagCalendar,
    LinkType,
    Network,
    Relation,
    Schedule,
    Task,
    TaskDates,
)
from epmo.engines.cpm_network import Plan, build_plan
from epmo.engines.workcal import Clock, moment, stamp

FINISH_DATED = frozenset({"MFO", "FNET", "FNLT"})

__all__ = [
    "CONSTRAINTS",
    "LINK_TYPES",
    "ConstraintKind",
    "CycleError",
    "LagCalendar",
    "LinkType",
    "Network",
    "Relation",
    "Schedule",
    "Task",
    "TaskDates",
    "schedule",
]


@dataclass
class _Pass:
    """The stamps both passes write, by leaf index, and which link drove each early start."""

    es: list[int]
    ef: list[int]
    ls: list[int]
    lf: list[int]
    driver: list[int | None]


def schedule(network: Network) -> Schedule:
    """Run the forward and backward passes over ``network``."""
    plan = build_plan(network)
    n = len(plan.leaves)
    state = _Pass([0] * n, [0] * n, [0] * n, [0] * n, [None] * n)
    state_start = stamp(network.start)
    _forward(plan, state, state_start, _maybe(network.status_date))
    finish = stamp(network.finish) if network.finish else max(state.ef, default=state_start)
    _backward(plan, state, finish)
    floats = [_float(plan, state, i) for i in range(n)]
    tasks = {task.id: _dates(task.id, state, i, floats[i]) for i, task in enumerate(plan.leaves)}
    for summary, leaves in plan.summaries.items():
        tasks[summary] = _span(summary, state, leaves, floats)
    ordered = {task.id: tasks[task.id] for task in network.tasks}
    return Schedule(ordered, moment(finish), _critical_path(plan, state, floats))


def _maybe(when: datetime | None) -> int | None:
    return None if when is None else stamp(when)


# --- forward pass --------------------------------------------------------------------------------


def _forward(plan: Plan, state: _Pass, start: int, status: int | None) -> None:
    for i in plan.order:
        task, clock = plan.leaves[i], plan.clocks[i]
        if task.actual_start is not None or task.actual_finish is not None:
            _progressed(task, clock, state, i, status)
            continue
        linked = _early_start(plan, state, i, max(start, status or start))
        early, finish = _constrain_early(task, clock, *linked)
        if (early, finish) != linked:
            state.driver[i] = None
        state.es[i] = early
        state.ef[i] = clock.add(early, task.duration) if finish is None else finish


def _early_start(plan: Plan, state: _Pass, i: int, floor: int) -> tuple[int, int | None]:
    """The earliest start the links and the floor allow, and the finish bound if one drives.

    A driving finish bound is kept as the finish (MS Project: an SF link to Monday 08:00
    finishes the task at Monday 08:00, not at Friday 17:00).
    """
    task, clock = plan.leaves[i], plan.clocks[i]
    best, finish, driver = _place(clock, floor, task.duration), None, None
    for pred, from_finish, to_finish, lag, lag_clock in plan.preds[i]:
        base = state.ef[pred] if from_finish else state.es[pred]
        bound = lag_clock.add(base, lag) if lag else base
        wanted = clock.subtract(bound, task.duration) if to_finish else bound
        candidate = _place(clock, wanted, task.duration)
        keep = bound if to_finish and task.duration else None
        if candidate > best or (candidate == best and driver is None):
            best, finish, driver = candidate, keep, pred
        elif candidate == best and keep is not None and keep > (finish or 0):
            finish, driver = keep, pred
    state.driver[i] = driver
    return best, finish


def _place(clock: Clock, t: int, duration: int) -> int:
    """Where a task wanting to start at ``t`` starts: a milestone may sit at a period's end."""
    if duration == 0 and clock.previous_finish(t) == t:
        return t
    return clock.next_start(t)


def _constrain_early(
    task: Task, clock: Clock, early: int, finish: int | None
) -> tuple[int, int | None]:
    """The start (and finish, when a finish date drives) after the task's constraint."""
    if task.constraint_date is None or task.constraint in ("ASAP", "ALAP"):
        return early, finish
    kind, when = task.constraint, stamp(task.constraint_date)
    on_finish = kind in FINISH_DATED
    at = _place(clock, clock.subtract(when, task.duration) if on_finish else when, task.duration)
    fixed = when if on_finish and task.duration else None
    if kind in ("MSO", "MFO"):
        return at, fixed
    if kind in ("SNET", "FNET"):
        return (at, fixed) if at > early else (early, finish)
    return (at, fixed) if at < early else (early, finish)  # SNLT, FNLT hold the task back


def _progressed(task: Task, clock: Clock, state: _Pass, i: int, status: int | None) -> None:
    """A started task keeps its actual start; its remaining work resumes at the status date."""
    if task.actual_finish is not None:
        finished = stamp(task.actual_finish)
        began = clock.subtract(finished, task.duration)  # finished with no start recorded
        state.es[i] = stamp(task.actual_start) if task.actual_start else began
        state.ef[i] = finished
        return
    assert task.actual_start is not None  # the caller sends only progressed tasks
    began = state.es[i] = stamp(task.actual_start)
    remaining = task.duration if task.remaining is None else task.remaining
    resume = clock.add(began, max(task.duration - remaining, 0))
    if status is not None and status > resume:
        resume = status
    state.ef[i] = clock.add(_place(clock, resume, remaining), remaining)


# --- backward pass -------------------------------------------------------------------------------


def _backward(plan: Plan, state: _Pass, finish: int) -> None:
    for i in reversed(plan.order):
        task, clock = plan.leaves[i], plan.clocks[i]
        if task.actual_finish is not None:
            state.ls[i], state.lf[i] = state.es[i], state.ef[i]
            continue
        late = _late_finish(plan, state, i, clock.previous_finish(finish))
        state.lf[i] = _not_before(clock, late, state.ef[i])
        state.ls[i] = _not_before(clock, clock.subtract(late, _remaining(task)), state.es[i])


def _not_before(clock: Clock, late: int, early: int) -> int:
    """``late``, or ``early`` when no working time separates them (a milestone at 08:00)."""
    return early if late < early and clock.between(late, early) == 0 else late


def _late_finish(plan: Plan, state: _Pass, i: int, ceiling: int) -> int:
    """The latest finish the successors, the ceiling and the task's constraint allow."""
    task, clock = plan.leaves[i], plan.clocks[i]
    late = ceiling
    for succ, from_finish, to_finish, lag, lag_clock in plan.succs[i]:
        base = state.lf[succ] if to_finish else state.ls[succ]
        bound = _latest(lag_clock, base, lag) if lag else base
        if not from_finish:
            bound = clock.add(bound, _remaining(task))
        late = min(late, bound)
    if task.duration:  # MS Project ends a late finish at the end of working time too
        late = clock.previous_finish(late)
    return _constrain_late(task, clock, late)


def _latest(clock: Clock, bound: int, lag: int) -> int:
    """The latest ``x`` with ``clock.add(x, lag) <= bound`` (subtracting is not its inverse
    when a lead ends at a period's end: any moment up to the next start gives the same)."""
    if lag < 0:
        return clock.next_start(clock.add(bound, -lag))
    return clock.subtract(bound, lag)


def _constrain_late(task: Task, clock: Clock, late: int) -> int:
    if task.constraint_date is None or task.constraint in ("SNET", "FNET"):
        return late
    when = stamp(task.constraint_date)
    if task.constraint not in FINISH_DATED:  # MSO, SNLT: the finish of a task starting then
        when = clock.add(_place(clock, when, task.duration), task.duration)
    if task.constraint in ("MSO", "MFO"):
        return when
    return min(late, when)


def _remaining(task: Task) -> int:
    if task.actual_start is None or task.remaining is None:
        return task.duration
    return task.remaining


# --- results -------------------------------------------------------------------------------------


def _float(plan: Plan, state: _Pass, i: int) -> int:
    clock = plan.clocks[i]
    finish_float = clock.between(state.ef[i], state.lf[i])
    if plan.leaves[i].actual_start is not None or plan.leaves[i].actual_finish is not None:
        return finish_float
    return min(clock.between(state.es[i], state.ls[i]), finish_float)


def _dates(task_id: str, state: _Pass, i: int, total_float: int) -> TaskDates:
    return TaskDates(
        task_id,
        moment(state.es[i]),
        moment(state.ef[i]),
        moment(state.ls[i]),
        moment(state.lf[i]),
        total_float,
        total_float <= 0,
    )


def _span(task_id: str, state: _Pass, leaves: tuple[int, ...], floats: list[int]) -> TaskDates:
    """A summary's dates span its leaves; its float is the least of theirs."""
    least = min(floats[i] for i in leaves)
    return TaskDates(
        task_id,
        moment(min(state.es[i] for i in leaves)),
        moment(max(state.ef[i] for i in leaves)),
        moment(min(state.ls[i] for i in leaves)),
        moment(max(state.lf[i] for i in leaves)),
        least,
        least <= 0,
    )


def _critical_path(plan: Plan, state: _Pass, floats: list[int]) -> tuple[str, ...]:
    """The chain of critical tasks, along driving links, that ends last."""
    critical = [i for i in plan.order if floats[i] <= 0]
    if not critical:
        return ()
    current: int | None = max(critical, key=lambda i: state.ef[i])
    chain: list[str] = []
    while current is not None and floats[current] <= 0:
        chain.append(plan.leaves[current].id)
        current = state.driver[current]
    return tuple(reversed(chain))
