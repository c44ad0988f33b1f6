"""Levelling: one project's imported schedule against the people who hold each role.

A proposal only: nothing is written (a later step could apply it as the project's dates).
The stored schedule becomes an RCPSP (``engines.rcpsp``) in whole working days of the
project's calendar, solved with CP-SAT for the shortest finish, then compacted (CP-SAT, least
sum of starts, a bounded time) and left-shifted so that no activity starts later than it must:

- work activities only: summary (WBS) rows are skipped; a link to or from one applies to
  each work activity under it, which is stricter than the scheduling tool, never looser;
- duration = planned working hours / hours per day, rounded up; milestones last 0 days;
- links keep their type (FS, SS, FF, SF) and lag, rounded up to whole days (a lead becomes
  shorter, never longer); an elapsed lag counts its calendar days as working days; a % lag is
  that share of the predecessor's duration;
- an activity starts no earlier than its CPM early start, so the constraints, actual dates
  and calendars the CPM honoured still hold;
- demand per role = the units (work / duration) of its assignments whose resource maps to
  that role (``demand.roles_of``), summed and rounded up to whole people: in a whole-day
  model a half-time assignment holds a person for the day; finished activities need no one;
- capacity per role = the active people holding it, or the caller's numbers.

An activity's delay is measured against the same day model without capacity limits, so the
rounding never shows up as a delay.
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.engines import rcpsp
from epmo.engines.rcpsp_shift import left_shift
from epmo.engines.workcal import Clock, stamp
from epmo.errors import FieldError, Invalid
from epmo.org import repository as org_repository
from epmo.portfolio import repository as portfolio_repository
from epmo.portfolio.models import Project
from epmo.resources import heatmap
from epmo.resources.repository import NOT_RUNNING
from epmo.schedule import demand, parsed, planning, policy, repository, store
from epmo.schedule.models import Schedule
from epmo.schedule.schemas import BoundRole, LevelledActivity, LevelledSchedule, LevelRequest

EPS = 1e-6  # float noise in hours must not round a whole day up to the next one
SCAN_DAYS = 366 * 50  # a calendar with no working day in fifty years is refused


@dataclass(frozen=True)
class Levelling:
    """The schedule as an RCPSP: job i is ``activities[i]``, resource r is ``roles[r]``."""

    activities: tuple[parsed.Activity, ...]
    roles: tuple[str, ...]
    problem: rcpsp.Problem
    days: WorkingDays
    warnings: tuple[str, ...]


class WorkingDays:
    """Working days of one calendar counted from the first at or after ``first`` (index 0)."""

    def __init__(self, clock: Clock, first: date) -> None:
        self.clock = clock
        self.first = first.toordinal()
        self.days: list[int] = []
        self._next = self.first

    def _grow(self, until: int) -> None:
        """Scan the calendar up to day ordinal ``until``, keeping the working days."""
        while self._next <= until:
            if self._next - self.first > SCAN_DAYS:
                raise Invalid("The project's calendar has no working days left to level in.",
                              [FieldError("calendar", "no working day in fifty years")])
            if self.clock.shifts(self._next):
                self.days.append(self._next)
            self._next += 1

    def index(self, day: date) -> int:
        """Working days from index 0 to ``day`` (a day off counts as the next working day)."""
        self._grow(day.toordinal())
        return bisect.bisect_left(self.days, day.toordinal())

    def date(self, index: int) -> date:
        """The working day at ``index``."""
        while len(self.days) <= index:
            self._grow(self._next + 31)
        return date.fromordinal(self.days[max(index, 0)])


# --- the service ---------------------------------------------------------------------------------


def level(session: Session, actor: Actor, project_id: int, data: LevelRequest) -> LevelledSchedule:
    """Level the project's schedule against role capacity; a proposal, nothing is written."""
    project = policy.writable_project_or_404(session, actor, project_id)
    _project, schedule = policy.access_schedule_or_404(session, actor, project.id)
    file = stored_file(session, schedule)
    try:
        roles = demand.roles_of(session, (r for r in file.resources if r.kind == "work"),
                                data.resource_map)
    except Invalid as exc:  # the import's wording says "nothing was imported"
        raise Invalid("The resource mapping names unknown people or roles; nothing was "
                      "levelled.", exc.errors) from None
    if data.basis == "left":
        capacity, basis = left_for(session, project, file, schedule, data.capacity)
    else:
        capacity, basis = capacities(session, data.capacity), "the active people per role"
    work = build(file, roles, capacity)
    given = {role.casefold() for role in (data.capacity or {})}
    check_fits(work, lambda role, n: (
        f"{'is' if n == 1 else 'are'} given for that role" if role.casefold() in given
        else f"{'person holds' if n == 1 else 'people hold'} that role"
        if data.basis == "people" else f"{'is' if n == 1 else 'are'} {basis}"))
    solution = solve(work, data.time_limit)
    cpm_finish = schedule.early_finish.date() if schedule.early_finish else None
    found = result(project.id, cpm_finish, work, solution)
    return found.model_copy(update={"basis": basis})


def left_for(session: Session, project: Project, file: parsed.ScheduleFile, schedule: Schedule,
             given: Mapping[str, int] | None) -> tuple[dict[str, int], str]:
    """Whole people per role the project's department has left for it over the schedule's
    span (the caller's numbers win), and that basis in words."""
    starts = [a.early_start for a in file.activities if a.early_start is not None]
    first = min(starts).date() if starts else date.today()
    last = schedule.early_finish.date() if schedule.early_finish else first
    left = heatmap.capacity_left(session, project.id, project.department_id,
                                 project.stage not in NOT_RUNNING, first, last)
    people = capacities(session, given)  # checks the caller's roles; their numbers win
    chosen = {role.casefold() for role in (given or {})}
    found = {role: math.floor(fte + 1e-9) for role, fte in left.items()}
    found |= {role: n for role, n in people.items() if role.casefold() in chosen}
    code = department_code(session, project.department_id)
    return found, (f"left for it in {code} from {first:%Y-%m} to {last:%Y-%m} (capacity with "
                   "lendings, less the other running work's demand, in the least month)")


def solve(work: Levelling, time_limit: float) -> rcpsp.Solution:
    """CP-SAT for the shortest finish, compacted, then left-shifted (a compaction cut short
    by its time may leave an activity later than it must be)."""
    solution = rcpsp.solve(work.problem, time_limit, compact=True)
    if not solution.starts:
        return solution
    starts = left_shift(work.problem, solution.starts)
    ends = [starts[job.id] + job.duration for job in work.problem.jobs]
    return replace(solution, starts=starts, makespan=max(ends, default=0))


def stored_file(session: Session, schedule: Schedule) -> parsed.ScheduleFile:
    """The stored schedule with the hub's CPM dates as its early dates."""
    parts = {kind: repository.parts_of(session, schedule.id, kind)
             for kind in ("calendar", "resource", "assignment")}
    return store.to_file(schedule, repository.activities_of(session, schedule.id),
                         repository.links_of(session, schedule.id), parts)


def capacities(session: Session, given: Mapping[str, int] | None) -> dict[str, int]:
    """People per role: the active people holding each, overridden by the caller's numbers
    (a role no active person holds is refused, naming the field)."""
    found = repository.people_per_role(session)
    known = {role.casefold(): role for role in portfolio_repository.people_roles(session)}
    errors = [FieldError(f"capacity.{role}", f"{role!r} is no role an active person holds")
              for role in (given or {}) if role.casefold() not in known]
    if errors:
        raise Invalid("The capacity names roles nobody holds; nothing was levelled.", errors)
    return found | {known[role.casefold()]: count for role, count in (given or {}).items()}


# --- the problem ---------------------------------------------------------------------------------


def build(file: parsed.ScheduleFile, roles: Mapping[str, str],
          capacity: Mapping[str, int]) -> Levelling:
    """The RCPSP of the file's work activities in whole working days."""
    kept = tuple(a for a in file.activities if not a.summary)
    per_day = (file.minutes_per_day or 480) / 60
    durations = [0 if a.milestone else math.ceil(a.duration_hours / per_day - EPS) for a in kept]
    needs, warnings = role_units(file, roles)
    used = tuple(sorted({role for need in needs.values() for role in need}))
    days = WorkingDays(project_clock(file), _first_day(kept))
    jobs = tuple(rcpsp.Job(i, durations[i], _demands(needs.get(a.uid, {}), used, a),
                           release=_release(days, a)) for i, a in enumerate(kept))
    delays = _delays(file, kept, durations, per_day)
    problem = rcpsp.Problem(jobs, tuple(capacity.get(role, 0) for role in used), delays=delays)
    return Levelling(kept, used, problem, days, tuple(warnings))


def project_clock(file: parsed.ScheduleFile) -> Clock:
    """The project calendar's clock, as ``planning.plan`` chooses it."""
    network = planning.network_of(file)
    return Clock(next(c for c in network.calendars if c.id == network.calendar))


def _first_day(kept: Sequence[parsed.Activity]) -> date:
    starts = [a.early_start for a in kept if a.early_start]
    return min(starts).date() if starts else date(2000, 1, 3)


def _release(days: WorkingDays, item: parsed.Activity) -> int:
    """The working day of the CPM early start (a start at a day's end is the next day's)."""
    if item.early_start is None:
        return 0
    snapped = days.clock.next_start(stamp(item.early_start))
    return days.index(date.fromordinal(snapped // 1440))


def role_units(file: parsed.ScheduleFile, roles: Mapping[str, str]) -> tuple[
        dict[str, dict[str, float]], list[str]]:
    """Per activity uid, the units per role of its assignments; warnings for the resources
    whose assignments count for no role."""
    hours = {a.uid: a.duration_hours for a in file.activities}
    names = {r.uid: r.name for r in file.resources if r.kind == "work"}
    units: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    unmapped: set[str] = set()
    for item in file.assignments:
        role = roles.get(item.resource_uid)
        if role is None:
            if item.resource_uid in names:
                unmapped.add(names[item.resource_uid])
        elif hours.get(item.activity_uid, 0) > 0:
            units[item.activity_uid][role] += item.work_hours / hours[item.activity_uid]
    return units, [f"Resource {name!r} is no person and no known role; its assignments do "
                   "not count in the levelling." for name in sorted(unmapped)]


def _demands(units: Mapping[str, float], used: Sequence[str],
             item: parsed.Activity) -> tuple[int, ...]:
    """Whole people per role; an activity already finished needs no one."""
    if item.actual_finish is not None or item.percent_complete >= 100:
        return (0,) * len(used)
    return tuple(math.ceil(units.get(role, 0.0) - EPS) for role in used)


def _leaves(file: parsed.ScheduleFile, kept: Sequence[parsed.Activity]) -> dict[str, list[int]]:
    """Activity uid -> the jobs it stands for: itself, or every work activity under a summary."""
    found: dict[str, list[int]] = {a.uid: [i] for i, a in enumerate(kept)}
    parent = {a.uid: a.parent_uid for a in file.activities}
    for i, a in enumerate(kept):
        seen, up = {a.uid}, parent.get(a.uid)
        while up is not None and up not in seen:  # a broken tree must not loop
            seen.add(up)
            found.setdefault(up, []).append(i)
            up = parent.get(up)
    return found


def _lag_days(link: parsed.Link, before: parsed.Activity | None, per_day: float) -> int:
    if link.lag_percent is not None:
        hours = (before.duration_hours if before else 0.0) * link.lag_percent / 100
    elif link.elapsed:
        return math.ceil(link.lag_hours / 24 - EPS)
    else:
        hours = link.lag_hours
    return math.ceil(hours / per_day - EPS)


def _delays(file: parsed.ScheduleFile, kept: Sequence[parsed.Activity],
            durations: Sequence[int], per_day: float) -> tuple[rcpsp.Delay, ...]:
    """Every link as start-to-start gaps between jobs, the strictest per pair."""
    jobs = _leaves(file, kept)
    by_uid = {a.uid: a for a in file.activities}
    gaps: dict[tuple[int, int], int] = {}
    for link in file.links:
        lag = _lag_days(link, by_uid.get(link.predecessor_uid), per_day)
        for before in jobs.get(link.predecessor_uid, []):
            for after in jobs.get(link.successor_uid, []):
                gap = rcpsp.link_gap(link.type, lag, durations[before], durations[after])
                if before != after:
                    gaps[(before, after)] = max(gap, gaps.get((before, after), gap))
    return tuple(rcpsp.Delay(b, a, gap) for (b, a), gap in sorted(gaps.items()))


def department_code(session: Session, department_id: int) -> str:
    """A department's code, for words."""
    department = org_repository.get_department(session, department_id)
    return department.code if department else str(department_id)


def check_fits(work: Levelling, held: Callable[[str, int], str]) -> None:
    """Refuse, in words, an activity that needs more people of a role than the role has
    (``held(role, count)`` says where that count came from)."""
    errors = []
    for job, item in zip(work.problem.jobs, work.activities, strict=True):
        for role, need, cap in zip(work.roles, job.demands, work.problem.capacities, strict=True):
            if job.duration and need > cap:
                errors.append(FieldError(f"activities.{item.uid}", (
                    f"Activity {item.name!r} needs {need} {role} but only {cap} "
                    f"{held(role, cap)}")))
    if errors:
        raise Invalid(f"{errors[0].message}; it can never be scheduled.", errors)


# --- the result ----------------------------------------------------------------------------------


def result(project_id: int, cpm_finish: date | None, work: Levelling,
           solution: rcpsp.Solution) -> LevelledSchedule:
    """The proposal as the API returns it."""
    problem = work.problem
    ends = rcpsp.earliest_finishes(problem)
    early = {job.id: ends.get(job.id, job.release + job.duration) - job.duration
             for job in problem.jobs}
    unlevelled = max(ends.values(), default=0)
    placed = solution.starts
    return LevelledSchedule(
        project_id=project_id, status=solution.status, seconds=round(solution.seconds, 3),
        cpm_finish=cpm_finish,
        unlevelled_finish=_finish(work.days, unlevelled) if problem.jobs else None,
        levelled_finish=(_finish(work.days, solution.makespan)
                         if solution.makespan is not None and problem.jobs else None),
        finish_delay_days=(None if solution.makespan is None
                           else solution.makespan - unlevelled),
        capacity=dict(zip(work.roles, problem.capacities, strict=True)),
        bound_roles=bound_roles(work, early),
        activities=[_activity(work, job, item, early[job.id], placed.get(job.id))
                    for job, item in zip(problem.jobs, work.activities, strict=True)],
        warnings=list(work.warnings))


def _finish(days: WorkingDays, end: int) -> date:
    """The working day an end index closes (a zero-length end at 0 is day 0)."""
    return days.date(end - 1 if end > 0 else 0)


def _activity(work: Levelling, job: rcpsp.Job, item: parsed.Activity, early: int,
              start: int | None) -> LevelledActivity:
    demand_of = {role: need for role, need in zip(work.roles, job.demands, strict=True) if need}
    return LevelledActivity(
        uid=item.uid, code=item.code, name=item.name, milestone=item.milestone,
        demand=demand_of,
        cpm_start=item.early_start.date() if item.early_start else None,
        cpm_finish=item.early_finish.date() if item.early_finish else None,
        levelled_start=None if start is None else _start(work.days, job, start),
        levelled_finish=None if start is None else _finish(work.days, start + job.duration),
        delay_days=None if start is None else start - early)


def _start(days: WorkingDays, job: rcpsp.Job, start: int) -> date:
    """A milestone sits at the end of the day before its index, as MS Project shows it."""
    return _finish(days, start) if job.duration == 0 else days.date(start)


def bound_roles(work: Levelling, starts: Mapping[int, int]) -> list[BoundRole]:
    """Roles the unlevelled plan needs more of than they have: peak and days over."""
    found = []
    for r, role in enumerate(work.roles):
        use: dict[int, int] = defaultdict(int)
        for job in work.problem.jobs:
            for day in range(starts[job.id], starts[job.id] + job.duration):
                use[day] += job.demands[r]
        cap = work.problem.capacities[r]
        over = sum(1 for load in use.values() if load > cap)
        if over:
            found.append(BoundRole(role=role, capacity=cap, peak=max(use.values()),
                                   days_over=over))
    return found
