"""Pages of the connectors domain: Jira connections (list, form, runs, sync now)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy.orm import Session

from epmo.auth import service as auth_service
from epmo.auth import sessions
from epmo.auth.policy import Actor, spans_enterprise
from epmo.connectors import policy, repository, service, sync
from epmo.connectors.models import JiraConnection
from epmo.connectors.schemas import (
    DEFAULT_MAPS,
    MILESTONE_STATUSES,
    STAGES,
    JiraConnectionCreate,
    JiraConnectionUpdate,
)
from epmo.editing import paginate
from epmo.errors import EpmoError, Forbidden, Unauthorized
from epmo.org.models import Department
from epmo.portfolio import repository as portfolio_repository
from epmo.portfolio.forms import project_id_of
from epmo.web.deps import (
    DB,
    CurrentActor,
    PageParams,
    PathId,
    SubmittedForm,
    check_csrf_form,
)
from epmo.web.pages import (
    flash,
    flash_redirect,
    form_action,
    form_values,
    parse_form,
    redirect,
    render,
    with_ints,
)

router = APIRouter(include_in_schema=False)
CSRF = [Depends(check_csrf_form)]
BASE = "/connectors/jira"
CATEGORIES = (("new", "To Do (new)"), ("indeterminate", "In Progress (indeterminate)"),
              ("done", "Done (done)"))


def _departments(session: Session, actor: Actor) -> list[tuple[int, str]]:
    scope = None if spans_enterprise(actor) else Department.id.in_(sorted(actor.scope))
    rows = portfolio_repository.choice_rows(session, Department, scope)
    return [(row[0], f"{row[1]} {row[2]}") for row in rows]


def _page(request: Request, session: Session, actor: Actor, form: dict[str, Any],
          connection: JiraConnection | None = None, error: EpmoError | None = None,
          page: Any = None) -> Response:
    if not policy.may_manage_connections(actor):
        raise Forbidden("Only EPMO administrators and department leads manage Jira connections")
    return render(request, "connectors/connection.html", actor,
                  status=error.status if error else 200, form=form, error=error,
                  connection=connection, page=page, base_query="",
                  departments=_departments(session, actor), categories=CATEGORIES,
                  stages=sorted(STAGES), statuses=sorted(MILESTONE_STATUSES),
                  defaults=DEFAULT_MAPS)


@router.get(BASE)
def connections_page(request: Request, session: DB, actor: CurrentActor) -> Response:
    """The Jira connections you manage, with each one's latest run."""
    found = repository.list_connections(session, policy.connection_scope(actor))
    latest = repository.latest_runs(session, [row.id for row in found])
    return render(request, "connectors/list.html", actor, connections=found, latest=latest,
                  may_manage=policy.may_manage_connections(actor))


@router.get(BASE + "/new")
def new_page(request: Request, session: DB, actor: CurrentActor) -> Response:
    """The form for a new connection."""
    return _page(request, session, actor, {"target": "projects", "interval_minutes": 60,
                                           "active": "on"})


def form_of(session: Session, connection: JiraConnection) -> dict[str, Any]:
    """A connection's values as the form shows them (never the token)."""
    project = (portfolio_repository.get_project(session, connection.target_project_id)
               if connection.target_project_id else None)
    values: dict[str, Any] = {key: getattr(connection, key) for key in (
        "name", "department_id", "site_url", "email", "jql", "target", "target_department_id",
        "interval_minutes", "version")}
    values |= {f"status_{key}": value for key, value in connection.status_map.items()}
    values["project_keys"] = ", ".join(connection.project_keys)
    values["target_project_id"] = project.code if project else ""
    values["active"] = "on" if connection.active else ""
    return values


def values_of(session: Session, submitted: Any, creating: bool) -> dict[str, Any]:
    """The submitted form as the API schema's fields."""
    raw = form_values(submitted)
    values = {key: raw.get(key) for key in (
        "name", "department_id", "site_url", "email", "target", "target_department_id",
        "target_project_id", "interval_minutes", "version", "api_token")}
    if not values["api_token"] and not creating:
        del values["api_token"]  # empty: keep the stored token
    values["jql"] = raw.get("jql") or ""
    keys = str(raw.get("project_keys") or "").replace(",", " ").split()
    values["project_keys"] = [key.upper() for key in keys]
    values["status_map"] = {key: raw[f"status_{key}"] for key, _ in CATEGORIES
                            if raw.get(f"status_{key}")}
    values["active"] = bool(raw.get("active"))
    values["target_project_id"] = project_id_of(session, values["target_project_id"],
                                                "target_project_id")
    if creating:  # omitted fields take the schema's defaults or say they are required
        values = {key: value for key, value in values.items()
                  if value is not None and key != "version"}
    return with_ints(values, "department_id", "target_department_id", "target_project_id",
                     "interval_minutes", "version")


@router.post(BASE, dependencies=CSRF)
def create_page(request: Request, submitted: SubmittedForm, session: DB,
                actor: CurrentActor) -> Response:
    """Save a new connection and open it."""
    def write() -> JiraConnection:
        data = parse_form(JiraConnectionCreate, values_of(session, submitted, creating=True))
        return service.create_connection(session, actor, data)
    form = form_values(submitted) | {"api_token": ""}
    return form_action(
        session, write, lambda exc: _page(request, session, actor, form, error=exc),
        lambda made: flash_redirect(request, f"Jira connection {made.name} saved",
                                    f"{BASE}/{made.id}"))


@router.get(BASE + "/{connection_id}")
def connection_page(request: Request, session: DB, actor: CurrentActor,
                    connection_id: PathId, page: PageParams) -> Response:
    """One connection: its form (the token only as "set"), Sync now and its runs."""
    connection = policy.access_connection_or_404(session, actor, connection_id)
    runs = paginate(session, repository.runs_query(connection.id), page.limit, page.offset)
    return _page(request, session, actor, form_of(session, connection), connection, page=runs)


@router.post(BASE + "/{connection_id}", dependencies=CSRF)
def update_page(request: Request, submitted: SubmittedForm, session: DB, actor: CurrentActor,
                connection_id: PathId, page: PageParams) -> Response:
    """Save changes to a connection (an empty token field keeps the stored token)."""
    connection = policy.access_connection_or_404(session, actor, connection_id)

    def write() -> JiraConnection:
        data = parse_form(JiraConnectionUpdate, values_of(session, submitted, creating=False))
        return service.update_connection(session, actor, connection_id, data)

    def again(exc: EpmoError) -> Response:
        runs = paginate(session, repository.runs_query(connection.id), page.limit, page.offset)
        form = form_values(submitted) | {"api_token": ""}
        return _page(request, session, actor, form, connection, exc, runs)
    return form_action(session, write, again, lambda saved: flash_redirect(
        request, f"Jira connection {saved.name} saved", f"{BASE}/{connection_id}"))


@router.post(BASE + "/{connection_id}/delete", dependencies=CSRF)
def delete_page(request: Request, submitted: SubmittedForm, session: DB, actor: CurrentActor,
                connection_id: PathId) -> Response:
    """Delete a connection (its projects and milestones stay)."""
    version = with_ints(form_values(submitted), "version").get("version")
    service.delete_connection(session, actor, connection_id,
                              version if isinstance(version, int) else 0)
    return flash_redirect(request, "Jira connection deleted", BASE)


@router.post(BASE + "/{connection_id}/sync", dependencies=CSRF)
def sync_page(request: Request, connection_id: PathId) -> Response:
    """Sync now; no transaction is held while Jira is asked. The run shows on the page."""
    def resolve(session: Session) -> Actor:
        user = sessions.user_for_cookie(request, session)
        if user is None:
            raise Unauthorized("Sign in to sync")
        return auth_service.actor_for(session, user)
    run = sync.run_sync(connection_id, "manual", resolve)
    if run.outcome == "ok":
        flash(request, f"Synced {run.issues} issues: {run.created} created, {run.updated} "
                       f"updated, {run.unchanged} unchanged, {run.refused} refused")
    else:
        flash(request, f"The sync failed: {run.error}")
    return redirect(f"{BASE}/{connection_id}")
