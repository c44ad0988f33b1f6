"""API shapes of the overview; money is Decimal in Python and a string with two decimals in JSON."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field, PlainSerializer

from epmo.engines.rollup import Totals

_CENT = Decimal("0.01")


def _money_text(value: Decimal) -> str:
    return str(value.quantize(_CENT))


MoneyOut = Annotated[Decimal, PlainSerializer(_money_text, return_type=str, when_used="json")]
RatingName = Literal["green", "amber", "red", "unknown"]
StatusFilter = Literal["active", "closed", "all"]


class TotalsRead(BaseModel):
    """Count, budget sums, variance (forecast - planned) and health of a set of projects.

    Unknown money is not zero: each sum covers the projects that know the figure, and
    ``missing_*`` says how many do not; the variance covers only the ``compared`` projects
    that know both planned and forecast. ``health_counts["unknown"]`` counts the projects
    with no health yet, which no rating counts as green.
    """

    count: int
    planned: MoneyOut
    actual: MoneyOut
    forecast: MoneyOut
    variance: MoneyOut = Field(description=(
        "Forecast - planned over the projects that know both (see compared)"))
    missing_planned: int = Field(0, description="Projects with no planned budget (unknown)")
    missing_actual: int = Field(0, description="Projects with no actual cost (unknown)")
    missing_forecast: int = Field(0, description="Projects with no forecast (unknown)")
    compared: int = Field(0, description="Projects with both planned and forecast, which "
                                         "the variance covers")
    health_counts: dict[RatingName, int]
    worst: RatingName
    weighted: RatingName

    @classmethod
    def of(cls, totals: Totals) -> TotalsRead:
        """Convert the roll-up engine's Totals."""
        return cls(
            count=totals.count, planned=totals.planned, actual=totals.actual,
            forecast=totals.forecast, variance=totals.variance,
            missing_planned=totals.missing_planned, missing_actual=totals.missing_actual,
            missing_forecast=totals.missing_forecast, compared=totals.compared,
            health_counts=dict(totals.health_counts),
            worst=totals.worst, weighted=totals.weighted,
        )


class NodeRef(BaseModel):
    """A department, goal or programme named in a filter or a breadcrumb."""

    id: int
    code: str
    name: str


class TreeRollup(BaseModel):
    """A department or goal: its own projects and its whole subtree's."""

    id: int
    code: str
    name: str
    parent_id: int | None
    depth: int
    own: TotalsRead
    rolled: TotalsRead


class StageRollup(TotalsRead):
    """The projects at one lifecycle stage."""

    stage: str


class ProgrammeRollup(TotalsRead):
    """The projects of one programme (id None: projects in no programme)."""

    id: int | None
    code: str | None
    name: str


class HealthRollup(BaseModel):
    """The projects with one health rating."""

    count: int
    planned: MoneyOut
    actual: MoneyOut
    forecast: MoneyOut
    missing_planned: int = Field(0, description="Projects with no planned budget (unknown)")


class OverviewFilters(BaseModel):
    """What the figures are restricted to, with the ancestors of the focused nodes."""

    department: NodeRef | None = None
    goal: NodeRef | None = None
    programme: NodeRef | None = None
    department_path: list[NodeRef] = []
    goal_path: list[NodeRef] = []


class DisagreementRead(BaseModel):
    """Projects whose reported health differs from the one derived from their variances."""

    reported: str
    derived: str
    count: int


class OverviewRead(BaseModel):
    """The enterprise overview (or a drill-down of it)."""

    filters: OverviewFilters
    totals: TotalsRead
    by_department: list[TreeRollup]
    by_goal: list[TreeRollup]
    by_stage: list[StageRollup]
    by_health: dict[RatingName, HealthRollup]
    by_programme: list[ProgrammeRollup]
    programme_count: int
    restricted: bool = Field(default=False, description=(
        "True when the figures cover only the projects the reader may open"))
    others: TotalsRead | None = Field(default=None, description=(
        "The projects the reader may not open, as one anonymous total (enterprise view only, "
        "and only when at least min_group projects)"))
    others_withheld: bool = Field(default=False, description=(
        "True when there are projects the reader may not open whose total is not shown"))
    min_group: int = Field(default=0, description=(
        "Fewest projects an anonymous total may hold (EPMO_OVERVIEW_MIN_GROUP)"))
    status: StatusFilter = Field(default="active", description=(
        "Which work the figures cover: active (not closed or cancelled), closed (closed or "
        "cancelled) or all"))
    closed: TotalsRead | None = Field(default=None, description=(
        "The closed and cancelled projects of the same scope, shown apart (status active)"))
    health_basis: str = Field(default="auto", description=(
        "The charter's choice of the health that counts: auto, reported, derived or worse"))
    disagreements: list[DisagreementRead] = Field(default_factory=list, description=(
        "Projects whose reported and derived health differ, per (reported, derived) pair"))
    disagreement_count: int = 0


# --- my work --------------------------------------------------------------------------------


class MyProject(BaseModel):
    """One of my projects: its health (reported and derived) and next milestone."""

    id: int
    code: str
    name: str
    department: str
    stage: str
    health: str | None
    derived_health: str | None
    forecast_finish: date | None
    next_milestone: str | None
    next_milestone_date: date | None


class MyReport(BaseModel):
    """A status report due (within two weeks) or overdue, with the contract's deadline."""

    project_id: int
    code: str
    name: str
    period_start: date
    period_end: date
    due_by: date
    overdue: bool
    missing: int = Field(description="Overdue reports of the project (1 for a due one)")


class MyAction(BaseModel):
    """An open RAID item I own."""

    id: int
    kind: str
    title: str
    due_on: date | None
    overdue: bool
    project_id: int
    code: str


class MyWaiting(BaseModel):
    """Something waiting for my answer, in words, with where to answer it."""

    kind: Literal["dependency", "lending", "request"]
    id: int
    words: str
    link: str


class MyChange(BaseModel):
    """An unread change event that hit one of my projects."""

    subject: str
    body: str
    link: str
    at: datetime


class MyWorkRead(BaseModel):
    """My work: my projects, reports due, my RAID items, what waits for me, unread changes."""

    projects: list[MyProject]
    projects_total: int
    reports: list[MyReport]
    actions: list[MyAction]
    waiting: list[MyWaiting]
    changes: list[MyChange]
