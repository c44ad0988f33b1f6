"""Commands of the connectors domain: ``epmo connectors sync`` (a Jira sync now, for cron)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

out = Console()


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
    table = Table("Connection", "Outcome", "Issues", "Created", "Updated", "Unchanged",
                  "Refused", "Error")
    for run in runs:
        table.add_row(str(run.connection_id), run.outcome, str(run.issues), str(run.created),
                      str(run.updated), str(run.unchanged), str(run.refused), run.error)
    out.print(table if runs else "no connection is due")
    if any(run.outcome != "ok" for run in runs):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``epmo connectors sync``."""
    group = typer.Typer(help="Connectors to other tools (Jira Cloud).", no_args_is_help=True)
    group.command("sync")(sync)
    app.add_typer(group, name="connectors")
