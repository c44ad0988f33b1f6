"""Background jobs with huey: the queue, the daily governance run, notification delivery.

``epmo worker`` (or, with the SQLite queue, ``epmo serve`` itself) runs the huey consumer; it
runs the periodic tasks: the daily compliance snapshot and reminders, the value ledger's
proposals from the hub's events, and the e-mail digests at
``EPMO_DAILY_JOBS_AT`` UTC, and every minute the outbox sweep that retries e-mails and webhook
deliveries that are due (and picks up any whose enqueue was lost). ``deliver_email`` and
``deliver_webhook`` are enqueued when the transaction that wrote the row commits. Queue storage
is a SQLite file by default and Redis at scale (``EPMO_JOBS_URL``). Installations without a
worker can run the same work from cron with ``epmo jobs daily`` and
``epmo notifications deliver``. Every minute the worker also syncs the Jira connections whose
interval has passed (``epmo connectors sync`` from cron does the same).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from huey import Huey, RedisHuey, SqliteHuey, crontab
from sqlalchemy.exc import OperationalError, ProgrammingError

from epmo.config import Settings, get_settings


def make_huey(settings: Settings) -> Huey:
    """The queue the settings ask for: ``redis://...`` or ``sqlite:///path``."""
    url = settings.jobs_url
    if url.startswith(("redis://", "rediss://")):
        return RedisHuey("epmo", url=url)
    if url.startswith("sqlite:///"):
        return SqliteHuey("epmo", filename=url.removeprefix("sqlite:///"))
    raise ValueError(f"EPMO_JOBS_URL must start with redis:// or sqlite:///, not {url!r}")


huey = make_huey(get_settings())
log = logging.getLogger("epmo.jobs")


@dataclass(frozen=True, slots=True)
class DailyResult:
    """What the daily run did."""

    day: date
    snapshot_rows: int
    notifications: int
    ledger_proposed: int = 0


def run_daily(today: date) -> DailyResult:
    """Record today's compliance snapshot, send due and overdue report reminders, and
    propose value ledger entries from the events since the last run (idempotent)."""
    from epmo import wiring
    from epmo.auth.policy import SYSTEM
    from epmo.compliance import reminders, service
    from epmo.db import unit_of_work
    from epmo.ledger import service as ledger

    wiring.install()  # a worker started by huey's own consumer has not wired yet
    with unit_of_work(actor_label="system (daily jobs)") as session:
        rows = service.take_snapshot(session, SYSTEM, today)
        sent = reminders.send_reminders(session, today)
        proposed = ledger.propose(session, SYSTEM)
    return DailyResult(today, len(rows), sent.sent, proposed.proposed)


def _daily_schedule() -> crontab:
    hour, _, minute = get_settings().daily_jobs_at.partition(":")
    return crontab(minute=str(int(minute)), hour=str(int(hour)))


@huey.periodic_task(_daily_schedule(), name="epmo.daily")  # type: ignore[untyped-decorator]
def daily() -> None:
    """The periodic task: the daily run for today's date (UTC)."""
    from datetime import UTC, datetime

    run_daily(datetime.now(UTC).date())


def enqueue_delivery(kind: str, row_id: int) -> None:
    """Put one delivery job on the queue (``epmo.wiring`` does after a commit); a failure is
    logged and left to the every-minute sweep."""
    task = deliver_email if kind == "email" else deliver_webhook
    try:
        task(row_id)
    except Exception:  # the sweep delivers it later; the request has already committed
        log.exception("could not enqueue %s delivery %s; the sweep will send it", kind, row_id)


@huey.task(name="epmo.deliver_email")  # type: ignore[untyped-decorator]
def deliver_email(email_id: int) -> str | None:
    """Try to send one queued e-mail (retries are scheduled on its row)."""
    from epmo import wiring
    from epmo.notifications.delivery import deliver_email_now

    wiring.install()
    return deliver_email_now(email_id)


@huey.task(name="epmo.deliver_webhook")  # type: ignore[untyped-decorator]
def deliver_webhook(delivery_id: int) -> str | None:
    """Try to post one queued webhook delivery (retries are scheduled on its row)."""
    from epmo import wiring
    from epmo.notifications.delivery import deliver_webhook_now

    wiring.install()
    return deliver_webhook_now(delivery_id)


@huey.periodic_task(crontab(), name="epmo.sweep_outbox")  # type: ignore[untyped-decorator]
def sweep_outbox() -> int:
    """Every minute: enqueue every e-mail and webhook delivery whose next attempt is due.

    Rows only become the sweep's a minute after they fall due: until then the job enqueued
    when they were written is expected to take them, and a second copy would only find them
    claimed. Retries after a failure are picked up here, so their waits are rounded up to
    the minute.
    """
    from datetime import timedelta

    from epmo.db import utcnow
    from epmo.notifications.delivery import due

    try:
        found = due(utcnow() - timedelta(minutes=1))
    except (OperationalError, ProgrammingError) as exc:
        log.warning("outbox sweep skipped, the database is not ready (run `epmo db upgrade`): "
                    "%s", exc.orig)
        return 0
    for email_id in found.emails:
        deliver_email(email_id)
    for delivery_id in found.deliveries:
        deliver_webhook(delivery_id)
    return len(found.emails) + len(found.deliveries)


@huey.periodic_task(_daily_schedule(), name="epmo.send_digests")  # type: ignore[untyped-decorator]
def send_digests() -> int:
    """Daily at EPMO_DAILY_JOBS_AT: one digest e-mail per digest-mode user with news."""
    from epmo.notifications.digest import send_digests as queue_digests

    return len(queue_digests())


@huey.periodic_task(crontab(), name="epmo.sync_jira")  # type: ignore[untyped-decorator]
@huey.lock_task("epmo.sync_jira")  # type: ignore[untyped-decorator]
def sync_jira() -> int:
    """Every minute: sync each active Jira connection whose interval has passed since its
    latest run (one at a time; the lock keeps a slow sync from overlapping the next tick)."""
    from epmo import wiring
    from epmo.connectors.sync import sync_due

    wiring.install()
    try:
        runs = sync_due()
    except (OperationalError, ProgrammingError) as exc:
        log.warning("Jira sync skipped, the database is not ready (run `epmo db upgrade`): %s",
                    exc.orig)
        return 0
    return len(runs)
