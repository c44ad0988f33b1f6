"""Tables of the network domain: dependencies, change events, impacts, responses, implied dates.

Every end of a dependency is a node of the propagation engine: milestone ``m`` is node
``2 * m`` and project ``p`` (its start and finish) is node ``2 * p + 1`` (see ``nodes``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from epmo.db import Base, Versioned, utcnow

END_KINDS = ("milestone", "project")
LINK_TYPES = ("FS", "SS", "FF", "SF")
CRITICALITIES = ("low", "medium", "high", "critical")
DEPENDENCY_STATUSES = ("proposed", "accepted", "declined")
SIDES = ("predecessor", "successor")
SOURCES = ("form", "api", "report", "import", "dependency")
EVENT_STATUSES = ("open", "closed")
RESPONSES = ("absorb", "replan", "escalate", "none")


class Dependency(Versioned, Base):
    """A predecessor end (milestone or project finish) constraining a successor end."""

    __tablename__ = "dependency"
    __table_args__ = (
        # An end is a milestone (its id set) or the project itself (no milestone).
        CheckConstraint("(pred_kind = 'milestone') = (pred_milestone_id IS NOT NULL)",
                        name="pred_one_end"),
        CheckConstraint("(succ_kind = 'milestone') = (succ_milestone_id IS NOT NULL)",
                        name="succ_one_end"),
        CheckConstraint("pred_node <> succ_node", name="not_self"),
        UniqueConstraint("pred_node", "succ_node", name="uq_dependency_ends"),
        Index("ix_dependency_status_pred", "status", "pred_project_id"),
        Index("ix_dependency_succ_project", "succ_project_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pred_kind: Mapped[str] = mapped_column(String(10))
    pred_project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    pred_milestone_id: Mapped[int | None] = mapped_column(
        ForeignKey("milestone.id", ondelete="CASCADE"), index=True)
    pred_node: Mapped[int] = mapped_column(BigInteger)
    succ_kind: Mapped[str] = mapped_column(String(10))
    succ_project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    succ_milestone_id: Mapped[int | None] = mapped_column(
        ForeignKey("milestone.id", ondelete="CASCADE"), index=True)
    succ_node: Mapped[int] = mapped_column(BigInteger, index=True)
    type: Mapped[str] = mapped_column(String(2), default="FS")
    lag_days: Mapped[int] = mapped_column(default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    criticality: Mapped[str] = mapped_column(String(10), default="medium")
    status: Mapped[str] = mapped_column(String(10), default="proposed")
    proposed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    proposed_side: Mapped[str] = mapped_column(String(12))
    responded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    responded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    response_comment: Mapped[str] = mapped_column(Text, default="")


class ChangeEvent(Base):
    """A forecast date that moved, who moved it and why, and a summary of its impact."""

    __tablename__ = "change_event"
    __table_args__ = (Index("ix_change_event_status_at", "status", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    actor_label: Mapped[str] = mapped_column(String(300), default="system")
    source: Mapped[str] = mapped_column(String(10))
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True)
    milestone_id: Mapped[int | None] = mapped_column(
        ForeignKey("milestone.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(30))
    old_date: Mapped[date | None] = mapped_column(Date)
    new_date: Mapped[date | None] = mapped_column(Date)
    delta_days: Mapped[int] = mapped_column(default=0)
    reason: Mapped[str] = mapped_column(Text, default="")
    impact: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default="open")
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ChangeImpact(Base):
    """One node whose implied date a change event moved, and the path the change took."""

    __tablename__ = "change_impact"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("change_event.id", ondelete="CASCADE"), index=True)
    node_kind: Mapped[str] = mapped_column(String(10))
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True)
    milestone_id: Mapped[int | None] = mapped_column(
        ForeignKey("milestone.id", ondelete="CASCADE"))
    department_id: Mapped[int] = mapped_column(
        ForeignKey("department.id", ondelete="CASCADE"), index=True)
    old_date: Mapped[date | None] = mapped_column(Date)
    new_date: Mapped[date | None] = mapped_column(Date)
    slip_days: Mapped[int] = mapped_column(default=0)
    path: Mapped[list[int]] = mapped_column(JSON, default=list)  # engine node ids, source first


class ChangeResponse(Base):
    """A downstream department's acknowledgement of a change event and its answer."""

    __tablename__ = "change_response"
    __table_args__ = (UniqueConstraint("event_id", "department_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("change_event.id", ondelete="CASCADE"))
    department_id: Mapped[int] = mapped_column(
        ForeignKey("department.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    notified_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    response: Mapped[str] = mapped_column(String(10), default="none")
    comment: Mapped[str] = mapped_column(Text, default="")
    responded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class NetworkDate(Base):
    """A node's implied dates where its predecessors push it later than its own dates.

    Sparse: a node without a row sits on its own dates.
    """

    __tablename__ = "network_date"

    node: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    implied_start: Mapped[date] = mapped_column(Date)
    implied_finish: Mapped[date] = mapped_column(Date)


class NetworkHead(Base):
    """Tokens that change with every dependency write and every processed date change, so a
    worker knows whether its cached network and implied dates are still the stored ones."""

    __tablename__ = "network_head"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    links_token: Mapped[str] = mapped_column(String(40))
    dates_token: Mapped[str] = mapped_column(String(40))
