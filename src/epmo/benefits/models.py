"""Tables of the benefits register: benefits, their planned schedule and their actuals.

A benefit belongs to one project or one programme. Its schedule is kept per calendar month
(``"2027-03"``): a month is the hub's reporting period (status reports, the roll-up, the
resource plan), and quarters or fiscal years are sums of months, so a page may show either
without a second table. ``benefit_plan`` holds what is planned to be realised in a month;
``benefit_actual`` what was realised, who recorded it and when. Amounts are in the benefit's
``unit`` (``money``: the currency of the portfolio's budgets, which the hub does not name;
or hours, a percentage, tonnes of CO2e, ...); a dis-benefit's amounts are what it costs,
counted against the benefits in every net sum.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Numeric,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from epmo.db import Base, Versioned, utcnow

KINDS = ("cash_releasing", "non_cash", "societal")  # UK Green Book / MSP classification
STATUSES = ("identified", "planned", "realising", "realised", "cancelled")
MONEY_UNIT = "money"
Amount = Numeric(18, 2)


class Benefit(Versioned, Base):
    """A benefit (or dis-benefit) a project or programme is to deliver, and who answers for it."""

    __tablename__ = "benefit"
    __table_args__ = (
        CheckConstraint("(project_id IS NULL) <> (programme_id IS NULL)", name="one_subject"),
        CheckConstraint("offset_months >= 0 AND offset_months <= 120", name="offset_range"),
        CheckConstraint("confidence IS NULL OR (confidence >= 0 AND confidence <= 100)",
                        name="confidence_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True)
    programme_id: Mapped[int | None] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), index=True)
    owner_id: Mapped[int | None] = mapped_column(  # accountable
        ForeignKey("person.id", ondelete="SET NULL"), index=True)
    responsible_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True)
    measure: Mapped[str] = mapped_column(String(300), default="")
    unit: Mapped[str] = mapped_column(String(30), default=MONEY_UNIT)
    baseline: Mapped[Decimal | None] = mapped_column(Amount)  # the measure before; None: unknown
    target: Mapped[Decimal | None] = mapped_column(Amount)  # the total to realise; None: unknown
    kind: Mapped[str] = mapped_column(String(20), default="non_cash")
    hard: Mapped[bool] = mapped_column(default=False)  # hard: measured in money or counts
    dis_benefit: Mapped[bool] = mapped_column(default=False)
    confidence: Mapped[int | None] = mapped_column()  # percent; None: not judged
    status: Mapped[str] = mapped_column(String(12), default="planned", index=True)
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # {url, label}
    anchor_milestone_id: Mapped[int | None] = mapped_column(
        ForeignKey("milestone.id", ondelete="SET NULL"), index=True)
    offset_months: Mapped[int] = mapped_column(default=0)
    # The anchor's own date the plan stands for (a milestone's forecast else plan; without a
    # milestone, the project's finish): a move of the anchor shifts the plan by the months
    # between this and the new date, then this becomes the new date.
    anchor_date: Mapped[date | None] = mapped_column(Date)
    source_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("intake_request.id", ondelete="SET NULL"), index=True)
    # Pushed by a dependency: the day the network now implies for the anchor, how many days
    # past its own date, the change event that did it and the cause in words.
    at_risk_until: Mapped[date | None] = mapped_column(Date)
    at_risk_days: Mapped[int | None] = mapped_column()
    at_risk_event_id: Mapped[int | None] = mapped_column(
        ForeignKey("change_event.id", ondelete="SET NULL"))
    at_risk_cause: Mapped[str] = mapped_column(String(500), default="")


class BenefitPlan(Base):
    """The amount of a benefit planned to be realised in one month."""

    __tablename__ = "benefit_plan"

    benefit_id: Mapped[int] = mapped_column(
        ForeignKey("benefit.id", ondelete="CASCADE"), primary_key=True)
    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    amount: Mapped[Decimal] = mapped_column(Amount)


class BenefitActual(Versioned, Base):
    """The amount of a benefit realised in one month, who recorded it and on what evidence."""

    __tablename__ = "benefit_actual"

    benefit_id: Mapped[int] = mapped_column(
        ForeignKey("benefit.id", ondelete="CASCADE"), primary_key=True)
    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    amount: Mapped[Decimal] = mapped_column(Amount)
    note: Mapped[str] = mapped_column(String(500), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    recorded_by: Mapped[str] = mapped_column(String(300), default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
