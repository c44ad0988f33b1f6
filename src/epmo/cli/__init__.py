"""The ``epmo`` command: a root Typer app that registers each domain's commands."""

from __future__ import annotations

import sys

import typer
from pydantic import ValidationError
from rich.console import Console
from sqlalchemy.exc import DBAPIError
from typer._click.exceptions import ClickException

from epmo.db import connection_lost, shown_url
from epmo.domains import domain_modules
from epmo.errors import EpmoError

app = typer.Typer(help="epmo: the Enterprise PMO hub.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
err = Console(stderr=True)


@app.callback()
def _wire() -> None:
    """Before any command: attach the reactions of every write (``epmo.wiring``)."""
    from epmo import wiring

    wiring.install()


def _register() -> None:
    from epmo.cli import platform, scheduling

    platform.register(app)
    scheduling.register(app)
    for module in domain_modules("cli"):
        module.register(app)


_register()


def main() -> None:
    """Run the CLI; domain errors end with one clear line and an exit code."""
    try:
        code = app(standalone_mode=False)  # a typer.Exit inside a command returns its code
    except EpmoError as exc:
        detail = "; ".join(f"{e.field}: {e.message}" for e in exc.errors)
        err.print(f"[red]error:[/red] {exc.message}" + (f" ({detail})" if detail else ""))
        sys.exit(2 if exc.status in (400, 422) else 1)
    except DBAPIError as exc:
        if not connection_lost(exc):
            raise
        _unreachable(exc)
    except ValidationError as exc:  # the settings: one line each, naming the variable
        for problem in exc.errors():
            err.print(f"[red]error:[/red] {problem['msg'].removeprefix('Value error, ')}",
                      highlight=False)
        sys.exit(2)
    except typer.Abort:
        err.print("aborted")
        sys.exit(1)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    if isinstance(code, int) and code:
        sys.exit(code)


def _unreachable(exc: DBAPIError) -> None:
    """One line naming the database (without its password) and why; exit code 3."""
    reason = " ".join(str(exc.orig).split())[:300] or type(exc.orig).__name__
    err.print(f"error: cannot use the database {shown_url()}: {reason}", markup=False,
              highlight=False, soft_wrap=True)
    sys.exit(3)
