"""Pages of the intake domain: the request list, the form, the detail with pipeline and decision."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.editing import as_int, paginate
from epmo.errors import EpmoError, Forbidden
from epmo.intake import forms, policy, repository, service, views
from epmo.intake.forms import Posted
from epmo.intake.models import DECISIONS, STAGES, IntakeRequest
from epmo.intake.schemas import (
    RequestCreate,
    RequestDecision,
    RequestFilter,
    RequestRead,
    RequestStageChange,
    RequestUpdate,
)
from epmo.org.models import Department, Person
from epmo.portfolio import policy as portfolio_policy
from epmo.portfolio.models import Project
from epmo.strategy.models import Goal
from epmo.web.deps import DB, CurrentActor, PageParams, PathId, SubmittedForm, check_csrf_form
from epmo.web.pages import flash_redirect, form_action, parse_form, query_string, render

router = APIRouter(include_in_schema=False)
CSRF = [Depends(check_csrf_form)]




# --- the list ---------------------------------------------------------------------------


def _filters(request: Request) -> RequestFilter:
    params = request.query_params
    values: dict[str, Any] = {k: v for k, v in params.items()
                              if v and k in RequestFilter.model_fields and k != "stage"}
    values["stage"] = [v for v in params.getlist("stage") if v]
    return parse_form(RequestFilter, values)  # type: ignore[no-any-return]


@router.get("/intake")
def requests_page(request: Request, session: DB, actor: CurrentActor,
                  page: PageParams) -> Response:
    """Requests you may see: counts per stage, filters, a page of requests."""
    filters = _filters(request)
    scope = policy.request_scope(actor)
    query = repository.request_query(session, filters, scope, actor.id)
    found = paginate(session, query, page.limit, page.offset)
    base = query_string(q=filters.q, department_id=filters.department_id,
                        tier=filters.tier, mine="true" if filters.mine else None)
    stage_query = "&".join(f"stage={s}" for s in filters.stage)
    return render(request, "intake/requests.html", actor, page=found, filters=filters,
                  requests=views.describe_requests(session, found.items, starts=False),
                  stages=STAGES,
                  counts=repository.stage_counts(session, scope),
                  departments=repository.choices(session, Department, Department.name),
                  base_query="&".join(p for p in (base, stage_query) if p),
                  can_submit=policy.may_submit(actor))


# --- the form ---------------------------------------------------------------------------


def _choices(session: Session, actor: Actor, read: RequestRead | None) -> dict[str, Any]:
    departments = repository.choices(session, Department, Department.name)
    owners = [d for d in departments if policy.can_submit(actor, d.id)
              or (read is not None and d.id == read.department_id)]
    return {
        "departments": owners,
        "people": repository.choices(session, Person, Person.name),
        "goals": repository.choices(session, Goal, Goal.name),
        "requests": [c for c in repository.choices(session, IntakeRequest, IntakeRequest.title,
                                                   policy.request_scope(actor))
                     if read is None or c.id != read.id],
        "projects": repository.choices(session, Project, Project.name,
                                       portfolio_policy.project_scope(actor)),
        "roles": repository.known_roles(session),
    }


def _request_form(request: Request, session: Session, actor: Actor, form: dict[str, Any],
                  read: RequestRead | None, status: int = 200,
                  error: EpmoError | None = None) -> Response:
    return render(request, "intake/request_form.html", actor, status=status, form=form,
                  item=read, choices=_choices(session, actor, read), error=error,
                  messages=forms.field_messages(error.errors if error else None),
                  blank_rows=forms.BLANK_ROWS)


@router.get("/intake/new")
def new_request_page(request: Request, session: DB, actor: CurrentActor) -> Response:
    """The request form (a reader who may submit for no department is told so)."""
    if not policy.may_submit(actor):
        raise Forbidden("You may not submit intake requests: viewers and executives read them; "
                        "ask someone of your department to submit it")
    return _request_form(request, session, actor, forms.blank_state(), None)


@router.post("/intake/new", dependencies=CSRF)
def create_request_page(request: Request, session: DB, actor: CurrentActor,
                        form: SubmittedForm) -> Response:
    """Submit the request, or show the form again with what is wrong beside each field."""
    posted = Posted(form)
    return form_action(
        session, lambda: service.create_request(session, actor, parse_form(
            RequestCreate, forms.request_input(posted, creating=True))),
        lambda exc: _request_form(request, session, actor, forms.state_of_form(posted), None,
                                  exc.status, exc),
        lambda created: flash_redirect(request, f"Request {created.code} submitted",
                                       f"/intake/{created.id}"))


@router.get("/intake/{request_id}/edit")
def edit_request_page(request: Request, session: DB, actor: CurrentActor,
                      request_id: PathId) -> Response:
    """The form to revise a request (carries the version it was read at)."""
    item = policy.writable_request_or_404(session, actor, request_id)
    read = views.describe_requests(session, [item], starts=False)[0]
    return _request_form(request, session, actor, forms.state_of_request(read), read)


@router.post("/intake/{request_id}/edit", dependencies=CSRF)
def update_request_page(request: Request, session: DB, actor: CurrentActor,
                        request_id: PathId, form: SubmittedForm) -> Response:
    """Save the request; a stale version shows the conflict instead of overwriting."""
    item = policy.writable_request_or_404(session, actor, request_id)
    posted = Posted(form)
    return form_action(
        session, lambda: service.update_request(session, actor, request_id, parse_form(
            RequestUpdate, forms.request_input(posted, creating=False))),
        lambda exc: _request_form(request, session, actor, forms.state_of_form(posted),
                                  views.describe_requests(session, [item], starts=False)[0],
                                  exc.status, exc),
        lambda _: flash_redirect(request, "Request saved", f"/intake/{request_id}"))


# --- the detail, pipeline and decision ---------------------------------------------------


def _detail(request: Request, session: Session, actor: Actor, request_id: int,
            status: int = 200, **extra: Any) -> Response:
    item = policy.access_request_or_404(session, actor, request_id)
    read = views.describe_requests(session, [item])[0]
    deciding = policy.can_decide(session, actor, item)
    context: dict[str, Any] = {"action_error": None, "decision_error": None,
                               "decision_form": {}} | extra
    return render(request, "intake/request.html", actor, status=status, item=read,
                  can_decide=deciding and item.stage in service.DECIDABLE,
                  can_move=deciding and item.stage in service.MOVES,
                  can_edit=policy.can_edit(actor, item) and item.stage in service.EDITABLE,
                  is_owner=policy.is_owner(actor, item), decisions=DECISIONS,
                  resubmittable=service.RESUBMITTABLE, queued=views.QUEUED, **context)


@router.get("/intake/{request_id}")
def request_page(request: Request, session: DB, actor: CurrentActor,
                 request_id: PathId) -> Response:
    """One request: everything it carries, its pipeline stage and decision."""
    return _detail(request, session, actor, request_id)


@router.post("/intake/{request_id}/stage", dependencies=CSRF)
def stage_page(request: Request, session: DB, actor: CurrentActor, request_id: PathId,
               form: SubmittedForm) -> Response:
    """Move the request to the stage whose button was pressed."""
    values = {"stage": form.get("stage"), "version": as_int(form.get("version"))}
    return form_action(
        session, lambda: service.move_stage(session, actor, request_id,
                                            parse_form(RequestStageChange, values)),
        lambda exc: _detail(request, session, actor, request_id, exc.status, action_error=exc),
        lambda item: flash_redirect(request, f"Request moved to {item.stage}",
                                    f"/intake/{request_id}"))


@router.post("/intake/{request_id}/decision", dependencies=CSRF)
def decision_page(request: Request, session: DB, actor: CurrentActor, request_id: PathId,
                  form: SubmittedForm) -> Response:
    """Record the decision (approving creates the project)."""
    posted = Posted(form)
    values = {"decision": posted.get("decision"), "reason": posted.get("reason"),
              "version": as_int(posted.get("version"))}
    return form_action(
        session, lambda: service.decide_request(session, actor, request_id,
                                                parse_form(RequestDecision, values)),
        lambda exc: _detail(request, session, actor, request_id, exc.status,
                            decision_error=exc, decision_form=values),
        lambda item: flash_redirect(
            request, f"Request {item.code} decided: {item.stage.replace('_', ' ')}",
            f"/intake/{request_id}"))


@router.post("/intake/{request_id}/resubmit", dependencies=CSRF)
def resubmit_page(request: Request, session: DB, actor: CurrentActor, request_id: PathId,
                  form: SubmittedForm) -> Response:
    """Resubmit a rejected or deferred request as it stands (edit it first to revise)."""
    values = {"version": as_int(form.get("version"))}
    return form_action(
        session, lambda: service.resubmit_request(session, actor, request_id,
                                                  parse_form(RequestUpdate, values)),
        lambda exc: _detail(request, session, actor, request_id, exc.status, action_error=exc),
        lambda item: flash_redirect(
            request, f"Request {item.code} resubmitted (revision {item.revision})",
            f"/intake/{request_id}"))


@router.post("/intake/{request_id}/delete", dependencies=CSRF)
def delete_page(request: Request, session: DB, actor: CurrentActor, request_id: PathId,
                form: SubmittedForm) -> Response:
    """Withdraw a submitted request."""
    return form_action(
        session, lambda: service.delete_request(session, actor, request_id,
                                                as_int(form.get("version"))),
        lambda exc: _detail(request, session, actor, request_id, exc.status, action_error=exc),
        lambda _: flash_redirect(request, "Request withdrawn", "/intake"))
