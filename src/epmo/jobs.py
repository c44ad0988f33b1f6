"""Background jobs with huey: the queue, and the daily governance run.

``epmo worker`` runs the huey consumer; it runs the periodic tasks (the daily compliance
snapshot and reminders at ``EPMO_DAILY_JOBS_AT`` UTC). Queue storage is a SQLite file by
default and Redis at scale (``EPMO_JOBS_URL``). Installations without a worker can run the
same work from cron with ``epmo jobs daily``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from huey import Huey, RedisHuey, SqliteHuey, crontab

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


@dataclass(frozen=True, slots=True)
class DailyResult:
    """What the daily run did."""

    day: date
    snapshot_rows: int
    notifications: int


def run_daily(today: date) -> DailyResult:
    """Record today's compliance snapshot and send due and overdue report reminders."""
    from epmo.auth.policy import SYSTEM
    from epmo.compliance import reminders, service
    from epmo.db import unit_of_work

    with unit_of_work() as session:
        session.info["actor_label"] = "system (daily jobs)"
        rows = service.take_snapshot(session, SYSTEM, today)
        sent = reminders.send_reminders(session, today)
    return DailyResult(today, len(rows), sent.sent)


def _daily_schedule() -> crontab:
    hour, _, minute = get_settings().daily_jobs_at.partition(":")
    return crontab(minute=str(int(minute)), hour=str(int(hour)))


@huey.periodic_task(_daily_schedule(), name="epmo.daily")  # type: ignore[untyped-decorator]
def daily() -> None:
    """The periodic task: the daily run for today's date (UTC)."""
    from datetime import UTC, datetime

    run_daily(datetime.now(UTC).date())
