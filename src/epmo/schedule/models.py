"""Tables of the schedule domain: a project's schedule as its own tool planned it.

A project has at most one schedule: the latest file imported for it. Activities, links,
calendars, resources and assignments are replaced as a whole by each import (bulk writes; the
audit log records the import itself with the file's digest and counts, not 4,000 rows), while
``schedule_change`` keeps what each re-import changed. ``activity.milestone_id`` ties an
activity to the project milestone it feeds, so other departments can depend on it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from epmo.db import Base, Versioned, utcnow

FORMATS = ("mspdi", "xer")


class Schedule(Versioned, Base):
    """A project's schedule: which file it came from and what the hub computed from it."""

    __tablename__ = "schedule"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), unique=True
    )
    format: Mapped[str] = mapped_column(String(10))
    source_name: Mapped[str] = mapped_column(String(255))
    source_sha256: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(255), default="")  # the project name in the file
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    imported_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL")
    )
    status_date: Mapped[datetime | None] = mapped_column(DateTime)
    calendar_uid: Mapped[str | None] = mapped_column(String(40))
    minutes_per_day: Mapped[int] = mapped_column(Integer, default=480)
    early_finish: Mapped[datetime | None] = mapped_column(DateTime)  # computed by the hub
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)


class Activity(Base):
    """A task, summary or milestone; file dates beside the dates the hub computed."""

    __tablename__ = "schedule_activity"
    __table_args__ = (UniqueConstraint("schedule_id", "uid", name="uq_activity_uid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("schedule.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)  # order in the file
    uid: Mapped[str] = mapped_column(String(40))
    code: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(500))
    wbs: Mapped[str] = mapped_column(String(200), default="")
    parent_uid: Mapped[str | None] = mapped_column(String(40))
    outline_level: Mapped[int] = mapped_column(Integer, default=1)
    summary: Mapped[bool] = mapped_column(Boolean, default=False)
    milestone: Mapped[bool] = mapped_column(Boolean, default=False)
    duration_hours: Mapped[float] = mapped_column(Float, default=0.0)
    percent_complete: Mapped[float] = mapped_column(Float, default=0.0)
    constraint: Mapped[str] = mapped_column(String(4), default="ASAP")
    constraint_date: Mapped[datetime | None] = mapped_column(DateTime)
    calendar_uid: Mapped[str | None] = mapped_column(String(40))
    start: Mapped[datetime | None] = mapped_column(DateTime)
    finish: Mapped[datetime | None] = mapped_column(DateTime)
    actual_start: Mapped[datetime | None] = mapped_column(DateTime)
    actual_finish: Mapped[datetime | None] = mapped_column(DateTime)
    baseline_start: Mapped[datetime | None] = mapped_column(DateTime)
    baseline_finish: Mapped[datetime | None] = mapped_column(DateTime)
    file_early_start: Mapped[datetime | None] = mapped_column(DateTime)
    file_early_finish: Mapped[datetime | None] = mapped_column(DateTime)
    file_late_start: Mapped[datetime | None] = mapped_column(DateTime)
    file_late_finish: Mapped[datetime | None] = mapped_column(DateTime)
    file_total_float_hours: Mapped[float | None] = mapped_column(Float)
    early_start: Mapped[datetime | None] = mapped_column(DateTime)
    early_finish: Mapped[datetime | None] = mapped_column(DateTime)
    late_start: Mapped[datetime | None] = mapped_column(DateTime)
    late_finish: Mapped[datetime | None] = mapped_column(DateTime)
    total_float_days: Mapped[float | None] = mapped_column(Float)
    critical: Mapped[bool] = mapped_column(Boolean, default=False)
    milestone_id: Mapped[int | None] = mapped_column(
        ForeignKey("milestone.id", ondelete="SET NULL"), index=True
    )


class Link(Base):
    """A predecessor relation between two activities of a schedule (by the file's uids)."""

    __tablename__ = "schedule_link"
    __table_args__ = (Index("ix_schedule_link_schedule", "schedule_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("schedule.id", ondelete="CASCADE"))
    predecessor_uid: Mapped[str] = mapped_column(String(40))
    successor_uid: Mapped[str] = mapped_column(String(40))
    type: Mapped[str] = mapped_column(String(2), default="FS")
    lag_hours: Mapped[float] = mapped_column(Float, default=0.0)
    lag_percent: Mapped[float | None] = mapped_column(Float)
    elapsed: Mapped[bool] = mapped_column(Boolean, default=False)


class Part(Base):
    """A calendar, resource or assignment of a schedule, kept as the reader gave it (JSON).

    These are read whole (to recompute, export and turn work into demand), never queried by
    their fields, so one table of JSON documents serves all three.
    """

    __tablename__ = "schedule_part"
    __table_args__ = (Index("ix_schedule_part_schedule", "schedule_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("schedule.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(12))  # calendar | resource | assignment
    body: Mapped[dict[str, Any]] = mapped_column(JSON)


class ScheduleChange(Base):
    """What one re-import changed: activities added, removed and moved, milestones moved."""

    __tablename__ = "schedule_change"
    __table_args__ = (Index("ix_schedule_change_schedule", "schedule_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("schedule.id", ondelete="CASCADE"))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    imported_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL")
    )
    source_name: Mapped[str] = mapped_column(String(255))
    added: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    removed: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    moved: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    milestones_moved: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(Text, default="")
