"""Notifications are private: each user sees and marks only their own."""

from __future__ import annotations

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.errors import NotFound
from epmo.notifications import repository
from epmo.notifications.models import Notification


def own_notification_or_404(session: Session, actor: Actor, notification_id: int) -> Notification:
    """The actor's own notification; anyone else's answers like a missing one."""
    found = repository.get_notification(session, notification_id)
    if found is None or found.user_id != actor.id:
        raise NotFound(f"Notification {notification_id} not found")
    return found
