"""Compliance snapshots over the demo's past months, so "scores over time" has a line.

Today's snapshot is the compliance service's own ``take_snapshot``. For each earlier month
end, inside a savepoint, the reports submitted after that day are taken away (newest day
first, so each step only removes more), ``take_snapshot`` records that day's scores as the
hub would have on that day, and the values are kept; rolling the savepoint back restores the
reports, and the kept scores are stored. Stages, artefacts and gates are today's: the
snapshot of a past day differs from a real one of that day only where those moved since.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session

from epmo.auth.policy import SYSTEM
from epmo.compliance import service as compliance_service
from epmo.compliance.models import ComplianceSnapshot
from epmo.demo import repository

VALUES = ("taken_on", "department_id", "score", "projects", "blocking", "warnings")


def month_ends(today: date, months: int, every: int = 1) -> list[date]:
    """The last day of every ``every``-th of the ``months`` - 1 months before today's, oldest
    first."""
    ends: list[date] = []
    day = today.replace(day=1) - timedelta(days=1)
    for back in range(1, months):
        if back % every == 0:
            ends.insert(0, day)
        day = day.replace(day=1) - timedelta(days=1)
    return ends


def take_history(session: Session, today: date, months: int = 12, every: int = 1) -> int:
    """Snapshots of today and of the month ends before it over ``months`` months (every
    ``every``-th month end: each costs one compliance evaluation); rows stored."""
    if months <= 0:
        return 0
    kept: list[dict[str, Any]] = []
    savepoint = session.begin_nested()
    for day in reversed(month_ends(today, months, every)):
        after = datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=UTC)
        repository.drop_reports_from(session, after)
        kept += [{name: getattr(row, name) for name in VALUES}
                 for row in compliance_service.take_snapshot(session, SYSTEM, day)]
    savepoint.rollback()
    session.add_all(ComplianceSnapshot(**values) for values in kept)
    rows = compliance_service.take_snapshot(session, SYSTEM, today)
    session.flush()
    return len(kept) + len(rows)
