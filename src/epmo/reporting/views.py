"""Read models of the reporting domain: status reports with derived RAG and disagreements,
RAID items with their owners' names, and the top risks across what the actor may read.

The rows come from ``repository`` in batch queries (never one per row); this module only
turns them into read schemas.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.engines.rag import disagreements
from epmo.org.policy import access_department_or_404
from epmo.portfolio.models import Project
from epmo.portfolio.policy import access_programme_or_404
from epmo.portfolio.repository import department_and_below
from epmo.reporting import policy, repository
from epmo.reporting.governance import Governance, Rules, derived_of
from epmo.reporting.models import RaidItem, StatusReport
from epmo.reporting.periods import stored_period
from epmo.reporting.schemas import (
    DerivedRead,
    DisagreementRead,
    RaidRead,
    StatusReportRead,
    TopRiskRead,
)


def describe_reports(session: Session, reports: Sequence[StatusReport],
                     governance: Governance | None = None) -> list[StatusReportRead]:
    """Reports as the API returns them, each with derived RAG and disagreements."""
    projects = repository.projects_by_id(session, [r.project_id for r in reports])
    governance = governance or Governance(session)
    rules = {pid: governance.rules(project) for pid, project in projects.items()}
    return [_describe(report, projects[report.project_id], rules[report.project_id])
            for report in reports]


def _describe(report: StatusReport, project: Project, rules: Rules) -> StatusReportRead:
    derived = derived_of(rules, project, report)
    entered = {"schedule": report.schedule, "cost": report.cost}
    read = StatusReportRead.model_validate(report)
    read.project_code = project.code
    read.period_label = stored_period(report.period_start, report.period_end).label
    read.derived = DerivedRead(schedule=derived.schedule, cost=derived.cost,
                               slip_days=derived.slip_days,
                               overrun_percent=derived.overrun_percent)
    read.disagreements = [DisagreementRead(dimension=d.dimension, entered=d.entered,
                                           derived=d.derived)
                          for d in disagreements(entered, derived)]
    return read


def describe_raid(session: Session, items: Sequence[RaidItem]) -> list[RaidRead]:
    """RAID items with their owners' names."""
    names = repository.person_names(session, [item.owner_id for item in items])
    reads = []
    for item in items:
        read = RaidRead.model_validate(item)
        read.owner_name = names.get(item.owner_id) if item.owner_id else None
        reads.append(read)
    return reads


def top_risks(session: Session, actor: Actor, department_id: int | None,
              programme_id: int | None, limit: int) -> list[TopRiskRead]:
    """Open risks by score across what the actor may read; a department includes those below."""
    departments = None
    if department_id is not None:
        access_department_or_404(session, actor, department_id)
        departments = department_and_below(session, department_id)
    if programme_id is not None:
        access_programme_or_404(session, actor, programme_id)
    query = repository.top_risks_query(policy.project_scope(actor), departments, programme_id)
    rows = repository.top_risk_rows(session, query, limit)
    names = repository.person_names(session, [item.owner_id for item, _ in rows])
    return [TopRiskRead.model_validate(
        RaidRead.model_validate(item).model_dump()
        | {"owner_name": names.get(item.owner_id) if item.owner_id else None,
           "project_code": project.code, "project_name": project.name,
           "department_id": project.department_id, "programme_id": project.programme_id})
        for item, project in rows]
