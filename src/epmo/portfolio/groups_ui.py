"""Pages for programmes and portfolios: lists, one group with its projects, and their forms."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy.orm import Session

from epmo.auth.policy import Actor, can_lead_department, is_admin
from epmo.editing import paginate
from epmo.portfolio import policy, portfolios, repository, service, views
from epmo.portfolio.forms import CSRF, Form, filter_query
from epmo.portfolio.schemas import (
    PortfolioCreate,
    PortfolioUpdate,
    ProgrammeCreate,
    ProgrammeUpdate,
    ProjectFilter,
)
from epmo.web.deps import DB, CurrentActor, PageParams, PathId
from epmo.web.pages import flash_redirect, form_action, form_values, parse_form, render, with_ints

router = APIRouter(include_in_schema=False)
GROUP_INTS = ("department_id", "department_ids", "manager_id", "version")


def _values(form: Any) -> dict[str, Any]:
    """Form values with ids as numbers (junk left for the schema to name)."""
    values = with_ints(form_values(form), *GROUP_INTS)
    values.setdefault("description", "")
    return values


def _form_page(request: Request, session: Session, actor: Actor, kind: str, status: int = 200,
               **context: Any) -> Response:
    departments = views.department_choices(session)
    return render(request, "portfolio/group_form.html", actor, status, kind=kind,
                  departments=departments,
                  department_options=[(d.id, f"{d.code} · {d.name}") for d in departments],
                  people_options=[(p.id, p.name) for p in views.person_choices(session)],
                  **context)


def _group_page(request: Request, session: Session, actor: Actor, page: PageParams,
                filters: ProjectFilter, **context: Any) -> Response:
    query = repository.project_query(session, filters, policy.project_scope(actor))
    found = paginate(session, query, page.limit, page.offset)
    return render(request, "portfolio/group.html", actor, page=found, base_query="",
                  projects=views.describe_projects(session, found.items),
                  totals=repository.totals(session, query),
                  list_query=filter_query(filters), **context)


def _may_lead_somewhere(actor: Actor) -> bool:
    return is_admin(actor) or (actor.role == "department_lead" and bool(actor.department_ids))


# --- programmes ---------------------------------------------------------------------------


@router.get("/programmes")
def programmes_page(request: Request, session: DB, actor: CurrentActor,
                    page: PageParams) -> Response:
    """The programmes the actor may see."""
    query = repository.programme_query(policy.programme_scope(actor))
    found = paginate(session, query, page.limit, page.offset)
    return render(request, "portfolio/programmes.html", actor, page=found, base_query="",
                  programmes=views.describe_programmes(session, found.items),
                  can_create=_may_lead_somewhere(actor))


@router.get("/programmes/new")
def new_programme_page(request: Request, session: DB, actor: CurrentActor) -> Response:
    """The form for a new programme."""
    return _form_page(request, session, actor, "programme", form={})


@router.post("/programmes/new", dependencies=CSRF)
def create_programme_page(request: Request, session: DB, actor: CurrentActor,
                          form: Form) -> Response:
    """Create a programme from the form."""
    values = _values(form)
    return form_action(
        session, lambda: service.create_programme(session, actor,
                                                  parse_form(ProgrammeCreate, values)),
        lambda exc: _form_page(request, session, actor, "programme", exc.status, form=values,
                               error=exc),
        lambda made: flash_redirect(request, f"Programme {made.code} created",
                                    f"/programmes/{made.id}"))


@router.get("/programmes/{programme_id}")
def programme_page(request: Request, session: DB, actor: CurrentActor, programme_id: PathId,
                   page: PageParams) -> Response:
    """One programme with the projects in it (those the actor may see) and their budgets."""
    programme = policy.access_programme_or_404(session, actor, programme_id)
    read = views.describe_programmes(session, [programme])[0]
    every = ProjectFilter(programme_id=programme.id, status="all")
    return _group_page(request, session, actor, page, every,
                       kind="programme", group=read,
                       can_edit=can_lead_department(actor, programme.department_id))


@router.get("/programmes/{programme_id}/edit")
def edit_programme_page(request: Request, session: DB, actor: CurrentActor,
                        programme_id: PathId) -> Response:
    """The form to change a programme."""
    programme = policy.writable_programme_or_404(session, actor, programme_id)
    read = views.describe_programmes(session, [programme])[0]
    return _form_page(request, session, actor, "programme", group=read, form=read.model_dump())


@router.post("/programmes/{programme_id}/edit", dependencies=CSRF)
def update_programme_page(request: Request, session: DB, actor: CurrentActor,
                          programme_id: PathId, form: Form) -> Response:
    """Save a programme's changes."""
    programme = policy.writable_programme_or_404(session, actor, programme_id)
    read = views.describe_programmes(session, [programme])[0]
    values = _values(form)
    values.setdefault("department_ids", [])
    return form_action(
        session, lambda: service.update_programme(session, actor, programme_id,
                                                  parse_form(ProgrammeUpdate, values)),
        lambda exc: _form_page(request, session, actor, "programme", exc.status, group=read,
                               form=values, error=exc),
        lambda _: flash_redirect(request, "Programme saved", f"/programmes/{programme_id}"))


@router.post("/programmes/{programme_id}/delete", dependencies=CSRF)
def delete_programme_page(request: Request, session: DB, actor: CurrentActor,
                          programme_id: PathId, form: Form) -> Response:
    """Delete a programme no project belongs to."""
    return form_action(
        session, lambda: service.delete_programme(session, actor, programme_id,
                                                  _values(form).get("version", 0)),
        lambda exc: flash_redirect(request, exc.message, f"/programmes/{programme_id}"),
        lambda _: flash_redirect(request, "Programme deleted", "/programmes"))


# --- portfolios ---------------------------------------------------------------------------


@router.get("/portfolios")
def portfolios_page(request: Request, session: DB, actor: CurrentActor,
                    page: PageParams) -> Response:
    """The enterprise portfolio and the department portfolios the actor may see."""
    query = repository.portfolio_query(policy.portfolio_scope(actor))
    found = paginate(session, query, page.limit, page.offset)
    return render(request, "portfolio/portfolios.html", actor, page=found, base_query="",
                  portfolios=views.describe_portfolios(session, found.items),
                  can_create=_may_lead_somewhere(actor))


@router.get("/portfolios/new")
def new_portfolio_page(request: Request, session: DB, actor: CurrentActor) -> Response:
    """The form for a new portfolio."""
    return _form_page(request, session, actor, "portfolio", form={})


@router.post("/portfolios/new", dependencies=CSRF)
def create_portfolio_page(request: Request, session: DB, actor: CurrentActor,
                          form: Form) -> Response:
    """Create a portfolio from the form."""
    values = _values(form)
    return form_action(
        session, lambda: portfolios.create_portfolio(session, actor,
                                                     parse_form(PortfolioCreate, values)),
        lambda exc: _form_page(request, session, actor, "portfolio", exc.status, form=values,
                               error=exc),
        lambda made: flash_redirect(request, f"Portfolio {made.code} created",
                                    f"/portfolios/{made.id}"))


@router.get("/portfolios/{portfolio_id}")
def portfolio_page(request: Request, session: DB, actor: CurrentActor, portfolio_id: PathId,
                   page: PageParams) -> Response:
    """One portfolio with the projects in it (those the actor may see) and their budgets."""
    portfolio = policy.access_portfolio_or_404(session, actor, portfolio_id)
    read = views.describe_portfolios(session, [portfolio])[0]
    every = ProjectFilter(portfolio_id=portfolio.id, status="all")
    return _group_page(request, session, actor, page, every,
                       kind="portfolio", group=read,
                       can_edit=can_lead_department(actor, portfolio.department_id))


@router.get("/portfolios/{portfolio_id}/edit")
def edit_portfolio_page(request: Request, session: DB, actor: CurrentActor,
                        portfolio_id: PathId) -> Response:
    """The form to change a portfolio."""
    portfolio = policy.writable_portfolio_or_404(session, actor, portfolio_id)
    read = views.describe_portfolios(session, [portfolio])[0]
    return _form_page(request, session, actor, "portfolio", group=read, form=read.model_dump())


@router.post("/portfolios/{portfolio_id}/edit", dependencies=CSRF)
def update_portfolio_page(request: Request, session: DB, actor: CurrentActor,
                          portfolio_id: PathId, form: Form) -> Response:
    """Save a portfolio's changes."""
    portfolio = policy.writable_portfolio_or_404(session, actor, portfolio_id)
    read = views.describe_portfolios(session, [portfolio])[0]
    values = _values(form)
    return form_action(
        session, lambda: portfolios.update_portfolio(session, actor, portfolio_id,
                                                     parse_form(PortfolioUpdate, values)),
        lambda exc: _form_page(request, session, actor, "portfolio", exc.status, group=read,
                               form=values, error=exc),
        lambda _: flash_redirect(request, "Portfolio saved", f"/portfolios/{portfolio_id}"))


@router.post("/portfolios/{portfolio_id}/delete", dependencies=CSRF)
def delete_portfolio_page(request: Request, session: DB, actor: CurrentActor,
                          portfolio_id: PathId, form: Form) -> Response:
    """Delete a portfolio that holds no projects."""
    return form_action(
        session, lambda: portfolios.delete_portfolio(session, actor, portfolio_id,
                                                     _values(form).get("version", 0)),
        lambda exc: flash_redirect(request, exc.message, f"/portfolios/{portfolio_id}"),
        lambda _: flash_redirect(request, "Portfolio deleted", "/portfolios"))
