"""Inputs and outputs of the CPM engine (``engines.cpm``): tasks, relations, computed dates.

Durations and lags are in working minutes of a calendar (``engines.workcal``). Links to or
from a summary task apply to its leaf descendants (MS Project semantics); a summary's dates
span its leaves. Constraint dates take priority over links, as in MS Project with "tasks
always honor their constraint dates": MSO/MFO fix a task, SNLT/FNLT hold it back even when
that gives negative float. ALAP tasks keep their as-soon-as-possible early dates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Literal, get_args

from epmo.engines.workcal import WorkCalendar

LinkType = Literal["FS", "SS", "FF", "SF"]
ConstraintKind = Literal["ASAP", "ALAP", "MSO", "MFO", "SNET", "SNLT", "FNET", "FNLT"]
LagCalendar = Literal["successor", "predecessor"]
LINK_TYPES: Final[tuple[LinkType, ...]] = get_args(LinkType)
CONSTRAINTS: Final[tuple[ConstraintKind, ...]] = get_args(ConstraintKind)
DATED: Final = frozenset({"MSO", "MFO", "SNET", "SNLT", "FNET", "FNLT"})


class CycleError(ValueError):
    """The links close a cycle; ``cycle`` lists its task ids, first == last."""

    def __init__(self, cycle: tuple[str, ...]) -> None:
        super().__init__("the links close a cycle: " + " -> ".join(cycle))
        self.cycle = cycle


@dataclass(frozen=True, slots=True)
class Task:
    """An activity, milestone or summary (a task that other tasks name as ``parent``)."""

    id: str
    duration: int = 0  # working minutes of the task's calendar
    calendar: str | None = None  # None: the network's calendar
    milestone: bool = False
    parent: str | None = None
    constraint: ConstraintKind = "ASAP"
    constraint_date: datetime | None = None
    actual_start: datetime | None = None
    actual_finish: datetime | None = None
    remaining: int | None = None  # working minutes left of a started task; None: duration

    def __post_init__(self) -> None:
        if self.duration < 0:
            raise ValueError(f"task {self.id}: duration must be >= 0, got {self.duration}")
        if self.constraint not in CONSTRAINTS:
            raise ValueError(f"task {self.id}: unknown constraint {self.constraint!r}")
        if (self.constraint in DATED) != (self.constraint_date is not None):
            raise ValueError(f"task {self.id}: {self.constraint} needs a date exactly when dated")


@dataclass(frozen=True, slots=True)
class Relation:
    """Successor's start (xS) or finish (xF) no earlier than predecessor's finish (Fx) or
    start (Sx) plus a lag: working minutes, elapsed minutes, or % of the predecessor's
    duration (``lag_percent``); negative: a lead."""

    pred: str
    succ: str
    type: LinkType = "FS"
    lag: int = 0
    elapsed: bool = False
    lag_percent: float | None = None

    def __post_init__(self) -> None:
        if self.type not in LINK_TYPES:
            raise ValueError(f"link {self.pred} -> {self.succ}: unknown type {self.type!r}")


@dataclass(frozen=True, slots=True)
class Network:
    """What to schedule: tasks, relations, calendars (``calendar`` is the default's id)."""

    tasks: tuple[Task, ...]
    relations: tuple[Relation, ...]
    calendars: tuple[WorkCalendar, ...]
    calendar: str
    start: datetime
    status_date: datetime | None = None  # unfinished work starts no earlier (P6 data date)
    finish: datetime | None = None  # late dates from here instead of the early finish
    lag_calendar: LagCalendar = "successor"  # MS Project: successor's; P6 default: predecessor's


@dataclass(frozen=True, slots=True)
class TaskDates:
    """One task's computed dates; float in working minutes of the task's calendar."""

    id: str
    early_start: datetime
    early_finish: datetime
    late_start: datetime
    late_finish: datetime
    total_float_minutes: int
    critical: bool


@dataclass(frozen=True, slots=True)
class Schedule:
    """Every task's dates, the project's finish and one critical path, first task first."""

    tasks: Mapping[str, TaskDates]
    finish: datetime
    critical_path: tuple[str, ...]
