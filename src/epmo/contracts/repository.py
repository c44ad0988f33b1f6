"""Reads of the contracts domain: tier rules, contracts, department methods, artefacts."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from epmo.contracts.models import Artefact, DepartmentMethod, ReportingContract, TierRule
from epmo.org.models import Department
from epmo.portfolio.models import Project

FACT_COLUMNS = (
    Project.id, Project.tier, Project.budget_planned, Project.headcount, Project.risk_rating,
    Project.planned_start, Project.planned_finish, Project.baseline_start,
    Project.baseline_finish, Project.forecast_start, Project.forecast_finish,
)


def list_rules(session: Session) -> Sequence[TierRule]:
    """Every tier rule, most demanding first."""
    return session.scalars(select(TierRule).order_by(TierRule.tier)).all()


def list_contracts(session: Session) -> Sequence[ReportingContract]:
    """Every reporting contract, most demanding tier first."""
    return session.scalars(select(ReportingContract).order_by(ReportingContract.tier)).all()


def get_contract(session: Session, tier: int) -> ReportingContract | None:
    """The contract of one tier."""
    return session.scalars(select(ReportingContract).where(ReportingContract.tier == tier)).first()


def get_method(session: Session, department_id: int) -> DepartmentMethod | None:
    """The department's own method (not an inherited one)."""
    return session.scalars(
        select(DepartmentMethod).where(DepartmentMethod.department_id == department_id)).first()


def list_methods(session: Session) -> Sequence[DepartmentMethod]:
    """Every department's own method."""
    return session.scalars(select(DepartmentMethod)).all()


def methods_with_departments(session: Session) -> list[tuple[DepartmentMethod, Department]]:
    """Every department method with its department, by department code."""
    rows = session.execute(select(DepartmentMethod, Department)
                           .join(Department, Department.id == DepartmentMethod.department_id)
                           .order_by(Department.code))
    return [(method, department) for method, department in rows]


def department_parents(session: Session) -> dict[int, int | None]:
    """Department id -> parent id, for the whole tree."""
    return {ident: parent for ident, parent in
            session.execute(select(Department.id, Department.parent_id))}


def list_departments(session: Session) -> Sequence[Department]:
    """Every department, by code."""
    return session.scalars(select(Department).order_by(Department.code)).all()


def get_department(session: Session, department_id: int) -> Department | None:
    """One department."""
    return session.get(Department, department_id)


def project_facts(session: Session, batch: int = 5_000) -> Iterator[Sequence[Any]]:
    """Every project's tiering columns (FACT_COLUMNS order), a batch of rows at a time."""
    result = session.execute(select(*FACT_COLUMNS).order_by(Project.id)
                             .execution_options(yield_per=batch))
    yield from result.partitions()


def set_tiers(session: Session, tier: int, ids: Sequence[int]) -> None:
    """Give the projects ``ids`` this tier (one ORM-enabled UPDATE ... WHERE id IN)."""
    session.execute(update(Project).where(Project.id.in_(ids)).values(tier=tier),
                    execution_options={"synchronize_session": "evaluate"})


def artefact_query(project_id: int) -> Select[Artefact]:
    """A project's artefacts, newest first."""
    return (select(Artefact).where(Artefact.project_id == project_id)
            .order_by(Artefact.created_at.desc(), Artefact.id.desc()))


def set_content(session: Session, artefact: Artefact, content: bytes | None) -> None:
    """Write (or clear) an artefact's file bytes with one statement, keeping them unloaded."""
    session.execute(update(Artefact).where(Artefact.id == artefact.id).values(content=content),
                    execution_options={"synchronize_session": False})
    if content is None:  # known empty now, so a delete's audit snapshot need not load it
        set_committed_value(artefact, "content", None)
    else:
        session.expire(artefact, ["content"])


def get_artefact(session: Session, artefact_id: int) -> Artefact | None:
    """One artefact (its file content stays unloaded until asked for)."""
    return session.get(Artefact, artefact_id)
