"""Who may see and change what in the resources domain.

The heatmap's figures (FTE per department, role and month) are for every signed-in user: a
department looking for a specialist must see who has one free. Its drill-down names only the
projects the reader may read and counts the rest. Calendars follow the people directory:
readable by all, kept by administrators and the leads of the person's department. A holiday
for everyone is kept by administrators, a department's by its leads. A lending is seen by
whoever may read its project or lead the lending department; the borrower's side (ask, take
an offer, cancel) belongs to the project's writers, the lender's side (accept, confirm,
counter, decline) to the lending department's leads. What-if scenarios are read by all;
EPMO administrators and department leads make them; a scenario is renamed or removed by
administrators and whoever made it; a change is added or removed by administrators and the
leads of the department it takes from (a hire's, a leave's, a move's sending department).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_, select, true
from sqlalchemy.orm import Session

from epmo.auth.policy import Actor, can_lead_department, is_admin, spans_enterprise
from epmo.errors import Forbidden, NotFound
from epmo.portfolio import policy as portfolio_policy
from epmo.portfolio.models import Project
from epmo.resources import repository
from epmo.resources.models import CapacityScenario, Lending

LENDER_ACTIONS = {"requested": ("accept", "counter", "decline"),
                  "countered": ("decline",), "soft": ("confirm", "decline"),
                  "hard": ("decline",)}  # a lender may take a person back, saying why
BORROWER_ACTIONS = {"requested": ("cancel",), "countered": ("take_offer", "cancel"),
                    "soft": ("cancel",), "hard": ("cancel",)}


def may_keep_holiday(actor: Actor, department_id: int | None) -> bool:
    """Whether the actor may keep holidays of that department (None: everyone's)."""
    return is_admin(actor) if department_id is None else can_lead_department(actor,
                                                                             department_id)


def require_keep_holiday(actor: Actor, department_id: int | None) -> None:
    """Raise Forbidden unless the actor may keep holidays of that department (None: all)."""
    if not may_keep_holiday(actor, department_id):
        raise Forbidden("Holidays for everyone are kept by EPMO administrators, a "
                        "department's by its leads")


def lending_scope(actor: Actor) -> ColumnElement[bool]:
    """WHERE clause: the lendings the actor may see."""
    if spans_enterprise(actor):
        return true()
    readable = select(Project.id).where(portfolio_policy.project_scope(actor))
    conditions = [Lending.project_id.in_(readable)]
    if actor.role == "department_lead" and actor.scope:
        conditions.append(Lending.lender_department_id.in_(sorted(actor.scope)))
    return or_(*conditions)


def access_lending_or_404(session: Session, actor: Actor, lending_id: int) -> Lending:
    """The lending when the actor may see it, else NotFound."""
    lending = repository.get_lending(session, lending_id)
    if lending is None or not may_see(session, actor, lending):
        raise NotFound(f"Lending {lending_id} not found")
    return lending


def may_see(session: Session, actor: Actor, lending: Lending) -> bool:
    """Whether the actor may see the lending: the lender's leads, the project's readers."""
    if can_lead_department(actor, lending.lender_department_id):
        return True
    project = session.get(Project, lending.project_id)
    return project is not None and portfolio_policy.can_read_project(session, actor, project)


def actions(session: Session, actor: Actor, lending: Lending) -> list[str]:
    """The answers the actor may give the lending now."""
    found: list[str] = []
    if can_lead_department(actor, lending.lender_department_id):
        found += LENDER_ACTIONS.get(lending.status, ())
    project = session.get(Project, lending.project_id)
    if project is not None and portfolio_policy.can_write_project(actor, project):
        found += [a for a in BORROWER_ACTIONS.get(lending.status, ()) if a not in found]
    return found


def can_plan(actor: Actor) -> bool:
    """Whether the actor may make what-if scenarios: administrators and department leads."""
    return is_admin(actor) or actor.role == "department_lead"


def require_plan(actor: Actor) -> None:
    """Raise Forbidden unless the actor may make what-if scenarios."""
    if not can_plan(actor):
        raise Forbidden("What-if scenarios are made by EPMO administrators and department leads")


def can_edit_scenario(actor: Actor, scenario: CapacityScenario) -> bool:
    """Rename or remove a scenario: administrators and whoever made it."""
    return is_admin(actor) or (can_plan(actor) and scenario.created_by_id == actor.id)


def require_change(actor: Actor, department_id: int, code: str) -> None:
    """Raise Forbidden unless the actor leads the department a change takes from (or adds to)."""
    if not can_lead_department(actor, department_id):
        raise Forbidden(f"Only the leads of {code} (or EPMO administrators) may plan changes "
                        f"to {code}'s capacity")


def access_scenario_or_404(session: Session, scenario_id: int) -> CapacityScenario:
    """The scenario (every signed-in user reads scenarios), else NotFound."""
    scenario = repository.get_scenario(session, scenario_id)
    if scenario is None:
        raise NotFound(f"Scenario {scenario_id} not found")
    return scenario
