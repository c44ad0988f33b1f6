"""API shapes of the selection domain: scenarios, candidates, results, frontier, compare."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, model_validator

from epmo.schema_kit import Id, Name, ReadModel, StrictModel, Text

Year = Annotated[str, Field(pattern=r"^\d{4}$", description="Fiscal year, e.g. 2027")]
Quarter = Annotated[str, Field(pattern=r"^\d{4}-Q[1-4]$", description="e.g. 2027-Q1")]
Amount = Annotated[float, Field(strict=False, ge=0, allow_inf_nan=False)]
Role = Annotated[str, Field(min_length=1, max_length=100)]
Share = Annotated[float, Field(strict=False, ge=0, le=1, allow_inf_nan=False)]
Tag = Annotated[str, Field(min_length=3, max_length=80,
                           pattern=r"^(department:\d+|goal:\d+|category:.+)$")]
Objective = Literal["score", "score_x_benefit", "benefit"]
Seconds = Annotated[float, Field(strict=False, ge=0.01, le=3600, allow_inf_nan=False)]
Budgets = dict[Year, Amount]
Capacity = dict[Role, dict[Quarter, Amount]]
Group = Annotated[list[Id], Field(min_length=2, max_length=500)]
Pair = Annotated[list[Id], Field(min_length=2, max_length=2,
                                 description="[b, a]: candidate b only if candidate a")]
NULLABLE = frozenset({"scoring_model_id"})


class BalanceRule(StrictModel):
    """Share of total spend that the candidates carrying ``tag`` must take."""

    tag: Tag
    min_share: Share = 0.0
    max_share: Share = 1.0

    @model_validator(mode="after")
    def _ordered(self) -> BalanceRule:
        if self.min_share > self.max_share:
            raise ValueError("min_share must not exceed max_share")
        return self


class ScenarioCreate(StrictModel):
    """A new scenario: name, limits and rules (candidates are added afterwards)."""

    name: Name
    description: Text = ""
    objective: Objective = "score"
    scoring_model_id: Id | None = None
    budgets: Budgets = Field(default_factory=dict)
    capacity_overrides: Capacity = Field(default_factory=dict)
    exclusive: Annotated[list[Group], Field(max_length=500)] = Field(default_factory=list)
    requires: Annotated[list[Pair], Field(max_length=5000)] = Field(default_factory=list)
    balance: Annotated[list[BalanceRule], Field(max_length=100)] = Field(default_factory=list)
    time_limit: Seconds = 10.0


class ScenarioUpdate(StrictModel):
    """Changes to a scenario; ``version`` is the one you read. Any change clears the result."""

    version: int
    name: Name | None = None
    description: Text | None = None
    objective: Objective | None = None
    scoring_model_id: Id | None = None
    budgets: Budgets | None = None
    capacity_overrides: Capacity | None = None
    exclusive: list[Group] | None = None
    requires: list[Pair] | None = None
    balance: list[BalanceRule] | None = None
    time_limit: Seconds | None = None


class CandidatesAdd(StrictModel):
    """Requests and/or open projects to add as candidates; ``version`` of the scenario."""

    version: int
    request_ids: Annotated[list[Id], Field(max_length=5000)] = Field(default_factory=list)
    project_ids: Annotated[list[Id], Field(max_length=5000)] = Field(default_factory=list)


class CandidatesRemove(StrictModel):
    """Candidates (ids) to take out of the scenario; ``version`` of the scenario."""

    version: int
    candidate_ids: Annotated[list[Id], Field(min_length=1, max_length=5000)]


class CandidateFlags(StrictModel):
    """New flags of one candidate; ``version`` of the scenario."""

    version: int
    candidate_id: Id
    mandatory: bool | None = None
    excluded: bool | None = None
    value_override: Annotated[Decimal, Field(strict=False, ge=0, max_digits=18,
                                             decimal_places=4)] | None = None
    clear_value_override: bool = False


class ScenarioCommit(StrictModel):
    """Commit the solved scenario you read (its ``version``)."""

    version: int


class CandidateRead(ReadModel):
    """A candidate with what it is, its flags and its last outcome."""

    id: int
    request_id: int | None
    project_id: int | None
    code: str = ""
    title: str = ""
    kind: Literal["request", "project"] = "request"
    mandatory: bool
    excluded: bool
    value_override: Decimal | None
    selected: bool | None
    reason: str


class UsageRead(BaseModel):
    """Use of one budget or capacity line."""

    kind: str
    name: str
    used: float
    limit: float


class ResultRead(BaseModel):
    """The last solve: status, value, usage per line, binding lines, conflicts."""

    status: str
    value: float
    bound: float | None  # None when the solver proved no bound (time ran out first)
    gap: float | None
    seconds: float
    selected: list[int]
    usage: list[UsageRead]
    binding: list[str]
    conflicts: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


class FrontierPointRead(BaseModel):
    """Best value at one budget level and the candidates chosen there."""

    scale: float
    total_budget: float
    value: float
    status: str
    selected: list[int]


class ScenarioRead(ReadModel):
    """A scenario as the API returns it, with its candidates and last result."""

    id: int
    name: str
    description: str
    status: str
    objective: str
    scoring_model_id: int | None
    budgets: dict[str, float]
    capacity_overrides: dict[str, dict[str, float]]
    exclusive: list[list[int]]
    requires: list[list[int]]
    balance: list[dict[str, Any]]
    time_limit: float
    result: ResultRead | None
    frontier: list[FrontierPointRead] | None
    solved_at: datetime | None
    committed_at: datetime | None
    version: int
    candidates: list[CandidateRead] = Field(default_factory=list)


class ScenarioSummary(ReadModel):
    """A scenario in a list."""

    id: int
    name: str
    status: str
    objective: str
    budgets: dict[str, float]
    solved_at: datetime | None
    version: int


class ComparedScenario(BaseModel):
    """One scenario's figures in a comparison."""

    id: int
    name: str
    status: str
    value: float | None
    selected: int
    cost: dict[str, float]
    budgets: dict[str, float]
    capacity_used: float
    capacity_limit: float


class Difference(BaseModel):
    """A request or project selected in some of the compared scenarios but not all."""

    code: str
    title: str
    selected_in: list[int]


class Comparison(BaseModel):
    """Scenarios side by side and the items that differ."""

    scenarios: list[ComparedScenario]
    differences: list[Difference] = Field(description=(
        "Items selected in some of the solved scenarios but not all (unsolved ones take no "
        "part)"))
    unsolved: list[int] = Field(default_factory=list, description=(
        "Scenarios not solved (draft, failed, infeasible or stale): no items to compare"))
    note: str = Field("", description="What the item comparison says, in words")


class CommitOutcome(BaseModel):
    """What committing did to each request candidate."""

    scenario_id: int
    approved: list[str]
    not_yet: list[dict[str, str | None]]


class CapacityLineRead(BaseModel):
    """One role in one quarter, in FTE-months: what people give, what running work takes,
    the scenario's override (if any) and what is free for the candidates."""

    role: str
    period: str
    supply: float
    committed: float
    override: float | None
    free: float


class ScenarioCapacity(BaseModel):
    """Capacity of the scenario's years per role and quarter, and the running projects that
    carry no role demand (their use of people is not taken off)."""

    scenario_id: int
    lines: list[CapacityLineRead]
    running_without_demand: list[str]
    note: str
