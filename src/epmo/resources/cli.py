"""``epmo resources refresh-demand``."""

from __future__ import annotations

import typer
from rich.console import Console

from epmo.db import unit_of_work
from epmo.resources import demand_totals

out = Console()
err = Console(stderr=True)


def refresh_demand() -> None:
    """Sum the committed demand per department, role and period again from the lines.

    The heatmap reads these totals; epmo keeps them on every write it makes.

    Needed only after rows were written behind epmo's back (raw SQL, another tool).
    """
    with unit_of_work() as session, err.status("Summing the committed demand ..."):
        demand_totals.refresh_all(session)
    out.print("committed demand summed again for every department, role and period")


def register(app: typer.Typer) -> None:
    """Add the ``resources`` commands to the root app."""
    resources = typer.Typer(help="Resources: the kept committed demand behind the heatmap.",
                            no_args_is_help=True)
    resources.command("refresh-demand")(refresh_demand)
    app.add_typer(resources, name="resources")
