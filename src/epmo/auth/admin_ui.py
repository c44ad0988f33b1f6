"""User administration pages for EPMO administrators (/admin/users)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from epmo.auth import admin_service, policy, repository, resets, service
from epmo.auth.models import ROLES, User
from epmo.auth.policy import Actor
from epmo.auth.schemas import UserCreate, UserUpdate
from epmo.config import get_settings
from epmo.editing import paginate
from epmo.errors import EpmoError, FieldError, Invalid
from epmo.org import repository as org_repository
from epmo.web.deps import DB, CurrentActor, PageParams, PathId, SubmittedForm, check_csrf_form
from epmo.web.pages import (
    flash_redirect,
    form_action,
    form_values,
    parse_form,
    pick_label,
    render,
    with_ints,
)

router = APIRouter(include_in_schema=False)
CSRF = Depends(check_csrf_form)
ALL = 10_000  # every department is offered in the form


def _departments(session: Session) -> dict[int, str]:
    """Department id -> code, for every department."""
    found = paginate(session, org_repository.department_query(), ALL, 0)
    return {d.id: d.code for d in found.items}


def _show_users(request: Request, session: Session, actor: Actor, page: PageParams,
                error: EpmoError | None = None, reset: dict[str, Any] | None = None) -> Response:
    users = paginate(session, repository.user_query(), page.limit, page.offset)
    codes = _departments(session)
    memberships = {u.id: [codes.get(d, "?") for d in repository.department_ids(session, u.id)]
                   for u in users.items}
    return render(request, "auth/users.html", actor, status=error.status if error else 200,
                  page=users, memberships=memberships, base_query="", error=error, reset=reset)


@router.get("/admin/users")
def users_page(request: Request, session: DB, actor: CurrentActor,
               page: PageParams) -> Response:
    """Every user with their role, departments and whether they may sign in."""
    policy.require_admin(actor)
    return _show_users(request, session, actor, page)


def _show_form(request: Request, session: Session, actor: Actor, form: dict[str, Any],
               error: EpmoError | None = None, user: User | None = None) -> Response:
    departments = sorted(_departments(session).values())
    roles = [(role, role.replace("_", " ")) for role in ROLES]
    return render(request, "auth/users_form.html", actor, status=error.status if error else 200,
                  form=form, roles=roles, departments=departments, error=error, user=user)


@router.get("/admin/users/new")
def new_user_page(request: Request, session: DB, actor: CurrentActor) -> Response:
    """The form for a new user."""
    policy.require_admin(actor)
    return _show_form(request, session, actor, {"role": "viewer", "department_codes": []})


def _submitted(form: FormData) -> dict[str, Any]:
    values = form_values(form)
    values["department_codes"] = [str(code) for code in form.getlist("department_codes")]
    return values


@router.post("/admin/users/new", dependencies=[CSRF])
def create_user(request: Request, submitted: SubmittedForm,
                session: DB, actor: CurrentActor) -> Response:
    """Create the user, or show the form again with what is wrong."""
    policy.require_admin(actor)
    form = _submitted(submitted)
    values = {k: form.get(k) for k in ("email", "name", "role", "password")}
    # never echo a password back into the page
    typed = {k: v for k, v in form.items() if k != "password"}
    return form_action(
        session, lambda: admin_service.create_user(session, actor, parse_form(
            UserCreate, values | {"department_codes": form["department_codes"]})),
        lambda exc: _show_form(request, session, actor, typed, exc),
        lambda user: flash_redirect(request, f"User {user.email} created", "/admin/users"))


def _person_label(session: Session, person_id: int | None) -> str:
    person = org_repository.get_person(session, person_id) if person_id else None
    return pick_label(person.name, person.role, ident=person.id) if person else ""


@router.get("/admin/users/{user_id}/edit")
def edit_user_page(request: Request, session: DB, actor: CurrentActor, user_id: PathId) -> Response:
    """The form to change a user's name, role, departments and linked person."""
    policy.require_admin(actor)
    user = service.get_user(session, user_id)
    codes = _departments(session)
    form = {"name": user.name, "role": user.role, "version": user.version,
            "person_id": _person_label(session, user.person_id),
            "department_codes": [codes[d] for d in repository.department_ids(session, user.id)
                                 if d in codes]}
    return _show_form(request, session, actor, form, user=user)


@router.post("/admin/users/{user_id}/edit", dependencies=[CSRF])
def edit_user(request: Request, submitted: SubmittedForm, session: DB, actor: CurrentActor,
              user_id: PathId) -> Response:
    """Save the user's new role and departments, or show the form again with what is wrong."""
    policy.require_admin(actor)
    user = service.get_user(session, user_id)
    form = _submitted(submitted)
    values = with_ints({k: form.get(k) for k in ("version", "name", "role", "person_id")},
                       "version", "person_id")
    values["person_id"] = values["person_id"] or None
    return form_action(
        session, lambda: admin_service.update_user(session, actor, user_id, parse_form(
            UserUpdate, values | {"department_codes": form["department_codes"]})),
        lambda exc: _show_form(request, session, actor, form, exc, user=user),
        lambda saved: flash_redirect(request, f"{saved.email} saved", "/admin/users"))


def _set_active(request: Request, submitted: FormData, session: Session, actor: Actor,
                page: PageParams, user_id: int, active: bool) -> Response:
    version = form_values(submitted).get("version") or ""

    def write() -> User:
        if not version.isdigit():
            raise Invalid("The form lost its version", [FieldError("version", "required")])
        return admin_service.set_user_active(session, actor, user_id, active, int(version))
    return form_action(
        session, write, lambda exc: _show_users(request, session, actor, page, exc),
        lambda user: flash_redirect(
            request, f"{user.email} {'reactivated' if active else 'deactivated'}", "/admin/users"))


@router.post("/admin/users/{user_id}/deactivate", dependencies=[CSRF])
def deactivate_user(request: Request, submitted: SubmittedForm,
                    session: DB, actor: CurrentActor, page: PageParams,
                          user_id: int) -> Response:
    """Stop a user signing in or using their tokens."""
    return _set_active(request, submitted, session, actor, page, user_id, False)


@router.post("/admin/users/{user_id}/reactivate", dependencies=[CSRF])
def reactivate_user(request: Request, submitted: SubmittedForm,
                    session: DB, actor: CurrentActor, page: PageParams,
                          user_id: int) -> Response:
    """Let a deactivated user sign in again."""
    return _set_active(request, submitted, session, actor, page, user_id, True)


@router.post("/admin/users/{user_id}/reset-password", dependencies=[CSRF])
def reset_password(request: Request, session: DB, actor: CurrentActor, page: PageParams,
                   user_id: int) -> Response:
    """Make a one-time reset link and show it to the administrator once (not stored)."""
    return form_action(
        session, lambda: admin_service.reset_password(session, actor, user_id),
        lambda exc: _show_users(request, session, actor, page, exc),
        lambda made: _show_reset(request, session, actor, page, *made))


def _show_reset(request: Request, session: Session, actor: Actor, page: PageParams, user: User,
                token: str) -> Response:
    link = resets.reset_link(token)
    if not link.startswith("http"):
        link = str(request.base_url).rstrip("/") + link
    reset = {"email": user.email, "link": link, "hours": get_settings().password_reset_hours}
    response = _show_users(request, session, actor, page, reset=reset)
    response.headers["Cache-Control"] = "no-store"  # the link must not linger in caches
    return response
