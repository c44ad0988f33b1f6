"""Import project role demand: one row per project, role and month (or quarter), in FTE-months.

A file states the whole demand of each project it names: the project ends with exactly the
file's lines (a 0 line is no demand); projects it does not name keep theirs. As in every
import nothing is written unless every row is good: the project exists and the importer may
change it, the role is one active people have (stored in their spelling), the period lies
within the project's dates (forecast, else plan), and a project, role and period appear
once. A quarter is spread evenly over its months within the project's dates (and added to
a month of the same role the file also names). The report counts projects: created (had no
demand), updated, unchanged.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy.orm import Session

from epmo.db import utcnow
from epmo.files.problems import Row
from epmo.imports import repository
from epmo.imports.core import Context
from epmo.imports.schemas import ImportReport
from epmo.org.models import Person
from epmo.portfolio import demand, policy
from epmo.portfolio import repository as portfolio_repository
from epmo.portfolio.demand_window import period_error, spread_lines
from epmo.portfolio.models import Project
from epmo.sql import chunks

Key = tuple[str, int | None, str]  # role, person, month (as stored; a file's quarters spread)
FIELDS = ("project_code", "role", "period", "fte_months")  # role may be blank for a person


def import_demand(ctx: Context, rows: list[Row], source: tuple[str, int],
                  dry_run: bool) -> ImportReport:
    """Check every row, then (unless a dry run) replace the demand of the projects named."""
    projects = repository.by_codes(ctx.session, Project,
                                   [str(r.values["project_code"]) for r in rows
                                    if r.values.get("project_code")])
    missing = [name for name in FIELDS if rows and name not in rows[0].values]
    for name in missing:
        ctx.problems.add(1, name, f"the file has no {name} column")
    typed = {} if missing else _wanted(ctx, rows, projects)
    ctx.problems.raise_if_any()
    wanted = {code: _months(lines, projects[code]) for code, lines in typed.items()}
    stored = _stored(ctx.session, [projects[code].id for code in wanted])
    before = {code: stored[projects[code].id] for code in wanted}
    created = [c for c in wanted if not before[c] and wanted[c]]
    updated = [c for c in wanted if before[c] and before[c] != wanted[c]]
    if not dry_run:
        for code in [*created, *updated]:
            project = projects[code]
            demand.replace_demand(ctx.session, project.id, [
                (role, person, month, fte) for (role, person, month), fte in wanted[code].items()])
            project.updated_at = utcnow()  # a new version, as the API's write gives
        ctx.session.flush()
    filename, count = source
    return ImportReport(entity=ctx.entity.name, filename=filename, rows=count,
                        created=len(created), updated=len(updated),
                        unchanged=len(wanted) - len(created) - len(updated), dry_run=dry_run,
                        created_codes=created, updated_codes=updated)


def _wanted(ctx: Context, rows: list[Row],
            projects: dict[str, Project]) -> dict[str, dict[Key, Decimal]]:
    """Project code -> its lines in the file (zeros dropped); problems recorded."""
    known = portfolio_repository.people_roles(ctx.session)
    canonical = {role.casefold(): role for role in known}
    people = repository.by_codes(ctx.session, Person, [str(r.values["person_code"]) for r in rows
                                                       if r.values.get("person_code")])
    named: dict[int, demand.Named] = {}
    wanted: dict[str, dict[Key, Decimal]] = {}
    first: dict[tuple[str, str | None, str, str], int] = {}
    for row in rows:
        if not _filled(ctx, row):
            continue
        code, period = str(row.values["project_code"]), str(row.values["period"])
        project = projects.get(code)
        if project is None:
            ctx.error(row, "project_code", f"no project {code}")
        elif not policy.can_write_project(ctx.actor, project):
            ctx.error(row, "project_code", f"you may not change project {code}")
        typed, person_code = row.values.get("role"), row.values.get("person_code")
        person = people.get(str(person_code)) if person_code else None
        if person_code and person is None:
            ctx.error(row, "person_code", f"no person {person_code}")
            continue
        if person is not None and project is not None:
            if project.id not in named:  # one check of the file's people per project
                named[project.id] = demand.Named(ctx.session, project,
                                                 [p.id for p in people.values()])
            problem, typed = named[project.id].role_of(person.id, str(typed) if typed else None)
            if problem:
                ctx.error(row, "person_code" if typed is None else "role", problem)
                continue
        role = canonical.get(str(typed).casefold()) if typed else None
        if role is None:
            ctx.error(row, "role", f"Unknown role {typed!r}; {demand.roles_hint(known)}")
        if project is None or role is None:
            continue
        outside = period_error(period, demand.window_of(project))
        if outside:
            ctx.error(row, "period", outside)
        who = person.name if person is not None else role
        key = (code, person_code and str(person_code), role, period)
        if key in first:
            ctx.error(row, "period", f"{code}, {who}, {period} is also on row {first[key]}")
            continue
        first[key] = row.number
        lines = wanted.setdefault(code, {})
        if row.values["fte_months"]:
            lines[(role, person.id if person else None, period)] = Decimal(
                row.values["fte_months"])
    return wanted


def _months(lines: dict[Key, Decimal], project: Project) -> dict[Key, Decimal]:
    """A project's lines as months (quarters spread within its dates)."""
    return {(role, person, month): fte for role, person, month, fte in spread_lines(
        [(role, person, period, fte) for (role, person, period), fte in lines.items()],
        demand.window_of(project))}


def _filled(ctx: Context, row: Row) -> bool:
    """Every column filled (the role may be blank on a person's row); the empty ones are
    reported."""
    empty = [name for name in FIELDS if row.values.get(name) is None
             and not (name == "role" and row.values.get("person_code"))]
    for name in empty:
        ctx.error(row, name, "may not be empty")
    return not empty


def _stored(session: Session, project_ids: list[int]) -> dict[int, dict[Key, Decimal]]:
    found: dict[int, dict[Key, Decimal]] = defaultdict(dict)
    for chunk in chunks(project_ids):
        for pid, lines in portfolio_repository.demand_lines(session, chunk).items():
            found[pid] = {(ln.role, ln.person_id, ln.period): ln.fte_months for ln in lines}
    return found
