"""API shapes of the reporting domain: status reports, their derived RAG, RAID items."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from epmo.portfolio.schemas import Budget, Health
from epmo.schema_kit import ChangeCaused, Day, Id, Name, ReadModel, StrictModel, Text

RaidKind = Literal["risk", "issue", "decision", "change"]
RaidStatus = Literal["open", "closed"]
Rating = Annotated[int, Field(ge=1, le=5)]
DIMENSION_FIELDS = ("schedule", "cost", "scope", "risk", "resources")
NARRATIVE_FIELDS = ("achievements", "next_steps", "decisions_needed", "key_risks", "key_issues")
REPORT_NULLABLE = frozenset({*DIMENSION_FIELDS, "forecast_finish", "forecast_cost"})
RAID_NULLABLE = frozenset({"probability", "impact", "owner_id", "raised_on", "due_on"})


class ReportWarning(BaseModel):
    """A shortfall the charter lets through (supportive authority), named by field."""

    field: str
    message: str


# --- status reports ---------------------------------------------------------------------


class StatusReportCreate(StrictModel):
    """A project's status for one period: give ``period_start`` or any day of it as ``period``."""

    period_start: Day | None = Field(None, description="First day of the reporting period")
    period: Day | None = Field(None, description="Any day in the reporting period")
    overall: Health
    schedule: Health | None = None
    cost: Health | None = None
    scope: Health | None = None
    risk: Health | None = None
    resources: Health | None = None
    achievements: Text = ""
    next_steps: Text = ""
    decisions_needed: Text = ""
    key_risks: Text = ""
    key_issues: Text = ""
    forecast_finish: Day | None = None
    forecast_cost: Budget | None = None


class StatusReportUpdate(StrictModel):
    """Changes to a status report; ``version`` is the one you read."""

    version: int
    period_start: Day | None = None
    period: Day | None = None
    overall: Health | None = None
    schedule: Health | None = None
    cost: Health | None = None
    scope: Health | None = None
    risk: Health | None = None
    resources: Health | None = None
    achievements: Text | None = None
    next_steps: Text | None = None
    decisions_needed: Text | None = None
    key_risks: Text | None = None
    key_issues: Text | None = None
    forecast_finish: Day | None = None
    forecast_cost: Budget | None = None


class DisagreementRead(BaseModel):
    """A dimension whose entered colour differs from the one derived from the figures."""

    dimension: str
    entered: str
    derived: str


class DerivedRead(BaseModel):
    """RAG derived from the baseline and the thresholds of the project's contract."""

    schedule: str | None = None
    cost: str | None = None
    slip_days: int | None = Field(None, description="Forecast finish minus baseline finish")
    overrun_percent: Decimal | None = Field(None, description="Forecast cost over budget, %")


class StatusReportRead(ReadModel):
    """A status report as the API returns it, with its derived RAG and disagreements."""

    id: int
    project_id: int
    project_code: str = ""
    period_start: date
    period_end: date
    period_label: str = ""
    overall: str
    schedule: str | None
    cost: str | None
    scope: str | None
    risk: str | None
    resources: str | None
    achievements: str
    next_steps: str
    decisions_needed: str
    key_risks: str
    key_issues: str
    forecast_finish: date | None
    forecast_cost: Decimal | None
    source: str
    submitted_by_id: int | None
    submitted_at: datetime
    version: int
    derived: DerivedRead = DerivedRead()
    disagreements: list[DisagreementRead] = []


class StatusReportSubmitted(StatusReportRead):
    """A stored report plus the shortfalls the charter let through as warnings."""

    warnings: list[ReportWarning] = []
    change_events: list[ChangeCaused] = []


class UploadProblem(BaseModel):
    """A shortfall of one row of an accepted file (a warning under supportive authority)."""

    row: int
    column: str
    message: str


class UploadReport(BaseModel):
    """What an accepted status report file stored."""

    filename: str
    rows: int
    stored: int
    projects: int
    warnings: list[UploadProblem] = []
    change_events: list[ChangeCaused] = []


# --- RAID -------------------------------------------------------------------------------


class RaidCreate(StrictModel):
    """A new risk, issue, decision or change request.

    Risks need ``probability`` and ``impact`` (1..5; score = probability x impact), issues
    ``impact``; decisions and changes have neither.
    """

    kind: RaidKind
    title: Name
    description: Text = ""
    probability: Rating | None = None
    impact: Rating | None = None
    owner_id: Id | None = None
    response: Text = ""
    status: RaidStatus = "open"
    raised_on: Day | None = None
    due_on: Day | None = None


class RaidUpdate(StrictModel):
    """Changes to a RAID item; ``version`` is the one you read."""

    version: int
    kind: RaidKind | None = None
    title: Name | None = None
    description: Text | None = None
    probability: Rating | None = None
    impact: Rating | None = None
    owner_id: Id | None = None
    response: Text | None = None
    status: RaidStatus | None = None
    raised_on: Day | None = None
    due_on: Day | None = None


class RaidRead(ReadModel):
    """A RAID item as the API returns it."""

    id: int
    project_id: int
    kind: str
    title: str
    description: str
    probability: int | None
    impact: int | None
    score: int | None
    owner_id: int | None
    owner_name: str | None = None
    response: str
    status: str
    raised_on: date | None
    due_on: date | None
    version: int


class TopRiskRead(RaidRead):
    """An open risk with the project it belongs to."""

    project_code: str
    project_name: str
    department_id: int
    programme_id: int | None
