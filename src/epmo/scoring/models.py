"""Tables of the scoring domain: versioned scoring models, criteria and scorers' sheets."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from epmo.db import Base, Versioned, utcnow

METHODS = ("weights", "pairwise")  # weights entered in %, or derived by AHP
COMBINE = ("mean", "median")
STATUSES = ("draft", "active", "retired")  # only an active model takes scores


class ScoringModel(Versioned, Base):
    """One version of a scoring model; ``code`` names the model, ``number`` its version."""

    __tablename__ = "scoring_model"
    __table_args__ = (UniqueConstraint("code", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    number: Mapped[int] = mapped_column(default=1)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="draft")
    method: Mapped[str] = mapped_column(String(10), default="weights")
    combine: Mapped[str] = mapped_column(String(10), default="mean")
    # The pairwise matrix (rows and columns in criterion position order) when method is
    # "pairwise"; the derived weights are stored on the criteria, CR here.
    pairwise: Mapped[Any] = mapped_column(JSON, default=None, nullable=True)
    consistency_ratio: Mapped[float | None] = mapped_column()
    threshold: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal(0))  # min score
    portfolio_id: Mapped[int | None] = mapped_column(  # None: the enterprise default
        ForeignKey("portfolio.id", ondelete="SET NULL"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )


class ScoringCriterion(Base):
    """A criterion of a model: rubric (what 1..5 means), weight in %, direction."""

    __tablename__ = "scoring_criterion"
    __table_args__ = (UniqueConstraint("model_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    model_id: Mapped[int] = mapped_column(
        ForeignKey("scoring_model.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    key: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    rubric: Mapped[Any] = mapped_column(JSON, default=list)  # five strings, level 1..5
    weight: Mapped[Decimal] = mapped_column(Numeric(9, 4))  # percent
    higher_is_better: Mapped[bool] = mapped_column(default=True)  # False for risk
    computed: Mapped[str | None] = mapped_column(String(20))  # "alignment": from goal links


class RequestScore(Base):
    """One scorer's sheet for one request under one model version: level 1..5 per criterion."""

    __tablename__ = "request_score"
    __table_args__ = (UniqueConstraint("request_id", "model_id", "scorer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("intake_request.id", ondelete="CASCADE"), index=True
    )
    model_id: Mapped[int] = mapped_column(
        ForeignKey("scoring_model.id", ondelete="RESTRICT"), index=True
    )
    scorer_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    scores: Mapped[Any] = mapped_column(JSON)  # {criterion key: level 1..5}
    comment: Mapped[str] = mapped_column(Text, default="")
    scored_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
