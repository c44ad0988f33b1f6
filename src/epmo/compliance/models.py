"""Tables of the compliance domain: gate reviews and daily compliance snapshots."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from epmo.db import Base, Versioned

GATE_DECISIONS = ("go", "hold", "recycle", "kill")


class GateReview(Versioned, Base):
    """A review of a project at a gate: checklist, evidence, and (once decided) the decision."""

    __tablename__ = "gate_review"
    __table_args__ = (Index("ix_gate_review_project_gate", "project_id", "gate_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    gate_code: Mapped[str] = mapped_column(String(40))
    stage: Mapped[str] = mapped_column(String(20))  # the enterprise stage the gate admits into
    checklist: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    evidence: Mapped[list[str]] = mapped_column(JSON, default=list)
    decision: Mapped[str | None] = mapped_column(String(20))  # None while pending
    approver_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    rationale: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ComplianceSnapshot(Base):
    """A department's (or, with no department, the enterprise's) compliance on one day."""

    __tablename__ = "compliance_snapshot"
    __table_args__ = (UniqueConstraint("taken_on", "department_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    taken_on: Mapped[date] = mapped_column(Date, index=True)
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("department.id", ondelete="CASCADE"), index=True
    )
    score: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    projects: Mapped[int] = mapped_column(Integer, default=0)
    blocking: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[int] = mapped_column(Integer, default=0)
