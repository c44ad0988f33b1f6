"""Commands of the notifications domain: deliver the outbox and send digests without a worker."""

from __future__ import annotations

import typer
from rich.console import Console

out = Console()


def deliver() -> None:
    """Try every due e-mail and webhook delivery now (for cron, without a worker)."""
    from epmo.notifications.delivery import deliver_due

    counts = deliver_due()
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "nothing due"
    out.print(f"outbox: {summary}")


def digest() -> None:
    """Queue today's digest e-mails now and send them (for cron, without a worker)."""
    from epmo.notifications.delivery import deliver_email_now
    from epmo.notifications.digest import send_digests

    made = send_digests()
    statuses = [deliver_email_now(email_id) for email_id in made]
    sent = sum(1 for status in statuses if status == "delivered")
    out.print(f"digests: {len(made)} queued, {sent} sent")


def register(app: typer.Typer) -> None:
    """Add ``epmo notifications deliver|digest``."""
    group = typer.Typer(help="Notification delivery run by hand or from cron.",
                        no_args_is_help=True)
    group.command("deliver")(deliver)
    group.command("digest")(digest)
    app.add_typer(group, name="notifications")
