"""Input and output shapes of the network domain's API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from epmo.portfolio.schemas import MilestoneRead
from epmo.schema_kit import Day, Id, ReadModel, StrictModel

LinkKind = Literal["FS", "SS", "FF", "SF"]
Criticality = Literal["low", "medium", "high", "critical"]
Side = Literal["predecessor", "successor"]
Answer = Literal["absorb", "replan", "escalate", "none"]
Lag = Annotated[int, Field(ge=-3650, le=3650, description="Days; negative is a lead")]
Comment = Annotated[str, Field(max_length=2000)]


class DependencyCreate(StrictModel):
    """A proposed dependency: one predecessor end and one successor end (a milestone, or a
    project itself), the link type and lag; ``proposed_side`` defaults to the side you own."""

    predecessor_milestone_id: Id | None = None
    predecessor_project_id: Id | None = None
    successor_milestone_id: Id | None = None
    successor_project_id: Id | None = None
    type: LinkKind = "FS"
    lag_days: Lag = 0
    note: Comment = ""
    criticality: Criticality = "medium"
    proposed_side: Side | None = None


class DependencyAnswer(StrictModel):
    """Accept or decline a proposed dependency, with a comment."""

    comment: Comment = ""
    version: int | None = None


class EndRead(ReadModel):
    """One end of a dependency."""

    kind: str
    id: int
    project_id: int
    project_code: str
    name: str
    department_id: int


class DependencyRead(ReadModel):
    """A dependency as the API returns it."""

    id: int
    predecessor: EndRead
    successor: EndRead
    type: str
    lag_days: int
    note: str
    criticality: str
    status: str
    proposed_side: str
    proposed_by_id: int | None
    responded_by_id: int | None
    responded_at: datetime | None
    response_comment: str
    cross_department: bool
    version: int
    created_at: datetime


class ImpactRead(ReadModel):
    """One visible node a change moved."""

    node_kind: str
    project_id: int
    project_code: str
    milestone_id: int | None
    name: str
    department_id: int
    old_date: date | None
    new_date: date | None
    slip_days: int
    path: list[str]


class HiddenImpact(ReadModel):
    """Nodes of projects you may not read, counted per department."""

    department_id: int
    count: int
    max_slip: int


class ResponseRead(ReadModel):
    """A department's acknowledgement and response."""

    department_id: int
    user_id: int | None
    notified_at: datetime
    acknowledged_at: datetime | None
    response: str
    comment: str
    responded_at: datetime | None


class ChangeEventRead(ReadModel):
    """A change event with the impacts you may see."""

    id: int
    at: datetime
    actor_label: str
    source: str
    project_id: int
    milestone_id: int | None
    field: str
    old_date: date | None
    new_date: date | None
    delta_days: int
    reason: str
    status: str
    closed_at: datetime | None
    summary: dict[str, Any]
    subject: str = ""  # what moved, in words (a detail read only)
    impacts: list[ImpactRead] = []
    hidden: list[HiddenImpact] = []
    responses: list[ResponseRead] = []


class Acknowledge(StrictModel):
    """Acknowledge a change for one of your departments (default: the first one pending)."""

    department_id: Id | None = None


class Respond(StrictModel):
    """Answer a change: absorb it, replan, or escalate, with a comment."""

    response: Answer
    comment: Comment = ""
    department_id: Id | None = None


class ImpactChange(StrictModel):
    """One simulated move: a new date, or a slip in days (negative: a pull-in)."""

    milestone_id: Id
    new_date: Day | None = None
    slip_days: Annotated[int, Field(ge=-3650, le=3650)] | None = None

    @model_validator(mode="after")
    def _one_of(self) -> ImpactChange:
        if (self.new_date is None) == (self.slip_days is None):
            raise ValueError("give exactly one of new_date and slip_days")
        return self


class ImpactRequest(StrictModel):
    """What-if: move some milestones; nothing is saved."""

    changes: Annotated[list[ImpactChange], Field(min_length=1, max_length=100)]


class ImpactResult(ReadModel):
    """The impact of a what-if: visible moved nodes, the rest counted per department."""

    sources: list[str]
    moved: int
    max_slip: int
    impacts: list[ImpactRead]
    hidden: list[HiddenImpact]


class RoadmapItem(ReadModel):
    """A project's bar or a milestone's day on the roadmap."""

    id: str = Field(description="p<project id> or m<milestone id>")
    kind: Literal["project", "milestone"]
    project_id: int
    code: str
    name: str
    department: str
    start: date
    end: date
    health: str | None = None
    status: str | None = None
    slip_days: int = 0
    slip_cause: str = ""


class RoadmapLink(ReadModel):
    """A dependency between two items the roadmap shows."""

    source: str
    target: str
    status: str
    cross_department: bool
    source_label: str = Field(description="the predecessor in words: code · name")
    target_label: str = Field(description="the successor in words: code · name")


class RoadmapRead(ReadModel):
    """The roadmap: items, links, and how many projects matched (at most 150 are drawn;
    ``undated`` of them lack a start or finish)."""

    items: list[RoadmapItem]
    links: list[RoadmapLink]
    total: int
    undated: int | None


class GraphRead(ReadModel):
    """Nodes and edges for cytoscape."""

    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]


class MatrixCell(ReadModel):
    """Dependencies from one department to another."""

    from_department_id: int
    to_department_id: int
    total: int
    proposed: int
    accepted: int
    slip_days_in_flight: int
    median_ack_hours: float | None


class HealthRead(ReadModel):
    """Network health measures of the enterprise (or your part of it)."""

    cross_department_projects: int
    with_declared_dependencies: int
    share_declared: float | None
    cross_dependencies: int
    acknowledged: int
    share_acknowledged: float | None
    open_events_by_age: dict[str, int]
    median_response_hours: dict[str, float | None]


class ChainRead(ReadModel):
    """The critical chain of a programme or goal."""

    nodes: list[str]
    names: list[str]
    finish: date | None
    floats: dict[str, int]


class MilestoneChanged(MilestoneRead):
    """A changed milestone, with the change event its forecast move recorded (if any)."""

    change_event: ChangeEventRead | None = None
