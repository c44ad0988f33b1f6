"""The role demand grid of the project page: roles down, quarters across, FTE-months in cells.

Columns are the quarters the project's dates (forecast, else plan) cover plus any quarter
already holding demand (this year's four when there is neither). A cell left blank or 0 means
no demand. Errors name the role and quarter of the cell, and the page comes back with what was
typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.editing import as_int
from epmo.errors import FieldError, Invalid
from epmo.portfolio import demand, repository
from epmo.portfolio.demand_schemas import ProjectDemandSet
from epmo.portfolio.demand_window import quarter_of
from epmo.portfolio.models import Project
from epmo.web.pages import parse_form

BLANK_ROWS = 2
MAX_QUARTERS = 24
FTE_HINT = "must be FTE-months: a number, 0 or more, with up to 2 decimals"


@dataclass
class Grid:
    """What the grid shows: its quarter columns, role rows (cells as text) and known roles."""

    quarters: list[str]
    rows: list[dict[str, Any]]
    roles: list[str] = field(default_factory=list)


def _span(project: Project) -> list[str]:
    within = demand.window_of(project)  # the dates the demand must lie within
    start, finish = within.start, within.end
    if start is None or finish is None or finish < start:
        return []
    found: list[str] = []
    year, q = start.year, (start.month - 1) // 3 + 1
    last = quarter_of(finish)
    while len(found) < MAX_QUARTERS:
        found.append(f"{year}-Q{q}")
        if found[-1] == last:
            break
        year, q = (year + 1, 1) if q == 4 else (year, q + 1)
    return found


def _columns(project: Project, periods: set[str], today: date) -> list[str]:
    found = sorted(set(_span(project)) | periods)
    return found or [f"{today.year}-Q{q}" for q in range(1, 5)]


def stored_grid(session: Session, project: Project, today: date) -> Grid:
    """The grid of the stored demand, with blank rows to add roles."""
    lines = repository.demand_lines(session, [project.id]).get(project.id, [])
    by_role: dict[str, dict[str, str]] = {}
    for line in lines:
        by_role.setdefault(line.role, {})[line.period] = str(line.fte_months)
    rows = [{"role": role, "cells": cells} for role, cells in by_role.items()]
    rows += [{"role": "", "cells": {}} for _ in range(BLANK_ROWS)]
    quarters = _columns(project, {line.period for line in lines}, today)
    return Grid(quarters, rows, repository.people_roles(session))


def typed_grid(session: Session, form: Any) -> Grid:
    """The grid as the user typed it, to show again beside the errors."""
    quarters = [q for q in form.getlist("quarter") if isinstance(q, str)][:MAX_QUARTERS]
    rows = [{"role": role, "cells": {q: _cell(form, r, q) for q in quarters}}
            for r, role in enumerate(_roles(form))]
    return Grid(quarters, rows, repository.people_roles(session))


def _roles(form: Any) -> list[str]:
    return [r.strip() if isinstance(r, str) else "" for r in form.getlist("role")]


def _cell(form: Any, r: int, quarter: str) -> str:
    value = form.get(f"fte-{r}-{quarter}")
    return value.strip() if isinstance(value, str) else ""


def save_grid(session: Session, actor: Actor, project_id: int, form: Any) -> None:
    """Replace the project's demand with the posted grid; errors name cells in words."""
    data, where = parse_grid(form, as_int(form.get("version")))
    try:
        demand.set_demand(session, actor, project_id, data)
    except Invalid as exc:
        raise Invalid(exc.message, in_words(exc.errors, where)) from None


def parse_grid(form: Any, version: int | None) -> tuple[ProjectDemandSet, list[str]]:
    """The posted grid as the API's input (and each line's cell in words), or Invalid naming
    each bad cell by role and quarter."""
    quarters = [q for q in form.getlist("quarter") if isinstance(q, str)][:MAX_QUARTERS]
    lines, where, errors = [], [], []
    for r, role in enumerate(_roles(form)):
        filled = [(q, _cell(form, r, q)) for q in quarters if _cell(form, r, q)]
        if filled and not role:
            errors.append(FieldError(f"Row {r + 1}", "choose the role these hours are for"))
            continue
        for quarter, text in filled:
            lines.append({"role": role, "period": quarter, "fte_months": text})
            where.append(f"{role}, {quarter}")
    try:
        data: ProjectDemandSet = parse_form(ProjectDemandSet, {"version": version,
                                                               "lines": lines})
    except Invalid as exc:
        errors += in_words(exc.errors, where)
    if errors:
        raise Invalid("The role demand has problems; nothing was saved", errors)
    return data, where


def in_words(errors: list[FieldError], where: list[str]) -> list[FieldError]:
    """``lines.3.fte_months`` -> the role and quarter of that cell, with a plain message."""
    found = []
    for error in errors:
        parts = error.field.split(".")
        if parts[0] == "lines" and len(parts) > 2 and parts[1].isdigit() and int(
                parts[1]) < len(where):
            message = FTE_HINT if parts[2] == "fte_months" else error.message
            found.append(FieldError(where[int(parts[1])], message))
        elif parts[0] == "version":
            found.append(FieldError("Version", "reload the page and enter the demand again"))
        else:
            found.append(error)
    return found
