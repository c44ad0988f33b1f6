"""Commands of the network domain: ``epmo network impact`` (a what-if, nothing saved)."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from epmo.network.schemas import ImpactChange, ImpactResult

out = Console()


def impact(
    milestone: Annotated[int, typer.Option("--milestone", min=1, help="Milestone id")],
    slip: Annotated[int, typer.Option("--slip", min=-3650, max=3650,
                                      help="Days to move it (negative: earlier)")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the impact as JSON")] = False,
) -> None:
    """Show what slipping a milestone would do downstream; nothing is saved."""
    from epmo.auth.policy import SYSTEM
    from epmo.db import SessionFactory
    from epmo.network import views

    with SessionFactory.get()() as session:
        try:
            result = views.simulate(session, SYSTEM, [ImpactChange(milestone_id=milestone,
                                                                   slip_days=slip)])
        finally:
            session.rollback()
    if as_json:
        out.print_json(json.dumps(result.model_dump(mode="json")))
        return
    print_impact(result)


def print_impact(result: ImpactResult) -> None:
    """The impact as a table, largest slip first."""
    out.print(f"{result.moved} items move downstream (max slip {result.max_slip} days)")
    table = Table("Project", "Milestone", "Old date", "New date", "Slip (days)")
    for row in result.impacts:
        table.add_row(row.project_code, row.name, str(row.old_date or ""),
                      str(row.new_date or ""), str(row.slip_days))
    if result.impacts:
        out.print(table)


def register(app: typer.Typer) -> None:
    """Add ``epmo network impact``."""
    group = typer.Typer(help="The portfolio network: dependencies and change impact.",
                        no_args_is_help=True)
    group.command("impact")(impact)
    app.add_typer(group, name="network")
