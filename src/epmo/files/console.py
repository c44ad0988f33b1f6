"""A rejected file's problems on a terminal: one table row per problem, on stderr."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from epmo.errors import Invalid

err = Console(stderr=True)


def print_problems(exc: Invalid) -> None:
    """Show a rejected file's problems as a table on stderr (the message alone when the
    problem concerns the whole file)."""
    if not exc.errors:
        err.print(f"error: {exc.message}", soft_wrap=True)
        return
    table = Table(title=exc.message, title_justify="left")
    table.add_column("Row", justify="right")
    table.add_column("Column")
    table.add_column("Problem")
    for error in exc.errors:
        table.add_row("" if error.row is None else str(error.row), error.field, error.message)
    err.print(table)
    total = exc.extra.get("error_count", len(exc.errors))
    if total > len(exc.errors):
        err.print(f"... and {total - len(exc.errors)} more")
