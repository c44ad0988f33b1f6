"""What a schedule file holds once read: the contract between the readers and the rest.

The MSPDI and XER readers (``schedule.mspdi``, ``schedule.xer``) return a ``ScheduleFile``;
the service maps it to rows and to the CPM engine's input (``engines.cpm``); the MSPDI
writer (``schedule.mspdi_write``) takes one back. Ids are the file's own: ``uid`` is the key
links and assignments use (MSPDI ``UID``, P6 ``task_id``), ``code`` what a person sees (MSPDI
``ID``, P6 ``task_code``). Times are naive local datetimes as the file stores them; durations
and lags are in working hours unless ``elapsed`` says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Literal

LinkType = Literal["FS", "SS", "FF", "SF"]
# Normalised constraint kinds (MSPDI ConstraintType 0..7, P6 cstr_type CS_*).
Constraint = Literal["ASAP", "ALAP", "MSO", "MFO", "SNET", "SNLT", "FNET", "FNLT"]
ResourceKind = Literal["work", "material", "cost"]


@dataclass(frozen=True)
class Shift:
    """One working period of a day, e.g. 08:00-12:00."""

    start: time
    finish: time  # time(0, 0) as finish means midnight at the end of the day


@dataclass(frozen=True)
class CalendarException:
    """Days ``first``..``last`` (inclusive) are non-working, or working with ``shifts``."""

    first: date
    last: date
    shifts: tuple[Shift, ...] = ()  # empty: not working


@dataclass(frozen=True)
class Calendar:
    """A working calendar: shifts per weekday (0 = Monday) and dated exceptions."""

    uid: str
    name: str
    week: dict[int, tuple[Shift, ...]]  # weekday -> shifts; a missing or empty day is off
    exceptions: tuple[CalendarException, ...] = ()
    base_uid: str | None = None  # a resource calendar's base calendar
    hours_per_day: float = 8.0  # for turning hours into the file's "days"


@dataclass(frozen=True)
class Activity:
    """A task, summary task (WBS node) or milestone as the file stores it."""

    uid: str
    code: str
    name: str
    wbs: str = ""  # outline number / WBS path as shown, e.g. "1.2.3"
    parent_uid: str | None = None  # summary task / WBS parent
    outline_level: int = 1
    summary: bool = False
    milestone: bool = False
    duration_hours: float = 0.0  # planned working duration
    remaining_hours: float | None = None
    percent_complete: float = 0.0
    start: datetime | None = None  # the file's scheduled (current) start
    finish: datetime | None = None
    actual_start: datetime | None = None
    actual_finish: datetime | None = None
    baseline_start: datetime | None = None
    baseline_finish: datetime | None = None
    early_start: datetime | None = None  # the dates the tool computed and stored, if any
    early_finish: datetime | None = None
    late_start: datetime | None = None
    late_finish: datetime | None = None
    total_float_hours: float | None = None
    constraint: Constraint = "ASAP"
    constraint_date: datetime | None = None
    calendar_uid: str | None = None  # None: the project's default calendar
    notes: str = ""
    manual: bool = False  # MSPDI <Manual>1</Manual>: manually scheduled, dates as typed
    wbs_only: bool = False  # a P6 WBS element made a summary so the tree exists; not a task


@dataclass(frozen=True)
class Link:
    """A predecessor relation."""

    predecessor_uid: str
    successor_uid: str
    type: LinkType = "FS"
    lag_hours: float = 0.0  # working hours (elapsed hours when ``elapsed``); may be negative
    lag_percent: float | None = None  # a lag given as % of the predecessor's duration
    elapsed: bool = False


@dataclass(frozen=True)
class Resource:
    """A named resource (MSPDI UID 0 and unnamed rows are left out by the readers)."""

    uid: str
    name: str
    kind: ResourceKind = "work"
    email: str = ""
    group: str = ""  # MSPDI Group / P6 role or resource type: the generic role, if any
    calendar_uid: str | None = None


@dataclass(frozen=True)
class Work:
    """Timephased work of an assignment: ``hours`` spread over ``start``..``finish``."""

    start: datetime
    finish: datetime
    hours: float


@dataclass(frozen=True)
class Assignment:
    """A resource's work on an activity."""

    activity_uid: str
    resource_uid: str
    work_hours: float = 0.0
    start: datetime | None = None
    finish: datetime | None = None
    timephased: tuple[Work, ...] = ()


@dataclass(frozen=True)
class ScheduleFile:
    """One project's schedule read from a file (an XER file may hold several)."""

    format: Literal["mspdi", "xer"]
    name: str
    code: str = ""  # P6 proj_short_name; MSPDI has none (the file name is used)
    start: datetime | None = None
    status_date: datetime | None = None  # P6 data date / MSPDI StatusDate
    calendar_uid: str | None = None  # the project's default calendar
    minutes_per_day: int = 480
    activities: tuple[Activity, ...] = ()
    links: tuple[Link, ...] = ()
    calendars: tuple[Calendar, ...] = ()
    resources: tuple[Resource, ...] = ()
    assignments: tuple[Assignment, ...] = ()
    warnings: tuple[str, ...] = field(default=())

    @property
    def tasks(self) -> tuple[Activity, ...]:
        """The file's own tasks: every activity but the WBS elements a P6 file adds."""
        return tuple(activity for activity in self.activities if not activity.wbs_only)
