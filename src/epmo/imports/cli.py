"""``epmo import ENTITY FILE --as EMAIL`` and ``epmo import-template ENTITY``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from epmo.auth import service as auth_service
from epmo.db import unit_of_work
from epmo.errors import Invalid
from epmo.files.console import print_problems
from epmo.imports import service
from epmo.imports.entities import ENTITIES
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
) -> None:
    """Import a file, all or nothing; a rejected file lists every problem and exits 2."""
    columns = service.parse_mapping(mapping.read_text("utf-8")) if mapping else None
    data = file.read_bytes()
    try:
        with unit_of_work() as session, err.status(f"Importing {file.name} ..."):
            actor = auth_service.command_actor(session, as_user, "epmo import")
            report = service.import_file(session, actor, entity, file.name, data, columns,
                                         dry_run, sheet=sheet)
    except Invalid as exc:
        print_problems(exc)
        raise typer.Exit(2) from None
    print_report(report)


def print_report(report: ImportReport) -> None:
    """Summarise what an accepted file created and updated."""
    verb = "would create" if report.dry_run else "created"
    out.print(f"{report.filename}: {report.rows} rows; {verb} {report.created}, "
              f"{'would update' if report.dry_run else 'updated'} {report.updated}, "
              f"unchanged {report.unchanged} {report.entity}"
              + (" (dry run: nothing was changed)" if report.dry_run else ""))
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


def register(app: typer.Typer) -> None:
    """Add ``import`` and ``import-template`` to the root app."""
    app.command("import")(import_file)
    app.command("import-template")(write_template)
