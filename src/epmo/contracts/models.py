"""Tables of the contracts domain: tier rules, reporting contracts, department methods,
artefacts.

Structured settings read and written whole (a contract's artefact list, gates) are JSON
columns validated by the pydantic models in ``schemas.py``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Integer,
    LargeBinary,
    Numeric,
    String,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column

from epmo.db import Base, Versioned

TIERS = (1, 2, 3, 4)  # 1 is the largest, most demanding tier
CADENCES = ("weekly", "fortnightly", "monthly")  # most to least frequent
CADENCE_DAYS = {"weekly": 7, "fortnightly": 14, "monthly": 31}
DIMENSIONS = ("schedule", "cost", "scope", "risk", "resources")
# The registers a contract may require a project to keep (reporting keeps them: RaidItem.kind).
RAID_KINDS = ("risk", "issue", "decision", "change")
ARTEFACT_KINDS = (
    "charter", "business_case", "plan", "closure_report", "lessons_learned", "other",
)


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
