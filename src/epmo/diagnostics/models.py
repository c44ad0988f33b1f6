"""Tables of the diagnostics domain: assessment rounds, assessors' scores, evidence snapshots.

A round asks one instrument version (``instrument.py``) of the enterprise (no department) or
of one department. Assessors score items while it is open; completing it locks the scores and
stores the hub's measured evidence as it stood that day, so the round's report never changes.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
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

ROUND_STATES = ("open", "completed")


class DiagnosticRound(Versioned, Base):
    """One assessment: who is assessed (enterprise or a department), with which instrument."""

    __tablename__ = "diagnostic_round"
    __table_args__ = (CheckConstraint("status IN ('open', 'completed')",
                                      name="ck_diagnostic_round_status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    instrument_version: Mapped[str] = mapped_column(String(20))
    instrument_fingerprint: Mapped[str] = mapped_column(String(64))
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("department.id", ondelete="CASCADE"), index=True)  # None: the enterprise
    status: Mapped[str] = mapped_column(String(10), default="open")
    note: Mapped[str] = mapped_column(Text, default="")
    opened_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    completed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))


class DiagnosticScore(Versioned, Base):
    """One assessor's score of one item in a round, with an optional note or evidence."""

    __tablename__ = "diagnostic_score"
    __table_args__ = (
        UniqueConstraint("round_id", "item_key", "assessor_id"),
        CheckConstraint("score BETWEEN 0 AND 5", name="ck_diagnostic_score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("diagnostic_round.id", ondelete="CASCADE"), index=True)
    item_key: Mapped[str] = mapped_column(String(20))
    assessor_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    # The department the assessor speaks for (their first department; None: the EPMO office),
    # kept as it was when scoring so later moves of the person do not rewrite the round.
    assessor_department_id: Mapped[int | None] = mapped_column(
        ForeignKey("department.id", ondelete="SET NULL"))
    score: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")


class DiagnosticEvidence(Base):
    """A measured figure from the hub, stored when its round completed."""

    __tablename__ = "diagnostic_evidence"
    __table_args__ = (Index("ix_diagnostic_evidence_round", "round_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("diagnostic_round.id", ondelete="CASCADE"))
    # None: the round's own scope; else one top-level department of an enterprise round
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("department.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(40))
    capability: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(200))
    value: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))  # None: no data
    unit: Mapped[str] = mapped_column(String(20))
    basis: Mapped[int] = mapped_column(Integer, default=0)  # how many observations
    detail: Mapped[str] = mapped_column(String(300), default="")
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(Text)
    taken_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
