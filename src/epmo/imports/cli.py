"""``epmo import ENTITY FILE --as EMAIL``, ``epmo import-template ENTITY`` and
``epmo import-profiles list|show|save|delete``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from epmo.auth import service as auth_service
from epmo.db import unit_of_work
from epmo.errors import FieldError, Invalid
from epmo.files.console import print_problems
from epmo.imports import profiles, service
from epmo.imports.entities import ENTITIES
from epmo.imports.profile_schemas import ProfileBody
from epmo.imports.schemas import ImportReport

out = Console()
err = Console(stderr=True)
ENTITY_HELP = f"What the file holds: {', '.join(ENTITIES)}"


def import_file(
    entity: Annotated[str, typer.Argument(help=ENTITY_HELP)],
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True,
                                         help="A CSV (UTF-8, ';' or ',') or Excel file")],
    as_user: Annotated[str, typer.Option("--as", help="Email of the user the import acts as")],
    mapping: Annotated[Path | None, typer.Option(
        exists=True, dir_okay=False, readable=True,
        help='JSON file {"their header": "our_field"}; "" ignores a column')] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check only; change nothing")] = False,
    sheet: Annotated[str | None, typer.Option(help="Workbook sheet (default: the first)")] = None,
    profile: Annotated[str | None, typer.Option(
        help="A saved import profile's name, or a profile JSON file")] = None,
) -> None:
    """Import a file, all or nothing; a rejected file lists every problem and exits 2."""
    columns = service.parse_mapping(mapping.read_text("utf-8")) if mapping else None
    data = file.read_bytes()
    try:
        with unit_of_work() as session, err.status(f"Importing {file.name} ..."):
            actor = auth_service.command_actor(session, as_user, "epmo import")
            body = profiles.resolve(session, actor, entity, _profile_text(profile))
            report = service.import_file(session, actor, entity, file.name, data, columns,
                                         dry_run, sheet=sheet, profile=body)
    except Invalid as exc:
        print_problems(exc)
        raise typer.Exit(2) from None
    print_report(report)


def _profile_text(profile: str | None) -> str | None:
    """A profile file's JSON text, or the name of a saved profile as given."""
    if profile is None or not profile.endswith(".json"):
        return profile
    path = Path(profile)
    if not path.is_file():
        raise Invalid(f"No profile file {profile}", [FieldError("profile", "no such file")])
    return path.read_text("utf-8")


def print_report(report: ImportReport) -> None:
    """Summarise what an accepted file created and updated."""
    verb = "would create" if report.dry_run else "created"
    out.print(f"{report.filename}: {report.rows} rows; {verb} {report.created}, "
              f"{'would update' if report.dry_run else 'updated'} {report.updated}, "
              f"unchanged {report.unchanged} {report.entity}"
              + (" (dry run: nothing was changed)" if report.dry_run else ""))
    if report.reports_created or report.reports_updated or report.reports_unchanged:
        out.print(f"status reports: {verb} {report.reports_created}, "
                  f"{'would update' if report.dry_run else 'updated'} {report.reports_updated},"
                  f" unchanged {report.reports_unchanged}")
    if report.departments_created:
        out.print(f"departments: {verb} {', '.join(report.departments_created)}")
    for warning in report.warnings:
        out.print(f"warning: row {warning.row}, {warning.field}: {warning.message}")


def write_template(
    entity: Annotated[str, typer.Argument(help=ENTITY_HELP)],
    format: Annotated[str, typer.Option(help="csv, xlsx (with a notes sheet) or notes")] = "csv",
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", dir_okay=False, help="Where to write (default: its name, here)"),
    ] = None,
) -> None:
    """Write the template of an entity: a header row and one example row."""
    download = service.template(entity, format)
    target = output or Path(download.filename)
    target.write_bytes(download.content)
    out.print(f"wrote {target}")


AS_USER = typer.Option("--as", help="Email of the user acting")


def list_profiles(as_user: Annotated[str, AS_USER],
                  entity: Annotated[str | None, typer.Option(help=ENTITY_HELP)] = None) -> None:
    """List the saved import profiles you may use."""
    with unit_of_work() as session:
        actor = auth_service.command_actor(session, as_user, "epmo import-profiles")
        for found in profiles.list_profiles(session, actor, entity):
            out.print(f"{found.name}\t{found.entity}\tversion {found.version}")


def show_profile(name: str, as_user: Annotated[str, AS_USER]) -> None:
    """Print a saved profile's body as JSON (save it to a file to edit and reuse it)."""
    with unit_of_work() as session:
        actor = auth_service.command_actor(session, as_user, "epmo import-profiles")
        found = profiles.get_profile(session, actor, name)
        out.print_json(profiles.dump(ProfileBody.model_validate(found.body)))


def save_profile(
    name: str,
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True,
                                         help="The profile body as JSON")],
    as_user: Annotated[str, AS_USER],
    entity: Annotated[str, typer.Option(help=ENTITY_HELP)] = "projects",
) -> None:
    """Save a profile under NAME, replacing the body of one that exists."""
    body = profiles.parse_body(file.read_text("utf-8"))
    with unit_of_work() as session:
        actor = auth_service.command_actor(session, as_user, "epmo import-profiles")
        profiles.save_profile(session, actor, name, entity, body)
    out.print(f"saved profile {name}")


def delete_profile(name: str, as_user: Annotated[str, AS_USER]) -> None:
    """Delete a saved profile."""
    with unit_of_work() as session:
        actor = auth_service.command_actor(session, as_user, "epmo import-profiles")
        found = profiles.get_profile(session, actor, name)
        profiles.delete_profile(session, actor, found.id, found.version)
    out.print(f"deleted profile {name}")


def register(app: typer.Typer) -> None:
    """Add ``import``, ``import-template`` and ``import-profiles`` to the root app."""
    app.command("import")(import_file)
    app.command("import-template")(write_template)
    group = typer.Typer(help="Saved import profiles: how to read a kind of file.",
                        no_args_is_help=True)
    group.command("list")(list_profiles)
    group.command("show")(show_profile)
    group.command("save")(save_profile)
    group.command("delete")(delete_profile)
    app.add_typer(group, name="import-profiles")
