"""Project list rows for the exports: a handful of set-based queries over the filtered list.

Never one query per row, so 50,000 projects export in seconds; `portfolio.export` writes them
as CSV or Excel.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from epmo.org.models import Department, Person
from epmo.portfolio.models import (
    Portfolio,
    Programme,
    Project,
    ProjectDepartment,
    ProjectGoal,
    ProjectPortfolio,
)
from epmo.strategy.models import Goal

COLUMNS = (
    "code", "name", "department", "stage", "health", "tier", "headcount", "risk_rating",
    "methodology", "manager", "sponsor", "programme", "participating_departments", "portfolios",
    "goals",
    "planned_start", "planned_finish", "baseline_start", "baseline_finish", "forecast_start",
    "forecast_finish", "actual_start", "actual_finish", "budget_planned", "budget_actual",
    "budget_forecast",
)


def _joined(session: Session, query: Select[*tuple[Any, ...]]) -> dict[int, str]:
    grouped: dict[int, list[str]] = defaultdict(list)
    for owner, label, *weight in session.execute(query):
        grouped[owner].append(f"{label} ({_number(weight[0])})" if weight else label)
    return {owner: "; ".join(labels) for owner, labels in grouped.items()}


def _number(value: Decimal) -> str:
    return format(Decimal(value).normalize(), "f")


def rows_of(session: Session, query: Select[Project]) -> list[tuple[Any, ...]]:
    """Every project ``query`` matches as flat rows in COLUMNS order (four queries)."""
    ids = query.with_only_columns(Project.id).order_by(None).scalar_subquery()
    manager, sponsor = aliased(Person), aliased(Person)
    taking_part = _joined(session, select(ProjectDepartment.project_id, Department.code)
                          .join(Department).where(ProjectDepartment.project_id.in_(ids))
                          .order_by(Department.code))
    portfolios = _joined(session, select(ProjectPortfolio.project_id, Portfolio.code)
                         .join(Portfolio).where(ProjectPortfolio.project_id.in_(ids))
                         .order_by(Portfolio.code))
    goals = _joined(session, select(ProjectGoal.project_id, Goal.code, ProjectGoal.weight)
                    .join(Goal).where(ProjectGoal.project_id.in_(ids)).order_by(Goal.code))
    flat = query.with_only_columns(
        Project.id, Project.code, Project.name, Department.code, Project.stage, Project.health,
        Project.tier, Project.headcount, Project.risk_rating, Project.methodology, manager.name,
        sponsor.name, Programme.code, *(getattr(Project, c) for c in COLUMNS[15:]),
    ).join(Department, Department.id == Project.department_id) \
        .outerjoin(manager, manager.id == Project.manager_id) \
        .outerjoin(sponsor, sponsor.id == Project.sponsor_id) \
        .outerjoin(Programme, Programme.id == Project.programme_id)
    return [(*row[1:13], taking_part.get(row[0], ""), portfolios.get(row[0], ""),
             goals.get(row[0], ""), *row[13:]) for row in session.execute(flat)]
