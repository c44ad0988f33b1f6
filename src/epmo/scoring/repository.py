"""Reads of the scoring domain: models, criteria, sheets, goal links and ranking rows."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import ColumnElement, Select, func, select, true
from sqlalchemy.orm import Session

from epmo.auth.models import User
from epmo.intake.models import IntakeRequest, RequestCost, RequestGoal
from epmo.org.models import Department
from epmo.portfolio.models import Portfolio
from epmo.scoring.models import RequestScore, ScoringCriterion, ScoringModel
from epmo.strategy.models import Goal


@dataclass(frozen=True, slots=True)
class RequestRow:
    """What a ranking shows of a request besides its score."""

    id: int
    code: str
    title: str
    department_id: int
    department: str
    cost_total: Decimal
    risk_rating: int


def get_model(session: Session, model_id: int) -> ScoringModel | None:
    """Return a scoring model version by id."""
    return session.get(ScoringModel, model_id)


def model_query(code: str | None = None, status: str | None = None) -> Select[ScoringModel]:
    """Models by code and newest version first, optionally one code or status."""
    query = select(ScoringModel).order_by(ScoringModel.code, ScoringModel.number.desc())
    if code:
        query = query.where(ScoringModel.code == code)
    if status:
        query = query.where(ScoringModel.status == status)
    return query


def list_models(session: Session, status: str | None = None) -> Sequence[ScoringModel]:
    """Every model version (optionally of one status), by code and newest version first."""
    return session.scalars(model_query(status=status)).all()


def latest_of_code(session: Session, code: str) -> ScoringModel | None:
    """The highest-numbered version of a model code."""
    return session.scalars(model_query(code=code).limit(1)).first()


def active_of_code(session: Session, code: str) -> Sequence[ScoringModel]:
    """The active versions of a model code (at most one in practice)."""
    return session.scalars(model_query(code=code, status="active")).all()


def any_model(session: Session) -> bool:
    """True when at least one scoring model exists."""
    return session.scalar(select(ScoringModel.id).limit(1)) is not None


def default_model(session: Session) -> ScoringModel | None:
    """The latest active enterprise model (no portfolio)."""
    query = (select(ScoringModel).where(ScoringModel.status == "active",
                                        ScoringModel.portfolio_id.is_(None))
             .order_by(ScoringModel.id.desc()).limit(1))
    return session.scalars(query).first()


def criteria_of(session: Session, model_id: int) -> Sequence[ScoringCriterion]:
    """A model's criteria in position order."""
    query = (select(ScoringCriterion).where(ScoringCriterion.model_id == model_id)
             .order_by(ScoringCriterion.position, ScoringCriterion.id))
    return session.scalars(query).all()


def sheets_for(
    session: Session, model_id: int, request_ids: Collection[int] | None = None
) -> Sequence[RequestScore]:
    """Sheets under a model (of some requests, or all), by request and scorer."""
    query = select(RequestScore).where(RequestScore.model_id == model_id)
    if request_ids is not None:
        query = query.where(RequestScore.request_id.in_(sorted(request_ids)))
    return session.scalars(query.order_by(RequestScore.request_id, RequestScore.id)).all()


def sheet_of(
    session: Session, request_id: int, model_id: int, scorer_id: int
) -> RequestScore | None:
    """One scorer's sheet for a request under a model."""
    query = select(RequestScore).where(RequestScore.request_id == request_id,
                                       RequestScore.model_id == model_id,
                                       RequestScore.scorer_id == scorer_id)
    return session.scalars(query).first()


def has_sheets(session: Session, model_id: int) -> bool:
    """True when any scorer has scored under this model version."""
    query = select(RequestScore.id).where(RequestScore.model_id == model_id).limit(1)
    return session.scalar(query) is not None


def user_names(session: Session, user_ids: Collection[int]) -> dict[int, str]:
    """User id -> display name."""
    if not user_ids:
        return {}
    rows = session.execute(select(User.id, User.name).where(User.id.in_(sorted(user_ids))))
    return {row[0]: row[1] for row in rows}


def goal_tree(session: Session) -> dict[int, tuple[int | None, float]]:
    """Every goal as id -> (parent id, weight in % of its siblings)."""
    rows = session.execute(select(Goal.id, Goal.parent_id, Goal.weight))
    return {row[0]: (row[1], float(row[2] or 0)) for row in rows}


def goal_links(
    session: Session, request_ids: Collection[int]
) -> dict[int, list[tuple[int, float]]]:
    """Request id -> [(goal id, contribution 0..100)] for the given requests."""
    found: dict[int, list[tuple[int, float]]] = {rid: [] for rid in request_ids}
    if not request_ids:
        return found
    query = (select(RequestGoal.request_id, RequestGoal.goal_id, RequestGoal.contribution)
             .where(RequestGoal.request_id.in_(sorted(request_ids)))
             .order_by(RequestGoal.request_id, RequestGoal.goal_id))
    for request_id, goal_id, contribution in session.execute(query):
        found[request_id].append((goal_id, float(contribution)))
    return found


def request_rows(
    session: Session, request_ids: Collection[int], scope: ColumnElement[bool] | None = None
) -> dict[int, RequestRow]:
    """Ranking rows of the given requests that pass ``scope`` (a WHERE on IntakeRequest)."""
    if not request_ids:
        return {}
    costs = (select(RequestCost.request_id, func.sum(RequestCost.amount).label("total"))
             .group_by(RequestCost.request_id).subquery())
    query = (select(IntakeRequest.id, IntakeRequest.code, IntakeRequest.title,
                    IntakeRequest.department_id, Department.code, costs.c.total,
                    IntakeRequest.risk_rating)
             .join(Department, Department.id == IntakeRequest.department_id)
             .outerjoin(costs, costs.c.request_id == IntakeRequest.id)
             .where(IntakeRequest.id.in_(sorted(request_ids)), true() if scope is None else scope))
    return {row[0]: RequestRow(row[0], row[1], row[2], row[3], row[4],
                               Decimal(row[5] or 0), row[6]) for row in session.execute(query)}


def portfolio_choices(session: Session) -> list[tuple[int, str]]:
    """Every portfolio as (id, "CODE name"), for a model's portfolio choice."""
    rows = session.execute(select(Portfolio.id, Portfolio.code, Portfolio.name)
                           .order_by(Portfolio.code))
    return [(row[0], f"{row[1]} {row[2]}") for row in rows]


def department_names(session: Session) -> dict[int, str]:
    """Department id -> name."""
    return {row[0]: row[1] for row in session.execute(select(Department.id, Department.name))}
