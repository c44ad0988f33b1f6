"""Hand new e-mails and webhook deliveries to the job queue once their transaction commits.

Rows are written first, in the caller's transaction; only after it commits are their ids
enqueued, so a job never looks for a row that is not there yet, and a rolled-back request
sends nothing. If enqueueing fails (queue unreachable) or the process stops before it, the
rows stay pending and the every-minute sweep picks them up: nothing is lost.
"""

from __future__ import annotations

import logging

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

log = logging.getLogger("epmo.notifications")
KEY = "notifications_outbox"


def queue_email(session: Session, email_id: int) -> None:
    """Enqueue ``deliver_email(email_id)`` after this session commits."""
    session.info.setdefault(KEY, []).append(("email", email_id))


def queue_webhook(session: Session, delivery_id: int) -> None:
    """Enqueue ``deliver_webhook(delivery_id)`` after this session commits."""
    session.info.setdefault(KEY, []).append(("webhook", delivery_id))


def enqueue(kind: str, row_id: int) -> None:
    """Put one delivery job on the queue; a failure is logged and left to the sweep."""
    from epmo import jobs

    task = jobs.deliver_email if kind == "email" else jobs.deliver_webhook
    try:
        task(row_id)
    except Exception:  # the sweep delivers it later; the request has already committed
        log.exception("could not enqueue %s delivery %s; the sweep will send it", kind, row_id)


def _after_commit(session: Session) -> None:
    if session.get_nested_transaction() is not None:
        return  # a savepoint was released (a page form's action): wait for the real commit
    for kind, row_id in session.info.pop(KEY, []):
        enqueue(kind, row_id)


def _after_rollback(session: Session, previous: SessionTransaction) -> None:
    if previous.parent is None:
        session.info.pop(KEY, None)


def install() -> None:
    """Attach the after-commit hand-off to every session (idempotent)."""
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", _after_rollback)


install()
