"""Read models of the portfolio domain: projects, programmes and portfolios as the API and the
pages show them, and the choices of its forms.

The rows come from ``repository`` in a fixed number of batch queries per page (never one per
row); this module only turns them into read schemas.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from epmo.org.models import Department, Person
from epmo.portfolio import repository
from epmo.portfolio.models import (
    Portfolio,
    Programme,
    ProgrammeDepartment,
    Project,
    ProjectDepartment,
    ProjectPortfolio,
)
from epmo.portfolio.schemas import (
    GoalLinkRead,
    PortfolioRead,
    ProgrammeRead,
    ProjectRead,
    Ref,
    next_stages,
)
from epmo.strategy.models import Goal


def _ref(row: Any) -> Ref:
    return Ref(id=row.id, code=row.code, name=row.name)


def _refs(session: Session, model: Any, ids: Iterable[int | None]) -> dict[int, Ref]:
    return {i: _ref(row) for i, row in repository.named_rows(session, model, ids).items()}


def _ref_rows(session: Session, model: Any, owner: Any, key: Any,
              ids: list[int]) -> dict[int, list[Ref]]:
    """Rows of ``model`` linked to each owner id through an association table, by code."""
    return {owner_id: [_ref(r) for r in rows] for owner_id, rows
            in repository.linked_rows(session, model, owner, key, ids).items()}


def _columns(obj: Any) -> dict[str, Any]:
    return {c.key: getattr(obj, c.key) for c in obj.__table__.columns}


def _name(people: dict[int, Ref], person_id: int | None) -> str | None:
    ref = people.get(person_id) if person_id is not None else None
    return ref.name if ref else None


def describe_projects(session: Session, projects: Sequence[Project]) -> list[ProjectRead]:
    """Project read models with department, people, programme, links: six queries in all."""
    ids = [p.id for p in projects]
    if not ids:
        return []
    taking_part = _ref_rows(session, Department, ProjectDepartment.project_id,
                            ProjectDepartment.department_id, ids)
    portfolios = _ref_rows(session, Portfolio, ProjectPortfolio.project_id,
                           ProjectPortfolio.portfolio_id, ids)
    goals = repository.goal_link_rows(session, ids)
    departments = _refs(session, Department, [p.department_id for p in projects])
    people = _refs(session, Person, [i for p in projects for i in (p.manager_id, p.sponsor_id)])
    programmes = _refs(session, Programme, [p.programme_id for p in projects])
    out = []
    for project in projects:
        dept = departments.get(project.department_id)
        prog = programmes.get(project.programme_id or 0)
        refs = {"departments": taking_part.get(project.id, []),
                "portfolios": portfolios.get(project.id, [])}
        out.append(ProjectRead.model_validate(_columns(project) | refs | {
            "department_code": dept.code if dept else "",
            "department_name": dept.name if dept else "",
            "department_ids": [r.id for r in refs["departments"]],
            "portfolio_ids": [r.id for r in refs["portfolios"]],
            "sponsor_name": _name(people, project.sponsor_id),
            "manager_name": _name(people, project.manager_id),
            "programme_code": prog.code if prog else None,
            "programme_name": prog.name if prog else None,
            "goals": [GoalLinkRead(goal_id=r[1], weight=r[2], code=r[3], name=r[4])
                      for r in goals[project.id]],
            "next_stages": list(next_stages(project.stage)),
        }))
    return out


def describe_programmes(session: Session, programmes: Sequence[Programme]) -> list[ProgrammeRead]:
    """Programme read models with department codes and manager names, in three queries."""
    taking_part = _ref_rows(session, Department, ProgrammeDepartment.programme_id,
                            ProgrammeDepartment.department_id, [p.id for p in programmes])
    departments = _refs(session, Department, [p.department_id for p in programmes])
    people = _refs(session, Person, [p.manager_id for p in programmes])
    out = []
    for programme in programmes:
        dept = departments.get(programme.department_id)
        refs = taking_part.get(programme.id, [])
        out.append(ProgrammeRead.model_validate(_columns(programme) | {
            "department_code": dept.code if dept else "", "departments": refs,
            "department_ids": [r.id for r in refs],
            "manager_name": _name(people, programme.manager_id)}))
    return out


def describe_portfolios(session: Session, portfolios: Sequence[Portfolio]) -> list[PortfolioRead]:
    """Portfolio read models with their department's code, in one extra query."""
    departments = _refs(session, Department, [p.department_id for p in portfolios])
    out = []
    for portfolio in portfolios:
        data = _columns(portfolio)
        dept = departments.get(portfolio.department_id or 0)
        data["department_code"] = dept.code if dept else None
        out.append(PortfolioRead.model_validate(data))
    return out


# --- choices for forms ------------------------------------------------------------------


def department_choices(session: Session) -> list[Ref]:
    """Every department, by code."""
    return [_ref(r) for r in repository.choice_rows(session, Department)]


def person_choices(session: Session) -> list[Ref]:
    """Every person, by name (inactive ones too, so a form never drops a current sponsor)."""
    return [_ref(r) for r in repository.choice_rows(session, Person, order=Person.name)]


def goal_choices(session: Session) -> list[Ref]:
    """Every strategic goal, by code."""
    return [_ref(r) for r in repository.choice_rows(session, Goal)]


def ref_choices(session: Session, model: Any, scope: ColumnElement[bool]) -> list[Ref]:
    """Programmes or portfolios the scope clause lets the actor see, by code."""
    return [_ref(r) for r in repository.choice_rows(session, model, scope)]
