"""Plan programme and project rows, with the portfolio domain's access and lifecycle rules."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from epmo.auth.policy import can_lead_department
from epmo.compliance.enforcement import Enforcer, ProjectWrite
from epmo.contracts import tiering
from epmo.errors import FieldError, Forbidden, Invalid
from epmo.files.problems import Row
from epmo.imports import repository
from epmo.imports.core import Context, Extras, Item
from epmo.imports.org_rows import NOT_YOURS, department_field
from epmo.imports.writes import LinkSpec, Plan
from epmo.org.models import Department, Person
from epmo.portfolio import policy
from epmo.portfolio.events import columns_of, new_project
from epmo.portfolio.models import (
    Portfolio,
    Programme,
    ProgrammeDepartment,
    Project,
    ProjectDepartment,
    ProjectGoal,
    ProjectPortfolio,
)
from epmo.portfolio.schemas import DATE_PAIRS, next_stages
from epmo.strategy.models import Goal

PARTICIPANTS = "participating_department_codes"
COLUMN_OF = {"department_id": "department_code", "sponsor_id": "sponsor_code",
             "manager_id": "manager_code", "programme_id": "programme_code"}
PROGRAMME_FIELDS = ("code", "name", "description")
PROJECT_FIELDS = (
    "code", "name", "description", "stage", "methodology", "headcount", "risk_rating", "health",
    *(name for pair in DATE_PAIRS for name in pair),
    "budget_planned", "budget_actual", "budget_forecast",
)
PROGRAMME_LINKS = (LinkSpec(PARTICIPANTS, ProgrammeDepartment, "programme_id", "department_id"),)
PROJECT_LINKS = (
    LinkSpec("goal_codes", ProjectGoal, "project_id", "goal_id"),
    LinkSpec("portfolio_codes", ProjectPortfolio, "project_id", "portfolio_id"),
    LinkSpec(PARTICIPANTS, ProjectDepartment, "project_id", "department_id"),
)


def _start(ctx: Context, model: type[Any], rows: list[Row],
           links: tuple[LinkSpec, ...]) -> tuple[dict[str, Any], Plan]:
    existing = repository.by_codes(ctx.session, model, (row.code for row in rows))
    plan = Plan(model, [], links)
    plan.load_links(ctx.session, [obj.id for obj in existing.values()])
    return existing, plan


# --- programmes -------------------------------------------------------------------------


def plan_programmes(ctx: Context, rows: list[Row]) -> Plan:
    """Programmes of departments the actor leads."""
    existing, plan = _start(ctx, Programme, rows, PROGRAMME_LINKS)
    departments = repository.code_ids(ctx.session, Department)
    people = repository.code_ids(ctx.session, Person)
    for row in rows:
        obj = existing.get(row.code)
        if not ctx.require_for_create(row, obj):
            continue
        if obj is not None and not can_lead_department(ctx.actor, obj.department_id):
            ctx.error(row, department_field(row), NOT_YOURS)
            continue
        values = ctx.scalars(row, obj, PROGRAMME_FIELDS)
        ctx.reference(row, "department_code", departments, "department", values,
                      "department_id")
        if not _moves_allowed(obj, values, lambda d: can_lead_department(ctx.actor, d)):
            ctx.error(row, "department_code", NOT_YOURS)
        ctx.reference(row, "manager_code", people, "person", values, "manager_id")
        item = Item(row.number, row.code, obj, values)
        _participants(ctx, row, item, departments, plan)
        plan.items.append(item)
    return plan


def _moves_allowed(obj: Any | None, values: Mapping[str, Any], allowed: Any) -> bool:
    """Creating in, or moving out of and into, a department needs the right on each."""
    target = values.get("department_id", obj.department_id if obj is not None else None)
    if target is None or (obj is not None and target == obj.department_id):
        return True
    return bool(allowed(target)) and (obj is None or bool(allowed(obj.department_id)))


def _participants(ctx: Context, row: Row, item: Item, departments: Mapping[str, int],
                  plan: Plan) -> None:
    """Other departments taking part; the owner is never listed as a participant."""
    obj = item.obj
    owner = item.values.get("department_id", obj.department_id if obj is not None else None)
    wanted = ctx.link_set(row, PARTICIPANTS, departments, "department")
    if wanted is None and obj is not None and owner != obj.department_id:
        wanted = {key: {} for key in plan.stored[PARTICIPANTS].get(obj.id, {})}
    if wanted is not None:
        item.links[PARTICIPANTS] = {d: extra for d, extra in wanted.items() if d != owner}


# --- projects ---------------------------------------------------------------------------


def plan_projects(ctx: Context, rows: list[Row]) -> Plan:
    """Projects of departments the actor may write to, following the stage lifecycle.

    Each row's tier is computed by the tier rules from its (new or stored) facts.
    """
    existing, plan = _start(ctx, Project, rows, PROJECT_LINKS)
    lookups = _project_lookups(ctx, rows)
    tier_of = tiering.classifier(ctx.session)
    enforcer = Enforcer(ctx.session)
    for row in rows:
        obj = existing.get(row.code)
        if not ctx.require_for_create(row, obj):
            continue
        if obj is not None and not policy.can_write_project(ctx.actor, obj):
            ctx.error(row, department_field(row), NOT_YOURS)
            continue
        before = ctx.problems.count
        values = ctx.scalars(row, obj, PROJECT_FIELDS)
        _project_references(ctx, row, values, lookups)
        if not _moves_allowed(obj, values, lambda d: policy.can_place_project(ctx.actor, d)):
            ctx.error(row, "department_code", NOT_YOURS)
        _check_stage(ctx, row, obj, values)
        _check_dates(ctx, row, obj, values)
        _assign_tier(tier_of, obj, values)
        if ctx.problems.count == before:  # the row is whole: judge it as the charter says
            _enforce(ctx, enforcer, row, obj, values)
        item = Item(row.number, row.code, obj, values)
        _project_links(ctx, row, item, lookups, plan)
        plan.items.append(item)
    return plan


def _assign_tier(tier_of: Callable[[Mapping[str, Any]], int | None], obj: Project | None,
                 values: dict[str, Any]) -> None:
    """Add the tier the row's facts (over the stored ones) give, when it is new or differs."""
    current = tiering.fields_of(obj) if obj is not None else {}
    tier = tier_of(current | {k: v for k, v in values.items() if k in tiering.FACT_FIELDS})
    if tier is not None and (obj is None or tier != obj.tier):
        values["tier"] = tier


def _project_lookups(ctx: Context, rows: list[Row]) -> dict[str, dict[str, int]]:
    """Code -> id of everything a project row may name (what the actor may not read is absent);
    departments the import creates have placeholder ids."""
    session, actor = ctx.session, ctx.actor
    named = {row.values.get("programme_code") for row in rows} - {None}
    programmes = repository.by_codes(session, Programme, named)  # type: ignore[arg-type]
    portfolios = repository.all_by_code(session, Portfolio)
    return {
        "department": repository.code_ids(session, Department) | ctx.new_departments,
        "person": repository.code_ids(session, Person),
        "goal": repository.code_ids(session, Goal),
        "programme": {code: p.id for code, p in programmes.items()
                      if policy.can_read_programme(session, actor, p)},
        "portfolio": {code: p.id for code, p in portfolios.items()
                      if policy.can_read_portfolio(actor, p)},
    }


def _project_references(ctx: Context, row: Row, values: dict[str, Any],
                        lookups: Mapping[str, Mapping[str, int]]) -> None:
    for field, attribute, what in (
        ("department_code", "department_id", "department"),
        ("sponsor_code", "sponsor_id", "person"),
        ("manager_code", "manager_id", "person"),
        ("programme_code", "programme_id", "programme"),
    ):
        ctx.reference(row, field, lookups[what], what, values, attribute)


def _check_stage(ctx: Context, row: Row, obj: Project | None,
                 values: Mapping[str, Any]) -> None:
    """Any stage on create; an update must be one allowed step of the lifecycle."""
    stage = values.get("stage")
    if obj is None or stage is None or stage == obj.stage:
        return
    allowed = next_stages(obj.stage)
    if stage not in allowed:
        hint = f"allowed: {', '.join(allowed)}" if allowed else f"{obj.stage} is final"
        ctx.error(row, "stage", f"cannot go from {obj.stage} to {stage}; {hint}")


def _enforce(ctx: Context, enforcer: Enforcer, row: Row, obj: Project | None,
             values: Mapping[str, Any]) -> None:
    """The charter's one check, as for a form or the API: errors and warnings by column."""
    merged = columns_of(obj) | dict(values) if obj is not None else new_project(values)
    write = ProjectWrite(merged, obj, frozenset(values))
    try:
        warnings = enforcer.check(ctx.actor, write)
    except (Invalid, Forbidden) as exc:
        for error in exc.errors or [FieldError("stage", exc.message)]:
            ctx.error(row, COLUMN_OF.get(error.field, error.field), error.message)
        return
    for warning in warnings:
        ctx.warn(row, COLUMN_OF.get(warning.field, warning.field), warning.message)


def _check_dates(ctx: Context, row: Row, obj: Project | None, values: Mapping[str, Any]) -> None:
    """Each start is on or before its finish, counting stored dates the file leaves alone."""
    for start, finish in DATE_PAIRS:
        if start not in values and finish not in values:
            continue
        first = values[start] if start in values else getattr(obj, start, None)
        last = values[finish] if finish in values else getattr(obj, finish, None)
        if first is not None and last is not None and first > last:
            if finish in values:
                ctx.error(row, finish, f"must not be before {start} ({first.isoformat()})")
            else:
                ctx.error(row, start, f"must not be after {finish} ({last.isoformat()})")


def _project_links(ctx: Context, row: Row, item: Item,
                   lookups: Mapping[str, Mapping[str, int]], plan: Plan) -> None:
    goals = _goal_links(ctx, row, lookups["goal"])
    if goals is not None:
        item.links["goal_codes"] = goals
    portfolios = ctx.link_set(row, "portfolio_codes", lookups["portfolio"], "portfolio")
    if portfolios is not None:
        item.links["portfolio_codes"] = portfolios
    _participants(ctx, row, item, lookups["department"], plan)


def _goal_links(ctx: Context, row: Row, goals: Mapping[str, int]) -> dict[int, Extras] | None:
    if not row.has("goal_codes"):
        return None
    wanted: dict[int, Extras] = {}
    for code, weight in (row.values["goal_codes"] or {}).items():
        ident = goals.get(code)
        if ident is None:
            ctx.error(row, "goal_codes", f"no goal {code}")
        else:
            wanted[ident] = {"weight": weight}
    return wanted
