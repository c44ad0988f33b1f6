"""Reads of the value ledger: entries, and the hub's events that proposals come from."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from epmo.auth.models import User
from epmo.compliance.models import GateReview
from epmo.intake.models import IntakeRequest, RequestCost
from epmo.ledger.models import LedgerEntry
from epmo.network.models import ChangeEvent, ChangeImpact, ChangeResponse
from epmo.org.models import Department
from epmo.portfolio.models import Project
from epmo.resources.models import Lending
from epmo.selection.models import Scenario, ScenarioCandidate
from epmo.sql import holds

EVIDENCE_MODELS: dict[str, Any] = {
    "project": Project, "gate_review": GateReview, "intake_request": IntakeRequest,
    "change_event": ChangeEvent, "lending": Lending, "scenario": Scenario,
}


def entry_query(scope: ColumnElement[bool], *, status: str | None = None,
                category: str | None = None, quarter: str | None = None,
                department_id: int | None = None) -> Select[LedgerEntry]:
    """The entries in scope matching the filters, newest first."""
    query = select(LedgerEntry).where(scope)
    if status:
        query = query.where(LedgerEntry.status == status)
    if category:
        query = query.where(LedgerEntry.category == category)
    if quarter:
        query = query.where(LedgerEntry.quarter == quarter)
    if department_id is not None:
        query = query.where(LedgerEntry.department_id == department_id)
    return query.order_by(LedgerEntry.occurred_on.desc(), LedgerEntry.id.desc())


def all_entries(session: Session) -> Sequence[LedgerEntry]:
    """Every entry, oldest first."""
    return session.scalars(select(LedgerEntry).order_by(LedgerEntry.id)).all()


def entries_in(session: Session, scope: ColumnElement[bool],
               quarters: Sequence[str]) -> Sequence[LedgerEntry]:
    """Every entry in scope in the quarters named (one query)."""
    query = select(LedgerEntry).where(scope, LedgerEntry.quarter.in_(list(quarters)))
    return session.scalars(query.order_by(LedgerEntry.occurred_on, LedgerEntry.id)).all()


def known_keys(session: Session) -> set[str]:
    """Every evidence key proposed so far (also rejected ones): a scan skips them."""
    found = session.scalars(select(LedgerEntry.evidence_key).where(
        LedgerEntry.evidence_key.is_not(None)))
    return {key for key in found if key is not None}


def departments(session: Session) -> dict[int, Department]:
    """Every department by id."""
    return {d.id: d for d in session.scalars(select(Department))}


def user_names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    """Names of the users named."""
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.name).where(User.id.in_(wanted))).all()
    return {row[0]: row[1] for row in rows}


def project_codes(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    """Codes of the projects named."""
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    rows = session.execute(select(Project.id, Project.code)
                           .where(Project.id.in_(wanted))).all()
    return {row[0]: row[1] for row in rows}


def evidence_exists(session: Session, kind: str, ident: int) -> bool:
    """Whether the hub object named as evidence exists."""
    return session.get(EVIDENCE_MODELS[kind], ident) is not None


def evidence_holding(session: Session, kind: str, typed: str,
                     limit: int) -> list[tuple[int, tuple[Any, ...]]]:
    """Hub objects of ``kind`` whose code or name (or their project's) holds ``typed``: the
    evidence picker's (id, words naming it), newest first where there is no code."""
    model = EVIDENCE_MODELS[kind]
    if kind == "project":
        query = select(Project.id, Project.code, Project.name).where(
            or_(holds(Project.code, typed), holds(Project.name, typed))).order_by(Project.code)
    elif kind == "intake_request":
        query = select(IntakeRequest.id, IntakeRequest.code, IntakeRequest.title).where(
            or_(holds(IntakeRequest.code, typed), holds(IntakeRequest.title, typed))
        ).order_by(IntakeRequest.code)
    elif kind == "scenario":
        query = select(Scenario.id, Scenario.name, Scenario.status).where(
            holds(Scenario.name, typed)).order_by(Scenario.name)
    else:  # gate reviews, change events and lendings are named by their project
        words = {"gate_review": (GateReview.gate_code, GateReview.decision),
                 "change_event": (ChangeEvent.field, ChangeEvent.new_date),
                 "lending": (Lending.role, Lending.status)}[kind]
        query = select(model.id, Project.code, *words).join(
            Project, Project.id == model.project_id).where(
            or_(holds(Project.code, typed), holds(Project.name, typed), holds(words[0], typed))
        ).order_by(model.id.desc())
    return [(row[0], tuple(row[1:])) for row in session.execute(query.limit(limit))]


# --- the hub's events that proposals come from -------------------------------------------

def stopped_at_gates(session: Session) -> Sequence[tuple[GateReview, Project]]:
    """Gate reviews decided kill or hold, with their projects."""
    return session.execute(
        select(GateReview, Project).join(Project, Project.id == GateReview.project_id)
        .where(GateReview.decision.in_(("kill", "hold")), GateReview.decided_at.is_not(None))
        .order_by(GateReview.id)).all()


def cancelled_projects(session: Session) -> Sequence[Project]:
    """Cancelled projects that no gate review killed (those are proposed from the gate)."""
    killed = select(GateReview.project_id).where(GateReview.decision == "kill")
    return session.scalars(select(Project).where(
        Project.stage == "cancelled", Project.id.not_in(killed)).order_by(Project.id)).all()


def rejected_requests(session: Session) -> Sequence[tuple[IntakeRequest, Decimal | None]]:
    """Intake requests decided ``reject``, with the total of their cost lines (None: none)."""
    total = (select(RequestCost.request_id, func.sum(RequestCost.amount).label("total"))
             .group_by(RequestCost.request_id).subquery())
    return session.execute(
        select(IntakeRequest, total.c.total)
        .outerjoin(total, total.c.request_id == IntakeRequest.id)
        .where(IntakeRequest.stage == "rejected", IntakeRequest.decided_at.is_not(None))
        .order_by(IntakeRequest.id)).all()


def absorbed_changes(session: Session) -> Sequence[tuple[Any, ...]]:
    """Responses ``absorb`` with their event, and the department's earliest new date and
    largest slip among the event's impacts (one query)."""
    impact = (select(ChangeImpact.event_id, ChangeImpact.department_id,
                     func.min(ChangeImpact.new_date).label("first_date"),
                     func.max(ChangeImpact.slip_days).label("slip"))
              .group_by(ChangeImpact.event_id, ChangeImpact.department_id).subquery())
    return session.execute(
        select(ChangeResponse, ChangeEvent, impact.c.first_date, impact.c.slip)
        .join(ChangeEvent, ChangeEvent.id == ChangeResponse.event_id)
        .join(impact, (impact.c.event_id == ChangeResponse.event_id)
              & (impact.c.department_id == ChangeResponse.department_id))
        .where(ChangeResponse.response == "absorb", ChangeResponse.responded_at.is_not(None))
        .order_by(ChangeResponse.id)).all()


def caught_lendings(session: Session) -> Sequence[tuple[Lending, Project]]:
    """Lendings declined, or booked on a counter-offer's terms, with their projects."""
    return session.execute(
        select(Lending, Project).join(Project, Project.id == Lending.project_id)
        .where((Lending.status == "declined")
               | (Lending.status.in_(("soft", "hard")) & Lending.offer_fte.is_not(None)))
        .order_by(Lending.id)).all()


def first_day(day: Any) -> date | None:
    """A date column's value (SQLite may hand back a string from an aggregate)."""
    if day is None or isinstance(day, date):
        return day
    return date.fromisoformat(str(day)[:10])


def committed_scenarios(session: Session) -> Sequence[Scenario]:
    """Selection scenarios committed with a solved result."""
    return session.scalars(select(Scenario).where(
        Scenario.committed_at.is_not(None), Scenario.result.is_not(None))
        .order_by(Scenario.id)).all()


def candidate_departments(session: Session, scenario_id: int) -> dict[int, int]:
    """Each candidate of the scenario and the department of its request or project."""
    rows = session.execute(
        select(ScenarioCandidate.id, IntakeRequest.department_id, Project.department_id)
        .outerjoin(IntakeRequest, IntakeRequest.id == ScenarioCandidate.request_id)
        .outerjoin(Project, Project.id == ScenarioCandidate.project_id)
        .where(ScenarioCandidate.scenario_id == scenario_id)).all()
    return {row[0]: row[1] or row[2] for row in rows if (row[1] or row[2]) is not None}
