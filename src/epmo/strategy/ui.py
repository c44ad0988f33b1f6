"""Pages of the strategy domain: the goal tree, a goal, and the goal forms."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from epmo.auth.policy import Actor
from epmo.errors import EpmoError, FieldError, Invalid
from epmo.org import repository as org_repository
from epmo.strategy import policy, repository, service
from epmo.strategy.models import Goal
from epmo.strategy.schemas import GoalCreate, GoalUpdate
from epmo.web.deps import DB, CurrentActor, SubmittedForm, check_csrf_form
from epmo.web.pages import (
    flash_redirect,
    form_action,
    form_values,
    parse_form,
    render,
    with_ints,
)

router = APIRouter(include_in_schema=False)
CSRF = Depends(check_csrf_form)
FORM = "strategy/goal_form.html"
INT_FIELDS = ("parent_id", "version")


def _version(values: dict[str, Any]) -> int:
    version = values.get("version")
    if not isinstance(version, int):
        raise Invalid("The form lost its version; reload it", [FieldError("version", "required")])
    return version


def _owner_id(session: Session, code: str | None) -> int | None:
    if not code:
        return None
    person = org_repository.get_person_by_code(session, code)
    if person is None:
        raise Invalid("Unknown owner", [FieldError("owner_code", f"no person with code {code}")])
    return person.id


def _submitted(submitted: FormData, session: Session) -> dict[str, Any]:
    """Read the goal form into the shape of GoalCreate/GoalUpdate."""
    values = with_ints(form_values(submitted), *INT_FIELDS)
    values["description"] = values.get("description") or ""
    values["weight"] = values.get("weight") or "0"
    values["owner_id"] = _owner_id(session, values.pop("owner_code", None))
    return values


def _form_of(session: Session, goal: Goal) -> dict[str, Any]:
    owner = repository.goal_owner(session, goal)
    return {"code": goal.code, "name": goal.name, "description": goal.description,
            "parent_id": goal.parent_id, "weight": goal.weight, "version": goal.version,
            "owner_code": owner.code if owner else ""}


def _parent_choices(session: Session, goal: Goal | None) -> list[tuple[int, str]]:
    """Every goal, indented, except ``goal`` and the goals below it (they would loop)."""
    choices: list[tuple[int, str]] = []
    skip_below: int | None = None
    for node in repository.goal_tree(session):
        if skip_below is not None and node.depth > skip_below:
            continue
        skip_below = node.depth if goal is not None and node.goal.id == goal.id else None
        if skip_below is None:
            label = "\u00a0" * 3 * node.depth + f"{node.goal.code} {node.goal.name}"
            choices.append((node.goal.id, label))
    return choices


def _show_form(request: Request, session: Session, actor: Actor, goal: Goal | None,
               form: dict[str, Any], error: EpmoError | None = None) -> Response:
    parents = _parent_choices(session, goal)
    return render(request, FORM, actor, status=error.status if error else 200, goal=goal,
                  form=form, parents=parents, error=error)


@router.get("/goals")
def goals_page(request: Request, session: DB, actor: CurrentActor) -> Response:
    """The goal tree with weights, warning where siblings do not sum to 100."""
    return render(request, "strategy/goals.html", actor, nodes=repository.goal_tree(session),
                  totals=repository.weight_totals(session),
                  can_edit=policy.can_edit_goals(actor))


@router.get("/goals/new")
def new_goal_page(request: Request, session: DB, actor: CurrentActor,
                  parent_id: int | None = None) -> Response:
    """The form for a new goal (optionally under ``parent_id``)."""
    policy.require_edit_goals(actor)
    return _show_form(request, session, actor, None, {"parent_id": parent_id, "weight": 0})


@router.post("/goals/new", dependencies=[CSRF])
def create_goal(request: Request, submitted: SubmittedForm,
                session: DB, actor: CurrentActor) -> Response:
    """Create the goal, or show the form again with what is wrong."""
    form = dict(submitted)
    return form_action(
        session, lambda: service.create_goal(session, actor, parse_form(
            GoalCreate, _submitted(submitted, session))),
        lambda exc: _show_form(request, session, actor, None, form, exc),
        lambda goal: flash_redirect(request, f"Goal {goal.code} created", f"/goals/{goal.id}"))


def _show_goal(request: Request, session: Session, actor: Actor, goal: Goal,
               error: EpmoError | None = None) -> Response:
    parent = repository.get_goal(session, goal.parent_id) if goal.parent_id else None
    return render(
        request, "strategy/goal.html", actor, status=error.status if error else 200,
        goal=goal, parent=parent, owner=repository.goal_owner(session, goal),
        children=repository.children(session, goal.id), totals=repository.weight_totals(session),
        links=repository.project_link_count(session, goal.id),
        can_edit=policy.can_edit_goals(actor), error=error,
    )


@router.get("/goals/{goal_id}")
def goal_page(request: Request, session: DB, actor: CurrentActor, goal_id: int) -> Response:
    """One goal: its place in the tree, its weight against its siblings, its sub-goals."""
    return _show_goal(request, session, actor, policy.access_goal_or_404(session, actor, goal_id))


@router.get("/goals/{goal_id}/edit")
def edit_goal_page(request: Request, session: DB, actor: CurrentActor,
                   goal_id: int) -> Response:
    """The form to change a goal."""
    goal = policy.access_goal_or_404(session, actor, goal_id)
    policy.require_edit_goals(actor)
    return _show_form(request, session, actor, goal, _form_of(session, goal))


@router.post("/goals/{goal_id}/edit", dependencies=[CSRF])
def update_goal(request: Request, submitted: SubmittedForm, session: DB, actor: CurrentActor,
                      goal_id: int) -> Response:
    """Save the goal, or show the form again (a stale version answers 409)."""
    goal = policy.access_goal_or_404(session, actor, goal_id)
    form = dict(submitted)
    return form_action(
        session, lambda: service.update_goal(session, actor, goal_id, parse_form(
            GoalUpdate, _submitted(submitted, session))),
        lambda exc: _show_form(request, session, actor, goal, form, exc),
        lambda saved: flash_redirect(request, f"Goal {saved.code} saved",
                                     f"/goals/{saved.id}"))


@router.post("/goals/{goal_id}/delete", dependencies=[CSRF])
def delete_goal(request: Request, submitted: SubmittedForm, session: DB, actor: CurrentActor,
                      goal_id: int) -> Response:
    """Delete the goal, or show it again saying why not."""
    goal = policy.access_goal_or_404(session, actor, goal_id)
    code = goal.code
    values = with_ints(form_values(submitted), "version")
    return form_action(
        session, lambda: service.delete_goal(session, actor, goal_id, _version(values)),
        lambda exc: _show_goal(request, session, actor, goal, exc),
        lambda _: flash_redirect(request, f"Goal {code} deleted", "/goals"))
