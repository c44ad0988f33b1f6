"""Tables of the selection domain: scenarios, their candidates and their solved results."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from epmo.db import Base, Versioned

OBJECTIVES = ("score", "score_x_benefit", "benefit")  # what "value" means for the MILP
STATUSES = ("draft", "solved", "committed")


class Scenario(Versioned, Base):
    """A named selection problem: candidates, limits and rules; the last solve's result."""

    __tablename__ = "scenario"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="draft")
    objective: Mapped[str] = mapped_column(String(20), default="score")
    scoring_model_id: Mapped[int | None] = mapped_column(
        ForeignKey("scoring_model.id", ondelete="SET NULL")
    )
    budgets: Mapped[Any] = mapped_column(JSON, default=dict)  # {"2027": 1.2e6, ...}
    # Capacity per role and quarter is supply from people minus committed work, unless
    # overridden here: {"data engineer": {"2027-Q1": 12.0}} in FTE-months.
    capacity_overrides: Mapped[Any] = mapped_column(JSON, default=dict)
    exclusive: Mapped[Any] = mapped_column(JSON, default=list)  # [[candidate ids], ...]
    requires: Mapped[Any] = mapped_column(JSON, default=list)  # [[b, a], ...] candidate ids
    balance: Mapped[Any] = mapped_column(JSON, default=list)  # [{tag, min_share, max_share}]
    time_limit: Mapped[float] = mapped_column(default=10.0)
    result: Mapped[Any] = mapped_column(JSON, nullable=True)  # status, value, usage, ...
    frontier: Mapped[Any] = mapped_column(JSON, nullable=True)  # [{budget, value, selected}]
    solved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    committed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )


class ScenarioCandidate(Base):
    """A request or an existing project in a scenario, its flags and its last outcome."""

    __tablename__ = "scenario_candidate"
    __table_args__ = (
        UniqueConstraint("scenario_id", "request_id", name="uq_scenario_candidate_request"),
        UniqueConstraint("scenario_id", "project_id", name="uq_scenario_candidate_project"),
        CheckConstraint("(request_id IS NULL) <> (project_id IS NULL)", name="one_source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(
        ForeignKey("scenario.id", ondelete="CASCADE"), index=True
    )
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("intake_request.id", ondelete="CASCADE"), index=True
    )
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    mandatory: Mapped[bool] = mapped_column(default=False)
    excluded: Mapped[bool] = mapped_column(default=False)
    value_override: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    selected: Mapped[bool | None] = mapped_column()  # None until solved
    reason: Mapped[str] = mapped_column(Text, default="")  # why left out, in words
