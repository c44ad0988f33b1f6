"""Named writes of portfolios: the enterprise portfolio and departments' own."""

from __future__ import annotations

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.editing import apply, changes_of, check_version, ensure_unique
from epmo.errors import Conflict, FieldError
from epmo.portfolio import policy, repository
from epmo.portfolio.models import Portfolio
from epmo.portfolio.schemas import PortfolioCreate, PortfolioUpdate
from epmo.portfolio.service import check_department


def create_portfolio(session: Session, actor: Actor, data: PortfolioCreate) -> Portfolio:
    """Add a department portfolio (its lead) or an enterprise one (administrators)."""
    if data.department_id is not None:
        check_department(session, data.department_id)
    policy.require_lead(actor, data.department_id, "this portfolio")
    ensure_unique(session, Portfolio.code, data.code)
    portfolio = Portfolio(**data.model_dump())
    session.add(portfolio)
    session.flush()
    return portfolio


def update_portfolio(session: Session, actor: Actor, portfolio_id: int,
                     data: PortfolioUpdate) -> Portfolio:
    """Change a portfolio; moving it needs the right to lead the new department too."""
    portfolio = policy.writable_portfolio_or_404(session, actor, portfolio_id)
    check_version(portfolio, data.version)
    changes = changes_of(data, frozenset({"department_id"}))
    target = changes.get("department_id", portfolio.department_id)
    if target != portfolio.department_id:
        if target is not None:
            check_department(session, target)
        policy.require_lead(actor, target, "this portfolio")
    if changes.get("code"):
        ensure_unique(session, Portfolio.code, changes["code"], exclude_id=portfolio.id)
    apply(portfolio, changes)
    session.flush()
    return portfolio


def delete_portfolio(session: Session, actor: Actor, portfolio_id: int, version: int) -> None:
    """Remove a portfolio that holds no projects."""
    portfolio = policy.writable_portfolio_or_404(session, actor, portfolio_id)
    check_version(portfolio, version)
    if repository.projects_in_portfolio(session, portfolio.id):
        raise Conflict("Portfolio still holds projects",
                       [FieldError("id", "take its projects out first")])
    session.delete(portfolio)
    session.flush()
