"""Write a ScheduleFile as MS Project XML (MSPDI) that MS Project 2007 and later open.

Elements follow the order of Microsoft's schema (MS Project checks it). Tasks are written in
outline order (each parent before its children, WBS elements of a P6 file included as
summary tasks) with ``ID`` 1..n, ``OutlineNumber`` and ``OutlineLevel`` recomputed, under the
project summary task UID 0. UIDs are kept when they are positive whole numbers used once,
else renumbered (links and assignments follow). Calendar exceptions are written both as the
old ``<WeekDay>`` DayType 0 periods and as ``<Exceptions>``, as MS Project itself does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from xml.etree.ElementTree import Element, SubElement, tostring

from epmo.schedule.mspdi_values import (
    CONSTRAINTS,
    LINK_TYPES,
    RESOURCE_KINDS,
    TENTHS_PER_HOUR,
    format_datetime,
    format_duration,
    lag_fields,
)
from epmo.schedule.parsed import (
    Activity,
    Assignment,
    Calendar,
    CalendarException,
    Link,
    Resource,
    ScheduleFile,
    Shift,
)

NAMESPACE = "http://schemas.microsoft.com/project"
_Q = "{" + NAMESPACE + "}"
_CONTROL = {code: None for code in range(32) if chr(code) not in "\t\n\r"}


def write(schedule: ScheduleFile) -> bytes:
    """The schedule as MSPDI bytes (UTF-8, with an XML declaration)."""
    root = Element(_Q + "Project")
    _project(root, schedule)
    calendars = _uids(c.uid for c in schedule.calendars)
    tasks = _outline(schedule.activities)
    task_uids = _uids(a.uid for a, _, _ in tasks)
    resources = _uids(r.uid for r in schedule.resources)
    _calendars(SubElement(root, _Q + "Calendars"), schedule.calendars, calendars)
    _tasks(SubElement(root, _Q + "Tasks"), schedule, tasks, task_uids, calendars)
    _resources(SubElement(root, _Q + "Resources"), schedule.resources, resources, calendars)
    _assignments(SubElement(root, _Q + "Assignments"), schedule.assignments, task_uids,
                 resources)
    # default_namespace, not register_namespace: that map is process-wide, and another
    # module registering "" for its own namespace would silently turn ours into "ns0:".
    body = tostring(root, encoding="unicode", default_namespace=NAMESPACE)
    return b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + body.encode("utf-8")


def _add(parent: Element, name: str, value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        text = "1" if value else "0"
    elif isinstance(value, datetime):
        text = format_datetime(value)
    elif isinstance(value, str):
        text = value.translate(_CONTROL)  # XML 1.0 cannot hold these characters at all
    else:
        text = str(value)
    SubElement(parent, _Q + name).text = text


def _uids(uids: Iterable[str]) -> dict[str, str]:
    """Original uid -> MSPDI UID: kept when a positive whole number used once, else renumbered."""
    ordered = list(uids)
    keep = _unique_numbers(ordered)
    next_free = max((int(u) for u in keep), default=0) + 1
    mapping: dict[str, str] = {}
    for uid in ordered:
        if uid in keep:
            mapping[uid] = uid
        elif uid not in mapping:
            mapping[uid], next_free = str(next_free), next_free + 1
    return mapping


def _unique_numbers(uids: list[str]) -> set[str]:
    seen: dict[str, int] = {}
    for uid in uids:
        seen[uid] = seen.get(uid, 0) + 1
    return {u for u, n in seen.items() if n == 1 and u.isdigit() and int(u) > 0}


def _project(root: Element, schedule: ScheduleFile) -> None:
    _add(root, "SaveVersion", 14)
    _add(root, "Name", schedule.code or schedule.name)
    _add(root, "Title", schedule.name)
    _add(root, "ScheduleFromStart", True)
    _add(root, "StartDate", schedule.start or _first_start(schedule.activities))
    _add(root, "CalendarUID", _uids(c.uid for c in schedule.calendars).get(
        schedule.calendar_uid or "", "1" if schedule.calendars else None))
    _add(root, "MinutesPerDay", schedule.minutes_per_day)
    _add(root, "MinutesPerWeek", schedule.minutes_per_day * 5)
    _add(root, "DaysPerMonth", 20)
    _add(root, "StatusDate", schedule.status_date)


def _first_start(activities: Sequence[Activity]) -> datetime | None:
    return min((a.start for a in activities if a.start), default=None)


# --- calendars --------------------------------------------------------------------------


def _calendars(parent: Element, calendars: Sequence[Calendar], uids: dict[str, str]) -> None:
    for calendar in calendars:
        element = SubElement(parent, _Q + "Calendar")
        _add(element, "UID", uids[calendar.uid])
        _add(element, "Name", calendar.name)
        base = uids.get(calendar.base_uid or "")
        _add(element, "IsBaseCalendar", base is None)
        _add(element, "BaseCalendarUID", base or "-1")
        days = SubElement(element, _Q + "WeekDays")
        for day_type in range(1, 8):
            _week_day(days, day_type, calendar.week.get((day_type - 2) % 7, ()))
        for exception in calendar.exceptions:
            _dated_day(days, exception)
        _exceptions(element, calendar.exceptions)


def _week_day(parent: Element, day_type: int, shifts: tuple[Shift, ...]) -> None:
    day = SubElement(parent, _Q + "WeekDay")
    _add(day, "DayType", day_type)
    _add(day, "DayWorking", bool(shifts))
    _working_times(day, shifts)


def _working_times(parent: Element, shifts: tuple[Shift, ...]) -> None:
    if not shifts:
        return
    times = SubElement(parent, _Q + "WorkingTimes")
    for shift in shifts:
        period = SubElement(times, _Q + "WorkingTime")
        _add(period, "FromTime", shift.start.isoformat(timespec="seconds"))
        _add(period, "ToTime", shift.finish.isoformat(timespec="seconds"))


def _time_period(parent: Element, exception: CalendarException) -> None:
    period = SubElement(parent, _Q + "TimePeriod")
    _add(period, "FromDate", f"{exception.first.isoformat()}T00:00:00")
    _add(period, "ToDate", f"{exception.last.isoformat()}T23:59:00")


def _dated_day(parent: Element, exception: CalendarException) -> None:
    day = SubElement(parent, _Q + "WeekDay")
    _add(day, "DayType", 0)
    _add(day, "DayWorking", bool(exception.shifts))
    _time_period(day, exception)
    _working_times(day, exception.shifts)


def _exceptions(parent: Element, exceptions: Sequence[CalendarException]) -> None:
    if not exceptions:
        return
    found = SubElement(parent, _Q + "Exceptions")
    for exception in exceptions:
        element = SubElement(found, _Q + "Exception")
        _add(element, "EnteredByOccurrences", False)
        _time_period(element, exception)
        _add(element, "Occurrences", (exception.last - exception.first).days + 1)
        _add(element, "Name", "Exception")
        _add(element, "Type", 1)
        _add(element, "DayWorking", bool(exception.shifts))
        _working_times(element, exception.shifts)


# --- tasks ------------------------------------------------------------------------------


def _outline(activities: Sequence[Activity]) -> list[tuple[Activity, str, int]]:
    """(activity, outline number, level) in outline order: parents before children."""
    uids = {a.uid for a in activities}
    children: dict[str | None, list[Activity]] = {}
    for activity in activities:
        parent = activity.parent_uid if activity.parent_uid in uids else None
        children.setdefault(parent, []).append(activity)
    ordered: list[tuple[Activity, str, int]] = []
    stack = [(a, str(i), 1) for i, a in reversed(list(enumerate(children.get(None, []), 1)))]
    while stack:
        activity, number, level = stack.pop()
        ordered.append((activity, number, level))
        kids = children.get(activity.uid, [])
        stack.extend((kid, f"{number}.{i}", level + 1)
                     for i, kid in reversed(list(enumerate(kids, 1))))
    return ordered


def _tasks(parent: Element, schedule: ScheduleFile, tasks: list[tuple[Activity, str, int]],
           uids: dict[str, str], calendars: dict[str, str]) -> None:
    _summary_task(parent, schedule)
    predecessors: dict[str, list[Link]] = {}
    for link in schedule.links:
        predecessors.setdefault(link.successor_uid, []).append(link)
    parents = {a.parent_uid for a, _, _ in tasks}
    for number, (activity, outline, level) in enumerate(tasks, 1):
        element = SubElement(parent, _Q + "Task")
        _task_head(element, activity, uids[activity.uid], number, outline, level)
        _task_body(element, activity, activity.uid in parents or activity.summary, calendars)
        for link in predecessors.get(activity.uid, []):
            _link(element, link, uids)
        _baseline(element, activity)


def _summary_task(parent: Element, schedule: ScheduleFile) -> None:
    element = SubElement(parent, _Q + "Task")
    for name, value in (("UID", 0), ("ID", 0), ("Name", schedule.name), ("Type", 1),
                        ("IsNull", False), ("OutlineNumber", 0), ("OutlineLevel", 0),
                        ("Start", schedule.start or _first_start(schedule.activities)),
                        ("Summary", True)):
        _add(element, name, value)


def _task_head(element: Element, activity: Activity, uid: str, number: int, outline: str,
               level: int) -> None:
    _add(element, "UID", uid)
    _add(element, "ID", number)
    _add(element, "Name", activity.name)
    _add(element, "Active", True)
    _add(element, "Manual", activity.manual)
    _add(element, "Type", 1 if activity.summary else 0)
    _add(element, "IsNull", False)
    _add(element, "WBS", activity.wbs or outline)
    _add(element, "OutlineNumber", outline)
    _add(element, "OutlineLevel", level)


def _task_body(element: Element, activity: Activity, summary: bool,
               calendars: dict[str, str]) -> None:
    for name, value in (
        ("Start", activity.start), ("Finish", activity.finish),
        ("Duration", format_duration(activity.duration_hours)), ("DurationFormat", 7),
        ("Milestone", activity.milestone), ("Summary", summary),
        ("EarlyStart", activity.early_start), ("EarlyFinish", activity.early_finish),
        ("LateStart", activity.late_start), ("LateFinish", activity.late_finish),
        ("TotalSlack", _tenths(activity.total_float_hours)),
        ("PercentComplete", round(activity.percent_complete)),
        ("ActualStart", activity.actual_start), ("ActualFinish", activity.actual_finish),
        ("RemainingDuration", _duration(activity.remaining_hours)),
        ("ConstraintType", CONSTRAINTS.index(activity.constraint)),
        ("CalendarUID", calendars.get(activity.calendar_uid or "", "-1")),
        ("ConstraintDate", activity.constraint_date), ("Notes", activity.notes or None),
    ):
        _add(element, name, value)


def _tenths(hours: float | None) -> int | None:
    return None if hours is None else round(hours * TENTHS_PER_HOUR)


def _duration(hours: float | None) -> str | None:
    return None if hours is None else format_duration(hours)


def _link(parent: Element, link: Link, uids: dict[str, str]) -> None:
    if link.predecessor_uid not in uids:
        return
    element = SubElement(parent, _Q + "PredecessorLink")
    lag, lag_format = lag_fields(link.lag_hours, link.lag_percent, link.elapsed)
    _add(element, "PredecessorUID", uids[link.predecessor_uid])
    _add(element, "Type", LINK_TYPES.index(link.type))
    _add(element, "CrossProject", False)
    _add(element, "LinkLag", lag)
    _add(element, "LagFormat", lag_format)


def _baseline(parent: Element, activity: Activity) -> None:
    if activity.baseline_start is None and activity.baseline_finish is None:
        return
    element = SubElement(parent, _Q + "Baseline")
    _add(element, "Number", 0)
    _add(element, "Start", activity.baseline_start)
    _add(element, "Finish", activity.baseline_finish)


# --- resources and assignments ------------------------------------------------------------


def _resources(parent: Element, resources: Sequence[Resource], uids: dict[str, str],
               calendars: dict[str, str]) -> None:
    for number, resource in enumerate(resources, 1):
        element = SubElement(parent, _Q + "Resource")
        _add(element, "UID", uids[resource.uid])
        _add(element, "ID", number)
        _add(element, "Name", resource.name)
        _add(element, "Type", RESOURCE_KINDS.index(resource.kind))
        _add(element, "IsNull", False)
        _add(element, "EmailAddress", resource.email or None)
        _add(element, "Group", resource.group or None)
        _add(element, "CalendarUID", calendars.get(resource.calendar_uid or ""))


def _assignments(parent: Element, assignments: Sequence[Assignment], tasks: dict[str, str],
                 resources: dict[str, str]) -> None:
    number = 0
    for assignment in assignments:
        if assignment.activity_uid not in tasks or assignment.resource_uid not in resources:
            continue
        number += 1
        element = SubElement(parent, _Q + "Assignment")
        _add(element, "UID", number)
        _add(element, "TaskUID", tasks[assignment.activity_uid])
        _add(element, "ResourceUID", resources[assignment.resource_uid])
        _add(element, "Finish", assignment.finish)
        _add(element, "Start", assignment.start)
        _add(element, "Work", format_duration(assignment.work_hours))
        _timephased(element, assignment, number)


def _timephased(parent: Element, assignment: Assignment, uid: int) -> None:
    for work in assignment.timephased:
        element = SubElement(parent, _Q + "TimephasedData")
        for name, value in (("Type", 1), ("UID", uid), ("Start", work.start),
                            ("Finish", work.finish), ("Unit", 2),
                            ("Value", format_duration(work.hours))):
            _add(element, name, value)
