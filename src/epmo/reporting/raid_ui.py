"""Pages of a project's RAID register: list, add, edit, close, delete."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from epmo.auth.policy import Actor
from epmo.contracts.models import RAID_KINDS
from epmo.editing import as_int
from epmo.errors import FieldError, Invalid
from epmo.portfolio.forms import Form
from epmo.portfolio.models import Project
from epmo.portfolio.views import person_choices
from epmo.reporting import policy, repository, service, views
from epmo.reporting.models import RAID_STATUSES
from epmo.reporting.schemas import RaidCreate, RaidUpdate
from epmo.web.deps import DB, CurrentActor, PathId, check_csrf_form
from epmo.web.pages import flash_redirect, form_action, form_values, parse_form, render

router = APIRouter(include_in_schema=False)
CSRF = [Depends(check_csrf_form)]
INTS = ("probability", "impact", "owner_id", "version")
TEXTS = ("description", "response")
EDITED = ("kind", "title", "description", "probability", "impact", "owner_id", "response",
          "status", "raised_on", "due_on", "version")
Choice = Annotated[str | None, Query(max_length=20)]


def _values(form: FormData, creating: bool) -> dict[str, Any]:
    values = form_values(form)
    values.update({key: as_int(values[key]) for key in INTS if values.get(key) is not None})
    values.update({key: values.get(key) or "" for key in TEXTS})
    if creating:
        return {key: value for key, value in values.items() if value is not None}
    return values


def _register(request: Request, session: Session, actor: Actor, project: Project,
              status: int = 200, **extra: Any) -> Response:
    params = request.query_params
    kind = params.get("kind") if params.get("kind") in RAID_KINDS else None
    state = params.get("status") if params.get("status") in RAID_STATUSES else None
    items = repository.list_raid(session, project.id, kind, state, 500)
    context: dict[str, Any] = {"new": {"kind": "risk", "status": "open"}, "new_error": None,
                               "editing": None, "edit_error": None, "row_error": None} | extra
    return render(request, "reporting/raid.html", actor, status, project=project, tab="raid",
                  items=views.describe_raid(session, items), kinds=RAID_KINDS,
                  statuses=RAID_STATUSES, kind=kind, state=state,
                  kind_options=[(k, k) for k in RAID_KINDS],
                  status_options=[(s, s) for s in RAID_STATUSES],
                  ratings=[(n, str(n)) for n in range(1, 6)],
                  owners=[(p.id, p.name) for p in person_choices(session)],
                  can_write=policy.can_write(actor, project), **context)


@router.get("/projects/{project_id}/raid")
def raid_page(request: Request, session: DB, actor: CurrentActor, project_id: PathId,
              kind: Choice = None, status: Choice = None,
              edit: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None) -> Response:
    """A project's RAID register; ``?edit=ID`` opens an item's editor."""
    project = policy.access_project_or_404(session, actor, project_id)
    editing = None
    if edit is not None:
        item = policy.writable_raid_or_404(session, actor, project.id, edit)
        editing = {key: "" if getattr(item, key) is None else str(getattr(item, key))
                   for key in EDITED} | {"id": str(item.id)}
    return _register(request, session, actor, project, editing=editing)


@router.post("/projects/{project_id}/raid", dependencies=CSRF)
def create_raid_page(request: Request, session: DB, actor: CurrentActor, project_id: PathId,
                     form: Form) -> Response:
    """Add an item to the register, or show the form again with what is wrong."""
    project = policy.access_project_or_404(session, actor, project_id)
    return form_action(
        session, lambda: service.create_raid_item(session, actor, project.id, parse_form(
            RaidCreate, _values(form, creating=True))),
        lambda exc: _register(request, session, actor, project, exc.status,
                              new=_state(form), new_error=exc),
        lambda item: flash_redirect(request, f"{item.kind.title()} added: {item.title}",
                                    f"/projects/{project.id}/raid"))


def _state(form: FormData) -> dict[str, str]:
    return {key: str(form.get(key) or "") for key in form}


@router.post("/projects/{project_id}/raid/{item_id}/edit", dependencies=CSRF)
def update_raid_page(request: Request, session: DB, actor: CurrentActor, project_id: PathId,
                     item_id: PathId, form: Form) -> Response:
    """Save an item, or show its editor again with what is wrong."""
    project = policy.access_project_or_404(session, actor, project_id)
    return form_action(
        session, lambda: service.update_raid_item(session, actor, project.id, item_id,
                                                  parse_form(RaidUpdate, _values(form, False))),
        lambda exc: _register(request, session, actor, project, exc.status,
                              editing=_state(form) | {"id": str(item_id)}, edit_error=exc),
        lambda _: flash_redirect(request, "RAID item saved", f"/projects/{project.id}/raid"))


@router.post("/projects/{project_id}/raid/{item_id}/status", dependencies=CSRF)
def close_raid_page(request: Request, session: DB, actor: CurrentActor, project_id: PathId,
                    item_id: PathId, form: Form) -> Response:
    """Close (or reopen) an item: the form sends ``status`` and the version read."""
    project = policy.access_project_or_404(session, actor, project_id)
    values = {"version": as_int(form.get("version")), "status": form.get("status")}
    return form_action(
        session, lambda: service.update_raid_item(session, actor, project.id, item_id,
                                                  parse_form(RaidUpdate, values)),
        lambda exc: _register(request, session, actor, project, exc.status, row_error=exc),
        lambda item: flash_redirect(
            request, f"RAID item {'closed' if item.status == 'closed' else 'reopened'}",
            f"/projects/{project.id}/raid"))


@router.post("/projects/{project_id}/raid/{item_id}/delete", dependencies=CSRF)
def delete_raid_page(request: Request, session: DB, actor: CurrentActor, project_id: PathId,
                     item_id: PathId, form: Form) -> Response:
    """Delete an item from the register."""
    project = policy.access_project_or_404(session, actor, project_id)
    def write() -> None:
        version = as_int(form.get("version"))
        if not isinstance(version, int):
            raise Invalid("Reload the page and try again",
                          [FieldError("version", "must be a whole number")])
        service.delete_raid_item(session, actor, project.id, item_id, version)
    return form_action(
        session, write,
        lambda exc: _register(request, session, actor, project, exc.status, row_error=exc),
        lambda _: flash_redirect(request, "RAID item deleted", f"/projects/{project.id}/raid"))
