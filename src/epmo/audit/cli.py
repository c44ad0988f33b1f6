"""``epmo audit verify``."""

from __future__ import annotations

import typer
from rich.console import Console

from epmo.audit import service
from epmo.db import unit_of_work

out = Console()


def verify() -> None:
    """Recompute the audit hash chain and report the first broken link, if any."""
    with unit_of_work() as session:
        verdict = service.verify_log(session)
    if verdict.broken_id is None:
        out.print(f"audit log intact: {verdict.checked} entries verified")
        return
    out.print(f"[red]audit log BROKEN[/red] at entry {verdict.broken_id}: {verdict.reason} "
              f"({verdict.checked} entries before it are intact)")
    raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``audit`` commands to the root app."""
    audit = typer.Typer(help="The append-only audit log.", no_args_is_help=True)
    audit.command("verify")(verify)
    app.add_typer(audit, name="audit")
