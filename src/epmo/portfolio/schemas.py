"""API shapes of the portfolio domain: portfolios, programmes, projects, milestones."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Field

from epmo.errors import FieldError
from epmo.schema_kit import (
    ChangeCaused,
    Code,
    Day,
    Id,
    Money,
    Name,
    ReadModel,
    StrictModel,
    Text,
    Weight,
)


def _cents(value: Decimal) -> Decimal:
    # Two decimals always, so what a write returns equals what a later read returns.
    return value.quantize(Decimal("0.01"))


Budget = Annotated[Money, AfterValidator(_cents)]
Share = Annotated[Weight, AfterValidator(_cents)]

Stage = Literal[
    "proposed", "approved", "planning", "executing", "closing", "closed", "on_hold", "cancelled",
]
Health = Literal["green", "amber", "red"]
HealthFilter = Literal["green", "amber", "red", "unknown"]
RollupRule = Literal["worst", "weighted"]  # how status rolls up to a portfolio
MilestoneStatus = Literal["planned", "in_progress", "achieved", "missed", "cancelled"]
Headcount = Annotated[int, Field(ge=0, le=1_000_000)]
RiskRating = Annotated[int, Field(ge=1, le=5)]
Methodology = Annotated[str, Field(max_length=60)]
# Ids fit the databases' 32-bit keys, so a wild number is a 422, never a driver overflow.
Ids = Annotated[list[Id], Field(max_length=200)]
Sort = Literal["code", "name", "budget", "finish", "-code", "-name", "-budget", "-finish"]

# on_hold stores nothing extra, so it may resume to any stage it can have been left from.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "proposed": ("approved", "cancelled"),
    "approved": ("planning", "on_hold", "cancelled"),
    "planning": ("executing", "on_hold", "cancelled"),
    "executing": ("closing", "on_hold", "cancelled"),
    "closing": ("closed", "on_hold"),
    "on_hold": ("approved", "planning", "executing", "closing", "cancelled"),
    "closed": (),
    "cancelled": (),
}
DATE_PAIRS = (("planned_start", "planned_finish"), ("baseline_start", "baseline_finish"),
              ("forecast_start", "forecast_finish"), ("actual_start", "actual_finish"))


def date_order_errors(values: Mapping[str, Any]) -> list[FieldError]:
    """A finish before its start, reported on the finish field."""
    return [FieldError(finish, f"must not be before {start}") for start, finish in DATE_PAIRS
            if values.get(start) and values.get(finish) and values[start] > values[finish]]


def next_stages(stage: str) -> tuple[str, ...]:
    """Stages a project in ``stage`` may move to."""
    return TRANSITIONS.get(stage, ())


class Ref(ReadModel):
    """A referenced thing: id plus the code and name people recognise."""

    id: int
    code: str
    name: str


# --- portfolios -------------------------------------------------------------------------


class PortfolioCreate(StrictModel):
    """A new portfolio; no ``department_id`` makes it the enterprise portfolio."""

    code: Code
    name: Name
    description: Text = ""
    department_id: Id | None = None
    rollup_rule: RollupRule = "worst"


class PortfolioUpdate(StrictModel):
    """Changes to a portfolio; ``version`` is the one you read."""

    version: int
    code: Code | None = None
    name: Name | None = None
    description: Text | None = None
    department_id: Id | None = None
    rollup_rule: RollupRule | None = None


class PortfolioRead(ReadModel):
    """A portfolio as the API returns it."""

    id: int
    code: str
    name: str
    description: str
    department_id: int | None
    department_code: str | None = None
    rollup_rule: str
    version: int


# --- programmes -------------------------------------------------------------------------


class ProgrammeCreate(StrictModel):
    """A new programme owned by ``department_id``, spanning ``department_ids``."""

    code: Code
    name: Name
    description: Text = ""
    department_id: Id
    department_ids: Ids = []
    manager_id: Id | None = None


class ProgrammeUpdate(StrictModel):
    """Changes to a programme; ``version`` is the one you read."""

    version: int
    code: Code | None = None
    name: Name | None = None
    description: Text | None = None
    department_id: Id | None = None
    department_ids: Ids | None = None
    manager_id: Id | None = None


class ProgrammeRead(ReadModel):
    """A programme as the API returns it."""

    id: int
    code: str
    name: str
    description: str
    department_id: int
    department_code: str = ""
    department_ids: list[int] = []
    departments: list[Ref] = []
    manager_id: int | None
    manager_name: str | None = None
    version: int


# --- projects ---------------------------------------------------------------------------


class GoalLink(StrictModel):
    """A project's contribution to a goal."""

    goal_id: Id
    weight: Share = Decimal("100.00")


Goals = Annotated[list[GoalLink], Field(max_length=200)]


class ProjectCreate(StrictModel):
    """A new project; ``stage`` is where it starts (any stage, so imports keep theirs).

    Its tier is not sent: the EPMO's tier rules compute it from budget, duration, headcount
    and risk rating.
    """

    code: Code
    name: Name
    description: Text = ""
    department_id: Id
    department_ids: Ids = []
    sponsor_id: Id | None = None
    manager_id: Id | None = None
    programme_id: Id | None = None
    portfolio_ids: Ids = []
    goals: Goals = []
    stage: Stage = "proposed"
    methodology: Methodology = ""
    headcount: Headcount = 0
    risk_rating: RiskRating = 1
    health: Health | None = Field(None, description="None (the default): unknown until a "
                                  "status report (or the project's data) says otherwise")
    planned_start: Day | None = None
    planned_finish: Day | None = None
    baseline_start: Day | None = None
    baseline_finish: Day | None = None
    forecast_start: Day | None = None
    forecast_finish: Day | None = None
    actual_start: Day | None = None
    actual_finish: Day | None = None
    # Omitted or null: unknown, which totals count as missing rather than as 0.
    budget_planned: Budget | None = None
    budget_actual: Budget | None = None
    budget_forecast: Budget | None = None


class ProjectUpdate(StrictModel):
    """Changes to a project; ``version`` is the one you read; lists replace the old ones."""

    version: int
    code: Code | None = None
    name: Name | None = None
    description: Text | None = None
    department_id: Id | None = None
    department_ids: Ids | None = None
    sponsor_id: Id | None = None
    manager_id: Id | None = None
    programme_id: Id | None = None
    portfolio_ids: Ids | None = None
    goals: Goals | None = None
    stage: Stage | None = None
    methodology: Methodology | None = None
    headcount: Headcount | None = None
    risk_rating: RiskRating | None = None
    health: Health | None = None
    planned_start: Day | None = None
    planned_finish: Day | None = None
    baseline_start: Day | None = None
    baseline_finish: Day | None = None
    forecast_start: Day | None = None
    forecast_finish: Day | None = None
    actual_start: Day | None = None
    actual_finish: Day | None = None
    budget_planned: Budget | None = None
    budget_actual: Budget | None = None
    budget_forecast: Budget | None = None
    # Why the dates move, for the change event; not a column, so never dumped as a change.
    change_reason: Annotated[str, Field(max_length=2000, exclude=True)] = ""


class StageChange(StrictModel):
    """Move a project to another lifecycle stage."""

    stage: Stage
    version: int


class GoalLinkRead(ReadModel):
    """A goal the project contributes to."""

    goal_id: int
    weight: Decimal
    code: str = ""
    name: str = ""


class ProjectRead(ReadModel):
    """A project as the API returns it, with the codes and names pages show."""

    id: int
    code: str
    name: str
    description: str
    department_id: int
    department_code: str = ""
    department_name: str = ""
    department_ids: list[int] = []
    departments: list[Ref] = []
    sponsor_id: int | None
    sponsor_name: str | None = None
    manager_id: int | None
    manager_name: str | None = None
    programme_id: int | None
    programme_code: str | None = None
    programme_name: str | None = None
    portfolio_ids: list[int] = []
    portfolios: list[Ref] = []
    goals: list[GoalLinkRead] = []
    stage: str
    next_stages: list[str] = []
    methodology: str
    tier: int = Field(description="Computed from the tier rules (1 is the most demanding)")
    headcount: int
    risk_rating: int
    health: str | None = Field(description="green, amber, red, or null: unknown")
    planned_start: date | None
    planned_finish: date | None
    baseline_start: date | None
    baseline_finish: date | None
    forecast_start: date | None
    forecast_finish: date | None
    actual_start: date | None
    actual_finish: date | None
    budget_planned: Decimal | None = Field(description="null: unknown (not 0)")
    budget_actual: Decimal | None = Field(description="null: unknown (not 0)")
    budget_forecast: Decimal | None = Field(description="null: unknown (not 0)")
    version: int
    created_at: datetime
    updated_at: datetime


class GovernanceWarning(BaseModel):
    """A shortfall the charter lets through (supportive authority), named by field."""

    field: str
    message: str


class ProjectSaved(ProjectRead):
    """A written project plus the contract shortfalls the charter let through as warnings."""

    warnings: list[GovernanceWarning] = []
    change_events: list[ChangeCaused] = []


class ProjectFilter(BaseModel):
    """Filters and order of a project list (query parameters)."""

    department_id: Id | None = Field(None, description="Owning department or any below it")
    stage: list[Stage] = Field([], description="One or more stages")
    status: Literal["active", "closed", "all"] = Field(
        "active", description="active: not closed or cancelled (the default); closed: closed "
                              "or cancelled; all. Ignored when stage is given")
    health: list[HealthFilter] = Field([], description="One or more health colours, or "
                                       "unknown (no health yet)")
    goal_id: Id | None = Field(None, description="Serving the goal or any sub-goal")
    programme_id: Id | None = None
    portfolio_id: Id | None = None
    q: Annotated[str, Field(max_length=200, description="Text in code or name")] | None = None
    sort: Sort = Field("code", description="code, name, budget (planned) or finish (forecast, "
                                           "else planned); prefix '-' for descending")


# --- milestones -------------------------------------------------------------------------


class MilestoneCreate(StrictModel):
    """A new milestone of a project."""

    name: Name
    description: Text = ""
    status: MilestoneStatus = "planned"
    planned_date: Day | None = None
    baseline_date: Day | None = None
    forecast_date: Day | None = None
    actual_date: Day | None = None


class MilestoneUpdate(StrictModel):
    """Changes to a milestone; ``version`` is the one you read."""

    version: int
    name: Name | None = None
    description: Text | None = None
    status: MilestoneStatus | None = None
    planned_date: Day | None = None
    baseline_date: Day | None = None
    forecast_date: Day | None = None
    actual_date: Day | None = None
    # Why the dates move, for the change event; not a column, so never dumped as a change.
    change_reason: Annotated[str, Field(max_length=2000, exclude=True)] = ""


class MilestoneRead(ReadModel):
    """A milestone as the API returns it."""

    id: int
    project_id: int
    name: str
    description: str
    status: str
    planned_date: date | None
    baseline_date: date | None
    forecast_date: date | None
    actual_date: date | None
    version: int
