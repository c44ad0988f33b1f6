"""The hub's own critical path over a read schedule: ``ScheduleFile`` -> ``engines.cpm``.

Durations and lags arrive in hours and go to the engine in working minutes; calendars go as
minute shifts per weekday. MS Project counts a lag on the successor's calendar, P6 (by
default) on the predecessor's. A file whose links close a cycle, or whose calendar has no
working time, is refused in words before anything is stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time

from epmo.engines import cpm
from epmo.engines.cpm_model import CycleError, Network, Relation, Task
from epmo.engines.workcal import DayException, NoWorkingTime, WorkCalendar, office_calendar
from epmo.errors import FieldError, Invalid
from epmo.schedule import parsed

DEFAULT_CALENDAR = "epmo-standard"


@dataclass(frozen=True)
class Timing:
    """An activity's dates as the hub computed them."""

    early_start: datetime
    early_finish: datetime
    late_start: datetime
    late_finish: datetime
    total_float_days: float
    critical: bool


@dataclass(frozen=True)
class Plan:
    """The hub's CPM result: timings by the file's uid, the finish, the critical chain."""

    timings: dict[str, Timing]
    finish: datetime | None
    critical_path: tuple[str, ...]
    warnings: tuple[str, ...] = ()


def _minute(value: time, finish: bool) -> int:
    minutes = value.hour * 60 + value.minute
    return 1440 if finish and minutes == 0 else minutes


def _shifts(shifts: Iterable[parsed.Shift]) -> tuple[tuple[int, int], ...]:
    return tuple((_minute(s.start, False), _minute(s.finish, True)) for s in shifts)


def calendar_of(item: parsed.Calendar, base: parsed.Calendar | None) -> WorkCalendar:
    """The engine's calendar (a derived calendar without its own week uses its base's)."""
    week = item.week if item.week or base is None else base.week
    exceptions = tuple(DayException(e.first, e.last, _shifts(e.shifts))
                       for e in (*((base.exceptions) if base else ()), *item.exceptions))
    return WorkCalendar(item.uid, tuple(_shifts(week.get(day, ())) for day in range(7)),
                        exceptions)


def calendars_of(file: parsed.ScheduleFile) -> tuple[WorkCalendar, ...]:
    """Every calendar of the file, plus MS Project's Standard week as the fallback."""
    known = {c.uid: c for c in file.calendars}
    found = [calendar_of(c, known.get(c.base_uid or "")) for c in file.calendars]
    return (*found, office_calendar(DEFAULT_CALENDAR))


def _minutes(hours: float | None) -> int | None:
    return None if hours is None else round(hours * 60)


def task_of(a: parsed.Activity, calendars: set[str]) -> Task:
    """The engine's task; a manually scheduled MS Project task is pinned where it was typed
    (MSO at its start), since MS Project does not move it either."""
    pinned = a.manual and a.start is not None
    return Task(
        id=a.uid, duration=round(a.duration_hours * 60),
        calendar=a.calendar_uid if a.calendar_uid in calendars else None,
        milestone=a.milestone, parent=a.parent_uid,
        constraint="MSO" if pinned else a.constraint,
        constraint_date=a.start if pinned else a.constraint_date,
        actual_start=a.actual_start, actual_finish=a.actual_finish,
        remaining=_minutes(a.remaining_hours))


def network_of(file: parsed.ScheduleFile) -> Network:
    """The engine's network for the file."""
    calendars = calendars_of(file)
    ids = {c.id for c in calendars}
    starts = [a.start for a in file.activities if a.start]
    start = file.start or min(starts, default=None) or datetime(2000, 1, 3, 8)
    return Network(
        tasks=tuple(task_of(a, ids) for a in file.activities),
        relations=tuple(Relation(k.predecessor_uid, k.successor_uid, k.type,
                                 round(k.lag_hours * 60), k.elapsed, k.lag_percent)
                        for k in file.links),
        calendars=calendars,
        calendar=file.calendar_uid if file.calendar_uid in ids else DEFAULT_CALENDAR,
        start=start, status_date=file.status_date,
        lag_calendar="successor" if file.format == "mspdi" else "predecessor")


def plan(file: parsed.ScheduleFile) -> Plan:
    """Compute the critical path, or refuse the file in words."""
    if not file.activities:
        return Plan({}, None, (), ("The file has no activities.",))
    try:
        result = cpm.schedule(network_of(file))
    except CycleError as exc:
        codes = {a.uid: a.code for a in file.activities}
        chain = " -> ".join(codes.get(uid, uid) for uid in exc.cycle)
        raise Invalid(f"The links close a cycle: {chain}. Break it in the scheduling tool.",
                      [FieldError("file", f"cycle {chain}")]) from None
    except (NoWorkingTime, ValueError) as exc:
        raise Invalid(f"The schedule cannot be computed: {exc}.",
                      [FieldError("file", str(exc))]) from None
    per_day = file.minutes_per_day or 480
    timings = {uid: Timing(d.early_start, d.early_finish, d.late_start, d.late_finish,
                           round(d.total_float_minutes / per_day, 2), d.critical)
               for uid, d in result.tasks.items()}
    return Plan(timings, result.finish, result.critical_path)
