"""Reads and writes of the kept committed-demand totals (``resource_demand_total``) and of
the demand lines they are summed from."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from decimal import Decimal

from sqlalchemy import Float, cast, delete, func, insert, select
from sqlalchemy.orm import Session

from epmo.db import core_connection
from epmo.intake.models import IntakeRequest, RequestDemand
from epmo.org.models import Department
from epmo.portfolio.models import Project, ProjectDemand
from epmo.resources.models import DemandTotal
from epmo.resources.repository import NOT_RUNNING, Spread, role_key

CENT = Decimal("0.01")
# (department, role key, period) -> FTE-months; the period as the lines state it: a month for
# projects' demand, a quarter for approved requests'
Totals = dict[tuple[int, str, str], Decimal]


def kept_demand(session: Session, periods: Collection[str],
                departments: Collection[int] | None = None) -> Spread:
    """The kept FTE-months per period (``months.demand_periods``: months and quarters), per
    department (of ``departments`` when given) and role key: one indexed read."""
    found: Spread = defaultdict(lambda: defaultdict(float))
    if not periods:
        return found
    # as floats from the database: a total is whole cents, whose float the cast gives as
    # float(Decimal) would (PostgreSQL: correctly rounded; SQLite: stored as that float),
    # without a Decimal made per row (half of the read's time on SQLite)
    query = select(DemandTotal.department_id, DemandTotal.role, DemandTotal.period,
                   cast(DemandTotal.fte_months, Float)).where(DemandTotal.period.in_(periods))
    if departments is not None:
        query = query.where(DemandTotal.department_id.in_(departments))
    for department_id, role, period, fte in core_connection(session).execute(query):
        found[(department_id, role)][period] += fte
    return found


def kept_totals(session: Session) -> Totals:
    """Every kept total, exact."""
    return {(d, role, period): fte for d, role, period, fte in session.execute(
        select(DemandTotal.department_id, DemandTotal.role, DemandTotal.period,
               DemandTotal.fte_months))}


def line_totals(session: Session, departments: Collection[int] | None = None) -> Totals:
    """The committed demand summed from the lines (running projects, approved requests
    without a project), per department (of ``departments`` when given), role key and period:
    what the kept totals must equal. Summed in the database per spelling, merged here."""
    projects = (select(Project.department_id, ProjectDemand.role, ProjectDemand.period,
                       func.sum(ProjectDemand.fte_months))
                .join(Project, Project.id == ProjectDemand.project_id)
                .where(Project.stage.not_in(NOT_RUNNING))
                .group_by(Project.department_id, ProjectDemand.role, ProjectDemand.period))
    requests = (select(IntakeRequest.department_id, RequestDemand.role, RequestDemand.period,
                       func.sum(RequestDemand.fte_months))
                .join(IntakeRequest, IntakeRequest.id == RequestDemand.request_id)
                .where(IntakeRequest.stage == "approved", IntakeRequest.project_id.is_(None))
                .group_by(IntakeRequest.department_id, RequestDemand.role,
                          RequestDemand.period))
    if departments is not None:
        projects = projects.where(Project.department_id.in_(departments))
        requests = requests.where(IntakeRequest.department_id.in_(departments))
    # a line of 0 FTE-months still makes its role a row of the heatmap: its total is kept
    found: Totals = defaultdict(Decimal)
    for query in (projects, requests):
        for department_id, role, period, fte in session.execute(query):  # SQLite: a float
            found[(department_id, role_key(role), period)] += Decimal(fte).quantize(CENT)
    return dict(found)


def replace_totals(session: Session, departments: Collection[int] | None,
                   totals: Totals) -> None:
    """Drop the kept totals of ``departments`` (all when None) and store ``totals``."""
    drop = delete(DemandTotal)
    if departments is not None:
        drop = drop.where(DemandTotal.department_id.in_(departments))
    session.execute(drop)
    rows = [{"department_id": d, "role": role, "period": period, "fte_months": fte}
            for (d, role, period), fte in sorted(totals.items())]
    for start in range(0, len(rows), 5000):
        session.execute(insert(DemandTotal), rows[start:start + 5000])


def lock_departments(session: Session, departments: Collection[int]) -> None:
    """Lock the departments' rows (PostgreSQL; SQLite has one writer) in id order, so two
    units of work refresh one department's totals in turn (``FOR NO KEY UPDATE`` leaves
    rows referencing the department free to be written)."""
    session.execute(select(Department.id).where(Department.id.in_(departments))
                    .order_by(Department.id).with_for_update(key_share=True))


def departments_of_projects(session: Session, project_ids: Iterable[int]) -> set[int]:
    """The departments owning these projects (deleted ones are not found)."""
    ids = list(project_ids)
    return set(session.scalars(select(Project.department_id).where(Project.id.in_(ids))
                               .distinct())) if ids else set()


def departments_of_requests(session: Session, request_ids: Iterable[int]) -> set[int]:
    """The departments of these intake requests (deleted ones are not found)."""
    ids = list(request_ids)
    return set(session.scalars(select(IntakeRequest.department_id)
                               .where(IntakeRequest.id.in_(ids)).distinct())) if ids else set()


def departments_with_approved_requests(session: Session) -> set[int]:
    """Departments with an approved request without a project: a project deleted leaves its
    request so (the database sets ``project_id`` to NULL behind the ORM's back)."""
    return set(session.scalars(select(IntakeRequest.department_id).where(
        IntakeRequest.stage == "approved", IntakeRequest.project_id.is_(None)).distinct()))
