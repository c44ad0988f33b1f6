"""Sign-in throttling: failures counted in the database per account and per client address.

After ``signin_free_failures`` failures each further attempt must wait a delay that doubles
(refused, not slept: no worker is tied up); at ``signin_lock_failures`` the key is locked for
``signin_lock_minutes``. A client address gets ``signin_address_factor`` times more room,
since many people may share one. Counts live in the database, so they hold across workers;
failures older than the lock period are forgotten. The account key is the submitted email
whether or not such a user exists, so the answers never reveal which accounts exist.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from epmo.audit import service as audit_service
from epmo.auth import repository
from epmo.auth.models import SignInThrottle
from epmo.config import Settings, get_settings
from epmo.db import utcnow
from epmo.errors import EpmoError


class TooManyAttempts(EpmoError):
    """Sign-in refused until ``extra['retry_after']`` seconds have passed."""

    status = 429
    title = "Too many attempts"


@dataclass(frozen=True, slots=True)
class Key:
    """One throttled key and how many times the account thresholds it gets."""

    name: str
    factor: int


def keys_for(email: str, address: str, settings: Settings) -> list[Key]:
    """The account key and the client address key of an attempt."""
    return [Key(f"account:{email.strip().lower()[:280]}", 1),
            Key(f"address:{address[:280]}", settings.signin_address_factor)]


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite drops the zone


def _lock_period(settings: Settings) -> timedelta:
    return timedelta(minutes=settings.signin_lock_minutes)


def _wait(row: SignInThrottle, factor: int, settings: Settings, now: datetime) -> float:
    """Seconds this key must still wait before another attempt (0: go ahead)."""
    if row.locked_until is not None and _aware(row.locked_until) > now:
        return (_aware(row.locked_until) - now).total_seconds()
    last = _aware(row.last_failure_at)
    free = settings.signin_free_failures * factor
    if now - last > _lock_period(settings) or row.failures < free:
        return 0
    steps = min(row.failures - free, 30)  # bounded exponent; the lock caps it anyway
    delay = min(settings.signin_delay_seconds * 2 ** steps, _lock_period(settings).total_seconds())
    return max(0.0, (last - now).total_seconds() + float(delay))


def _rows(session: Session, keys: list[Key]) -> dict[str, SignInThrottle]:
    return repository.throttle_rows(session, [key.name for key in keys])


def check_allowed(session: Session, email: str, address: str) -> None:
    """Raise TooManyAttempts (with ``retry_after``) while either key must wait."""
    settings, now = get_settings(), utcnow()
    rows = _rows(session, keys_for(email, address, settings))
    waits = [_wait(rows[k.name], k.factor, settings, now)
             for k in keys_for(email, address, settings) if k.name in rows]
    wait = math.ceil(max(waits, default=0))
    if wait > 0:
        minutes = math.ceil(wait / 60)
        when = f"{wait} seconds" if wait < 120 else f"{minutes} minutes"
        raise TooManyAttempts(f"Too many failed sign-ins; try again in {when}",
                              extra={"retry_after": wait})


def record_failure(session: Session, email: str, address: str) -> None:
    """Count a failed sign-in against the account and the address, audited; lock if due."""
    settings, now = get_settings(), utcnow()
    keys = keys_for(email, address, settings)
    rows = _rows(session, keys)
    for key in keys:
        failures = _bump(session, rows.get(key.name), key, settings, now)
        audit_service.record(session, "sign_in", key.name, "failed",
                             {"email": email.strip().lower(), "address": address,
                              "failures": failures})


def _bump(session: Session, row: SignInThrottle | None, key: Key, settings: Settings,
          now: datetime) -> int:
    """Add one failure to ``key`` with plain SQL (the audit gets one clear record instead)."""
    forgotten = row is None or now - _aware(row.last_failure_at) > _lock_period(settings)
    failures = 1 if row is None or forgotten else row.failures + 1
    due = failures >= settings.signin_lock_failures * key.factor
    locked = now + _lock_period(settings) if due else None
    values = {"failures": failures, "last_failure_at": now, "locked_until": locked}
    if row is None:
        repository.insert_throttle(session, key.name, values)
    else:
        repository.update_throttle(session, row.id, values)
    if locked is not None:
        audit_service.record(session, "sign_in", key.name, "locked",
                             {"until": locked.isoformat(), "failures": failures})
    return failures


def record_success(session: Session, email: str) -> None:
    """A successful sign-in clears the account's count (not the address's)."""
    name = keys_for(email, "", get_settings())[0].name
    repository.delete_throttle(session, name)
