"""Commands of the connectors domain: ``epmo connectors sync`` (a Jira sync now, for cron)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

out = Console()

if TYPE_CHECKING:
    from epmo.connectors.models import JiraSyncRun


def sync(
    connection: Annotated[int | None, typer.Option(
        "--connection", min=1, help="Sync only this connection (default: every active one "
                                    "that is due)")] = None,
    all_active: Annotated[bool, typer.Option(
        "--all", help="Sync every active connection now, due or not")] = False,
) -> None:
    """Sync Jira connections now; exits 1 when a sync failed."""
    from epmo.connectors import repository
    from epmo.connectors import sync as syncing
    from epmo.db import unit_of_work

    if connection is not None:
        runs = [syncing.run_sync(connection, "cli")]
    elif all_active:
        with unit_of_work(write=False) as session:
            ids = [row[0] for row in repository.active_connections(session)]
        runs = [syncing.run_sync(connection_id, "cli") for connection_id in ids]
    else:
        runs = syncing.sync_due()
    for run in runs:
        out.print(line(run), soft_wrap=True)
    if not runs:
        out.print("no connection is due")
    if any(run.outcome != "ok" for run in runs):
        raise typer.Exit(1)


def line(run: JiraSyncRun) -> str:
    """One run in words, for a terminal or a cron mail."""
    if run.outcome != "ok":
        return f"connection {run.connection_id}: failed: {run.error}"
    return (f"connection {run.connection_id}: ok, {run.issues} issues: {run.created} created, "
            f"{run.updated} updated, {run.unchanged} unchanged, {run.refused} refused")


def register(app: typer.Typer) -> None:
    """Add ``epmo connectors sync``."""
    group = typer.Typer(help="Connectors to other tools (Jira Cloud).", no_args_is_help=True)
    group.command("sync")(sync)
    app.add_typer(group, name="connectors")
