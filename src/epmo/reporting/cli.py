"""``epmo reports template``, ``epmo reports upload FILE --as EMAIL`` and
``epmo reports refresh-health``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from epmo.auth import service as auth_service
from epmo.db import unit_of_work
from epmo.errors import Invalid
from epmo.files.console import print_problems
from epmo.reporting import health_store, upload
from epmo.reporting.schemas import UploadReport

out = Console()
err = Console(stderr=True)


def write_template(
    format: Annotated[str, typer.Option(help="csv, xlsx (with a notes sheet) or notes")] = "csv",
    output: Annotated[Path | None, typer.Option(
        "--out", "-o", dir_okay=False, help="Where to write (default: its name, here)")] = None,
) -> None:
    """Write the status report upload template: a header row and one example row."""
    name, _, content = upload.template(format)
    target = output or Path(name)
    target.write_bytes(content)
    out.print(f"wrote {target}")


def upload_file(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True,
                                         help="A CSV (UTF-8, ';' or ',') or Excel file")],
    as_user: Annotated[str, typer.Option("--as", help="Email of the user submitting")],
) -> None:
    """Store the status reports in a file, all or nothing; a rejected file exits 2."""
    data = file.read_bytes()
    try:
        with unit_of_work() as session, err.status(f"Checking {file.name} ..."):
            actor = auth_service.command_actor(session, as_user, "epmo reports upload")
            report = upload.upload_reports(session, actor, file.name, data)
    except Invalid as exc:
        print_problems(exc)
        raise typer.Exit(2) from None
    print_report(report)


def refresh_health() -> None:
    """Recompute every stored derived health colour from the current contracts' thresholds.

    Needed only after rows were written behind epmo's back (raw SQL, another tool).
    """
    with unit_of_work() as session, err.status("Recomputing derived health ..."):
        health_store.refresh_all(session)
    out.print("derived health recomputed for every project and status report")


def print_report(report: UploadReport) -> None:
    """Summarise an accepted file and list its warnings."""
    out.print(f"{report.filename}: {report.rows} rows; stored {report.stored} status reports "
              f"for {report.projects} projects")
    for warning in report.warnings:
        out.print(f"warning: row {warning.row}, {warning.column}: {warning.message}")


def register(app: typer.Typer) -> None:
    """Add the ``reports`` commands to the root app."""
    reports = typer.Typer(help="Status reports: the upload template, file uploads, derived health.",
                          no_args_is_help=True)
    reports.command("template")(write_template)
    reports.command("upload")(upload_file)
    reports.command("refresh-health")(refresh_health)
    app.add_typer(reports, name="reports")
