"""``epmo compliance`` (scores, findings, export, snapshot) and ``epmo reminders``."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session

from epmo.auth.policy import SYSTEM
from epmo.compliance import export, reminders, repository, service
from epmo.db import unit_of_work, work_of
from epmo.errors import FieldError, Invalid

out = Console()
err = Console(stderr=True)
Today = Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"],
                                                help="Evaluate as of this day (default: today)")]


def _department_id(session: Session, code: str | None) -> int | None:
    if code is None:
        return None
    found = repository.department_id_by_code(session, code)
    if found is None:
        raise Invalid(f"No department {code}", [FieldError("--department", "no such code")])
    return found


def _print_scores(evaluation: service.Evaluation, total: str) -> None:
    table = Table(title=f"Compliance on {evaluation.today.isoformat()}", title_justify="left")
    for name, justify in (("Department", "left"), ("Projects", "right"), ("Score", "right"),
                          ("Blocking", "right"), ("Warnings", "right")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for _, code, _, summary in service.department_rows(evaluation):
        table.add_row(code, str(summary.projects), f"{summary.score:.1f}",
                      str(summary.blocking), str(summary.warnings))
    whole = evaluation.enterprise
    table.add_row(total, str(whole.projects), f"{whole.score:.1f}", str(whole.blocking),
                  str(whole.warnings), style="bold")
    out.print(table)


def compliance(
    department: Annotated[str | None, typer.Option(
        help="Only this department (code) and its sub-departments")] = None,
    export_to: Annotated[Path | None, typer.Option(
        "--export", dir_okay=False, help="Write the findings to FILE.csv or FILE.xlsx")] = None,
    snapshot: Annotated[bool, typer.Option(
        "--snapshot", help="Record today's scores for the league table")] = False,
    today: Today = None,
) -> None:
    """Print compliance scores per department and the number of findings; export findings."""
    day = today.date() if today else date.today()
    if export_to is not None and export_to.suffix.lower() not in (".csv", ".xlsx"):
        raise Invalid("Export to a .csv or .xlsx file",
                      [FieldError("--export", "use a name ending in .csv or .xlsx")])
    with unit_of_work() as session:
        work_of(session).actor_label = "system (epmo compliance)"
        evaluation = service.evaluate(session, day, _department_id(session, department))
        findings = evaluation.findings()
        if snapshot:
            rows = service.take_snapshot(session, SYSTEM, day)
            out.print(f"snapshot of {day.isoformat()} recorded ({len(rows)} rows)")
    _print_scores(evaluation, "ENTERPRISE" if department is None else f"ALL OF {department}")
    whole = evaluation.enterprise  # of the evaluated projects; each missing period counts
    out.print(f"{whole.blocking + whole.warnings} findings ({whole.blocking} blocking, "
              f"{whole.warnings} warnings) in {len(evaluation.results)} projects; "
              f"{len(findings)} rows (a project's missing reports are one row)")
    if export_to is not None:
        export_to.write_bytes(export.findings_file(evaluation, findings, export_to.suffix))
        out.print(f"wrote {export_to}")


def send_reminders(
    today: Today = None,
    days_ahead: Annotated[int, typer.Option(min=0, max=60,
                                            help="Remind this many days before a period ends")
                          ] = 3,
) -> None:
    """Notify managers and department leads of due and overdue status reports (idempotent)."""
    day = today.date() if today else date.today()
    with unit_of_work() as session:
        work_of(session).actor_label = "system (epmo reminders)"
        result = reminders.send_reminders(session, day, days_ahead)
    out.print(f"{result.reports} reports due or overdue; {result.sent} notifications sent, "
              f"{result.already} already sent before")


def register(app: typer.Typer) -> None:
    """Add ``compliance`` and ``reminders`` to the root app."""
    app.command("compliance")(compliance)
    app.command("reminders")(send_reminders)
