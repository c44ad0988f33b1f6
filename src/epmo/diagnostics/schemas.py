"""API shapes of the diagnostics domain: instruments, rounds, scores, evidence and results."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field

from epmo.schema_kit import Id, Name, ReadModel, StrictModel

Note = Annotated[str, Field(max_length=5000)]
ItemKey = Annotated[str, Field(min_length=1, max_length=20)]


class RoundCreate(StrictModel):
    """Open a round: its name, the instrument version, and the department (none: enterprise)."""

    name: Name
    instrument_version: Annotated[str, Field(min_length=1, max_length=20)] = "2026.1"
    department_id: Id | None = None
    note: Note = ""


class ScoreEntry(StrictModel):
    """One item's score (0 to 5; the service names the item when it is out of range)."""

    item_key: ItemKey
    score: int
    note: Note = ""


class ScoresSubmit(StrictModel):
    """Some or all of the caller's scores in a round; each replaces the caller's earlier one."""

    scores: Annotated[list[ScoreEntry], Field(min_length=1, max_length=200)]


class RoundComplete(StrictModel):
    """Complete (lock) a round: the version you read."""

    version: int


class ItemRead(BaseModel):
    """An item of an instrument with its level descriptions (0 to 5)."""

    key: str
    practice: str
    capability: str
    statement: str
    levels: list[str]


class InstrumentRead(BaseModel):
    """A published instrument version."""

    version: str
    title: str
    published: str
    fingerprint: str
    items: list[ItemRead]


class RoundRead(ReadModel):
    """A round as stored, with what the caller may do."""

    id: int
    name: str
    instrument_version: str
    department_id: int | None
    department: str
    status: str
    note: str
    created_at: datetime
    completed_at: datetime | None
    scores: int
    may_assess: bool
    version: int


class ScoreRead(ReadModel):
    """One of the caller's scores."""

    item_key: str
    score: int
    note: str
    version: int


class EvidenceRead(BaseModel):
    """A measured figure: live while the round is open, the stored snapshot once completed."""

    key: str
    capability: str
    label: str
    value: float | None = Field(description="None: the hub has no data for it")
    shown: str
    unit: str
    basis: int
    detail: str
    period_start: date
    period_end: date
    method: str


class DepartmentEvidence(BaseModel):
    """The evidence of one top-level department (and below), in an enterprise round."""

    department_id: int
    department: str
    figures: list[EvidenceRead]


class ItemResult(BaseModel):
    """An item's scores across assessors."""

    key: str
    capability: str
    statement: str
    assessors: int
    mean: float | None
    low: int | None
    high: int | None
    spread: float | None = Field(description="Population standard deviation of the scores")


class CapabilityResult(BaseModel):
    """A capability's mean over its items' means, and the evidence that informs it."""

    practice: str
    capability: str
    label: str
    mean: float | None
    level: str
    spread: float | None
    assessors: int
    evidence: list[str]


class PracticeResult(BaseModel):
    """A practice's mean over its capabilities."""

    practice: str
    label: str
    mean: float | None
    level: str


class HeatCell(BaseModel):
    """Capability x department (the assessors' departments): the mean score there."""

    capability: str
    department: str
    mean: float | None
    assessors: int


class TrendPoint(BaseModel):
    """A completed round of the same scope and version: its practice means."""

    round_id: int
    name: str
    completed_at: datetime | None
    practices: dict[str, float | None]


class ResultsRead(BaseModel):
    """A round's results: maturity by practice, capability and department, evidence, trend."""

    round: RoundRead
    practices: list[PracticeResult]
    capabilities: list[CapabilityResult]
    weakest: list[CapabilityResult]
    items: list[ItemResult]
    heatmap: list[HeatCell]
    departments: list[str]
    evidence: list[EvidenceRead]
    evidence_by_department: list[DepartmentEvidence]
    evidence_live: bool
    trend: list[TrendPoint]
    trend_note: str


class DepartmentsRead(BaseModel):
    """Capability x department from the latest completed round of each department."""

    instrument_version: str
    departments: list[str]
    cells: list[HeatCell]
