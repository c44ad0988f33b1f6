"""``epmo scheduling solve FILE...``: resource-constrained scheduling of benchmark files.

No database: each PSPLIB ``.sm`` or MPSPLIB ``.xml`` file is read, solved by the CP-SAT engine
(``engines.rcpsp``) and reported as one JSON line.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, cast

import typer

from epmo.engines.rcpsp import Objective, Solution, solve
from epmo.engines.rcpsp_files import FormatError, read_mpsplib, read_sm
from epmo.errors import FieldError, Invalid

app = typer.Typer(help="Resource-constrained scheduling (CP-SAT) of benchmark files.",
                  no_args_is_help=True)


@app.command("solve")
def solve_files(
    files: Annotated[list[Path], typer.Argument(
        exists=True, dir_okay=False, readable=True,
        help="PSPLIB single-mode .sm files or MPSPLIB .xml files")],
    time_limit: Annotated[float, typer.Option(
        "--time-limit", min=0.01, help="Seconds of search per file")] = 10.0,
    workers: Annotated[int, typer.Option(
        min=1, help="CP-SAT search strategies, interleaved deterministically")] = 1,
    seed: Annotated[int, typer.Option(help="CP-SAT random seed")] = 0,
    objective: Annotated[str, typer.Option(
        help="makespan: the last end over all projects; total: the sum of project ends")
    ] = "makespan",
) -> None:
    """Print one JSON line per file: makespan, lower bound, status and seconds."""
    if objective not in ("makespan", "total"):
        raise Invalid("Unknown objective", [FieldError("objective", "makespan or total")])
    for file in files:
        line = _solve_one(file, time_limit, workers, seed, cast(Objective, objective))
        typer.echo(json.dumps(line))


def _solve_one(file: Path, time_limit: float, workers: int, seed: int,
               objective: Objective) -> dict[str, Any]:
    """Read and solve one file; an MPSPLIB file adds the projects' figures."""
    try:
        if file.suffix.lower() == ".xml":
            portfolio = read_mpsplib(file)
            solution = solve(portfolio.problem, time_limit, workers=workers, seed=seed,
                             objective=objective)
            return _line(file, solution) | _projects(solution, portfolio.releases)
        return _line(file, solve(read_sm(file), time_limit, workers=workers, seed=seed))
    except (FormatError, OSError) as exc:
        raise Invalid(f"Cannot read {file}", [FieldError("file", str(exc))]) from exc


def _line(file: Path, solution: Solution) -> dict[str, Any]:
    return {"file": str(file), "makespan": solution.makespan,
            "lower_bound": solution.lower_bound, "status": solution.status,
            "seconds": round(solution.seconds, 3)}


def _projects(solution: Solution, releases: tuple[int, ...]) -> dict[str, Any]:
    """MPSPLIB's total makespan (the last project's end) and each project's end."""
    ends = [solution.project_ends.get(p) for p in range(len(releases))]
    return {"total_makespan": solution.makespan, "objective": solution.objective,
            "project_ends": ends, "releases": list(releases)}


def register(root: typer.Typer) -> None:
    """Add ``epmo scheduling`` to the root app."""
    root.add_typer(app, name="scheduling")
