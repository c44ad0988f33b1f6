"""Pages of what-if capacity scenarios: the list, one scenario's changes and its comparison."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.errors import EpmoError
from epmo.org.models import Department
from epmo.portfolio import repository as portfolio_repository
from epmo.resources import compare, heatmap, policy, repository, whatif
from epmo.resources.schemas import CapacityChangeCreate, ScenarioCreate, ScenarioUpdate
from epmo.schema_kit import MAX_ID
from epmo.web.deps import DB, CurrentActor, PathId, SubmittedForm, check_csrf_form
from epmo.web.pages import flash_redirect, form_action, form_values, parse_form, render, with_ints

router = APIRouter(include_in_schema=False)
CSRF = [Depends(check_csrf_form)]
CHANGE_FIELDS = ("kind", "department_id", "to_department_id", "role", "fte", "starts", "ends",
                 "note")
KINDS = [("hire", "Hire (FTE gained)"), ("leave", "Leave (FTE lost)"),
         ("move", "Move (FTE to another department)")]


def department_choices(session: Session) -> list[tuple[int, str]]:
    """Every department as (id, "CODE Name"), by code, for a select."""
    rows = portfolio_repository.choice_rows(session, Department)
    return [(row[0], f"{row[1]} {row[2]}") for row in rows]


def as_id(value: Any) -> int | None:
    """A form's or a link's id, or None (ASCII digits only: ``int`` takes "²" and fails)."""
    ok = isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 12
    return int(value) if ok and 1 <= int(value) <= MAX_ID else None


def _list_page(request: Request, session: Session, actor: Actor, form: dict[str, Any],
               error: EpmoError | None = None) -> Response:
    scenarios = [whatif.describe(session, actor, s) for s in repository.list_scenarios(session)]
    return render(request, "resources/scenarios.html", actor,
                  status=error.status if error else 200, form=form, error=error,
                  scenarios=scenarios, may_plan=policy.can_plan(actor))


@router.get("/resources/scenarios")
def scenarios_page(request: Request, session: DB, actor: CurrentActor) -> Response:
    """The what-if scenarios, and the form to start one."""
    return _list_page(request, session, actor, {})


@router.post("/resources/scenarios", dependencies=CSRF)
def create_page(request: Request, submitted: SubmittedForm, session: DB,
                actor: CurrentActor) -> Response:
    """Start a scenario and open it."""
    raw = form_values(submitted)

    def write() -> Any:
        values = {k: raw.get(k) for k in ("name", "description") if raw.get(k) is not None}
        return whatif.create_scenario(session, actor, parse_form(ScenarioCreate, values))
    return form_action(session, write, lambda exc: _list_page(request, session, actor, raw, exc),
                       lambda made: flash_redirect(request, f"Scenario {made.name} started",
                                                   f"/resources/scenarios/{made.id}"))


@router.get("/resources/scenarios/compare")
def compare_page(request: Request, session: DB, actor: CurrentActor,
                 ids: Annotated[list[str] | None, Query()] = None,
                 start: str | None = None, months_shown: str | None = None) -> Response:
    """Several scenarios side by side, each against the plan as it is."""
    view = {"start": (start or "")[:7], "months_shown": (months_shown or "")[:2]}
    found, problem = [], None
    try:
        chosen = compare.parse_ids(",".join(str(as_id(i) or "x") for i in ids or []))
        count = as_id(view["months_shown"]) or heatmap.DEFAULT_MONTHS
        shown = heatmap.horizon(view["start"] or None, count, date.today())
        found = compare.compare_many(session, chosen, shown, date.today())
    except EpmoError as exc:
        problem = exc
    return render(request, "resources/compare.html", actor, status=problem.status if problem
                  else 200, view=view, problem=problem, found=found,
                  table=compare.side_by_side(found), ids=ids or [])


def _scenario_page(request: Request, session: Session, actor: Actor, scenario_id: int,
                   form: dict[str, Any], error: EpmoError | None = None,
                   view: dict[str, str] | None = None) -> Response:
    scenario = policy.access_scenario_or_404(session, scenario_id)
    view = view or {}
    compared, problem = None, None
    try:
        count = as_id(view.get("months_shown")) or heatmap.DEFAULT_MONTHS
        shown = heatmap.horizon(view.get("start") or None, count, date.today())
        compared = compare.compare(session, scenario_id, shown, date.today())
    except EpmoError as exc:
        problem = exc
    return render(request, "resources/scenario.html", actor,
                  status=error.status if error else 200, form=form, error=error, view=view,
                  scenario=whatif.describe(session, actor, scenario), compared=compared,
                  problem=problem, kinds=KINDS, departments=department_choices(session),
                  may_plan=policy.can_plan(actor))


@router.get("/resources/scenarios/{scenario_id}")
def scenario_page(request: Request, session: DB, actor: CurrentActor, scenario_id: PathId,
                  start: str | None = None, months_shown: str | None = None) -> Response:
    """A scenario's changes and how it compares with the baseline."""
    view = {"start": (start or "")[:7], "months_shown": (months_shown or "")[:2]}
    return _scenario_page(request, session, actor, scenario_id, {"kind": "hire"}, view=view)


def _write(session: Session, actor: Actor, scenario_id: int, raw: dict[str, Any]) -> str:
    """Do what the form asks (``what``) and say what was done."""
    what, ident, version = raw.get("what"), as_id(raw.get("id")), as_id(raw.get("version"))
    if what == "delete_change":
        whatif.delete_change(session, actor, ident or 0, version or 0)
        return "Change removed"
    if what == "update":
        values = {k: raw.get(k) if raw.get(k) is not None else "" for k in ("name", "description")}
        whatif.update_scenario(session, actor, scenario_id, parse_form(
            ScenarioUpdate, with_ints(values | {"version": raw.get("version")}, "version")))
        return "Scenario saved"
    if what == "delete":
        whatif.delete_scenario(session, actor, scenario_id, version or 0)
        return "Scenario removed"
    values = {k: raw.get(k) for k in CHANGE_FIELDS if raw.get(k) not in (None, "")}
    data = parse_form(CapacityChangeCreate, with_ints(values, "department_id",
                                                      "to_department_id"))
    made = whatif.add_change(session, actor, scenario_id, data)
    return f"{made.kind.capitalize()} of {made.fte} FTE {made.role} added"


@router.post("/resources/scenarios/{scenario_id}", dependencies=CSRF)
def scenario_write_page(request: Request, submitted: SubmittedForm, session: DB,
                        actor: CurrentActor, scenario_id: PathId) -> Response:
    """Add a change, remove one, rename the scenario or remove it (``what`` says which)."""
    raw = form_values(submitted)
    gone = raw.get("what") == "delete"
    return form_action(
        session, lambda: _write(session, actor, scenario_id, raw),
        lambda exc: _scenario_page(request, session, actor, scenario_id, raw, exc),
        lambda said: flash_redirect(request, said, "/resources/scenarios" if gone
                                    else f"/resources/scenarios/{scenario_id}"))
