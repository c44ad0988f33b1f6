"""API shapes of the intake domain: requests, their cost, demand, goals, dependencies, decisions.

Periods are fiscal years ``"YYYY"`` (costs) and quarters ``"YYYY-Qn"`` (demand), years
2000..2100. Amounts and FTE-months are never negative; a bad row is named by its index, e.g.
``costs.1.amount`` (the second cost row).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field, model_validator

from epmo.portfolio.demand_schemas import DemandLine, DemandRead, cents, year_in_range
from epmo.schema_kit import Code, Day, Id, Money, Name, ReadModel, StrictModel, Text, Weight

PipelineStage = Literal["submitted", "triage", "scoring", "decision"]
Stage = Literal["submitted", "triage", "scoring", "decision", "approved", "not_yet", "rejected",
                "deferred"]
Decision = Literal["approve", "not_yet", "reject", "defer"]


def _fiscal_year(value: str) -> str:
    year_in_range(int(value))
    return value


FiscalYear = Annotated[str, Field(pattern=r"^\d{4}$", description='A fiscal year, e.g. "2027"'),
                       AfterValidator(_fiscal_year)]
Amount = Annotated[Money, AfterValidator(cents)]
Share = Annotated[Weight, AfterValidator(cents)]
Note = Annotated[str, Field(max_length=300)]
Category = Annotated[str, Field(max_length=60)]
RiskRating = Annotated[int, Field(ge=1, le=5)]
Headcount = Annotated[int, Field(ge=0, le=1_000_000)]
Months = Annotated[int, Field(ge=1, le=240, description="Expected duration in months")]


class CostLine(StrictModel):
    """Estimated cost in one fiscal year."""

    period: FiscalYear
    amount: Amount


class GoalContribution(StrictModel):
    """A goal the request serves and how much (0..100)."""

    goal_id: Id
    contribution: Share = Decimal("100.00")


class DependencyLine(StrictModel):
    """Other work the request depends on: exactly one of a request or a project."""

    on_request_id: Id | None = None
    on_project_id: Id | None = None
    note: Note = ""

    @model_validator(mode="after")
    def _one_target(self) -> DependencyLine:
        if (self.on_request_id is None) == (self.on_project_id is None):
            raise ValueError("give exactly one of on_request_id or on_project_id")
        return self


Costs = Annotated[list[CostLine], Field(max_length=50)]
Demand = Annotated[list[DemandLine], Field(max_length=500)]
Goals = Annotated[list[GoalContribution], Field(max_length=200)]
Dependencies = Annotated[list[DependencyLine], Field(max_length=100)]


class RequestCreate(StrictModel):
    """A new request; ``code`` is given out ("REQ-0001") when not sent."""

    code: Code | None = None
    title: Name
    problem: Text = Field("", description="The problem or opportunity")
    benefits: Text = ""
    benefit_value: Amount | None = Field(None, description="Money; omitted or null: unknown")
    risks: Text = ""
    risk_rating: RiskRating = 1
    category: Category = ""
    department_id: Id = Field(description="The proposing department")
    sponsor_id: Id | None = None
    desired_start: Day | None = None
    duration_months: Months = 1
    headcount: Headcount = 0
    mandatory: bool = False
    mandatory_reason: Note = Field("", description="Regulatory, contractual, ...")
    costs: Costs = []
    demand: Demand = []
    goals: Goals = []
    dependencies: Dependencies = []


class RequestUpdate(StrictModel):
    """Changes to a request; ``version`` is the one you read; lists replace the old ones."""

    version: int
    code: Code | None = None
    title: Name | None = None
    problem: Text | None = None
    benefits: Text | None = None
    benefit_value: Amount | None = None
    risks: Text | None = None
    risk_rating: RiskRating | None = None
    category: Category | None = None
    department_id: Id | None = None
    sponsor_id: Id | None = None
    desired_start: Day | None = None
    duration_months: Months | None = None
    headcount: Headcount | None = None
    mandatory: bool | None = None
    mandatory_reason: Note | None = None
    costs: Costs | None = None
    demand: Demand | None = None
    goals: Goals | None = None
    dependencies: Dependencies | None = None


class RequestStageChange(StrictModel):
    """Move a request along the pipeline: one step forward or one step back."""

    stage: PipelineStage
    version: int


class RequestDecision(StrictModel):
    """The decision on a request; ``reason`` is required unless approving."""

    decision: Decision
    reason: Text = ""
    version: int


class CostRead(ReadModel):
    """A cost line as the API returns it."""

    period: str
    amount: Decimal



class GoalRead(ReadModel):
    """A goal the request serves."""

    goal_id: int
    contribution: Decimal
    code: str = ""
    name: str = ""


class DependencyRead(ReadModel):
    """Work the request depends on, with its code."""

    on_request_id: int | None
    on_project_id: int | None
    note: str
    code: str = ""


class RequestRead(ReadModel):
    """A request as the API returns it, with its lines and who decides it."""

    id: int
    code: str
    title: str
    problem: str
    benefits: str
    benefit_value: Decimal | None = Field(description="null: unknown (not 0)")
    risks: str
    risk_rating: int
    category: str
    department_id: int
    department_code: str = ""
    department_name: str = ""
    sponsor_id: int | None
    sponsor_name: str | None = None
    requester_id: int | None
    requester_name: str | None = None
    desired_start: date | None
    duration_months: int
    headcount: int
    mandatory: bool
    mandatory_reason: str
    tier: int
    stage: str
    next_stages: list[str] = []
    revision: int
    decision: str | None
    decision_reason: str
    earliest_start: str | None = Field(
        None, description="A request in the pipeline or told not yet: the month the resources "
        "queue places it now (moves as capacity changes); null: not within the queue's 36 "
        "months, or not queued")
    decided_at: datetime | None
    decided_by_id: int | None
    decided_by_name: str | None = None
    project_id: int | None
    project_code: str | None = None
    costs: list[CostRead] = []
    cost_total: Decimal = Decimal("0.00")
    demand: list[DemandRead] = []
    goals: list[GoalRead] = []
    dependencies: list[DependencyRead] = []
    decider: Literal["epmo", "department_lead"] = "department_lead"
    reviewers: str = Field("", description="Who decides, in words")
    version: int
    created_at: datetime
    updated_at: datetime


class RequestFilter(BaseModel):
    """Filters of a request list (query parameters)."""

    stage: list[Stage] = Field([], description="One or more stages")
    department_id: Id | None = Field(None, description="Proposing department or any below it")
    tier: Annotated[int, Field(ge=1, le=9)] | None = None
    mine: bool = Field(False, description="Only requests you submitted")
    q: Annotated[str, Field(max_length=200, description="Text in code or title")] | None = None
