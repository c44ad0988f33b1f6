"""``epmo benefits rollup``: planned against realised by department, goal, programme or
portfolio, as the register's page shows it (read-only)."""

from __future__ import annotations

from typing import Annotated, Literal

import typer
from rich.console import Console
from rich.table import Table

from epmo.auth.policy import SYSTEM
from epmo.benefits import rollup, schedule
from epmo.benefits.repository import BenefitFilter
from epmo.benefits.schemas import RollupRead
from epmo.db import unit_of_work
from epmo.money import measure

out = Console()


def rollup_command(
    by: Annotated[Literal["department", "goal", "programme", "portfolio"], typer.Option(
        "--by", help="Group by department, goal, programme or portfolio")] = "department",
    unit: Annotated[str | None, typer.Option(
        "--unit", help="The headline unit (default: the one most benefits use)")] = None,
    at_risk: Annotated[bool, typer.Option("--at-risk", help="Only benefits at risk")] = False,
    tree: Annotated[bool, typer.Option(
        "--tree", help="By department: each department with those below it")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the roll-up as JSON")] = False,
) -> None:
    """Planned against realised per group, units kept apart (every benefit: run as the EPMO)."""
    with unit_of_work(write=False) as session:
        found = rollup.rollup(session, SYSTEM, by, BenefitFilter(at_risk=True if at_risk
                                                                 else None),
                              unit[:30] if unit else None, schedule.today(), tree)
    if as_json:
        out.print_json(found.model_dump_json())
        return
    _print(found)


def _print(found: RollupRead) -> None:
    table = Table(title=f"Benefits by {found.by}, in {found.unit} (to date: the months before "
                        f"{found.today:%B %Y})", title_justify="left")
    for column in ("Group", "Benefits", "At risk", "Behind", "Planned to date",
                   "Realised to date", "Planned in all", "Other units"):
        table.add_column(column, justify="left" if column == "Group" else "right",
                         no_wrap=column == "Group")
    for g in [*found.groups, found.total]:
        head = g.headline
        table.add_row(g.code, str(g.benefits), str(g.at_risk), str(g.behind),
                      *((measure(head.planned_to_date, found.unit),
                         measure(head.realised_to_date, found.unit),
                         measure(head.planned_total, found.unit)) if head else ("", "", "")),
                      str(g.left_out or ""))
    out.print(table)


def register(app: typer.Typer) -> None:
    """Add ``epmo benefits rollup``."""
    group = typer.Typer(help="The benefits register: planned against realised.",
                        no_args_is_help=True)
    group.command("rollup")(rollup_command)
    app.add_typer(group, name="benefits")
