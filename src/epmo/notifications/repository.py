"""Reads of the notifications domain: a user's messages, unread first."""

from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from epmo.notifications.models import Notification


def get_notification(session: Session, notification_id: int) -> Notification | None:
    """One notification by id."""
    return session.get(Notification, notification_id)


def inbox_query(user_id: int, unread_only: bool = False) -> Select[Notification]:
    """A user's notifications: unread first, then newest first."""
    query = select(Notification).where(Notification.user_id == user_id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return query.order_by(Notification.read_at.is_not(None), Notification.created_at.desc(),
                          Notification.id.desc())


def unread_count(session: Session, user_id: int) -> int:
    """How many of a user's notifications are unread."""
    query = select(func.count()).select_from(Notification).where(
        Notification.user_id == user_id, Notification.read_at.is_(None))
    return session.scalar(query) or 0


def unread_of(session: Session, user_id: int) -> list[Notification]:
    """A user's unread notifications."""
    query = select(Notification).where(Notification.user_id == user_id,
                                       Notification.read_at.is_(None))
    return list(session.scalars(query))
