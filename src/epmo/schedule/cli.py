"""``epmo schedule import FILE --project CODE``, ``epmo schedule export`` and ``level``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy.orm import Session

from epmo.auth import service as auth_service
from epmo.db import unit_of_work
from epmo.errors import Invalid, NotFound
from epmo.files.console import print_problems
from epmo.org import repository as org_repository
from epmo.portfolio import repository as portfolio_repository
from epmo.schedule import levelling, service, views
from epmo.schedule.schemas import ExportFormat, LevelledSchedule, LevelRequest, ScheduleSummary

app = typer.Typer(help="Project schedules from MS Project XML and Primavera XER files.",
                  no_args_is_help=True)
out = Console()
err = Console(stderr=True)
SUMMARY_KEYS = ("format", "activities", "milestones", "links", "resources", "assignments",
                "calendars", "warnings")
AS_HELP = "Email of the user the command acts as (default: the first active EPMO admin)"


def _project_id(session: Session, code: str) -> int:
    project = portfolio_repository.get_project_by_code(session, code)
    if project is None:
        raise NotFound(f"No project with code {code}")
    return project.id


@app.command("import")
def import_schedule(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True,
                                         help="MS Project XML (MSPDI) or Primavera XER file")],
    project: Annotated[str | None, typer.Option(help="Code of the project it schedules")] = None,
    department: Annotated[str | None, typer.Option(
        help="XER with several projects: one project per XER project, in this department")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Read and compare only")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON")] = False,
    as_user: Annotated[str | None, typer.Option("--as", help=AS_HELP)] = None,
    resource_map: Annotated[Path | None, typer.Option(
        exists=True, dir_okay=False, readable=True,
        help='JSON file {"Resource name": "person@example.org" or "Role"} for the role demand')
    ] = None,
) -> None:
    """Import a schedule (format from the content), all or nothing; a bad file exits 2."""
    if (project is None) == (department is None):
        err.print("error: give --project CODE or --department CODE (one of them)")
        raise typer.Exit(2)
    try:
        upload = service.Upload(file.name, file.read_bytes(), service.parse_resource_map(
            resource_map.read_text("utf-8") if resource_map else None))
        with unit_of_work() as session, err.status(f"Importing {file.name} ..."):
            actor = auth_service.command_actor(session, as_user, "epmo schedule import")
            if project is not None:
                summaries = [service.import_schedule(
                    session, actor, _project_id(session, project), upload, dry_run)]
            else:
                dept = org_repository.get_department_by_code(session, department or "")
                if dept is None:
                    raise NotFound(f"No department with code {department}")
                summaries = service.import_department(session, actor, dept.id, upload, dry_run)
    except (Invalid, NotFound) as exc:
        print_problems(exc) if isinstance(exc, Invalid) else err.print(f"error: {exc}")
        raise typer.Exit(2) from None
    _print(summaries, as_json)


def _print(summaries: list[ScheduleSummary], as_json: bool) -> None:
    if as_json:
        rows = [{key: getattr(s, key) for key in SUMMARY_KEYS} | {"project": s.project_code}
                for s in summaries]
        out.print_json(json.dumps(rows[0] if len(rows) == 1 else rows))
        return
    for s in summaries:
        verb = "would import" if s.dry_run else "imported"
        out.print(f"{s.project_code}: {verb} {s.activities} activities, {s.milestones} "
                  f"milestones, {s.links} links, {s.resources} resources, {s.assignments} "
                  f"assignments, {s.calendars} calendars from {s.source_name} ({s.format}); "
                  f"added {s.added}, removed {s.removed}, moved {s.moved}; "
                  f"{s.milestones_created} milestones created, {s.milestones_moved} moved")
        for warning in s.warnings:
            out.print(f"warning: {warning}")


@app.command("export")
def export_schedule(
    project: Annotated[str, typer.Option(help="Code of the project")],
    format: Annotated[ExportFormat, typer.Option(help="mspdi (MS Project XML) or xlsx")] = "mspdi",
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", dir_okay=False, help="Where to write (default: its name, here)")
    ] = None,
    as_user: Annotated[str | None, typer.Option("--as", help=AS_HELP)] = None,
) -> None:
    """Write a project's schedule as MS Project XML or an Excel workbook."""
    try:
        with unit_of_work(write=False) as session:
            actor = auth_service.command_actor(session, as_user, "epmo schedule export")
            item = views.export(session, actor, _project_id(session, project), format)
    except NotFound as exc:
        err.print(f"error: {exc}")
        raise typer.Exit(2) from None
    target = output or Path(item.filename)
    target.write_bytes(item.content)
    out.print(f"wrote {target}")


@app.command("level")
def level_schedule(
    project: Annotated[str, typer.Option(help="Code of the project")],
    time_limit: Annotated[float, typer.Option(min=1, max=60, help="Seconds of solver search")
                          ] = 10,
    basis: Annotated[str, typer.Option(help="left: what the project's department has left for "
                                            "it; people: everyone holding the role")] = "left",
    as_json: Annotated[bool, typer.Option("--json", help="Print the proposal as JSON")] = False,
    as_user: Annotated[str | None, typer.Option("--as", help=AS_HELP)] = None,
) -> None:
    """Level a project's schedule against role capacity (nothing is written)."""
    if basis not in ("left", "people"):
        err.print(f"error: --basis must be left or people, not {basis!r}")
        raise typer.Exit(2)
    try:
        with unit_of_work(write=False) as session, err.status("Levelling ..."):
            actor = auth_service.command_actor(session, as_user, "epmo schedule level")
            result = levelling.level(session, actor, _project_id(session, project),
                                     LevelRequest(time_limit=time_limit,
                                                  basis="left" if basis == "left" else "people"))
    except (Invalid, NotFound) as exc:
        print_problems(exc) if isinstance(exc, Invalid) else err.print(f"error: {exc}")
        raise typer.Exit(2) from None
    if as_json:
        out.print_json(result.model_dump_json())
    else:
        _print_levelled(project, result)


def _print_levelled(project: str, result: LevelledSchedule) -> None:
    out.print(f"{project}: capacity {result.basis}")
    out.print(f"{project}: {result.status} in {result.seconds:.1f} s; finish "
              f"{result.levelled_finish or 'none'} against {result.unlevelled_finish} without "
              f"limits ({result.finish_delay_days} working days later)")
    for role in result.bound_roles:
        out.print(f"binds: {role.role} needs up to {role.peak} of {role.capacity} people "
                  f"({role.days_over} days over)")
    for a in result.activities:
        if a.delay_days:
            out.print(f"{a.code} {a.name}: {a.cpm_start} -> {a.levelled_start} "
                      f"(+{a.delay_days} working days)", markup=False)
    for warning in result.warnings:
        out.print(f"warning: {warning}", markup=False)


def register(root: typer.Typer) -> None:
    """Add ``schedule`` to the root app."""
    root.add_typer(app, name="schedule")
