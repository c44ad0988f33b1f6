"""Tables of the intake domain: requests, their cost, demand, goals and dependencies."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from epmo.db import Base, Versioned

# The pipeline. A decided request ends in one of the last four stages; a rejected or
# deferred request may be revised and resubmitted (back to "submitted", revision + 1).
PIPELINE = ("submitted", "triage", "scoring", "decision")
OUTCOMES = ("approved", "not_yet", "rejected", "deferred")
STAGES = PIPELINE + OUTCOMES
DECISIONS = ("approve", "not_yet", "reject", "defer")
Money = Numeric(18, 2)


class IntakeRequest(Versioned, Base):
    """A request for new work: the problem, who asks, what it costs and needs, what it serves."""

    __tablename__ = "intake_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(200), index=True)
    problem: Mapped[str] = mapped_column(Text, default="")  # problem or opportunity
    benefits: Mapped[str] = mapped_column(Text, default="")
    # Money, total; None: unknown (not 0).
    benefit_value: Mapped[Decimal | None] = mapped_column(Money, default=None)
    risks: Mapped[str] = mapped_column(Text, default="")
    risk_rating: Mapped[int] = mapped_column(default=1)  # 1 (low) .. 5 (high)
    category: Mapped[str] = mapped_column(String(60), default="")  # for balance targets
    department_id: Mapped[int] = mapped_column(
        ForeignKey("department.id", ondelete="RESTRICT"), index=True
    )
    sponsor_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    requester_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    desired_start: Mapped[date | None] = mapped_column(Date)
    duration_months: Mapped[int] = mapped_column(default=1)
    headcount: Mapped[int] = mapped_column(default=0)
    mandatory: Mapped[bool] = mapped_column(default=False)
    mandatory_reason: Mapped[str] = mapped_column(String(300), default="")  # regulatory, ...
    tier: Mapped[int] = mapped_column(default=3)
    stage: Mapped[str] = mapped_column(String(20), default="submitted", index=True)
    revision: Mapped[int] = mapped_column(default=1)
    decision: Mapped[str | None] = mapped_column(String(20))
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    earliest_start: Mapped[str | None] = mapped_column(String(10))  # period, e.g. "2027-Q3"
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("project.id", ondelete="SET NULL"), unique=True
    )


class RequestCost(Base):
    """Estimated cost of a request in one fiscal year (e.g. "2027")."""

    __tablename__ = "intake_cost"
    __table_args__ = (CheckConstraint("amount >= 0", name="cost_not_negative"),)

    request_id: Mapped[int] = mapped_column(
        ForeignKey("intake_request.id", ondelete="CASCADE"), primary_key=True
    )
    period: Mapped[str] = mapped_column(String(10), primary_key=True)
    amount: Mapped[Decimal] = mapped_column(Money)


class RequestDemand(Base):
    """Demand of a request for one role in one quarter, in FTE-months (e.g. 2027-Q1)."""

    __tablename__ = "intake_demand"
    __table_args__ = (CheckConstraint("fte_months >= 0", name="demand_not_negative"),)

    request_id: Mapped[int] = mapped_column(
        ForeignKey("intake_request.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(100), primary_key=True)
    period: Mapped[str] = mapped_column(String(10), primary_key=True)
    fte_months: Mapped[Decimal] = mapped_column(Numeric(10, 2))


class RequestGoal(Base):
    """A goal a request serves and how much of it (0..100)."""

    __tablename__ = "intake_goal"

    request_id: Mapped[int] = mapped_column(
        ForeignKey("intake_request.id", ondelete="CASCADE"), primary_key=True
    )
    goal_id: Mapped[int] = mapped_column(
        ForeignKey("goal.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    contribution: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal(100))


class RequestDependency(Base):
    """Other work a request depends on: another request or an existing project."""

    __tablename__ = "intake_dependency"
    __table_args__ = (
        UniqueConstraint("request_id", "on_request_id", "on_project_id"),
        CheckConstraint("(on_request_id IS NULL) <> (on_project_id IS NULL)",
                        name="one_target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("intake_request.id", ondelete="CASCADE"), index=True
    )
    on_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("intake_request.id", ondelete="CASCADE"), index=True
    )
    on_project_id: Mapped[int | None] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    note: Mapped[str] = mapped_column(String(300), default="")
