"""Pages of the portfolio domain: the project register, programmes and portfolios."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from epmo import events
from epmo.auth.policy import Actor
from epmo.db import work_of
from epmo.editing import as_int, paginate
from epmo.errors import EpmoError
from epmo.portfolio import demand_ui, groups_ui, pick_ui, policy, repository, service, views
from epmo.portfolio.forms import CSRF, Form, filter_query, governed_redirect
from epmo.portfolio.models import HEALTHS, MILESTONE_STATUSES, STAGES, Portfolio, Programme
from epmo.portfolio.schemas import (
    DATE_PAIRS,
    MilestoneCreate,
    MilestoneUpdate,
    ProjectCreate,
    ProjectFilter,
    ProjectRead,
    ProjectUpdate,
    Ref,
    StageChange,
    date_order_errors,
)
from epmo.web.deps import DB, CurrentActor, PageParams, PathId
from epmo.web.pages import flash_redirect, form_action, form_values, parse_form, render

router = APIRouter(include_in_schema=False)
router.include_router(groups_ui.router)
router.include_router(pick_ui.router)
INTS = frozenset({"department_id", "sponsor_id", "manager_id", "programme_id", "headcount",
                  "risk_rating", "version"})
TEXTS = ("description", "methodology")
MONEY = ("budget_planned", "budget_actual", "budget_forecast")
LISTS = ("department_ids", "portfolio_ids")
DAYS = ("planned_date", "baseline_date", "forecast_date", "actual_date")
SORTS = (("code", "Code"), ("name", "Name"), ("-budget", "Budget (largest first)"),
         ("budget", "Budget (smallest first)"), ("finish", "Finish (soonest first)"),
         ("-finish", "Finish (latest first)"))




# --- the register -----------------------------------------------------------------------


def _filters(request: Request) -> ProjectFilter:
    params = request.query_params
    values: dict[str, Any] = {k: v for k, v in params.items()
                              if v and k in ProjectFilter.model_fields}
    for key in ("stage", "health"):
        values[key] = [v for v in params.getlist(key) if v]
    return parse_form(ProjectFilter, values)  # type: ignore[no-any-return]


def _choices(session: Session, actor: Actor) -> dict[str, list[Ref]]:
    return {
        "departments": views.department_choices(session),
        "people": views.person_choices(session),
        "goals": views.goal_choices(session),
        "programmes": views.ref_choices(session, Programme, policy.programme_scope(actor)),
        "portfolios": views.ref_choices(session, Portfolio, policy.portfolio_scope(actor)),
    }


@router.get("/projects")
def projects_page(request: Request, session: DB, actor: CurrentActor,
                  page: PageParams) -> Response:
    """The project register: filters, a page of projects, CSV and Excel downloads."""
    filters = _filters(request)
    query = repository.project_query(session, filters, policy.project_scope(actor))
    found = paginate(session, query, page.limit, page.offset)
    base_query = filter_query(filters)
    return render(request, "portfolio/projects.html", actor, page=found, filters=filters,
                  projects=views.describe_projects(session, found.items),
                  base_query=base_query, choices=_choices(session, actor), stages=STAGES,
                  healths=HEALTHS, sorts=SORTS, can_create=policy.may_create_projects(actor))


# --- project form -----------------------------------------------------------------------


def _project_values(form: FormData, creating: bool) -> dict[str, Any]:
    """Turn the project form into schema input (names equal the schema's fields)."""
    values = form_values(form, frozenset({"csrf_token", "goal_id", "goal_weight"}))
    values.update({key: as_int(values[key]) for key in INTS & values.keys()})
    values.update({key: [as_int(v) for v in values.get(key, []) if v] for key in LISTS})
    values.update({key: values.get(key) or "" for key in TEXTS})
    values["goals"] = [{"goal_id": as_int(goal), "weight": weight or "100"} for goal, weight
                       in zip(form.getlist("goal_id"), form.getlist("goal_weight"), strict=False)
                       if goal]
    return {k: v for k, v in values.items() if v is not None} if creating else values


def _state_of_form(form: FormData) -> dict[str, Any]:
    """What the user typed, to show the form again."""
    state: dict[str, Any] = {key: str(form.get(key) or "") for key in form}
    state.update({key: form.getlist(key) for key in LISTS})
    state["goals"] = [{"goal_id": g, "weight": w} for g, w in zip(
        form.getlist("goal_id"), form.getlist("goal_weight"), strict=False) if g]
    return state


def _state_of_project(read: ProjectRead) -> dict[str, Any]:
    data = read.model_dump(mode="json")
    state: dict[str, Any] = {k: "" if v is None else str(v) for k, v in data.items()
                             if not isinstance(v, list)}
    state.update({key: [str(i) for i in data[key]] for key in LISTS})
    state["goals"] = [{"goal_id": str(g.goal_id), "weight": str(g.weight)} for g in read.goals]
    return state


def _project_form(request: Request, session: Session, actor: Actor, form: dict[str, Any],
                  project: ProjectRead | None, status: int = 200,
                  error: EpmoError | None = None) -> Response:
    choices = _choices(session, actor)
    choices["owners"] = choices["departments"]
    if project is None:
        choices["owners"] = [d for d in choices["departments"]
                             if policy.can_place_project(actor, d.id)]
    else:  # keep what the project already has, even where the actor cannot see it
        if project.programme_id and project.programme_id not in {p.id for p in
                                                                  choices["programmes"]}:
            choices["programmes"].append(Ref(id=project.programme_id,
                                             code=project.programme_code or "",
                                             name=project.programme_name or ""))
        seen = {p.id for p in choices["portfolios"]}
        choices["portfolios"] += [p for p in project.portfolios if p.id not in seen]
    bad = {e.field.split(".")[0] for e in error.errors} if isinstance(error, EpmoError) else set()
    return render(request, "portfolio/project_form.html", actor, status=status, form=form,
                  project=project, choices=choices, error=error, bad=bad, stages=STAGES,
                  healths=HEALTHS, date_pairs=DATE_PAIRS, money=MONEY)


@router.get("/projects/new")
def new_project_page(request: Request, session: DB, actor: CurrentActor) -> Response:
    """The form for a new project."""
    blank = {"headcount": "0", "risk_rating": "1", "health": "", "stage": "proposed",
             "goals": []}
    return _project_form(request, session, actor, blank, None)


@router.post("/projects/new", dependencies=CSRF)
def create_project_page(request: Request, session: DB, actor: CurrentActor,
                        form: Form) -> Response:
    """Create the project, or show the form again with what is wrong."""
    return form_action(
        session, lambda: service.create_project(session, actor, parse_form(
            ProjectCreate, _project_values(form, creating=True), date_order_errors)),
        lambda exc: _project_form(request, session, actor, _state_of_form(form), None,
                                  exc.status, exc),
        lambda project: governed_redirect(request, session, f"Project {project.code} created",
                                          f"/projects/{project.id}"))


@router.get("/projects/{project_id}/edit")
def edit_project_page(request: Request, session: DB, actor: CurrentActor,
                      project_id: PathId) -> Response:
    """The form to change a project (carries the version it was read at)."""
    project = policy.writable_project_or_404(session, actor, project_id)
    read = views.describe_projects(session, [project])[0]
    return _project_form(request, session, actor, _state_of_project(read), read)


@router.post("/projects/{project_id}/edit", dependencies=CSRF)
def update_project_page(request: Request, session: DB, actor: CurrentActor, project_id: PathId,
                        form: Form) -> Response:
    """Save the project; a stale version shows the conflict instead of overwriting."""
    project = policy.writable_project_or_404(session, actor, project_id)
    return form_action(
        session, lambda: service.update_project(session, actor, project_id, parse_form(
            ProjectUpdate, _project_values(form, creating=False), date_order_errors)),
        lambda exc: _project_form(request, session, actor, _state_of_form(form),
                                  views.describe_projects(session, [project])[0],
                                  exc.status, exc),
        lambda _: governed_redirect(request, session, "Project saved",
                                    f"/projects/{project_id}"))


@router.post("/projects/{project_id}/delete", dependencies=CSRF)
def delete_project_page(request: Request, session: DB, actor: CurrentActor, project_id: PathId,
                        form: Form) -> Response:
    """Delete the project (with its milestones)."""
    return form_action(
        session, lambda: service.delete_project(session, actor, project_id,
                                                as_int(form.get("version"))),
        lambda exc: _detail(request, session, actor, project_id, exc.status, stage_error=exc),
        lambda _: flash_redirect(request, "Project deleted", "/projects"))


# --- project page, stages, milestones ---------------------------------------------------


def _detail(request: Request, session: Session, actor: Actor, project_id: int,
            status: int = 200, **extra: Any) -> Response:
    project = policy.access_project_or_404(session, actor, project_id)
    context: dict[str, Any] = {"editing": None, "milestone_error": None, "stage_error": None,
                               "new_milestone": {}, "new_error": None, "demand_error": None,
                               "demand_grid": None} | extra
    if context["demand_grid"] is None:
        context["demand_grid"] = demand_ui.stored_grid(session, project, date.today())
    return render(request, "portfolio/project.html", actor, status=status,
                  project=views.describe_projects(session, [project])[0],
                  milestones=repository.list_milestones(session, project.id),
                  can_write=policy.can_write_project(actor, project),
                  statuses=MILESTONE_STATUSES, **context)


@router.get("/projects/{project_id}")
def project_page(request: Request, session: DB, actor: CurrentActor,
                 project_id: PathId) -> Response:
    """One project: every field, its links, milestones and the next stages it may take."""
    return _detail(request, session, actor, project_id)


@router.post("/projects/{project_id}/transition", dependencies=CSRF)
def transition_page(request: Request, session: DB, actor: CurrentActor, project_id: PathId,
                    form: Form) -> Response:
    """Move the project to the stage whose button was pressed."""
    values = {"stage": form.get("stage"), "version": as_int(form.get("version"))}
    return form_action(
        session, lambda: service.change_stage(session, actor, project_id,
                                              parse_form(StageChange, values)),
        lambda exc: _detail(request, session, actor, project_id, exc.status, stage_error=exc),
        lambda project: governed_redirect(
            request, session, f"Project moved to {project.stage.replace('_', ' ')}",
            f"/projects/{project_id}"))


def _milestone_values(form: FormData, creating: bool) -> dict[str, Any]:
    values = form_values(form)
    values["description"] = values.get("description") or ""
    if "version" in values:
        values["version"] = as_int(values["version"])
    return {k: v for k, v in values.items() if v is not None} if creating else values


@router.post("/projects/{project_id}/milestones", dependencies=CSRF)
def create_milestone_page(request: Request, session: DB, actor: CurrentActor, project_id: PathId,
                          form: Form) -> Response:
    """Add a milestone from the project page."""
    return form_action(
        session, lambda: service.create_milestone(session, actor, project_id, parse_form(
            MilestoneCreate, _milestone_values(form, creating=True))),
        lambda exc: _detail(request, session, actor, project_id, exc.status,
                            new_milestone=_state_of_form(form), new_error=exc),
        lambda _: flash_redirect(request, "Milestone added",
                                 f"/projects/{project_id}#milestones"))


@router.get("/projects/{project_id}/milestones/{milestone_id}/edit")
def edit_milestone_page(request: Request, session: DB, actor: CurrentActor, project_id: PathId,
                        milestone_id: PathId) -> Response:
    """The milestone editor: a fragment for htmx, else the project page with it open."""
    milestone = policy.writable_milestone_or_404(session, actor, project_id, milestone_id)
    state = {c: getattr(milestone, c) for c in ("id", "name", "description", "status",
                                                "version", *DAYS)}
    if request.headers.get("hx-request"):
        return render(request, "portfolio/_milestone_editor.html", actor, editing=state,
                      project_id=project_id, statuses=MILESTONE_STATUSES, milestone_error=None)
    return _detail(request, session, actor, project_id, editing=state)


@router.post("/projects/{project_id}/milestones/{milestone_id}/edit", dependencies=CSRF)
def update_milestone_page(request: Request, session: DB, actor: CurrentActor, project_id: PathId,
                          milestone_id: PathId, form: Form) -> Response:
    """Save a milestone, or show the editor again with what is wrong."""
    def write() -> None:
        values = _milestone_values(form, creating=False)
        values["change_reason"] = values.get("change_reason") or ""
        data = parse_form(MilestoneUpdate, values)
        service.update_milestone(session, actor, project_id, milestone_id, data)
        work_of(session).mark_source("form", data.change_reason or "")
        events.settle(session)  # propagate now: a refusal is shown in the editor
    return form_action(
        session, write,
        lambda exc: _detail(request, session, actor, project_id, exc.status,
                            editing=_state_of_form(form) | {"id": milestone_id},
                            milestone_error=exc),
        lambda _: flash_redirect(request, "Milestone saved",
                                 f"/projects/{project_id}#milestones"))


@router.post("/projects/{project_id}/milestones/{milestone_id}/delete", dependencies=CSRF)
def delete_milestone_page(request: Request, session: DB, actor: CurrentActor, project_id: PathId,
                          milestone_id: PathId, form: Form) -> Response:
    """Delete a milestone from the project page."""
    return form_action(
        session, lambda: service.delete_milestone(session, actor, project_id, milestone_id,
                                                  as_int(form.get("version"))),
        lambda exc: _detail(request, session, actor, project_id, exc.status,
                            milestone_error=exc),
        lambda _: flash_redirect(request, "Milestone deleted",
                                 f"/projects/{project_id}#milestones"))


# --- role demand (issue 10, item 11) ----------------------------------------------------


@router.post("/projects/{project_id}/demand", dependencies=CSRF)
def demand_page(request: Request, session: DB, actor: CurrentActor, project_id: PathId,
                form: Form) -> Response:
    """Save the role demand grid, or show it again as typed with each bad cell named."""
    return form_action(
        session, lambda: demand_ui.save_grid(session, actor, project_id, form),
        lambda exc: _detail(request, session, actor, project_id, exc.status, demand_error=exc,
                            demand_grid=demand_ui.typed_grid(session, form)),
        lambda _: flash_redirect(request, "Role demand saved",
                                 f"/projects/{project_id}#demand"))
