"""Checks of a request's input beyond its schema, its schedule, and its tier.

Rows are named by their index as the API reports every list error: ``demand.0.role`` is the
first demand row's role. A reference the actor may not see is reported like a missing one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.contracts import tiering
from epmo.errors import FieldError, Invalid
from epmo.intake import policy, repository
from epmo.intake.models import IntakeRequest, RequestDependency
from epmo.intake.schemas import CostLine, DependencyLine, GoalContribution
from epmo.org.models import Department, Person
from epmo.portfolio import demand as project_demand
from epmo.portfolio import policy as portfolio_policy
from epmo.strategy.models import Goal

# The size rule used while the EPMO has no tier rules: total cost from these amounts up.
SIZE_RULE = ((1, Decimal(1_000_000)), (2, Decimal(100_000)))
LEAST_TIER = 3


def fail(errors: list[FieldError]) -> None:
    """Raise Invalid listing every error, if there is any."""
    if errors:
        raise Invalid("; ".join(f"{e.field}: {e.message}" for e in errors), errors)


# --- schedule and tier ------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months (the day clamped to the target month's length)."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    last = [31, 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28, 31, 30,
            31, 30, 31, 31, 30, 31, 30, 31][month]
    return date(year, month + 1, min(day.day, last))


def next_quarter_start(today: date) -> date:
    """The first day of the quarter after the one ``today`` is in."""
    return add_months(date(today.year, (today.month - 1) // 3 * 3 + 1, 1), 3)


def schedule(desired_start: date | None, duration_months: int, today: date) -> tuple[date, date]:
    """Planned start (desired, else the next quarter's first day) and finish."""
    start = desired_start or next_quarter_start(today)
    return start, add_months(start, duration_months)


def size_tier(total: Decimal) -> int:
    """The simple size rule: tier by total cost while no tier rules exist."""
    return next((tier for tier, floor in SIZE_RULE if total >= floor), LEAST_TIER)


def tier_of(session: Session, values: Mapping[str, Any], total: Decimal, today: date) -> int:
    """The tier of a request: the EPMO's tier rules on it as a project, else the size rule."""
    start, finish = schedule(values.get("desired_start"), values["duration_months"], today)
    facts = {"budget_planned": total, "headcount": values["headcount"],
             "risk_rating": values["risk_rating"], "planned_start": start,
             "planned_finish": finish}
    tier = tiering.classifier(session)(facts)
    return size_tier(total) if tier is None else tier


# --- lines ------------------------------------------------------------------------------


def cost_errors(costs: list[CostLine]) -> list[FieldError]:
    """A fiscal year listed twice."""
    errors, seen = [], set()
    for index, line in enumerate(costs):
        if line.period in seen:
            errors.append(FieldError(f"costs.{index}.period", f"{line.period} is listed twice"))
        seen.add(line.period)
    return errors


def goal_errors(session: Session, goals: list[GoalContribution]) -> list[FieldError]:
    """Goals that do not exist or are listed twice."""
    missing = repository.missing_ids(session, Goal, [g.goal_id for g in goals])
    errors, seen = [], set()
    for index, link in enumerate(goals):
        if link.goal_id in seen:
            errors.append(FieldError(f"goals.{index}.goal_id", "goal listed twice"))
        elif link.goal_id in missing:
            errors.append(FieldError(f"goals.{index}.goal_id", f"no such goal: {link.goal_id}"))
        seen.add(link.goal_id)
    return errors


def _target_error(session: Session, actor: Actor, line: DependencyLine, own_id: int | None,
                  kept: frozenset[tuple[str, int]]) -> tuple[str, str] | None:
    if line.on_request_id is not None:
        if line.on_request_id == own_id:
            return "on_request_id", "a request cannot depend on itself"
        if ("request", line.on_request_id) in kept:
            return None
        target = repository.get_request(session, line.on_request_id)
        if target is None or not policy.can_read_request(actor, target):
            return "on_request_id", f"no such request: {line.on_request_id}"
        return None
    ident = line.on_project_id or 0
    project = repository.get_project(session, ident)
    if ("project", ident) not in kept and (
            project is None or not portfolio_policy.can_read_project(session, actor, project)):
        return "on_project_id", f"no such project: {ident}"
    return None


def dependency_errors(session: Session, actor: Actor, lines: list[DependencyLine],
                      own_id: int | None = None,
                      kept: frozenset[tuple[str, int]] = frozenset()) -> list[FieldError]:
    """Targets that do not exist (or the actor cannot see), the request itself, repeats."""
    errors, seen = [], set()
    for index, line in enumerate(lines):
        key = (line.on_request_id, line.on_project_id)
        found = _target_error(session, actor, line, own_id, kept)
        if found is not None:
            errors.append(FieldError(f"dependencies.{index}.{found[0]}", found[1]))
        elif key in seen:
            errors.append(FieldError(f"dependencies.{index}", "listed twice"))
        seen.add(key)
    return errors


def kept_targets(session: Session, request: IntakeRequest) -> frozenset[tuple[str, int]]:
    """What the request already depends on (kept even where the actor cannot see it)."""
    rows = repository.lines_of(session, RequestDependency, request.id)
    return frozenset([("request", r.on_request_id) for r in rows if r.on_request_id] +
                     [("project", r.on_project_id) for r in rows if r.on_project_id])


# --- the whole input --------------------------------------------------------------------


def reference_errors(session: Session, values: Mapping[str, Any]) -> list[FieldError]:
    """The department and sponsor must exist; a mandatory request says why."""
    errors = []
    if "department_id" in values and repository.missing_ids(session, Department,
                                                            [values["department_id"]]):
        errors.append(FieldError("department_id", f"no such department: "
                                                  f"{values['department_id']}"))
    sponsor = values.get("sponsor_id")
    if sponsor is not None and repository.missing_ids(session, Person, [sponsor]):
        errors.append(FieldError("sponsor_id", f"no such person: {sponsor}"))
    if values.get("mandatory") and not values.get("mandatory_reason"):
        errors.append(FieldError("mandatory_reason",
                                 "say why it is mandatory (regulatory, contractual, ...)"))
    return errors


def line_errors(session: Session, actor: Actor, lines: Mapping[str, Any],
                own_id: int | None = None,
                kept: frozenset[tuple[str, int]] = frozenset()) -> list[FieldError]:
    """Every problem in the lists that are sent (None: not sent, left as they are)."""
    errors: list[FieldError] = []
    if lines.get("costs") is not None:
        errors += cost_errors(lines["costs"])
    if lines.get("demand") is not None:
        errors += project_demand.line_errors(session, lines["demand"], "demand")
    if lines.get("goals") is not None:
        errors += goal_errors(session, lines["goals"])
    if lines.get("dependencies") is not None:
        errors += dependency_errors(session, actor, lines["dependencies"], own_id, kept)
    return errors


def total_of(costs: Iterable[Any]) -> Decimal:
    """The sum of cost lines' amounts."""
    return sum((Decimal(c.amount) for c in costs), Decimal("0.00"))
