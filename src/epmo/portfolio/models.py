"""Tables of the portfolio domain."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from epmo.db import Base, Versioned
from epmo.portfolio import goal_sets

STAGES = (
    "proposed", "approved", "planning", "executing", "closing", "closed", "on_hold", "cancelled",
)
CLOSED_STAGES = ("closed", "cancelled")  # finished work; every other stage is active
HEALTHS = ("green", "amber", "red")
ROLLUP_RULES = ("worst", "weighted")
MILESTONE_STATUSES = ("planned", "in_progress", "achieved", "missed", "cancelled")
Money = Numeric(18, 2)
KEPT_BY_DATABASE = ("goal_set",)  # project columns no write of epmo's sets


class Portfolio(Versioned, Base):
    """The enterprise portfolio (no department) or a department's portfolio."""

    __tablename__ = "portfolio"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("department.id", ondelete="RESTRICT"), index=True
    )
    # How status rolls up to this portfolio: "worst" (worst child wins) or "weighted"
    # (budget-weighted average of the children's ratings).
    rollup_rule: Mapped[str] = mapped_column(String(10), default="worst")


class Programme(Versioned, Base):
    """A group of related projects, owned by one department, possibly spanning others."""

    __tablename__ = "programme"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    department_id: Mapped[int] = mapped_column(
        ForeignKey("department.id", ondelete="RESTRICT"), index=True
    )
    manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )


class Project(Versioned, Base):
    """One project in the enterprise register."""

    __tablename__ = "project"
    __table_args__ = (
        # Covering indexes for the overview's GROUP BYs (counts and budget sums by the health
        # that counts, from the reported and the stored derived colour).
        Index("ix_project_dept_stage_health", "department_id", "stage", "health",
              "derived_health", "budget_planned", "budget_actual", "budget_forecast"),
        # stage (active vs closed) and department_id (the health that counts depends on the
        # department's authority) keep the programme GROUP BYs index-only
        Index("ix_project_programme_health", "programme_id", "health", "derived_health",
              "budget_planned", "budget_actual", "budget_forecast", "stage", "department_id"),
        # the overview's and the roll-up's goal passes group by goal set and the health that
        # counts (from both colours and the department), reading this index alone
        Index("ix_project_goal_set_health", "goal_set", "health", "derived_health",
              "department_id", "stage", "budget_planned", "budget_actual", "budget_forecast"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    department_id: Mapped[int] = mapped_column(  # indexed by ix_project_dept_stage_health
        ForeignKey("department.id", ondelete="RESTRICT")
    )
    sponsor_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    programme_id: Mapped[int | None] = mapped_column(  # indexed by ix_project_programme_health
        ForeignKey("programme.id", ondelete="SET NULL")
    )
    stage: Mapped[str] = mapped_column(String(20), default="proposed", index=True)
    methodology: Mapped[str] = mapped_column(String(60), default="")
    tier: Mapped[int] = mapped_column(default=3)
    headcount: Mapped[int] = mapped_column(default=0)  # people working on it (for tiering)
    risk_rating: Mapped[int] = mapped_column(default=1)  # 1 (low) .. 5 (high), for tiering
    # None: unknown (nothing reported or derived yet); never assumed green.
    health: Mapped[str | None] = mapped_column(String(10), default=None, index=True)
    planned_start: Mapped[date | None] = mapped_column(Date)
    planned_finish: Mapped[date | None] = mapped_column(Date)
    baseline_start: Mapped[date | None] = mapped_column(Date)
    baseline_finish: Mapped[date | None] = mapped_column(Date)
    forecast_start: Mapped[date | None] = mapped_column(Date)
    forecast_finish: Mapped[date | None] = mapped_column(Date)
    actual_start: Mapped[date | None] = mapped_column(Date)
    actual_finish: Mapped[date | None] = mapped_column(Date)
    # None: the figure is unknown, which is not zero (totals count the projects lacking it).
    budget_planned: Mapped[Decimal | None] = mapped_column(Money, default=None)
    budget_actual: Mapped[Decimal | None] = mapped_column(Money, default=None)
    budget_forecast: Mapped[Decimal | None] = mapped_column(Money, default=None)
    # The colour the tier contract's RAG thresholds give from the dates and money above
    # (None: not derivable); written by reporting.health_store, never by hand.
    derived_health: Mapped[str | None] = mapped_column(String(5), default=None)
    # The comma-joined ids of the goals it serves, ascending (None: none); kept by the
    # database on every project_goal write (portfolio.goal_sets), never written here.
    goal_set: Mapped[str | None] = mapped_column(Text, default=None)


class ProjectDepartment(Base):
    """A department taking part in a project it does not own."""

    __tablename__ = "project_department"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), primary_key=True
    )
    department_id: Mapped[int] = mapped_column(
        ForeignKey("department.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ProgrammeDepartment(Base):
    """A department taking part in a programme it does not own."""

    __tablename__ = "programme_department"

    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), primary_key=True
    )
    department_id: Mapped[int] = mapped_column(
        ForeignKey("department.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ProjectPortfolio(Base):
    """Membership of a project in a portfolio (a project may sit in several)."""

    __tablename__ = "project_portfolio"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), primary_key=True
    )
    portfolio_id: Mapped[int] = mapped_column(
        ForeignKey("portfolio.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ProjectGoal(Base):
    """A project's contribution to a strategic goal (weight 0..100)."""

    __tablename__ = "project_goal"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), primary_key=True
    )
    goal_id: Mapped[int] = mapped_column(
        ForeignKey("goal.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    weight: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal(100))


goal_sets.attach(ProjectGoal.__table__)  # type: ignore[arg-type]


class Milestone(Versioned, Base):
    """A dated checkpoint of a project."""

    __tablename__ = "milestone"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="planned")
    planned_date: Mapped[date | None] = mapped_column(Date)
    baseline_date: Mapped[date | None] = mapped_column(Date)
    forecast_date: Mapped[date | None] = mapped_column(Date)
    actual_date: Mapped[date | None] = mapped_column(Date)


# --- role demand (issue 10, item 11) ----------------------------------------------------


class ProjectDemand(Base):
    """A project's demand for one role in one month (``"2027-03"``), in FTE-months, optionally
    for a named person (then the role is that person's).

    The role is the role text people carry (``Person.role``), stored in the spelling of a
    known role; an approved request's demand (per quarter) is spread over months and copied
    here when its project is created. One line per role, month and person (none: the role's
    unnamed demand); the writers keep that (``portfolio.demand.write_lines``), the unique
    index cannot for unnamed lines (NULLs are distinct in it).
    """

    __tablename__ = "project_demand"
    __table_args__ = (CheckConstraint("fte_months >= 0", name="demand_not_negative"),
                      Index("ix_project_demand_line", "project_id", "role", "period",
                            "person_id", unique=True),
                      Index("ix_project_demand_person", "person_id", "period"))

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(100))
    period: Mapped[str] = mapped_column(String(10))  # a month: 2027-03
    # a person removed leaves the work to their role
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    fte_months: Mapped[Decimal] = mapped_column(Numeric(10, 2))
