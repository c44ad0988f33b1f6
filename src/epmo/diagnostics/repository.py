"""Every read query of the diagnostics domain: rounds, scores, evidence, and the facts the
measured evidence is computed from (status reports, change responses, intake decisions)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from epmo.auth.models import User, UserDepartment
from epmo.diagnostics.models import DiagnosticEvidence, DiagnosticRound, DiagnosticScore
from epmo.engines.compliance import REPORTING_STAGES
from epmo.intake.models import IntakeRequest
from epmo.network.models import ChangeResponse
from epmo.org.models import Department
from epmo.portfolio.models import Project
from epmo.reporting.models import StatusReport

# --- rounds and scores ----------------------------------------------------------------------


def get_round(session: Session, round_id: int) -> DiagnosticRound | None:
    """The round with this id."""
    return session.get(DiagnosticRound, round_id)


def round_query(where: ColumnElement[bool]) -> Select[DiagnosticRound]:
    """Rounds ``where`` selects, newest first."""
    return select(DiagnosticRound).where(where).order_by(DiagnosticRound.created_at.desc(),
                                                         DiagnosticRound.id.desc())


def list_rounds(session: Session, where: ColumnElement[bool]) -> Sequence[DiagnosticRound]:
    """Every round ``where`` selects, newest first."""
    return session.scalars(round_query(where)).all()


def completed_rounds(session: Session, department_id: int | None) -> Sequence[DiagnosticRound]:
    """The completed rounds of one scope (None: the enterprise), oldest first."""
    scope = (DiagnosticRound.department_id.is_(None) if department_id is None
             else DiagnosticRound.department_id == department_id)
    query = (select(DiagnosticRound).where(scope, DiagnosticRound.status == "completed")
             .order_by(DiagnosticRound.completed_at, DiagnosticRound.id))
    return session.scalars(query).all()


def scores_of(session: Session, round_ids: Collection[int]) -> Sequence[DiagnosticScore]:
    """Every score of these rounds, by round, item and assessor."""
    if not round_ids:
        return []
    query = (select(DiagnosticScore).where(DiagnosticScore.round_id.in_(sorted(round_ids)))
             .order_by(DiagnosticScore.round_id, DiagnosticScore.item_key,
                       DiagnosticScore.assessor_id))
    return session.scalars(query).all()


def scores_by(session: Session, round_id: int, assessor_id: int) -> dict[str, DiagnosticScore]:
    """One assessor's scores in a round, by item key."""
    query = select(DiagnosticScore).where(DiagnosticScore.round_id == round_id,
                                          DiagnosticScore.assessor_id == assessor_id)
    return {s.item_key: s for s in session.scalars(query)}


def count_scores(session: Session, round_id: int) -> int:
    """How many scores a round holds."""
    query = select(func.count()).where(DiagnosticScore.round_id == round_id)
    return session.scalar(query) or 0


def evidence_of(session: Session, round_id: int) -> Sequence[DiagnosticEvidence]:
    """The evidence stored when the round completed, in the order it was taken."""
    query = (select(DiagnosticEvidence).where(DiagnosticEvidence.round_id == round_id)
             .order_by(DiagnosticEvidence.id))
    return session.scalars(query).all()


def user_names(session: Session, ids: Collection[int]) -> dict[int, str]:
    """User id -> name."""
    if not ids:
        return {}
    rows = session.execute(select(User.id, User.name).where(User.id.in_(sorted(ids))))
    return {ident: name for ident, name in rows}


def first_department(session: Session, user_id: int) -> int | None:
    """The lowest id among the user's departments (None: no department)."""
    query = (select(UserDepartment.department_id).where(UserDepartment.user_id == user_id)
             .order_by(UserDepartment.department_id).limit(1))
    return session.scalar(query)


def department_labels(session: Session) -> dict[int, tuple[str, str]]:
    """Department id -> (code, name)."""
    rows = session.execute(select(Department.id, Department.code, Department.name))
    return {ident: (code, name) for ident, code, name in rows}


def department_parents(session: Session) -> dict[int, int | None]:
    """Department id -> its parent's id."""
    return {i: p for i, p in session.execute(select(Department.id, Department.parent_id))}


# --- facts for the measured evidence ---------------------------------------------------------


def _within(column: Any, departments: Collection[int] | None) -> list[ColumnElement[bool]]:
    return [] if departments is None else [column.in_(sorted(departments))]


def reporting_projects(session: Session, departments: Collection[int] | None
                       ) -> Sequence[Any]:
    """(id, department, tier, created_at, actual_start, planned_start) of projects in a
    reporting stage."""
    query = (select(Project.id, Project.department_id, Project.tier, Project.created_at,
                    Project.actual_start, Project.planned_start)
             .where(Project.stage.in_(sorted(REPORTING_STAGES)),
                    *_within(Project.department_id, departments))
             .order_by(Project.id))
    return session.execute(query).all()


def report_submissions(session: Session, project_ids: Collection[int]) -> Sequence[Any]:
    """(project id, period start, submitted at) of these projects' status reports."""
    if not project_ids:
        return []
    query = select(StatusReport.project_id, StatusReport.period_start,
                   StatusReport.submitted_at).where(
        StatusReport.project_id.in_(sorted(project_ids)))
    return session.execute(query).all()


def change_responses(session: Session, departments: Collection[int] | None, start: datetime,
                     end: datetime) -> Sequence[Any]:
    """(notified at, acknowledged at or None) of the change notices departments received
    in [start, end)."""
    query = select(ChangeResponse.notified_at, ChangeResponse.acknowledged_at).where(
        ChangeResponse.notified_at >= start, ChangeResponse.notified_at < end,
        *_within(ChangeResponse.department_id, departments))
    return session.execute(query).all()


def decisions(session: Session, departments: Collection[int] | None, start: datetime,
              end: datetime) -> Sequence[Any]:
    """(registered at, decided at) of the intake requests decided in [start, end)."""
    query = select(IntakeRequest.created_at, IntakeRequest.decided_at).where(
        IntakeRequest.decided_at.is_not(None), IntakeRequest.decided_at >= start,
        IntakeRequest.decided_at < end, *_within(IntakeRequest.department_id, departments))
    return session.execute(query).all()


def score_counts(session: Session, round_ids: Collection[int]) -> dict[int, int]:
    """Round id -> how many scores it holds."""
    if not round_ids:
        return {}
    query = (select(DiagnosticScore.round_id, func.count()).where(
        DiagnosticScore.round_id.in_(sorted(round_ids))).group_by(DiagnosticScore.round_id))
    return {ident: count for ident, count in session.execute(query)}


def department_rounds(session: Session, version: str,
                      where: ColumnElement[bool]) -> Sequence[DiagnosticRound]:
    """Completed department rounds of one instrument version ``where`` selects, oldest
    first."""
    query = (select(DiagnosticRound).where(
        where, DiagnosticRound.department_id.is_not(None), DiagnosticRound.status == "completed",
        DiagnosticRound.instrument_version == version)
        .order_by(DiagnosticRound.completed_at, DiagnosticRound.id))
    return session.scalars(query).all()
