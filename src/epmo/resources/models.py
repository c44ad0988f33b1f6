"""Tables of the resources domain: capacity calendars, holidays and lending between departments.

People (``org.person``) are the supply: their ``weekly_capacity_hours`` unless a capacity
period says otherwise for a stretch of time, less their time off and the holidays of their
department. Demand is the projects' role demand (``portfolio.project_demand``). A lending moves
a role's capacity from one department to a project of another once the lender agrees.
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
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from epmo.db import Base, Versioned

TIME_OFF_KINDS = ("leave", "sick", "training", "parental", "other")
# ServiceNow's life cycle: asked, tentatively booked, firmly booked; or answered otherwise.
LENDING_STATES = ("requested", "countered", "soft", "hard", "declined", "cancelled")
BOOKED = ("soft", "hard")  # the states whose capacity moves to the borrowing department
OPEN = ("requested", "countered")


class CapacityPeriod(Versioned, Base):
    """A stretch of time in which a person works other weekly hours (part time, a secondment)."""

    __tablename__ = "capacity_period"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"),
                                           index=True)
    starts: Mapped[date] = mapped_column(Date)
    ends: Mapped[date | None] = mapped_column(Date)  # None: open-ended
    weekly_hours: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    note: Mapped[str] = mapped_column(String(300), default="")


class TimeOff(Versioned, Base):
    """Whole days a person does not work: leave, sickness, training."""

    __tablename__ = "time_off"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"),
                                           index=True)
    starts: Mapped[date] = mapped_column(Date)
    ends: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20), default="leave")
    note: Mapped[str] = mapped_column(String(300), default="")


class Holiday(Versioned, Base):
    """A public holiday: for everyone (no department) or one department and those below it."""

    __tablename__ = "holiday"
    __table_args__ = (UniqueConstraint("day", "department_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    name: Mapped[str] = mapped_column(String(200))
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("department.id", ondelete="CASCADE"), index=True)


class Lending(Versioned, Base):
    """A project's request to another department for a role (or a named person) and its answer.

    ``fte``, ``starts`` and ``ends`` are what is asked; a counter-offer puts the lender's
    terms in ``offer_*`` and, once the borrower takes it, they become the booked terms.
    """

    __tablename__ = "lending"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"),
                                            index=True)
    role: Mapped[str] = mapped_column(String(100))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"),
                                                  index=True)
    lender_department_id: Mapped[int] = mapped_column(
        ForeignKey("department.id", ondelete="RESTRICT"), index=True)
    borrower_department_id: Mapped[int] = mapped_column(
        ForeignKey("department.id", ondelete="RESTRICT"), index=True)
    fte: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    starts: Mapped[date] = mapped_column(Date)
    ends: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="requested", index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    offer_fte: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    offer_starts: Mapped[date | None] = mapped_column(Date)
    offer_ends: Mapped[date | None] = mapped_column(Date)
    response: Mapped[str] = mapped_column(Text, default="")
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    responded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    responded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


CHANGE_KINDS = ("hire", "leave", "move")


class CapacityScenario(Versioned, Base):
    """A named what-if: capacity changes (hires, leavers, moves) laid over the real calendars."""

    __tablename__ = "capacity_scenario"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))


class CapacityChange(Versioned, Base):
    """One change of a scenario: FTE of a role gained (hire), lost (leave) or moved (move)."""

    __tablename__ = "capacity_change"
    __table_args__ = (CheckConstraint("fte > 0", name="change_fte_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(
        ForeignKey("capacity_scenario.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id", ondelete="RESTRICT"))
    to_department_id: Mapped[int | None] = mapped_column(  # a move's receiving department
        ForeignKey("department.id", ondelete="RESTRICT"))
    role: Mapped[str] = mapped_column(String(100))
    fte: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    starts: Mapped[date] = mapped_column(Date)
    ends: Mapped[date | None] = mapped_column(Date)  # None: open-ended
    note: Mapped[str] = mapped_column(String(300), default="")


class DemandTotal(Base):
    """The committed demand of one department's role in one period, in FTE-months: the sum
    of the demand lines of its running projects and of its approved requests without a
    project, roles merged by their key (``repository.role_key``). Derived, kept on every write
    by ``resources.demand_totals``; the heatmap reads it instead of the lines."""

    __tablename__ = "resource_demand_total"
    __table_args__ = (Index("ix_resource_demand_total_period", "period", "department_id",
                            "role", "fte_months"),)

    department_id: Mapped[int] = mapped_column(
        ForeignKey("department.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(100), primary_key=True)  # the role key
    # a month for projects' demand (2027-03), a quarter for approved requests' (2027-Q1)
    period: Mapped[str] = mapped_column(String(10), primary_key=True)
    fte_months: Mapped[Decimal] = mapped_column(Numeric(14, 2))
