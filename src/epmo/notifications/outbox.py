"""Hand new e-mails and webhook deliveries to the job queue once their transaction commits.

Rows are written first, in the caller's transaction, and their ids noted on the unit of work;
only after it commits are they enqueued (``epmo.wiring``), so a job never looks for a row that
is not there yet, and a rolled-back request sends nothing. If enqueueing fails (queue
unreachable) or the process stops before it, the rows stay pending and the every-minute sweep
picks them up: nothing is lost.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from epmo.db import work_of


def queue_email(session: Session, email_id: int) -> None:
    """Enqueue ``deliver_email(email_id)`` after this session commits."""
    work_of(session).outbox.append(("email", email_id))


def queue_webhook(session: Session, delivery_id: int) -> None:
    """Enqueue ``deliver_webhook(delivery_id)`` after this session commits."""
    work_of(session).outbox.append(("webhook", delivery_id))
