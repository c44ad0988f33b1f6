"""The role demand grid of the project page: a row per role or named person, months across,
FTE-months in cells.

Columns are the months the project's dates (forecast, else plan) cover plus any month
already holding demand (this year's twelve when there is neither). A row names a role, or a
person (picked from ``/pick/people``; the role may then be left blank: it is theirs). A cell
left blank or 0 means no demand. Errors name the row's role or person and the month of the
cell, all at once, and the page comes back with what was typed.
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
from epmo.portfolio.demand_window import month_name, month_number, month_of
from epmo.portfolio.models import Project
from epmo.web.pages import PICKED, parse_form, pick_label

BLANK_ROWS = 2
MAX_MONTHS = 96  # eight years of columns
FTE_HINT = "must be FTE-months: a number, 0 or more, with up to 2 decimals"


@dataclass
class Grid:
    """What the grid shows: its month columns, role rows (cells as text) and known roles."""

    months: list[str]
    rows: list[dict[str, Any]]
    roles: list[str] = field(default_factory=list)


def _span(project: Project) -> list[str]:
    within = demand.window_of(project)  # the dates the demand must lie within
    start, finish = within.start, within.end
    if start is None or finish is None or finish < start:
        return []
    first, last = month_number(month_of(start)), month_number(month_of(finish))
    return [month_name(n) for n in range(first, min(last + 1, first + MAX_MONTHS))]


def _columns(project: Project, periods: set[str], today: date) -> list[str]:
    found = sorted(set(_span(project)) | periods)
    return found or [f"{today.year:04d}-{month:02d}" for month in range(1, 13)]


def stored_grid(session: Session, project: Project, today: date) -> Grid:
    """The grid of the stored demand, with blank rows to add roles."""
    lines = repository.demand_lines(session, [project.id]).get(project.id, [])
    people = repository.people_labels(session, (ln.person_id for ln in lines if ln.person_id))
    by_row: dict[tuple[str, int | None], dict[str, str]] = {}
    for line in lines:
        by_row.setdefault((line.role, line.person_id), {})[line.period] = str(line.fte_months)
    rows = [{"role": role, "person": _label(people.get(person or 0), person), "cells": cells}
            for (role, person), cells in by_row.items()]
    rows += [{"role": "", "person": "", "cells": {}} for _ in range(BLANK_ROWS)]
    months = _columns(project, {line.period for line in lines}, today)
    return Grid(months, rows, repository.people_roles(session))


def typed_grid(session: Session, form: Any) -> Grid:
    """The grid as the user typed it, to show again beside the errors."""
    months = _months(form)
    people = _people(form)
    rows = [{"role": role, "person": people[r] if r < len(people) else "",
             "cells": {q: _cell(form, r, q) for q in months}}
            for r, role in enumerate(_roles(form))]
    return Grid(months, rows, repository.people_roles(session))


def _label(person: tuple[str, str, str] | None, person_id: int | None) -> str:
    """A named row's person as the picker shows them ("Ann Lee · IT · Lead #7")."""
    if person_id is None:
        return ""
    if person is None:
        return f"#{person_id}"
    return pick_label(*person, ident=person_id)


def _people(form: Any) -> list[str]:
    return [p.strip() if isinstance(p, str) else "" for p in form.getlist("person")]


def _months(form: Any) -> list[str]:
    return [q for q in form.getlist("month") if isinstance(q, str)][:MAX_MONTHS]


def _roles(form: Any) -> list[str]:
    return [r.strip() if isinstance(r, str) else "" for r in form.getlist("role")]


def _cell(form: Any, r: int, month: str) -> str:
    value = form.get(f"fte-{r}-{month}")
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
    each bad cell by role and month."""
    months = _months(form)
    people = _people(form)
    lines: list[dict[str, Any]] = []
    where: list[str] = []
    errors: list[FieldError] = []
    for r, role in enumerate(_roles(form)):
        filled = [(q, _cell(form, r, q)) for q in months if _cell(form, r, q)]
        typed = people[r] if r < len(people) else ""
        picked = PICKED.search(typed)
        if typed and picked is None:
            errors.append(FieldError(f"Row {r + 1}", f"choose the person from the list, not "
                                                     f"{typed!r}"))
            if not role:
                continue  # the row's cells are checked with its role (every error at once)
        elif filled and not role and picked is None:
            errors.append(FieldError(f"Row {r + 1}",
                                     "choose the role or the person these hours are for"))
            continue
        who = typed.split(" · ")[0] if picked else role
        for month, text in filled:
            lines.append({"role": role or None, "period": month, "fte_months": text,
                          "person_id": int(picked.group(1)) if picked else None})
            where.append(f"{who}, {month}")
    try:
        data: ProjectDemandSet = parse_form(ProjectDemandSet, {"version": version,
                                                               "lines": lines})
    except Invalid as exc:
        errors += in_words(exc.errors, where)
    if errors:
        raise Invalid("The role demand has problems; nothing was saved", errors)
    return data, where


def in_words(errors: list[FieldError], where: list[str]) -> list[FieldError]:
    """``lines.3.fte_months`` -> the role and month of that cell, with a plain message."""
    found = []
    for error in errors:
        parts = error.field.split(".")
        if parts[0] == "lines" and len(parts) > 2 and parts[1].isdigit() and int(
                parts[1]) < len(where):
            cell = where[int(parts[1])]
            message = FTE_HINT if parts[2] == "fte_months" else error.message  # role, person
            if message[:1].isupper():  # a sentence would be shown without its cell
                message = f"{cell}: {message}"
            found.append(FieldError(cell, message))
        elif parts[0] == "version":
            found.append(FieldError("Version", "reload the page and enter the demand again"))
        else:
            found.append(error)
    return found
