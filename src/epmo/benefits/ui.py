"""Pages of the benefits register: the register with its roll-ups, a benefit with its
schedule grid, the new-benefit form and the project page's benefits card."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.benefits import forms, policy, repository, rollup, schedule, service, views
from epmo.benefits.models import BenefitActual
from epmo.benefits.repository import BenefitFilter
from epmo.editing import paginate
from epmo.errors import EpmoError
from epmo.portfolio import policy as portfolio_policy
from epmo.portfolio import repository as portfolio_repository
from epmo.resources.months import month_of
from epmo.resources.scenario_ui import as_id, department_choices
from epmo.web.deps import DB, CurrentActor, PageParams, PathId, SubmittedForm, check_csrf_form
from epmo.web.pages import flash_redirect, form_action, form_values, query_string, render

router = APIRouter(include_in_schema=False)
CSRF = [Depends(check_csrf_form)]
KINDS = [("cash_releasing", "cash-releasing"), ("non_cash", "non-cash"),
         ("societal", "societal")]
STATUSES = [(s, s) for s in ("identified", "planned", "realising", "realised", "cancelled")]


def _filter(session: Session, form: dict[str, str]) -> BenefitFilter:
    project = (portfolio_repository.get_project_by_code(session, form["project"])
               if form["project"] else None)
    return BenefitFilter(
        project_id=project.id if project else (-1 if form["project"] else None),
        department_id=as_id(form["department_id"]),
        kind=form["kind"] if form["kind"] in dict(KINDS) else None,
        status=form["status"] if form["status"] in dict(STATUSES) else None,
        unit=form["unit"][:30] or None, at_risk=True if form["at_risk"] else None,
        text=form["q"][:200] or None)


@router.get("/benefits")
def register_page(request: Request, session: DB, actor: CurrentActor, page: PageParams,
                  department_id: str = "", kind: str = "", status: str = "", unit: str = "",
                  at_risk: str = "", q: str = "", project: str = "",
                  by: str = "department", tree: str = "") -> Response:
    """The register: filters, the roll-up by department, goal, programme or portfolio, the
    chart of planned against realised, and the benefits."""
    form = {"department_id": department_id, "kind": kind, "status": status, "unit": unit,
            "at_risk": at_risk, "q": q, "project": project[:40],
            "by": by if by in rollup.BY else "department", "tree": tree[:3]}
    found = _filter(session, form)
    today = schedule.today()
    rows = paginate(session, repository.benefit_query(policy.benefit_scope(actor), found),
                    page.limit, page.offset)
    headline = unit[:30] or None
    summary = rollup.rollup(session, actor, form["by"],
                            BenefitFilter(**{**_fields(found), "unit": None}), headline, today,
                            tree=bool(tree))
    chart = rollup.series(session, actor, BenefitFilter(**{**_fields(found), "unit": None}),
                          summary.unit, today)
    return render(request, "benefits/register.html", actor, form=form, page=rows,
                  benefits=views.describe_benefits(session, rows.items, today),
                  summary=summary, chart=chart.model_dump(mode="json"),
                  base_query=query_string(**form), departments=department_choices(session),
                  kinds=KINDS, statuses=STATUSES, units=[(u, u) for u in repository.units(session)],
                  groupings=[(b, b) for b in rollup.BY],
                  may_create=actor.role not in policy.READ_ONLY_ROLES)


def _fields(found: BenefitFilter) -> dict[str, Any]:
    return {name: getattr(found, name) for name in BenefitFilter.__dataclass_fields__}


def _people(session: Session) -> list[tuple[int, str]]:
    return repository.people_choices(session)


def _new_page(request: Request, session: Session, actor: Actor, form: dict[str, Any],
              error: EpmoError | None = None) -> Response:
    return render(request, "benefits/new.html", actor, status=error.status if error else 200,
                  form=form, error=error, people=_people(session), kinds=KINDS,
                  statuses=STATUSES)


@router.get("/benefits/new")
def new_page(request: Request, session: DB, actor: CurrentActor, project: str = "",
             programme_id: str = "") -> Response:
    """The form for a new benefit of a project (its code) or a programme."""
    form: dict[str, Any] = {"project_id": project[:40], "programme_id": programme_id[:12],
                            "unit": "money", "kind": "non_cash", "status": "planned",
                            "offset_months": "0"}
    return _new_page(request, session, actor, form)


@router.post("/benefits/new", dependencies=CSRF)
def create_page(request: Request, submitted: SubmittedForm, session: DB,
                actor: CurrentActor) -> Response:
    """Register the benefit and open it (its schedule is planned on its page)."""
    raw = form_values(submitted)
    return form_action(
        session, lambda: service.create_benefit(session, actor, forms.parse_create(session, raw)),
        lambda exc: _new_page(request, session, actor, raw, exc),
        lambda made: flash_redirect(request, "Benefit registered", f"/benefits/{made.id}"))


def _benefit_page(request: Request, session: Session, actor: Actor, benefit_id: int,
                  form: dict[str, Any] | None = None, grid: dict[str, Any] | None = None,
                  error: EpmoError | None = None, grid_error: EpmoError | None = None,
                  ) -> Response:
    benefit = policy.access_benefit_or_404(session, actor, benefit_id)
    today = schedule.today()
    detail = views.describe_benefit(session, benefit, today)
    months = forms.grid_months(session, benefit, month_of(today))
    stored = {p.period: p for p in detail.periods}
    grid = grid if grid is not None else {
        **{f"plan-{m}": stored[m].planned if m in stored and stored[m].planned else ""
           for m in months},
        **{f"actual-{a.period}": a.amount for a in detail.actuals},
        **{f"note-{a.period}": a.note for a in detail.actuals}}
    anchors = repository.anchor_choices(session, benefit.project_id, benefit.programme_id)
    bad = error or grid_error
    return render(request, "benefits/benefit.html", actor, status=bad.status if bad else 200,
                  b=detail, form=form if form is not None else forms.form_of(benefit),
                  error=error, grid=grid, grid_error=grid_error, months=months,
                  now=month_of(today), may_keep=policy.can_keep(session, actor, benefit),
                  people=_people(session), kinds=KINDS, statuses=STATUSES,
                  anchors=[(m.id, f"{m.name} ({m.forecast_date or m.planned_date or 'no date'})")
                           for m in anchors])


@router.get("/benefits/{benefit_id}")
def benefit_page(request: Request, session: DB, actor: CurrentActor,
                 benefit_id: PathId) -> Response:
    """One benefit: its fields, anchor and risk, the schedule and actuals grid, the chart."""
    return _benefit_page(request, session, actor, benefit_id)


@router.post("/benefits/{benefit_id}", dependencies=CSRF)
def update_page(request: Request, submitted: SubmittedForm, session: DB, actor: CurrentActor,
                benefit_id: PathId) -> Response:
    """Save the benefit's fields (a new anchor or offset moves the plan)."""
    raw = form_values(submitted)
    return form_action(
        session, lambda: service.update_benefit(session, actor, benefit_id,
                                                forms.parse_update(session, raw)),
        lambda exc: _benefit_page(request, session, actor, benefit_id, form=raw, error=exc),
        lambda _: flash_redirect(request, "Benefit saved", f"/benefits/{benefit_id}"))


def _save_grid(session: Session, actor: Actor, benefit_id: int, raw: dict[str, Any]) -> None:
    benefit = policy.benefit_to_keep(session, actor, benefit_id)
    months = forms.grid_months(session, benefit, month_of(schedule.today()))
    plan, actuals = forms.parse_grid(raw, months, as_id(raw.get("version")) or 0)
    stored = {a.period: a for a in repository.actuals_of(session, [benefit_id])[benefit_id]}
    service.replace_plan(session, actor, benefit_id, plan)
    given = {a.period for a in actuals}
    for actual in actuals:
        if not _same(stored.get(actual.period), actual.amount, actual.note):
            service.record_actual(session, actor, benefit_id, actual)
    for period, row in stored.items():
        if period not in given:
            service.delete_actual(session, actor, benefit_id, period, row.version)


def _same(row: BenefitActual | None, amount: Any, note: str) -> bool:
    return row is not None and row.amount == amount and row.note == note


@router.post("/benefits/{benefit_id}/grid", dependencies=CSRF)
def grid_page(request: Request, submitted: SubmittedForm, session: DB, actor: CurrentActor,
              benefit_id: PathId) -> Response:
    """Save the planned schedule and the actuals typed in the grid, all or nothing."""
    raw = form_values(submitted)
    return form_action(
        session, lambda: _save_grid(session, actor, benefit_id, raw),
        lambda exc: _benefit_page(request, session, actor, benefit_id, grid=raw,
                                  grid_error=exc),
        lambda _: flash_redirect(request, "Schedule and actuals saved",
                                 f"/benefits/{benefit_id}#grid"))


@router.post("/benefits/{benefit_id}/delete", dependencies=CSRF)
def delete_page(request: Request, submitted: SubmittedForm, session: DB, actor: CurrentActor,
                benefit_id: PathId) -> Response:
    """Remove the benefit with its plan and actuals."""
    raw = form_values(submitted)
    return form_action(
        session, lambda: service.delete_benefit(session, actor, benefit_id,
                                                as_id(raw.get("version")) or 0),
        lambda exc: _benefit_page(request, session, actor, benefit_id, error=exc),
        lambda _: flash_redirect(request, "Benefit removed", "/benefits"))


@router.get("/projects/{project_id}/benefits/card")
def project_card(request: Request, session: DB, actor: CurrentActor,
                 project_id: PathId) -> Response:
    """The project page's benefits card (loaded by htmx): each benefit's totals and risk."""
    project = portfolio_policy.access_project_or_404(session, actor, project_id)
    query = repository.benefit_query(policy.benefit_scope(actor),
                                     BenefitFilter(project_id=project.id))
    rows = repository.list_benefits(session, query)
    return render(request, "benefits/_project_card.html", actor, project=project,
                  benefits=views.describe_benefits(session, rows, schedule.today()),
                  may_keep=policy.may_keep(actor, project))

