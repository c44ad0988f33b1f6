"""``epmo ledger``: propose value-ledger entries from the hub's events."""

from __future__ import annotations

import typer

from epmo.auth.policy import SYSTEM
from epmo.db import unit_of_work
from epmo.ledger import service

app = typer.Typer(help="The value ledger: the EPMO's savings and days saved, with evidence.",
                  no_args_is_help=True)


@app.command("propose")
def propose() -> None:
    """Propose entries from the hub's events no entry names yet (safe to run again)."""
    with unit_of_work() as session:
        run = service.propose(session, SYSTEM)
    sources = ", ".join(f"{kind} {count}" for kind, count in run.by_source.items() if count)
    typer.echo(f"{run.proposed} new proposal(s){f' ({sources})' if sources else ''}")
    for line in run.skipped:
        typer.echo(f"skipped: {line}")


def register(root: typer.Typer) -> None:
    """Add ``epmo ledger`` to the root CLI."""
    root.add_typer(app, name="ledger")
