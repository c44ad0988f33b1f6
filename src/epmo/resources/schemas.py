"""API shapes of the resources domain: calendars, the heatmap, lending and the queue."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, model_validator

from epmo.schema_kit import Day, Hours, Id, ReadModel, StrictModel

Month = Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$",
                             description='A month, e.g. "2027-03"')]
Fte = Annotated[Decimal, Field(strict=False, gt=0, le=99, max_digits=6, decimal_places=2)]
Note = Annotated[str, Field(max_length=300)]
Comment = Annotated[str, Field(max_length=5000)]
TimeOffKind = Literal["leave", "sick", "training", "parental", "other"]
ChangeKind = Literal["hire", "leave", "move"]
Action = Literal["accept", "confirm", "counter", "decline", "take_offer", "cancel"]


class _Span(StrictModel):
    """A span of days whose end is not before its start."""

    @model_validator(mode="after")
    def _ordered(self) -> _Span:
        starts, ends = getattr(self, "starts", None), getattr(self, "ends", None)
        if starts is not None and ends is not None and ends < starts:
            raise ValueError(f"ends ({ends}) is before starts ({starts})")
        return self


class CapacityPeriodCreate(_Span):
    """Other weekly hours from ``starts`` to ``ends`` (empty: open-ended)."""

    starts: Day
    ends: Day | None = None
    weekly_hours: Hours
    note: Note = ""


class CapacityPeriodRead(ReadModel):
    """A capacity period as stored."""

    id: int
    person_id: int
    starts: date
    ends: date | None
    weekly_hours: Decimal
    note: str
    version: int


class TimeOffCreate(_Span):
    """Whole days off, both ends included."""

    starts: Day
    ends: Day
    kind: TimeOffKind = "leave"
    note: Note = ""


class TimeOffRead(ReadModel):
    """Time off as stored."""

    id: int
    person_id: int
    starts: date
    ends: date
    kind: str
    note: str
    version: int


class HolidayCreate(StrictModel):
    """A public holiday for everyone (no department) or a department and those below it."""

    day: Day
    name: Annotated[str, Field(min_length=1, max_length=200)]
    department_id: Id | None = None


class HolidayRead(ReadModel):
    """A holiday as stored."""

    id: int
    day: date
    name: str
    department_id: int | None
    version: int


class CalendarRead(ReadModel):
    """A person's calendar and the FTE it gives over the next twelve months."""

    person_id: int
    name: str
    role: str
    weekly_hours: Decimal
    periods: list[CapacityPeriodRead]
    time_off: list[TimeOffRead]
    months: list[str]
    fte: list[float]


class HeatCell(ReadModel):
    """One month of a department's role: FTE available, asked for, free, and the load."""

    month: str
    capacity: float
    demand: float
    free: float
    load: float | None  # demand / capacity; None when there is no capacity
    lent: float
    borrowed: float


class HeatRow(ReadModel):
    """One department's role across the months."""

    department_id: int
    department: str
    role: str
    cells: list[HeatCell]


class Overload(ReadModel):
    """A month in which a department's role is asked for more than it has."""

    department_id: int
    department: str
    role: str
    month: str
    capacity: float
    demand: float
    short_by: float
    words: str


class HeatmapRead(ReadModel):
    """The heatmap: department x role x month, and the overloads in it."""

    months: list[str]
    rows: list[HeatRow]
    overloads: list[Overload]


class CellProject(ReadModel):
    """A project's (or an approved request's) demand in the drilled-down cell, FTE that month."""

    kind: Literal["project", "request"]
    id: int
    code: str
    name: str
    stage: str
    fte: float


class CellDetail(ReadModel):
    """What makes up one cell: the projects, the hidden rest, the lendings."""

    department_id: int
    department: str
    role: str
    month: str
    cell: HeatCell
    projects: list[CellProject]
    hidden_projects: int
    hidden_fte: float
    lendings: list[LendingRead]


class LendingCreate(_Span):
    """A project asks another department for a role (or a named person of it)."""

    project_id: Id
    lender_department_id: Id
    role: Annotated[str, Field(min_length=1, max_length=100)]
    person_id: Id | None = None
    fte: Fte
    starts: Day
    ends: Day
    note: Comment = ""


class LendingAnswer(_Span):
    """An answer to a lending: the lender accepts, confirms, counters or declines; the
    borrower takes the offer or cancels. A counter-offer carries fte, starts and ends."""

    action: Action
    version: int
    fte: Fte | None = None
    starts: Day | None = None
    ends: Day | None = None
    comment: Comment = ""


class LendingRead(ReadModel):
    """A lending as stored, with names for the reader."""

    id: int
    project_id: int
    project_code: str = ""
    role: str
    person_id: int | None
    person_name: str = ""
    lender_department_id: int
    lender: str = ""
    borrower_department_id: int
    borrower: str = ""
    fte: Decimal
    starts: date
    ends: date
    status: str
    note: str
    offer_fte: Decimal | None
    offer_starts: date | None
    offer_ends: date | None
    response: str
    responded_at: datetime | None
    version: int
    may_answer: list[str] = []


class QueueItem(ReadModel):
    """A queued request or proposed project: where it wants to start and where it fits."""

    kind: Literal["request", "project"]
    id: int
    code: str
    title: str
    department: str
    rank: int
    score: float | None
    wanted: str | None
    earliest: str | None
    moved_by: int | None  # months
    reason: str


class QueueRead(ReadModel):
    """The auto-schedule of the queue over the horizon, in priority order."""

    months: list[str]
    items: list[QueueItem]


class WeekCell(ReadModel):
    """One week of a person: hours after their calendar, hours booked by name (lendings), hours
    of project demand naming them, and their load."""

    week: str
    hours: float
    booked: float
    named: float = 0.0
    # their named demand's hours over their hours, plus the department's role load of the
    # demand naming nobody; None: no hours and no capacity
    load: float | None


class PersonWeeks(ReadModel):
    """One person across the weeks; utilisation is the hours-weighted role load."""

    person_id: int
    name: str
    role: str
    department: str
    cells: list[WeekCell]
    utilisation: float | None


class PeopleWeeksRead(ReadModel):
    """Person x week for a department and those below it."""

    weeks: list[str]
    starts: list[date]
    people: list[PersonWeeks]


class ScenarioCreate(StrictModel):
    """A new what-if scenario: a name and what it is for."""

    name: Annotated[str, Field(min_length=1, max_length=200)]
    description: Comment = ""


class ScenarioUpdate(StrictModel):
    """A scenario renamed or described again (send the version read)."""

    version: int
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    description: Comment | None = None


class CapacityChangeCreate(StrictModel):
    """A hire (FTE gained), a leave (FTE lost) or a move (FTE from one department to another)
    of a role from ``starts`` to ``ends`` (empty: open-ended)."""

    kind: ChangeKind
    department_id: Id
    to_department_id: Id | None = None
    role: Annotated[str, Field(min_length=1, max_length=100)]
    fte: Fte
    starts: Day
    ends: Day | None = None
    note: Note = ""


class CapacityChangeRead(ReadModel):
    """A change as stored, with the departments' codes."""

    id: int
    scenario_id: int
    kind: str
    department_id: int
    department: str = ""
    to_department_id: int | None
    to_department: str = ""
    role: str
    fte: Decimal
    starts: date
    ends: date | None
    note: str
    version: int
    may_delete: bool = False


class ScenarioRead(ReadModel):
    """A scenario with its changes and what the reader may do with it."""

    id: int
    name: str
    description: str
    created_by_id: int | None
    created_at: datetime
    version: int
    changes: list[CapacityChangeRead] = []
    may_edit: bool = False


class ShortageRow(ReadModel):
    """A department's role: FTE short summed over the months and overloaded months, baseline
    against the scenario."""

    department_id: int
    department: str
    role: str
    baseline_short: float
    scenario_short: float
    baseline_overloads: int
    scenario_overloads: int


class QueueMove(ReadModel):
    """A queued request or proposed project whose earliest start the scenario changes."""

    code: str
    title: str
    baseline: str | None
    scenario: str | None


class ScenarioComparison(ReadModel):
    """The baseline against one scenario over the months, and the queue's moved starts."""

    scenario_id: int
    name: str
    months: list[str]
    baseline_short: float
    scenario_short: float
    baseline_overloads: int
    scenario_overloads: int
    rows: list[ShortageRow]
    queue_moves: list[QueueMove]


CellDetail.model_rebuild()
