"""Lending between departments: a project asks, the lending department answers.

A request names a role of another department, or a person by name (of another department, or
of the project's own: a booking by name, which moves no capacity between departments but
shows on the person's weeks).

The life cycle is ServiceNow's: requested, then soft-booked (accepted), then hard-booked
(confirmed); the lender may counter (fewer hours, other dates), which the borrower takes (it
becomes soft-booked on the lender's terms) or not; either side may end it (declined by the
lender, cancelled by the borrower). Booked lendings move capacity in the heatmap and the queue.
Each step tells the other side, as the dependency handshake does.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor, scope_below
from epmo.db import utcnow
from epmo.editing import check_version
from epmo.errors import Conflict, FieldError, Forbidden, Invalid
from epmo.network.repository import owners_of
from epmo.notifications.publishing import publish
from epmo.org import repository as org_repository
from epmo.org.models import Person
from epmo.portfolio import policy as portfolio_policy
from epmo.portfolio.models import Project
from epmo.resources import policy, repository
from epmo.resources.models import Lending
from epmo.resources.repository import role_key
from epmo.resources.schemas import LendingAnswer, LendingCreate

SHOWN_ROLES = 12
NEXT = {"accept": "soft", "confirm": "hard", "counter": "countered", "decline": "declined",
        "take_offer": "soft", "cancel": "cancelled"}
VERBS = {"accept": "accepted (soft-booked)", "confirm": "confirmed (hard-booked)",
         "counter": "countered", "decline": "declined", "take_offer": "offer taken (soft-booked)",
         "cancel": "cancelled"}


def project_span(project: Project) -> tuple[date | None, date | None]:
    """The project's effective start and finish: the forecast, else the plan."""
    return (project.forecast_start or project.planned_start,
            project.forecast_finish or project.planned_finish)


def span_errors(project: Project, starts: date, ends: date) -> list[FieldError]:
    """A lending (or offer) outside the project's dates, in words."""
    first, last = project_span(project)
    errors = []
    if first is not None and starts < first:
        errors.append(FieldError("starts", f"{starts} is before {project.code} starts "
                                           f"({first})"))
    if last is not None and ends > last:
        errors.append(FieldError("ends", f"{ends} is after {project.code} finishes ({last})"))
    return errors


def _role_errors(session: Session, lender_id: int, role: str,
                 person_id: int | None) -> tuple[str, list[FieldError]]:
    """The lender's spelling of the role, or why the lender cannot lend it."""
    lender = org_repository.get_department(session, lender_id)
    if lender is None:
        return role, [FieldError("lender_department_id", f"no department {lender_id}")]
    below = scope_below(org_repository.department_parents(session), {lender_id})
    roles = repository.department_roles(session, below)
    if role_key(role) not in roles:
        known = sorted(roles.values(), key=str.lower)
        listed = (", ".join(known[:SHOWN_ROLES]) + (" ..." if len(known) > SHOWN_ROLES else "")
                  if known else "nobody there holds a role")
        return role, [FieldError("role", f"{lender.code} has nobody with the role {role!r} "
                                         f"(roles there: {listed})")]
    spelled = roles[role_key(role)]
    person = session.get(Person, person_id) if person_id is not None else None
    if person_id is not None and (person is None or not person.active or person.placeholder
                                  or person.department_id not in below
                                  or role_key(person.role) != role_key(role)):
        return spelled, [FieldError("person_id", f"person {person_id} is no active {spelled} "
                                                 f"of {lender.code}")]
    return spelled, []


def create_lending(session: Session, actor: Actor, data: LendingCreate) -> Lending:
    """Ask another department for a role (writers of the project); its leads are told."""
    project = portfolio_policy.writable_project_or_404(session, actor, data.project_id)
    role, errors = _role_errors(session, data.lender_department_id, data.role, data.person_id)
    if data.lender_department_id == project.department_id and data.person_id is None:
        errors.append(FieldError("lender_department_id", f"{project.code} belongs to that "
                                 "department: its role demand plans its own people (name a "
                                 "person to book them by name)"))
    errors += span_errors(project, data.starts, data.ends)
    if errors:
        raise Invalid("The lending request has problems; nothing was sent", errors)
    lending = Lending(project_id=project.id, role=role, person_id=data.person_id,
                      lender_department_id=data.lender_department_id,
                      borrower_department_id=project.department_id, fte=data.fte,
                      starts=data.starts, ends=data.ends, note=data.note, status="requested",
                      requested_by_id=actor.id or None)
    session.add(lending)
    session.flush()
    _announce(session, lending, project, "requested", "requested")
    return lending


def answer_lending(session: Session, actor: Actor, lending_id: int,
                   data: LendingAnswer) -> Lending:
    """Answer a lending: the lender's leads or the project's writers, as the state allows."""
    lending = policy.access_lending_or_404(session, actor, lending_id)
    _require_action(session, actor, lending, data.action)
    check_version(lending, data.version)
    project = session.get(Project, lending.project_id)
    assert project is not None
    if data.action == "counter":
        _counter(lending, project, data)
    elif data.action == "take_offer":
        lending.fte = lending.offer_fte or lending.fte
        lending.starts = lending.offer_starts or lending.starts
        lending.ends = lending.offer_ends or lending.ends
    elif data.action == "decline" and not data.comment.strip():
        raise Invalid("Say why the lending is declined",
                      [FieldError("comment", "a decline needs a reason")])
    lending.status = NEXT[data.action]
    lending.response = data.comment
    lending.responded_by_id, lending.responded_at = actor.id or None, utcnow()
    session.flush()
    _announce(session, lending, project, data.action, VERBS[data.action])
    return lending


def _require_action(session: Session, actor: Actor, lending: Lending, action: str) -> None:
    if action in policy.actions(session, actor, lending):
        return
    lender_side = action in policy.LENDER_ACTIONS.get(lending.status, ())
    borrower_side = action in policy.BORROWER_ACTIONS.get(lending.status, ())
    if lender_side:
        raise Forbidden("Only the leads of the lending department may "
                        f"{action.replace('_', ' ')} this lending")
    if borrower_side:
        raise Forbidden(f"Only the writers of the borrowing project may "
                        f"{action.replace('_', ' ')} this lending")
    raise Conflict(f"A {lending.status} lending cannot be answered with {action!r}")


def _counter(lending: Lending, project: Project, data: LendingAnswer) -> None:
    fte: Decimal = data.fte or lending.fte
    starts, ends = data.starts or lending.starts, data.ends or lending.ends
    errors = span_errors(project, starts, ends)
    if ends < starts:
        errors.append(FieldError("ends", f"{ends} is before {starts}"))
    if (fte, starts, ends) == (lending.fte, lending.starts, lending.ends):
        errors.append(FieldError("fte", "a counter-offer changes the FTE or the dates"))
    if errors:
        raise Invalid("The counter-offer has problems; nothing was sent", errors)
    lending.offer_fte, lending.offer_starts, lending.offer_ends = fte, starts, ends


def _announce(session: Session, lending: Lending, project: Project, action: str,
              verb: str) -> None:
    """Tell the side that has to act next (or learn of the answer)."""
    if action in ("requested", "take_offer", "cancel"):
        recipients = owners_of(session, [], [lending.lender_department_id])
    else:
        managers = [project.manager_id] if project.manager_id is not None else []
        recipients = owners_of(session, managers, [project.department_id])
        recipients += [lending.requested_by_id] if lending.requested_by_id else []
    terms = f"{lending.fte} FTE {lending.role}, {lending.starts} to {lending.ends}"
    if action == "counter":
        terms = (f"offered {lending.offer_fte} FTE, {lending.offer_starts} to "
                 f"{lending.offer_ends} instead of {terms}")
    departments = repository.departments(session)
    lender = departments[lending.lender_department_id].code
    publish(session, kind=f"lending.{action}",
            title=f"Lending {verb}: {project.code} from {lender}: {lending.role}"[:300],
            body=f"{terms}. {lending.response or lending.note}".strip(),
            link=f"/resources/lending#lending-{lending.id}",
            recipients=sorted(set(recipients)),
            targets=[("project", project.id), ("department", lending.lender_department_id)],
            payload={"lending_id": lending.id, "status": lending.status})
