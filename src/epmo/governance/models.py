"""Tables of the governance domain: charter, tiers, reporting contracts, methods, gates.

Structured settings that are always read and written whole (the charter's content, a
contract's artefact list) are JSON columns validated by the pydantic models in
``schemas.py``; everything that is filtered or joined on is a real column.
"""

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
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column

from epmo.db import Base, Versioned, utcnow

PRACTICES = ("portfolio_governance", "project_leadership", "ppm_administration")
# Ordered from least to most authority; the index is the strength.
AUTHORITY_LEVELS = ("none", "supportive", "controlling", "directive")
TIERS = (1, 2, 3, 4)  # 1 is the largest, most demanding tier
CADENCES = ("weekly", "fortnightly", "monthly")  # most to least frequent
CADENCE_DAYS = {"weekly": 7, "fortnightly": 14, "monthly": 31}
DIMENSIONS = ("schedule", "cost", "scope", "risk", "resources")
ARTEFACT_KINDS = (
    "charter", "business_case", "plan", "closure_report", "lessons_learned", "other",
)
GATE_DECISIONS = ("go", "hold", "recycle", "kill")


class CharterVersion(Base):
    """One immutable version of the EPMO charter; the current charter is the highest number.

    ``content`` holds ``{"defaults": {practice: level}, "departments": {dept_id: {practice:
    level}}, "services": [{code, name, practice, description, department_ids}]}`` (see
    ``schemas.CharterContent``). A department without an entry inherits its nearest
    ancestor's, then the defaults.
    """

    __tablename__ = "charter_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    statement: Mapped[str] = mapped_column(Text, default="")
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    author_name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class TierRule(Versioned, Base):
    """Thresholds of one tier: a project reaching any of them is at least this tier."""

    __tablename__ = "tier_rule"

    tier: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(100))
    min_budget: Mapped[Decimal] = mapped_column(Numeric(18, 2), default=Decimal(0))
    min_duration_days: Mapped[int] = mapped_column(Integer, default=0)
    min_headcount: Mapped[int] = mapped_column(Integer, default=0)
    min_risk: Mapped[int] = mapped_column(Integer, default=0)  # project risk rating 1..5


class ReportingContract(Versioned, Base):
    """The minimum a project of one tier must meet.

    ``artefacts``: {enterprise stage: [artefact kinds required by the time it is in it]}.
    ``gates``: [{code, name, stage (the stage it admits into), criteria: [str],
    approver_roles: [role]}]. ``rag_thresholds``: {"schedule": {"amber": days, "red": days},
    "cost": {"amber": percent, "red": percent}} of slip/overrun against baseline.
    ``records``: which registers must be kept (e.g. "risks", "issues", "decisions").
    """

    __tablename__ = "reporting_contract"

    id: Mapped[int] = mapped_column(primary_key=True)
    tier: Mapped[int] = mapped_column(ForeignKey("tier_rule.tier", ondelete="RESTRICT"),
                                      unique=True)
    required_fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    cadence: Mapped[str] = mapped_column(String(20), default="monthly")
    dimensions: Mapped[list[str]] = mapped_column(JSON, default=list)
    artefacts: Mapped[dict[str, list[str]]] = mapped_column(JSON, default=dict)
    gates: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    records: Mapped[list[str]] = mapped_column(JSON, default=list)
    rag_thresholds: Mapped[dict[str, dict[str, float]]] = mapped_column(JSON, default=dict)


class DepartmentMethod(Versioned, Base):
    """A department's own way of working, never below the enterprise minimum.

    ``stage_names``: {the department's stage name: enterprise stage}. ``extra_gates`` have
    the same shape as a contract's gates. ``cadence`` (None: the contract's) may only be
    more frequent.
    """

    __tablename__ = "department_method"

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(
        ForeignKey("department.id", ondelete="CASCADE"), unique=True
    )
    name: Mapped[str] = mapped_column(String(60))
    stage_names: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    extra_fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    cadence: Mapped[str | None] = mapped_column(String(20))
    extra_gates: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class Artefact(Versioned, Base):
    """A document a project keeps: a link, or an uploaded file stored in the database."""

    __tablename__ = "artefact"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(30))
    stage: Mapped[str] = mapped_column(String(20))  # the enterprise stage it was filed for
    title: Mapped[str] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(2000))
    file_name: Mapped[str | None] = mapped_column(String(255))
    content_type: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[int | None] = mapped_column(Integer)
    sha256: Mapped[str | None] = mapped_column(String(64))
    content: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )


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
