"""Named writes of the notifications domain: marking messages read."""

from __future__ import annotations

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.db import utcnow
from epmo.notifications import policy, repository
from epmo.notifications.models import Notification


def mark_read(session: Session, actor: Actor, notification_id: int) -> Notification:
    """Mark one of the actor's notifications read (reading it again changes nothing)."""
    notification = policy.own_notification_or_404(session, actor, notification_id)
    if notification.read_at is None:
        notification.read_at = utcnow()
        session.flush()
    return notification


def mark_all_read(session: Session, actor: Actor) -> int:
    """Mark every unread notification of the actor read; return how many."""
    unread = repository.unread_of(session, actor.id)
    now = utcnow()
    for notification in unread:
        notification.read_at = now
    session.flush()
    return len(unread)
