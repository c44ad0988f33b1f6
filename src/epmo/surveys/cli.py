"""``epmo surveys``: seal rounds past their last day."""

from __future__ import annotations

from datetime import date

import typer
from rich.console import Console

from epmo.db import unit_of_work
from epmo.surveys import service

out = Console()


def close_due() -> None:
    """Seal every survey round whose last day has passed (run daily, e.g. from cron): its
    answers' digest goes to the audit log, its links stop working for good."""
    with unit_of_work() as session:
        count = service.close_due(session, date.today())
    out.print(f"{count} survey round(s) sealed")


def register(app: typer.Typer) -> None:
    """Add ``surveys`` commands to the root app."""
    surveys = typer.Typer(help="Stakeholder satisfaction surveys.", no_args_is_help=True)
    surveys.command("close-due")(close_due)
    app.add_typer(surveys, name="surveys")
