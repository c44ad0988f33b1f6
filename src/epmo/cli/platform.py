"""Platform commands: init, serve, db upgrade."""

from __future__ import annotations

import ipaddress
import logging
import secrets
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from epmo.config import ensure_secret_file, get_settings
from epmo.db import work_of

out = Console()
err = Console(stderr=True)
log = logging.getLogger("epmo.serve")
ALLOW_IN_PRODUCTION = typer.Option(
    "--allow-in-production", help="Allow demo data or demo passwords with EPMO_ENV=production")
MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
# uvicorn replaces a worker that does not answer its health check in time (5 s by default);
# a worker importing the app on a busy machine can take longer, and was replaced forever.
WORKER_HEALTHCHECK_SECONDS = 60


def upgrade_database(url: str | None = None, engine: Engine | None = None) -> None:
    """Create or upgrade the schema to the newest Alembic revision."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    target = url or get_settings().database_url
    config.set_main_option("sqlalchemy.url", target.replace("%", "%%"))
    if engine is None:
        command.upgrade(config, "head")
        return
    with engine.connect() as connection:  # not begun: the migrations' env sets SQLite's keys
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        connection.commit()


def init(
    admin_email: Annotated[
        str, typer.Option(help="Email of the EPMO administrator")
    ] = "admin@epmo.local",
    admin_password: Annotated[str | None, typer.Option(
        help="Password; a random one is generated and printed when omitted")] = None,
    allow_in_production: Annotated[bool, ALLOW_IN_PRODUCTION] = False,
) -> None:
    """Create or upgrade the database, the secret key file and an EPMO administrator."""
    from epmo.auth import service as auth_service
    from epmo.db import unit_of_work

    made = ensure_secret_file()
    if made is not None:
        out.print(f"secret key generated in {made} (mode 0600): keep it beside the database")
    upgrade_database()
    with unit_of_work() as session:
        work_of(session).actor_label = "epmo init"
        _ensure_governance_defaults(session)
        try:
            user = auth_service.get_user_by_email(session, admin_email)
        except Exception:
            user = None
        if user is not None:
            out.print(f"database ready; administrator {admin_email} already exists")
            return
        password = admin_password or secrets.token_urlsafe(12)
        auth_service.create_user(session, email=admin_email, name="EPMO Administrator",
                                 role="epmo_admin", password=password,
                                 allow_demo_password=allow_in_production)
    out.print(f"database ready; administrator created: [bold]{admin_email}[/bold] "
              f"password [bold]{password}[/bold]")


def _ensure_governance_defaults(session: Session) -> None:
    """A first charter, tier rules and reporting contracts, so governance works from day one."""
    from epmo.charter.service import ensure_default_charter
    from epmo.contracts.service import ensure_defaults

    if ensure_default_charter(session):
        out.print("charter version 1 created (the EPMO is supportive everywhere)")
    if ensure_defaults(session):
        out.print("default tier rules and reporting contracts created")
    _ensure_scoring_default(session)


def _ensure_scoring_default(session: Session) -> None:
    """The enterprise's standard scoring model, so intake requests can be scored from day one."""
    from epmo.scoring.repository import any_model
    from epmo.scoring.service import ensure_default_model

    if not any_model(session):
        model = ensure_default_model(session, None)
        out.print(f"scoring model {model.code!r} version {model.number} created")


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Stateless worker processes")] = 1,
) -> None:
    """Run the web hub (API and pages); with the SQLite job queue, also the job consumer."""
    import uvicorn

    get_settings()  # fail fast on bad settings, e.g. no secret key in production
    warn_if_exposed(host)
    consumer = start_inprocess_worker()
    try:
        uvicorn.run("epmo.web.app:create_app", factory=True, host=host, port=port,
                    workers=workers, proxy_headers=True, log_level="info",
                    timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS)
    finally:
        if consumer is not None:
            consumer.stop(graceful=True)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a name: it may resolve to any interface


def warn_if_exposed(host: str) -> None:
    """Warn loudly (stderr and the log) when development mode listens beyond this machine."""
    if get_settings().env != "development" or _loopback(host):
        return
    message = (f"WARNING: epmo serve listens on {host} in development mode (EPMO_ENV="
               "development): demo data and demo passwords are allowed and the session "
               "cookie is not Secure. Set EPMO_ENV=production before exposing the hub.")
    err.print(f"[bold red]{message}[/bold red]", highlight=False)
    log.warning(message)
    sys.stderr.flush()


def start_inprocess_worker() -> Any:
    """Start one huey consumer in threads of this (the serving parent) process, if wanted.

    Only with the SQLite queue (the embedded default) and EPMO_INPROCESS_WORKER on; with
    ``--workers N`` uvicorn's children do not start one, so there is exactly one consumer.
    """
    settings = get_settings()
    if not settings.inprocess_worker or not settings.jobs_url.startswith("sqlite:///"):
        return None
    from huey.consumer import Consumer

    from epmo import wiring
    from epmo.jobs import huey

    class ThreadConsumer(Consumer):  # type: ignore[misc]
        def _set_signal_handlers(self) -> None:
            return None  # uvicorn owns the signals of this process

    wiring.install()
    consumer = ThreadConsumer(huey, workers=1, worker_type="thread", shutdown_timeout=10)
    consumer.start()
    out.print(f"epmo serve: background jobs run in-process (queue {settings.jobs_url})")
    return consumer


def db_upgrade() -> None:
    """Upgrade the database schema to the newest revision."""
    upgrade_database()
    out.print("database schema is up to date")


def worker(
    workers: Annotated[int, typer.Option(min=1, max=16, help="Worker threads")] = 1,
) -> None:
    """Run the background job consumer (the daily compliance snapshot and reminders)."""
    from huey.consumer import Consumer

    from epmo import wiring
    from epmo.jobs import huey

    wiring.install()
    out.print(f"epmo worker: queue {get_settings().jobs_url}, daily jobs at "
              f"{get_settings().daily_jobs_at} UTC")
    Consumer(huey, workers=workers, worker_type="thread").run()


def jobs_daily(
    today: Annotated[datetime | None, typer.Option(
        formats=["%Y-%m-%d"], help="Run as of this day [default: today, UTC]")] = None,
) -> None:
    """Run the daily jobs once now (for cron): compliance snapshot, report reminders and the
    value ledger's proposals."""
    from epmo.jobs import run_daily

    day = today.date() if today else datetime.now(UTC).date()
    result = run_daily(day)
    out.print(f"daily jobs for {result.day}: snapshot of {result.snapshot_rows} rows, "
              f"{result.notifications} reminders sent, {result.ledger_proposed} value ledger "
              "entries proposed")


def register(app: typer.Typer) -> None:
    """Add the platform commands to the root app."""
    app.command()(init)
    app.command()(serve)
    app.command()(worker)
    db = typer.Typer(help="Database schema.", no_args_is_help=True)
    db.command("upgrade")(db_upgrade)
    app.add_typer(db, name="db")
    jobs = typer.Typer(help="Background jobs run by hand or from cron.", no_args_is_help=True)
    jobs.command("daily")(jobs_daily)
    app.add_typer(jobs, name="jobs")
