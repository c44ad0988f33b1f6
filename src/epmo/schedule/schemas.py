"""API shapes of the schedule domain.

Activity dates are the project's local wall-clock times as the scheduling tool keeps them
(no time zone), so activities and links use ``LocalRead``, not ``ReadModel`` (which marks
naive stored times as UTC).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, field_validator

from epmo.schema_kit import READ, ChangeCaused, ReadModel, StrictModel

ExportFormat = Literal["mspdi", "xlsx"]


class LocalRead(BaseModel):
    """Base of output schemas whose times are local (naive) on purpose."""

    model_config = READ


class ScheduleSummary(LocalRead):
    """What an import read (counts as in the file) and what it did."""

    project_id: int | None = None
    project_code: str = ""
    format: str
    source_name: str
    dry_run: bool
    activities: int
    milestones: int
    links: int
    resources: int
    assignments: int
    calendars: int
    warnings: list[str]
    added: int = 0
    removed: int = 0
    moved: int = 0
    milestones_created: int = 0
    milestones_moved: int = 0
    finish: datetime | None = Field(None, description="Project finish the hub computed (local)")
    critical_activities: int = 0
    change_events: list[ChangeCaused] = []


class ActivityRead(LocalRead):
    """An activity: the hub's CPM dates beside the file's own."""

    code: str
    uid: str
    name: str
    wbs: str
    parent_uid: str | None
    outline_level: int
    summary: bool
    milestone: bool
    duration_hours: float
    percent_complete: float
    constraint: str
    constraint_date: datetime | None
    early_start: datetime | None
    early_finish: datetime | None
    late_start: datetime | None
    late_finish: datetime | None
    total_float_days: float | None
    critical: bool
    start: datetime | None
    finish: datetime | None
    actual_start: datetime | None
    actual_finish: datetime | None
    baseline_start: datetime | None
    baseline_finish: datetime | None
    file_early_start: datetime | None
    file_early_finish: datetime | None
    file_late_start: datetime | None
    file_late_finish: datetime | None
    file_total_float_hours: float | None
    milestone_id: int | None


class LinkRead(LocalRead):
    """A predecessor relation between two activities, by the file's uids."""

    predecessor_uid: str
    successor_uid: str
    type: str
    lag_hours: float
    lag_percent: float | None
    elapsed: bool


class ScheduleRead(LocalRead):
    """A project's schedule: where it came from, its activities and links."""

    project_id: int
    format: str
    source_name: str
    source_sha256: str
    name: str
    imported_at: datetime
    version: int
    status_date: Annotated[datetime | None, Field(description="Local time, as in the file")]
    early_finish: Annotated[datetime | None, Field(description="Local time, computed")]
    warnings: list[str]
    critical_path: list[str] = Field(description="Codes of the critical activities in order")
    activities: list[ActivityRead]
    links: list[LinkRead]

    @field_validator("imported_at", mode="after")
    @classmethod
    def _in_utc(cls, value: datetime) -> datetime:
        """The import time is stored in UTC (SQLite hands it back naive)."""
        return value if value.tzinfo else value.replace(tzinfo=UTC)


class ScheduleChangeRead(ReadModel):
    """What one re-import changed."""

    id: int
    imported_at: datetime
    source_name: str
    added: list[dict[str, Any]]
    removed: list[dict[str, Any]]
    moved: list[dict[str, Any]]
    milestones_moved: int
    note: str


class MilestonePick(StrictModel):
    """Activities (by code) that should feed project milestones, so others can depend on them."""

    codes: Annotated[list[Annotated[str, Field(min_length=1, max_length=100)]],
                     Field(min_length=1, max_length=500)]


class LevelRequest(StrictModel):
    """Level the schedule against role capacity (a proposal: nothing is written)."""

    time_limit: Annotated[float, Field(gt=0, le=60, description="Seconds of solver search")] = 10
    basis: Literal["left", "people"] = Field(
        "left", description="left: what the project's department has of each role (lendings "
        "included) less the other running work's demand, in its least month over the schedule, "
        "in whole people; people: the active people holding each role anywhere")
    capacity: Annotated[dict[Annotated[str, Field(min_length=1, max_length=100)],
                             Annotated[int, Field(ge=0, le=100_000)]] | None, Field(
        description="People per role (role -> count); default: the active people holding it",
        max_length=500)] = None
    resource_map: Annotated[dict[Annotated[str, Field(max_length=500)],
                                 Annotated[str, Field(max_length=320)]], Field(
        description='{"Resource name": "person@example.org" or "Role"}, as for the import',
        max_length=5000)] = {}


class LevelledActivity(LocalRead):
    """A work activity's CPM dates beside the levelled ones (dates, whole working days)."""

    uid: str
    code: str
    name: str
    milestone: bool
    demand: dict[str, int] = Field(description="People per role while it runs")
    cpm_start: date | None
    cpm_finish: date | None
    levelled_start: date | None
    levelled_finish: date | None
    delay_days: int | None = Field(description="Working days later than without limits")


class BoundRole(LocalRead):
    """A role the unlevelled plan asks more of than it has."""

    role: str
    capacity: int
    peak: int = Field(description="Most people the unlevelled plan needs on one day")
    days_over: int = Field(description="Working days on which it needs more than the capacity")


class LevelledSchedule(LocalRead):
    """The levelling proposal: solver status, finishes, bound roles and each activity."""

    project_id: int
    status: Literal["optimal", "feasible", "infeasible", "unknown"]
    seconds: float
    cpm_finish: date | None = Field(description="The hub's CPM finish (no resource limits)")
    unlevelled_finish: date | None = Field(description="The same in whole working days")
    levelled_finish: date | None
    finish_delay_days: int | None = Field(description="Levelled minus unlevelled, working days")
    capacity: dict[str, int] = Field(description="People per role the levelling used")
    basis: str = Field("people", description="Where the capacity came from, in words")
    bound_roles: list[BoundRole]
    activities: list[LevelledActivity]
    warnings: list[str]
