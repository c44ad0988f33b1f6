"""Tables of the business case domain: the EPMO's business case, its options and their lines.

A case compares options (how much authority the EPMO takes in each practice of the charter,
how many people it employs) over the same horizon and discount rate. Each option has one
amount per year, kind and category (``business_case_line``): costs (people, tools, training,
other) and benefits (savings, cost avoidance, days saved valued in money, revenue, other).
Year 0 is now (set-up, undiscounted), years 1..horizon the ends of the following years.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from epmo.db import Base, Versioned

Money = Numeric(18, 2)  # as the portfolio stores money
CASE_STATUSES = ("draft", "presented", "approved", "rejected")
LINE_KINDS = ("cost", "benefit")
COST_CATEGORIES = ("people", "tools", "training", "other")
BENEFIT_CATEGORIES = ("savings", "cost_avoidance", "days_saved", "revenue", "other")
CATEGORIES = {"cost": COST_CATEGORIES, "benefit": BENEFIT_CATEGORIES}
MAX_HORIZON = 15


class BusinessCase(Versioned, Base):
    """The EPMO's business case: options compared at one discount rate over one horizon."""

    __tablename__ = "business_case"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    # Percent a year (8.00 = 8 %), the hurdle rate the finance department sets.
    discount_rate: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    horizon_years: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default="draft", index=True)
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    decision_note: Mapped[str] = mapped_column(Text, default="")


class BusinessCaseOption(Versioned, Base):
    """One option of a case: the EPMO's authority per practice and its staffing."""

    __tablename__ = "business_case_option"
    __table_args__ = (UniqueConstraint("case_id", "name", name="uq_business_case_option_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("business_case.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    # {practice: level} for the practices this option sets; a practice left out is "as the
    # charter is today".
    authority: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    staffing_fte: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))  # None: not said
    recommended: Mapped[bool] = mapped_column(Boolean, default=False)


class BusinessCaseLine(Versioned, Base):
    """One amount of an option: a cost or a benefit of one category in one year."""

    __tablename__ = "business_case_line"
    __table_args__ = (
        UniqueConstraint("option_id", "year", "kind", "category",
                         name="uq_business_case_line_cell"),
        CheckConstraint("amount >= 0", name="business_case_line_amount_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    option_id: Mapped[int] = mapped_column(
        ForeignKey("business_case_option.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))
    category: Mapped[str] = mapped_column(String(20))
    amount: Mapped[Decimal] = mapped_column(Money)

