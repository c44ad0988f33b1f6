"""Pages of the network domain: the graph with what-if, the matrix, dependencies, changes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.editing import paginate
from epmo.errors import EpmoError
from epmo.network import measures, policy, repository, roadmap, service, views
from epmo.network.repository import DependencyFilter
from epmo.network.schemas import (
    Acknowledge,
    DependencyAnswer,
    DependencyCreate,
    ImpactChange,
    Respond,
)
from epmo.portfolio import policy as portfolio_policy
from epmo.web.deps import (
    DB,
    CurrentActor,
    PageParams,
    PathId,
    QueryId,
    SubmittedForm,
    check_csrf_form,
)
from epmo.web.pages import (
    flash_redirect,
    form_action,
    form_values,
    parse_form,
    query_string,
    render,
    with_ints,
)

router = APIRouter(include_in_schema=False)
CSRF = [Depends(check_csrf_form)]
DEPENDENCY_INTS = ("predecessor_milestone_id", "successor_milestone_id", "predecessor_project_id",
                   "successor_project_id", "lag_days")


def _filters(session: Session, actor: Actor) -> dict[str, Any]:
    return {"departments": sorted(repository.department_names(session).items(),
                                  key=lambda d: d[1]),
            "programmes": repository.programme_options(
                session, portfolio_policy.programme_scope(actor)),
            "goals": repository.goal_options(session)}


@router.get("/network")
def network_page(request: Request, session: DB, actor: CurrentActor,
                 department_id: QueryId = None, programme_id: QueryId = None,
                 goal_id: QueryId = None) -> Response:
    """The interactive network graph, its filters, recent changes and the what-if form."""
    recent = paginate(session, repository.event_query(policy.readable_projects(actor), None,
                                                      None, None), 20, 0)
    query = query_string(department_id=department_id, programme_id=programme_id,
                         goal_id=goal_id)
    return render(request, "network/graph.html", actor, events=recent.items, query=query,
                  chosen={"department_id": department_id, "programme_id": programme_id,
                          "goal_id": goal_id}, **_filters(session, actor))


@router.get("/roadmap")
def roadmap_page(request: Request, session: DB, actor: CurrentActor,
                 department_id: QueryId = None, programme_id: QueryId = None,
                 goal_id: QueryId = None, zoom: str = "Month") -> Response:
    """The roadmap: projects and milestones across departments on a timeline."""
    found = roadmap.roadmap(session, actor, department_id, programme_id, goal_id)
    return render(request, "network/roadmap.html", actor, found=found,
                  gantt=roadmap.as_gantt(found),
                  zoom=zoom if zoom in ("Week", "Month", "Year") else "Month",
                  chosen={"department_id": department_id, "programme_id": programme_id,
                          "goal_id": goal_id, "zoom": zoom}, **_filters(session, actor))


@router.post("/network/what-if", dependencies=CSRF)
def what_if_page(request: Request, submitted: SubmittedForm,
                 session: DB, actor: CurrentActor) -> Response:
    """The what-if table (an htmx fragment): nothing is saved."""
    values = with_ints(form_values(submitted), "milestone_id", "slip_days")
    try:
        change = parse_form(ImpactChange, values)
        result = views.simulate(session, actor, [change])
    except EpmoError as exc:
        return render(request, "network/_impact.html", actor, error=exc, result=None)
    finally:
        session.rollback()
    return render(request, "network/_impact.html", actor, error=None, result=result)


@router.get("/network/matrix")
def matrix_page(request: Request, session: DB, actor: CurrentActor) -> Response:
    """Department x department: dependencies, proposed vs accepted, slip, acknowledgement."""
    return render(request, "network/matrix.html", actor, cells=measures.matrix(session),
                  names=repository.department_names(session))


@router.get("/network/health-card")
def health_card(request: Request, session: DB, actor: CurrentActor) -> Response:
    """The network health card of the EPMO dashboard (an htmx fragment)."""
    return render(request, "network/_health.html", actor, health=measures.health(session))


# --- dependencies -----------------------------------------------------------------------


def _dependencies(request: Request, session: Session, actor: Actor, page_limit: int,
                  page_offset: int, filters: DependencyFilter, form: dict[str, Any],
                  error: EpmoError | None = None) -> Response:
    query = repository.dependency_query(policy.readable_projects(actor), filters)
    found = paginate(session, query, page_limit, page_offset)
    rows = views.describe_dependencies(session, found.items)
    answerable = {d.id for d in found.items if d.status == "proposed" and policy.owns_side(
        session, actor, d, policy.other_side(d.proposed_side))}
    return render(request, "network/dependencies.html", actor,
                  status=error.status if error else 200, page=found, rows=rows,
                  answerable=answerable, names=repository.department_names(session),
                  filters=filters, form=form, error=error,
                  base_query=query_string(status=filters.status, project_id=filters.project_id,
                                          department_id=filters.department_id))


@router.get("/dependencies")
def dependencies_page(request: Request, session: DB, actor: CurrentActor, page: PageParams,
                      status: str | None = None, project_id: QueryId = None,
                      department_id: QueryId = None) -> Response:
    """Dependencies you may see, the form to propose one, and answers to proposals."""
    filters = DependencyFilter(department_id, project_id, status or None)
    return _dependencies(request, session, actor, page.limit, page.offset, filters,
                         {"type": "FS", "criticality": "medium", "lag_days": 0})


@router.post("/dependencies", dependencies=CSRF)
def propose_page(request: Request, submitted: SubmittedForm,
                 session: DB, actor: CurrentActor) -> Response:
    """Propose a dependency."""
    form = dict(submitted)
    values = with_ints(form_values(submitted), *DEPENDENCY_INTS)
    values = {k: v for k, v in values.items() if v is not None}
    return form_action(
        session, lambda: service.create_dependency(session, actor,
                                                   parse_form(DependencyCreate, values)),
        lambda exc: _dependencies(request, session, actor, 50, 0, DependencyFilter(), form, exc),
        lambda made: flash_redirect(request, f"Dependency {made.id} {made.status}",
                                    "/dependencies"))


@router.post("/dependencies/{dependency_id}/{verb}", dependencies=CSRF)
def answer_page(request: Request, submitted: SubmittedForm,
                session: DB, actor: CurrentActor, dependency_id: PathId,
                      verb: str) -> Response:
    """Accept or decline a proposed dependency, with a comment."""
    answer = parse_form(DependencyAnswer, {"comment": form_values(
        submitted).get("comment") or ""})
    actions = {"accept": service.accept_dependency, "decline": service.decline_dependency}
    if verb not in actions:
        return Response(status_code=404)
    return form_action(
        session, lambda: actions[verb](session, actor, dependency_id, answer),
        lambda exc: _dependencies(request, session, actor, 50, 0, DependencyFilter(), {}, exc),
        lambda made: flash_redirect(request, f"Dependency {made.id} {made.status}",
                                    "/dependencies"))


# --- change events ----------------------------------------------------------------------


@router.get("/change-events")
def events_page(request: Request, session: DB, actor: CurrentActor, page: PageParams,
                status: str | None = None) -> Response:
    """Change events about, or hitting, projects you may read."""
    query = repository.event_query(policy.readable_projects(actor), None, status or None, None)
    found = paginate(session, query, page.limit, page.offset)
    return render(request, "network/events.html", actor, page=found, chosen=status,
                  rows=[views.describe_event(session, actor, e, detail=False)
                        for e in found.items], base_query=query_string(status=status))


def _event(request: Request, session: Session, actor: Actor, event_id: int,
           error: EpmoError | None = None) -> Response:
    event = policy.access_event_or_404(session, actor, event_id)
    return render(request, "network/event.html", actor, status=error.status if error else 200,
                  event=views.describe_event(session, actor, event), error=error,
                  answerable=policy.departments_to_answer(session, actor, event),
                  names=repository.department_names(session), form={})


@router.get("/change-events/{event_id}")
def event_page(request: Request, session: DB, actor: CurrentActor, event_id: PathId) -> Response:
    """A change event: the impacts you may see, responses, and your acknowledgement."""
    return _event(request, session, actor, event_id)


@router.post("/change-events/{event_id}/{verb}", dependencies=CSRF)
def event_answer_page(request: Request, submitted: SubmittedForm, session: DB, actor: CurrentActor,
                            event_id: PathId, verb: str) -> Response:
    """Acknowledge a change, or respond to it (absorb, replan, escalate)."""
    values = with_ints(form_values(submitted), "department_id")
    values = {k: v for k, v in values.items() if v is not None}
    if verb not in ("acknowledge", "respond"):
        return Response(status_code=404)

    def write() -> None:
        if verb == "acknowledge":
            service.acknowledge_event(session, actor, event_id, parse_form(Acknowledge, values))
        else:
            service.respond_to_event(session, actor, event_id, parse_form(Respond, values))
    return form_action(
        session, write, lambda exc: _event(request, session, actor, event_id, exc),
        lambda _: flash_redirect(request, "Thank you: your answer is recorded",
                                 f"/change-events/{event_id}"))
