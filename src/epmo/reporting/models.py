"""Tables of the reporting domain: status reports and RAID registers."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from epmo.db import Base, Versioned, utcnow

RAG = ("green", "amber", "red")
REPORT_SOURCES = ("form", "api", "upload")
RAID_STATUSES = ("open", "closed")


class StatusReport(Versioned, Base):
    """A project's status for one reporting period (one report per project and period)."""

    __tablename__ = "status_report"
    __table_args__ = (
        Index("ix_status_report_project_period", "project_id", "period_start", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    period_start: Mapped[date] = mapped_column(Date, index=True)
    period_end: Mapped[date] = mapped_column(Date)
    overall: Mapped[str] = mapped_column(String(10))
    schedule: Mapped[str | None] = mapped_column(String(10))
    cost: Mapped[str | None] = mapped_column(String(10))
    scope: Mapped[str | None] = mapped_column(String(10))
    risk: Mapped[str | None] = mapped_column(String(10))
    resources: Mapped[str | None] = mapped_column(String(10))
    achievements: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    decisions_needed: Mapped[str] = mapped_column(Text, default="")
    key_risks: Mapped[str] = mapped_column(Text, default="")
    key_issues: Mapped[str] = mapped_column(Text, default="")
    forecast_finish: Mapped[date | None] = mapped_column(Date)
    forecast_cost: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    # The colour the thresholds give from these forecasts and the project's baseline (None:
    # not derivable); written by reporting.health_store, never by hand.
    derived_health: Mapped[str | None] = mapped_column(String(5), default=None)
    source: Mapped[str] = mapped_column(String(10), default="form")
    submitted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RaidItem(Versioned, Base):
    """A risk, issue, decision or change request in a project's register."""

    __tablename__ = "raid_item"
    __table_args__ = (Index("ix_raid_item_project_kind_status", "project_id", "kind", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    probability: Mapped[int | None] = mapped_column(Integer)  # 1..5, risks only
    impact: Mapped[int | None] = mapped_column(Integer)  # 1..5, risks and issues
    score: Mapped[int | None] = mapped_column(Integer, index=True)  # probability x impact
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    response: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="open")
    raised_on: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)
