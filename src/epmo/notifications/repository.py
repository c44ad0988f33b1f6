"""Reads of the notifications domain: messages, subscriptions, webhooks and the outbox."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Select, func, or_, select, tuple_
from sqlalchemy.orm import Session

from epmo.auth.models import User
from epmo.notifications.models import (
    PENDING,
    DeliveryPreference,
    DigestItem,
    Event,
    Notification,
    OutboundEmail,
    Subscription,
    Webhook,
    WebhookDelivery,
)
from epmo.org.models import Department
from epmo.portfolio.models import Programme, ProgrammeDepartment, Project, ProjectDepartment
from epmo.sql import holds
from epmo.strategy.models import Goal


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


def subscriptions_of(session: Session, user_id: int) -> list[Subscription]:
    """A user's subscriptions, by target."""
    query = select(Subscription).where(Subscription.user_id == user_id).order_by(
        Subscription.target_kind, Subscription.target_id)
    return list(session.scalars(query))


def find_subscription(session: Session, user_id: int, kind: str,
                      target_id: int) -> Subscription | None:
    """The user's subscription to one target, if any."""
    return session.scalar(select(Subscription).where(
        Subscription.user_id == user_id, Subscription.target_kind == kind,
        Subscription.target_id == target_id))


def subscriptions_to(session: Session, targets: Sequence[tuple[str, int]]) -> list[Subscription]:
    """Every subscription to any of ``targets``."""
    if not targets:
        return []
    pairs = [(kind, ident) for kind, ident in targets]
    query = select(Subscription).where(
        tuple_(Subscription.target_kind, Subscription.target_id).in_(pairs))
    return list(session.scalars(query))


def preference_of(session: Session, user_id: int) -> DeliveryPreference | None:
    """A user's e-mail preference row (none yet means immediate)."""
    return session.get(DeliveryPreference, user_id)


def email_modes(session: Session, user_ids: Sequence[int]) -> dict[int, str]:
    """E-mail mode of each user that chose one."""
    query = select(DeliveryPreference.user_id, DeliveryPreference.email_mode).where(
        DeliveryPreference.user_id.in_(list(user_ids)))
    return {user_id: mode for user_id, mode in session.execute(query)}


def active_users(session: Session, user_ids: Sequence[int]) -> list[User]:
    """The active users among ``user_ids``, by id."""
    query = select(User).where(User.id.in_(list(user_ids)), User.is_active.is_(True))
    return list(session.scalars(query.order_by(User.id)))


def active_webhooks(session: Session) -> list[Webhook]:
    """Every active webhook."""
    return list(session.scalars(select(Webhook).where(Webhook.active.is_(True))
                                .order_by(Webhook.id)))


def webhook_query(owner_id: int | None) -> Select[Webhook]:
    """Webhooks, all of them or one owner's, by name."""
    query = select(Webhook)
    if owner_id is not None:
        query = query.where(Webhook.owner_id == owner_id)
    return query.order_by(Webhook.name, Webhook.id)


def list_webhooks(session: Session, owner_id: int | None) -> Sequence[Webhook]:
    """Webhooks, all of them or one owner's, by name."""
    return session.scalars(webhook_query(owner_id)).all()


def deliveries_query(webhook_id: int) -> Select[WebhookDelivery]:
    """A webhook's delivery log, newest first."""
    return select(WebhookDelivery).where(WebhookDelivery.webhook_id == webhook_id).order_by(
        WebhookDelivery.id.desc())


def get_event(session: Session, event_id: int) -> Event | None:
    """One stored event."""
    return session.get(Event, event_id)


def due_email_ids(session: Session, now: datetime) -> list[int]:
    """Pending e-mails whose next attempt is due."""
    query = select(OutboundEmail.id).where(
        OutboundEmail.status == PENDING,
        or_(OutboundEmail.next_attempt_at.is_(None), OutboundEmail.next_attempt_at <= now))
    return list(session.scalars(query.order_by(OutboundEmail.id)))


def due_delivery_ids(session: Session, now: datetime) -> list[int]:
    """Pending webhook deliveries whose next attempt is due."""
    query = select(WebhookDelivery.id).where(
        WebhookDelivery.status == PENDING,
        or_(WebhookDelivery.next_attempt_at.is_(None), WebhookDelivery.next_attempt_at <= now))
    return list(session.scalars(query.order_by(WebhookDelivery.id)))


def waiting_digest_items(session: Session) -> list[tuple[DigestItem, Event]]:
    """Digest items not yet sent, with their events, by user then age."""
    query = select(DigestItem, Event).join(Event, Event.id == DigestItem.event_id).where(
        DigestItem.email_id.is_(None)).order_by(DigestItem.user_id, DigestItem.id)
    return [(item, event) for item, event in session.execute(query)]


# --- event targets, read once for a whole audience --------------------------------------


def projects_by_id(session: Session, ids: Sequence[int]) -> dict[int, Project]:
    """The projects among ``ids``, in one query."""
    query = select(Project).where(Project.id.in_(list(ids)))
    return {row.id: row for row in session.scalars(query)} if ids else {}


def programmes_by_id(session: Session, ids: Sequence[int]) -> dict[int, Programme]:
    """The programmes among ``ids``, in one query."""
    query = select(Programme).where(Programme.id.in_(list(ids)))
    return {row.id: row for row in session.scalars(query)} if ids else {}


def project_departments(session: Session, ids: Sequence[int]) -> dict[int, list[int]]:
    """The departments taking part in each of these projects, in one query."""
    query = select(ProjectDepartment.project_id, ProjectDepartment.department_id).where(
        ProjectDepartment.project_id.in_(list(ids)))
    return _grouped(session.execute(query)) if ids else {}


def programme_departments(session: Session, ids: Sequence[int]) -> dict[int, list[int]]:
    """The departments taking part in each of these programmes, in one query."""
    query = select(ProgrammeDepartment.programme_id, ProgrammeDepartment.department_id).where(
        ProgrammeDepartment.programme_id.in_(list(ids)))
    return _grouped(session.execute(query)) if ids else {}


def existing_goal_ids(session: Session, ids: Sequence[int]) -> set[int]:
    """The goals among ``ids`` that exist, in one query."""
    return set(session.scalars(select(Goal.id).where(Goal.id.in_(list(ids))))) if ids else set()


def _grouped(pairs: Iterable[Row[int, int]]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for owner, department in pairs:
        found.setdefault(owner, []).append(department)
    return found


TARGET_TABLES: dict[str, Any] = {"project": Project, "programme": Programme,
                                 "department": Department, "goal": Goal}


def targets_holding(session: Session, kind: str, typed: str, limit: int) -> Sequence[Any]:
    """(id, code, name) of the projects, programmes, departments or goals (``kind``) whose code
    or name holds ``typed``; none for another kind. The caller checks who may read them."""
    table = TARGET_TABLES.get(kind)
    if table is None:
        return []
    return session.execute(
        select(table.id, table.code, table.name)
        .where(or_(holds(table.code, typed), holds(table.name, typed)))
        .order_by(table.code).limit(limit)).all()
