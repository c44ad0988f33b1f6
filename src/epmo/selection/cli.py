"""``epmo scenario solve NAME``: solve a scenario and print the result and the reasons."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from epmo.auth.policy import SYSTEM
from epmo.db import unit_of_work, work_of
from epmo.errors import Conflict, FieldError, Invalid, NotFound
from epmo.selection import outcomes, repository, service
from epmo.selection.schemas import ScenarioRead

out = Console()
err = Console(stderr=True)


def solve(
    name: Annotated[str, typer.Argument(help="The scenario's name")],
    time_limit: Annotated[float | None, typer.Option(
        min=0.01, max=3600, help="Seconds for the solver (default: the scenario's)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scenario as JSON")] = False,
) -> None:
    """Solve a scenario and store the result; exits 2 when it is infeasible or not ready."""
    try:
        with unit_of_work() as session, err.status(f"Solving {name} ..."):
            work_of(session).actor_label = "system (epmo scenario solve)"
            found = repository.scenario_by_name(session, name)
            if found is None:
                raise NotFound(f"No scenario named {name!r}", [FieldError("NAME", "unknown")])
            scenario = service.solve_scenario(session, SYSTEM, found.id, time_limit)
            read = outcomes.scenario_read(session, scenario)
    except (Invalid, Conflict, NotFound) as exc:
        _print_problem(exc, as_json)
        raise typer.Exit(2) from None
    if as_json:
        out.print_json(read.model_dump_json())
    else:
        _print(read)


def _print_problem(exc: Invalid | Conflict | NotFound, as_json: bool) -> None:
    if as_json:
        body: dict[str, Any] = {"detail": exc.message, "errors": [e.as_dict() for e in exc.errors]}
        out.print_json(json.dumps(body | exc.extra))
        return
    err.print(f"[red]{exc.message}[/red]", highlight=False)
    for e in exc.errors:
        err.print(f"  {e.field}: {e.message}", highlight=False)


def _print(read: ScenarioRead) -> None:
    result = read.result
    assert result is not None
    out.print(f"{read.name}: {result.status}, value {result.value:,.2f} "
              f"({len(result.selected)} of {len(read.candidates)} selected, gap "
              f"{'unknown' if result.gap is None else format(result.gap, '.2%')}, "
              f"{result.seconds:.2f} s)", highlight=False)
    usage = Table(title="Use of each line", title_justify="left")
    for column in ("Line", "Used", "Limit", "Binding"):
        usage.add_column(column, justify="left" if column == "Line" else "right")
    shown = [line for line in result.usage if line.used > 0 or line.name in result.binding]
    for line in shown:
        label = f"budget {line.name}" if line.kind == "budget" else line.name
        usage.add_row(label, f"{line.used:,.2f}", f"{line.limit:,.2f}",
                      "yes" if line.name in result.binding else "")
    out.print(usage)
    if len(shown) < len(result.usage):
        out.print(f"({len(result.usage) - len(shown)} lines the selection does not use are not "
                  "shown; --json has them all)", highlight=False)
    table = Table(title="Candidates", title_justify="left")
    for column in ("Code", "Title", "Selected", "Why left out"):
        table.add_column(column)
    for c in read.candidates:
        table.add_row(c.code, c.title, "yes" if c.selected else "no", c.reason)
    out.print(table)
    for note in result.notes:
        out.print(f"note: {note}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add the ``scenario`` commands to the root app."""
    scenario = typer.Typer(help="Portfolio selection scenarios.", no_args_is_help=True)
    scenario.command("solve")(solve)
    app.add_typer(scenario, name="scenario")
