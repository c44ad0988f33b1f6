"""``epmo user create``, ``epmo user reset-password`` and ``epmo token create``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from epmo.auth import resets, service
from epmo.auth.models import ROLES
from epmo.config import get_settings
from epmo.db import unit_of_work, work_of
from epmo.errors import FieldError, Invalid

out = Console()


def create_user(
    email: Annotated[str, typer.Option(help="Sign-in email")],
    name: Annotated[str, typer.Option(help="Display name")],
    role: Annotated[str, typer.Option(help=f"One of: {', '.join(ROLES)}")],
    department: Annotated[list[str] | None, typer.Option(
        help="Department code the role applies in (repeatable)")] = None,
    password: Annotated[str | None, typer.Option(
        help="Password (asked for when omitted and not --no-password)")] = None,
    no_password: Annotated[bool, typer.Option(help="API-token-only user")] = False,
) -> None:
    """Create a user with a role in one or more departments."""
    if password is None and not no_password:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with unit_of_work() as session:
        work_of(session).actor_label = "epmo user create"
        user = service.create_user(session, email=email, name=name, role=role,
                                   password=password, department_codes=department or [])
        out.print(f"created user {user.email} (id {user.id}, role {user.role})")


def reset_password(
    email: Annotated[str, typer.Argument(help="Email of the user")],
) -> None:
    """Print a one-time link that sets a new password (the user is signed out everywhere)."""
    with unit_of_work() as session:
        work_of(session).actor_label = "epmo user reset-password"
        user = service.get_user_by_email(session, email)
        if not user.is_active:
            raise Invalid("The user is deactivated", [FieldError("email", "reactivate first")])
        token = resets.create_reset(session, user)
    hours = get_settings().password_reset_hours
    out.print(f"one-time link for {user.email}, valid {hours} h (prefix it with the hub's "
              "address when EPMO_PUBLIC_URL is not set):", highlight=False)
    print(resets.reset_link(token))


def create_token(
    user: Annotated[str, typer.Option(help="Email of the user the token acts as")],
    name: Annotated[str, typer.Option(help="A label for the token")] = "cli",
) -> None:
    """Create an API token and print it (it is shown only once)."""
    with unit_of_work() as session:
        work_of(session).actor_label = "epmo token create"
        account = service.get_user_by_email(session, user)
        _, plain = service.create_token(session, account, name)
    print(plain)


def register(app: typer.Typer) -> None:
    """Add ``user`` and ``token`` commands to the root app."""
    users = typer.Typer(help="Users and roles.", no_args_is_help=True)
    users.command("create")(create_user)
    users.command("reset-password")(reset_password)
    tokens = typer.Typer(help="API bearer tokens.", no_args_is_help=True)
    tokens.command("create")(create_token)
    app.add_typer(users, name="user")
    app.add_typer(tokens, name="token")
