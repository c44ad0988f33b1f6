"""The compliance evaluation and gate statuses as the API and the pages show them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.compliance import gates, repository, service
from epmo.compliance.models import ComplianceSnapshot, GateReview
from epmo.compliance.schemas import (
    FindingRead,
    GateRead,
    PointRead,
    ReviewRead,
    ScoreRead,
    SeriesRead,
    SnapshotRead,
)
from epmo.engines.compliance import Finding, ProjectResult, Summary


def _department(evaluation: service.Evaluation, department_id: int) -> tuple[str, str]:
    return evaluation.departments_known.get(department_id, (str(department_id), ""))


def finding_reads(evaluation: service.Evaluation, findings: Sequence[Finding]) -> list[FindingRead]:
    """Findings with the project's and department's codes."""
    reads = []
    for f in findings:
        label = evaluation.projects[f.project_id]
        reads.append(FindingRead(
            project_id=f.project_id, project_code=label.code, project_name=label.name,
            department_id=f.department_id,
            department_code=_department(evaluation, f.department_id)[0], stage=label.stage,
            rule=f.rule, practice=f.practice, level=f.level, severity=f.severity,
            subject=f.subject, message=f.message, count=f.count, periods=list(f.periods)))
    return reads


def _counts(result: ProjectResult) -> tuple[int, int]:
    blocking = sum(f.count for f in result.findings if f.severity == "blocking")
    return blocking, sum(f.count for f in result.findings) - blocking


def project_score(evaluation: service.Evaluation, result: ProjectResult) -> ScoreRead:
    """A project's score as the API returns it."""
    label = evaluation.projects[result.project_id]
    blocking, warnings = _counts(result)
    return ScoreRead(level="project", id=result.project_id, code=label.code, name=label.name,
                     department_id=label.department_id, projects=1,
                     score=round(result.score, 2), checks=result.checks, blocking=blocking,
                     warnings=warnings)


def summary_score(level: str, ident: int | None, code: str, name: str,
                  summary: Summary) -> ScoreRead:
    """A department's or the enterprise's score as the API returns it."""
    return ScoreRead(level=level, id=ident, code=code, name=name,
                     department_id=ident if level == "department" else None,
                     projects=summary.projects, score=round(summary.score, 2),
                     blocking=summary.blocking, warnings=summary.warnings)


def department_scores(evaluation: service.Evaluation) -> list[ScoreRead]:
    """Every department with projects (sub-departments included), lowest score first."""
    return [summary_score("department", d, code, name, s)
            for d, code, name, s in service.department_rows(evaluation)]


def score_page(session: Session, actor: Actor, today: date, level: str,
               department_id: int | None, limit: int, offset: int) -> dict[str, Any]:
    """One page of scores at ``level`` (projects within the actor's scope)."""
    if level == "project":
        found, evaluation = service.project_scores(session, actor, today, department_id, limit,
                                                   offset)
        items = [project_score(evaluation, r) for r in found.items]
        return {"items": items, "total": found.total, "limit": limit, "offset": offset}
    whole = level == "enterprise"  # the enterprise is never narrowed to a department
    evaluation = service.evaluate(session, today, None if whole else department_id)
    if whole:
        rows = [summary_score("enterprise", None, "ENTERPRISE", "Enterprise",
                              evaluation.enterprise)]
    else:
        rows = department_scores(evaluation)
    return {"items": rows[offset:offset + limit], "total": len(rows), "limit": limit,
            "offset": offset}


def snapshot_reads(rows: Sequence[ComplianceSnapshot]) -> list[SnapshotRead]:
    """Snapshot rows as the API returns them (the enterprise first)."""
    reads = [SnapshotRead(taken_on=r.taken_on, department_id=r.department_id,
                          score=float(r.score), projects=r.projects, blocking=r.blocking,
                          warnings=r.warnings) for r in rows]
    return sorted(reads, key=lambda r: (r.department_id is not None, r.department_id or 0))


def series_reads(series: Sequence[service.Series]) -> list[SeriesRead]:
    """League series as the API returns them."""
    return [SeriesRead(department_id=s.department_id, code=s.code, name=s.name,
                       points=[PointRead(day=d, score=v) for d, v in s.points]) for s in series]


def describe_reviews(session: Session, reviews: Sequence[GateReview]) -> list[ReviewRead]:
    """Reviews as the API returns them, with the approver's name."""
    names = repository.user_names(session, (r.approver_id for r in reviews))
    return [ReviewRead.model_validate(r).model_copy(
        update={"approver_name": names.get(r.approver_id) if r.approver_id else None})
        for r in reviews]


def gate_reads(session: Session, statuses: Sequence[gates.GateStatus]) -> list[GateRead]:
    """Gate statuses as the API returns them."""
    latest = [s.latest for s in statuses if s.latest is not None]
    reviews = {r.id: r for r in describe_reviews(session, latest)}
    return [GateRead(code=s.term.code, name=s.term.name, stage=s.term.stage,
                     criteria=list(s.term.criteria), approver_roles=list(s.term.approver_roles),
                     passed=s.passed, review=reviews.get(s.latest.id) if s.latest else None,
                     can_open=s.can_open, can_decide=s.can_decide) for s in statuses]
