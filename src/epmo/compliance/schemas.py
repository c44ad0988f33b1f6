"""API shapes of the compliance domain: findings, scores, snapshots, gates and reviews."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field

from epmo.schema_kit import ReadModel, StrictModel

Severity = Literal["blocking", "warning"]
Rule = Literal["required_field", "status_report", "artefact", "gate"]
Level = Literal["project", "department", "enterprise"]
Decision = Literal["go", "hold", "recycle", "kill"]
EvidenceLink = Annotated[str, Field(min_length=8, max_length=2000, pattern=r"^https?://\S+$")]
Rationale = Annotated[str, Field(min_length=1, max_length=20_000)]


class FindingRead(ReadModel):
    """One failed check of one project."""

    project_id: int
    project_code: str
    project_name: str
    department_id: int
    department_code: str
    stage: str
    rule: str
    practice: str
    level: str
    severity: str
    subject: str
    message: str
    count: int = Field(1, description="Failed checks this finding stands for: the number of "
                       "report periods without a report (a status_report finding groups "
                       "every missing period of its project); 1 for every other rule")
    periods: list[date] = Field(default_factory=list,
                                description="First day of each missing report period, oldest "
                                "first (status_report findings only)")


class ScoreRead(ReadModel):
    """A compliance score of a project, a department (with its sub-departments) or the
    enterprise; ``checks`` only for a project."""

    level: str
    id: int | None
    code: str
    name: str
    department_id: int | None = None
    projects: int
    score: float
    checks: int | None = None
    blocking: int = Field(description="Failed checks under controlling or directive authority "
                          "(each missing report period counts)")
    warnings: int = Field(description="Failed checks under supportive authority (each missing "
                          "report period counts)")


class SnapshotRead(ReadModel):
    """A recorded day's score of a department (or, with none, the enterprise)."""

    taken_on: date
    department_id: int | None
    score: float
    projects: int
    blocking: int
    warnings: int


class PointRead(ReadModel):
    """A score on one day."""

    day: date
    score: float


class SeriesRead(ReadModel):
    """A department's (or the enterprise's) score over the snapshot days."""

    department_id: int | None
    code: str
    name: str
    points: list[PointRead]


# --- gates ----------------------------------------------------------------------------------


class ReviewCreate(StrictModel):
    """Ask for a gate review: links to the evidence (http or https)."""

    evidence: Annotated[list[EvidenceLink], Field(max_length=20)] = []


class GateDecision(StrictModel):
    """The approver's decision; ``met`` ticks the checklist in order (None: as it is)."""

    decision: Decision
    rationale: Rationale
    version: int
    met: Annotated[list[bool], Field(max_length=50)] | None = None


class ChecklistItem(ReadModel):
    """One criterion of a gate and whether the review found it met."""

    criterion: str
    met: bool = False


class ReviewRead(ReadModel):
    """A gate review: checklist, evidence, and the decision once made."""

    id: int
    project_id: int
    gate_code: str
    stage: str
    checklist: list[ChecklistItem]
    evidence: list[str]
    decision: str | None
    approver_id: int | None
    approver_name: str | None = None
    rationale: str
    decided_at: datetime | None
    created_at: datetime
    version: int


class GateRead(ReadModel):
    """A gate the project's contract requires, whether it is passed, and its latest review."""

    code: str
    name: str
    stage: str
    criteria: list[str]
    approver_roles: list[str]
    passed: bool
    review: ReviewRead | None
    can_open: bool
    can_decide: bool
