"""Background delivery of e-mails and webhook posts: claim, send, record, retry.

Each attempt is two short transactions around the network call: the claim counts the attempt
and pushes ``next_attempt_at`` past the time the send may take (so a crash mid-send is retried
later, and a second worker skips the row: rows are versioned, a concurrent claim goes stale);
the record stores the outcome, or the next attempt after an exponential backoff
(``base * 2^(attempt-1)``), or ``failed`` once the attempts are used up. ``now`` is a
parameter so tests drive the clock.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy.orm import object_session
from sqlalchemy.orm.exc import StaleDataError

from epmo.config import get_settings
from epmo.db import unit_of_work, utcnow, work_of
from epmo.notifications import mail, repository, webhooks
from epmo.notifications.models import (
    DELIVERED,
    FAILED,
    PENDING,
    OutboundEmail,
    Webhook,
    WebhookDelivery,
)

log = logging.getLogger("epmo.notifications")
ACTOR = "system (notification delivery)"
MAX_WAIT = timedelta(days=1)
Row = TypeVar("Row", OutboundEmail, WebhookDelivery)


def aware(moment: datetime) -> datetime:
    """SQLite hands times back naive; they are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def backoff(base_seconds: int, attempts: int) -> timedelta:
    """Wait after the ``attempts``-th failure: base, 2 base, 4 base, ... (at most a day)."""
    return min(timedelta(seconds=base_seconds * 2 ** max(attempts - 1, 0)), MAX_WAIT)


@dataclass(frozen=True, slots=True)
class Attempt:
    """What a claimed row needs for its send, read inside the claim."""

    attempts: int
    data: dict[str, Any]


def _claim(model: type[Row], row_id: int, now: datetime, lease: timedelta,
           read: Callable[[Any], dict[str, Any] | None]) -> Attempt | None:
    """Count an attempt on a due pending row; None when it is not (or no longer) ours."""
    try:
        with unit_of_work() as session:
            work_of(session).actor_label = ACTOR
            row = session.get(model, row_id)
            if row is None or row.status != PENDING or (
                    row.next_attempt_at is not None and aware(row.next_attempt_at) > now):
                return None
            data = read(row)
            if data is None:
                return None
            row.attempts += 1
            row.next_attempt_at = now + lease
            return Attempt(row.attempts, data)
    except StaleDataError:
        log.info("%s %s was claimed by another worker", model.__tablename__, row_id)
        return None


def _record(model: type[Row], row_id: int, now: datetime, error: str,
            base_seconds: int, max_attempts: int, **done: Any) -> str:
    """Store one attempt's outcome; return the row's status."""
    with unit_of_work() as session:
        work_of(session).actor_label = ACTOR
        row = session.get(model, row_id)
        if row is None:
            return "gone"
        for key, value in done.items():
            setattr(row, key, value)
        row.last_error = error[:1000]
        if not error:
            row.status, row.next_attempt_at = DELIVERED, None
        elif row.attempts >= max_attempts:
            row.status, row.next_attempt_at = FAILED, None
            log.warning("%s %s failed for good after %s attempts: %s",
                        model.__tablename__, row_id, row.attempts, error)
        else:
            row.next_attempt_at = now + backoff(base_seconds, row.attempts)
            log.info("%s %s attempt %s failed, retrying at %s: %s", model.__tablename__,
                     row_id, row.attempts, row.next_attempt_at, error)
        return row.status


def _fail_now(model: type[Any], row: WebhookDelivery, reason: str) -> None:
    row.status, row.next_attempt_at, row.last_error = FAILED, None, reason
    log.warning("%s %s failed: %s", model.__tablename__, row.id, reason)


# --- webhooks -----------------------------------------------------------------------------


def _read_delivery(row: WebhookDelivery) -> dict[str, Any] | None:
    session = object_session(row)
    webhook = session.get(Webhook, row.webhook_id) if session is not None else None
    if webhook is None or not webhook.active:
        _fail_now(WebhookDelivery, row, "the webhook is switched off")
        return None
    return {"url": webhook.url, "secret": webhook.secret, "kind": row.event_kind,
            "payload": row.payload}


def deliver_webhook_now(delivery_id: int, now: datetime | None = None) -> str | None:
    """Make one attempt at a due webhook delivery; return its status (None: not due)."""
    settings, now = get_settings(), now or utcnow()
    lease = timedelta(seconds=settings.webhook_timeout_seconds + 60)
    attempt = _claim(WebhookDelivery, delivery_id, now, lease, _read_delivery)
    if attempt is None:
        return None
    data = attempt.data
    answer = webhooks.post(data["url"], data["secret"], data["kind"], delivery_id,
                           data["payload"], int(now.timestamp()),
                           settings.webhook_timeout_seconds, webhooks.allowance())
    error = "" if answer.ok else (answer.error or f"HTTP {answer.code}")
    return _record(WebhookDelivery, delivery_id, now, error,
                   settings.webhook_retry_base_seconds, settings.webhook_max_attempts,
                   response_code=answer.code, **({"delivered_at": now} if answer.ok else {}))


# --- e-mail -------------------------------------------------------------------------------


def _read_email(row: OutboundEmail) -> dict[str, Any]:
    return {"to": row.address, "subject": row.subject, "body": row.body}


def deliver_email_now(email_id: int, now: datetime | None = None) -> str | None:
    """Make one attempt at a due e-mail; return its status (None: not due)."""
    settings, now = get_settings(), now or utcnow()
    lease = timedelta(seconds=settings.smtp_timeout_seconds + 60)
    attempt = _claim(OutboundEmail, email_id, now, lease, _read_email)
    if attempt is None:
        return None
    data = attempt.data
    ref = f"email-{email_id}-{attempt.attempts}"
    try:
        message = mail.build(settings, data["to"], data["subject"], data["body"], ref)
        mail.send(settings, message, f"{now:%Y%m%dT%H%M%S}-{ref}")
        error = ""
    except mail.MailError as exc:
        error = str(exc)
    return _record(OutboundEmail, email_id, now, error, settings.mail_retry_base_seconds,
                   settings.mail_max_attempts, **({"sent_at": now} if not error else {}))


# --- the sweep ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Due:
    """Pending rows whose next attempt is due."""

    emails: list[int]
    deliveries: list[int]


def due(now: datetime | None = None) -> Due:
    """Everything the outbox should try now."""
    now = now or utcnow()
    with unit_of_work() as session:
        return Due(repository.due_email_ids(session, now),
                   repository.due_delivery_ids(session, now))


def deliver_due(now: datetime | None = None) -> dict[str, int]:
    """Try every due row here and now (the cron path); count the outcomes by status."""
    found = due(now)
    counts: dict[str, int] = {}
    outcomes = [deliver_email_now(i, now) for i in found.emails]
    outcomes += [deliver_webhook_now(i, now) for i in found.deliveries]
    for status in outcomes:
        counts[status or "skipped"] = counts.get(status or "skipped", 0) + 1
    return counts
