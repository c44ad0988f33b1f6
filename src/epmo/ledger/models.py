"""Tables of the value ledger: the EPMO's own contribution, entry by entry, with its evidence.

An entry is a sum of money (``amount``), a number of days, or both, in one category, for one
department and (optionally) one project, on the day it happened (its fiscal quarter follows).
Its evidence is a typed reference to the hub object it was computed from (``evidence_kind`` +
``evidence_id``) with the figures used (``figures``) and the computation in words (``basis``).
The hub proposes entries from its own events; ``evidence_key`` makes each proposal unique, so
a scan never proposes the same evidence twice (a rejected proposal keeps its key too).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, DateTime, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from epmo.db import Base, Versioned

CATEGORIES = ("hard_saving", "cost_avoidance", "days_saved", "risk_reduced")
CATEGORY_LABELS = {"hard_saving": "Hard saving", "cost_avoidance": "Cost avoidance",
                   "days_saved": "Days saved", "risk_reduced": "Risk reduced"}
STATUSES = ("proposed", "confirmed", "validated", "rejected")
# The hub objects an entry's evidence may name.
EVIDENCE_KINDS = ("project", "gate_review", "intake_request", "change_event", "lending",
                  "scenario")
SOURCES = ("hub", "manual")
Money = Numeric(18, 2)


class LedgerEntry(Versioned, Base):
    """One contribution of the EPMO: proposed, confirmed by the EPMO, validated by finance."""

    __tablename__ = "ledger_entry"
    __table_args__ = (
        CheckConstraint("amount IS NULL OR amount >= 0", name="amount_not_negative"),
        CheckConstraint("days IS NULL OR days >= 0", name="days_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[str] = mapped_column(String(20), index=True)
    amount: Mapped[Decimal | None] = mapped_column(Money, default=None)
    days: Mapped[int | None] = mapped_column(default=None)
    department_id: Mapped[int] = mapped_column(
        ForeignKey("department.id", ondelete="RESTRICT"), index=True)
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("project.id", ondelete="SET NULL"), index=True)
    occurred_on: Mapped[date] = mapped_column(Date)
    quarter: Mapped[str] = mapped_column(String(7), index=True)  # "2026-Q3", from occurred_on
    description: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(10), default="manual")
    evidence_kind: Mapped[str | None] = mapped_column(String(20))
    evidence_id: Mapped[int | None] = mapped_column()
    evidence_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    basis: Mapped[str] = mapped_column(Text, default="")  # how the figure was computed
    links: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(10), default="proposed", index=True)
    proposed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    confirmed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    validated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    validated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    rejected_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    rejected_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    rejection_reason: Mapped[str] = mapped_column(Text, default="")


def quarter_of(day: date) -> str:
    """The fiscal quarter of a day, as the hub writes periods: ``"2026-Q3"``."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
