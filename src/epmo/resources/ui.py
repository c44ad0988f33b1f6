"""Pages of the resources domain: the heatmap and its cells, lending, the queue, calendars."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy.orm import Session

from epmo.auth.policy import Actor, spans_enterprise
from epmo.editing import paginate
from epmo.errors import EpmoError, FieldError, Invalid
from epmo.org import policy as org_policy
from epmo.portfolio.forms import project_id_of
from epmo.resources import (
    heatmap,
    lending,
    people,
    policy,
    queue,
    repository,
    scenario_ui,
    service,
    views,
)
from epmo.resources.scenario_ui import as_id, department_choices
from epmo.resources.schemas import (
    CapacityPeriodCreate,
    HolidayCreate,
    LendingAnswer,
    LendingCreate,
    TimeOffCreate,
)
from epmo.schema_kit import MAX_ID
from epmo.web.deps import DB, CurrentActor, PageParams, PathId, SubmittedForm, check_csrf_form
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
router.include_router(scenario_ui.router)
CSRF = [Depends(check_csrf_form)]
LENDING_FIELDS = ("project_id", "lender_department_id", "role", "person_id", "fte", "starts",
                  "ends", "note")


@router.get("/resources")
def heatmap_page(request: Request, session: DB, actor: CurrentActor,
                 start: str | None = None, months_shown: str | None = None,
                 department_id: str | None = None, role: str | None = None,
                 scenario_id: str | None = None) -> Response:
    """The heatmap: department x role x month, the load in colour, and the overloads (a
    department's people see their first department unless they choose another or every one;
    ``scenario_id``: as a what-if scenario would have it)."""
    if department_id is None and actor.department_ids and not spans_enterprise(actor):
        department_id = str(min(actor.department_ids))
    form = {"start": start or "", "months_shown": months_shown or str(heatmap.DEFAULT_MONTHS),
            "department_id": department_id or "", "role": role or "",
            "scenario_id": scenario_id or ""}
    error, found, scenario = None, None, None
    try:
        count = as_id(months_shown) or heatmap.DEFAULT_MONTHS
        shown = heatmap.horizon(start or None, count, date.today())
        ident = as_id(scenario_id)
        scenario = policy.access_scenario_or_404(session, ident) if ident else None
        found = heatmap.heatmap(session, shown, as_id(department_id), role or None, ident)
    except EpmoError as exc:
        error = exc
    return render(request, "resources/heatmap.html", actor,
                  status=error.status if error else 200, form=form, error=error, heat=found,
                  departments=department_choices(session), scenario=scenario)


@router.get("/resources/cell")
def cell_page(request: Request, session: DB, actor: CurrentActor,
              department_id: Annotated[int, Query(ge=1, le=MAX_ID)], role: str,
              month: str) -> Response:
    """One cell: the projects asking for the role that month and the lendings in it."""
    detail = heatmap.cell(session, actor, department_id, role[:100], month[:7])
    return render(request, "resources/cell.html", actor, cell=detail,
                  ask=query_string(role=detail.role, starts=f"{detail.month}-01"))


@router.get("/resources/people")
def people_page(request: Request, session: DB, actor: CurrentActor,
                department_id: str | None = None, start: str | None = None,
                weeks: str | None = None) -> Response:
    """Person x week: hours after calendars, hours booked by name, and each role's load."""
    chosen = as_id(department_id) or (min(actor.department_ids) if actor.department_ids else None)
    form = {"department_id": chosen or "", "start": start or "",
            "weeks": weeks or str(people.DEFAULT_WEEKS)}
    error: EpmoError | None = None
    found = None
    try:
        first = date.fromisoformat(start) if start else None
        if chosen is not None:
            found = people.person_weeks(session, chosen, first,
                                        as_id(weeks) or people.DEFAULT_WEEKS, date.today())
    except ValueError:
        error = Invalid("The first week is not a date",
                        [FieldError("start", f"must be a date such as 2027-03-01, not {start!r}")])
    except EpmoError as exc:
        error = exc
    return render(request, "resources/people.html", actor,
                  status=error.status if error else 200, form=form, error=error, view=found,
                  departments=department_choices(session))


@router.get("/resources/queue")
def queue_page(request: Request, session: DB, actor: CurrentActor,
               scenario_id: str | None = None) -> Response:
    """The queue placed on the capacity left: where each request can start, and why (on a
    what-if scenario's capacity when ``scenario_id`` names one)."""
    ident = as_id(scenario_id)
    scenario = policy.access_scenario_or_404(session, ident) if ident is not None else None
    return render(request, "resources/queue.html", actor, scenario=scenario,
                  queue=queue.plan_queue(session, date.today(), scenario_id=ident))


def _lending_page(request: Request, session: Session, actor: Actor, page: Any,
                  form: dict[str, Any], error: EpmoError | None = None) -> Response:
    found = repository.lending_query(policy.lending_scope(actor))
    rows = paginate(session, found, page.limit, page.offset)
    return render(request, "resources/lending.html", actor,
                  status=error.status if error else 200, form=form, error=error,
                  lendings=views.describe_lendings(session, actor, rows.items), page=rows,
                  base_query="", departments=department_choices(session))


@router.get("/resources/lending")
def lending_page(request: Request, session: DB, actor: CurrentActor, page: PageParams,
                 role: str | None = None, starts: str | None = None,
                 project: str | None = None) -> Response:
    """Lendings you take part in, and the form to ask another department."""
    form = {"role": role or "", "starts": starts or "", "project_id": project or ""}
    return _lending_page(request, session, actor, page, form)


@router.post("/resources/lending", dependencies=CSRF)
def ask_page(request: Request, submitted: SubmittedForm, session: DB, actor: CurrentActor,
             page: PageParams) -> Response:
    """Send a lending request; the lending department's leads are told."""
    raw = form_values(submitted)

    def write() -> Any:
        values = {k: raw.get(k) for k in LENDING_FIELDS if raw.get(k) not in (None, "")}
        values["project_id"] = project_id_of(session, values.get("project_id"), "project_id")
        data = parse_form(LendingCreate, with_ints(values, "project_id", "lender_department_id",
                                                   "person_id"))
        return lending.create_lending(session, actor, data)
    def done(made: Any) -> Response:
        lender = repository.departments(session)[made.lender_department_id].code
        return flash_redirect(request, f"Lending request sent to {lender}",
                              f"/resources/lending#lending-{made.id}")
    return form_action(session, write,
                       lambda exc: _lending_page(request, session, actor, page, raw, exc), done)


@router.post("/resources/lending/{lending_id}", dependencies=CSRF)
def answer_page(request: Request, submitted: SubmittedForm, session: DB, actor: CurrentActor,
                lending_id: PathId, page: PageParams) -> Response:
    """Answer a lending (accept, confirm, counter, decline, take the offer, cancel)."""
    raw = form_values(submitted)

    def write() -> Any:
        values = {k: raw.get(k) for k in ("action", "version", "fte", "starts", "ends",
                                          "comment") if raw.get(k) not in (None, "")}
        data = parse_form(LendingAnswer, with_ints(values, "version"))
        return lending.answer_lending(session, actor, lending_id, data)
    def done(answered: Any) -> Response:
        verb = lending.VERBS.get(str(raw.get("action")), "answered")
        return flash_redirect(request, f"Lending {verb}",
                              f"/resources/lending#lending-{answered.id}")
    return form_action(session, write,
                       lambda exc: _lending_page(request, session, actor, page, {}, exc), done)


def _calendar_page(request: Request, session: Session, actor: Actor, person_id: int,
                   form: dict[str, Any], error: EpmoError | None = None) -> Response:
    person = org_policy.access_person_or_404(session, actor, person_id)
    keeper = org_policy.can_edit_person(actor, person.department_id)
    return render(request, "resources/calendar.html", actor,
                  status=error.status if error else 200, form=form, error=error,
                  calendar=views.calendar(session, person, date.today(), keeper), person=person,
                  may_edit=keeper)


@router.get("/people/{person_id}/calendar")
def calendar_page(request: Request, session: DB, actor: CurrentActor,
                  person_id: PathId) -> Response:
    """A person's capacity periods, time off and FTE per month."""
    return _calendar_page(request, session, actor, person_id, {})


@router.post("/people/{person_id}/calendar", dependencies=CSRF)
def calendar_write_page(request: Request, submitted: SubmittedForm, session: DB,
                        actor: CurrentActor, person_id: PathId) -> Response:
    """Add a capacity period or time off, or remove one (``what`` says which)."""
    raw = form_values(submitted)
    what = raw.get("what")

    def write() -> Any:
        values = {k: v for k, v in raw.items() if k != "what" and v not in (None, "")}
        if what == "period":
            return service.create_period(session, actor, person_id,
                                         parse_form(CapacityPeriodCreate, values))
        if what == "time_off":
            return service.create_time_off(session, actor, person_id,
                                           parse_form(TimeOffCreate, values))
        ident, version = as_id(raw.get("id")) or 0, as_id(raw.get("version")) or 0
        if what == "delete_period":
            return service.delete_period(session, actor, ident, version)
        return service.delete_time_off(session, actor, ident, version)
    return form_action(session, write,
                       lambda exc: _calendar_page(request, session, actor, person_id, raw, exc),
                       lambda _: flash_redirect(request, "Calendar saved",
                                                f"/people/{person_id}/calendar"))


def _holidays_page(request: Request, session: Session, actor: Actor, form: dict[str, Any],
                   error: EpmoError | None = None) -> Response:
    found = repository.list_holidays(session)
    return render(request, "resources/holidays.html", actor,
                  status=error.status if error else 200, form=form, error=error,
                  holidays=found,
                  names={d.id: d.code for d in repository.departments(session).values()},
                  departments=[(i, text) for i, text in department_choices(session)
                               if policy.may_keep_holiday(actor, i)],
                  everyone=policy.may_keep_holiday(actor, None),
                  keeps={h.id for h in found if policy.may_keep_holiday(actor, h.department_id)})


@router.get("/resources/holidays")
def holidays_page(request: Request, session: DB, actor: CurrentActor) -> Response:
    """Public holidays, for everyone or a department (the form for those who keep them)."""
    return _holidays_page(request, session, actor, {})


@router.post("/resources/holidays", dependencies=CSRF)
def holiday_write_page(request: Request, submitted: SubmittedForm, session: DB,
                       actor: CurrentActor) -> Response:
    """Add a holiday, or remove one."""
    raw = form_values(submitted)

    def write() -> Any:
        if raw.get("what") == "delete":
            return service.delete_holiday(session, actor, as_id(raw.get("id")) or 0,
                                          as_id(raw.get("version")) or 0)
        values = {k: raw.get(k) for k in ("day", "name", "department_id")
                  if raw.get(k) not in (None, "")}
        data = parse_form(HolidayCreate, with_ints(values, "department_id"))
        return service.create_holiday(session, actor, data)

    def again(exc: EpmoError) -> Response:
        return _holidays_page(request, session, actor, raw, exc)
    return form_action(session, write, again,
                       lambda _: flash_redirect(request, "Holidays saved", "/resources/holidays"))

