"""Named writes of the notifications domain: read marks, subscriptions, preferences, webhooks."""

from __future__ import annotations

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.db import utcnow
from epmo.editing import apply, changes_of, check_version
from epmo.errors import Conflict, FieldError, Invalid
from epmo.notifications import policy, publishing, repository, webhooks
from epmo.notifications.models import (
    DeliveryPreference,
    Event,
    Notification,
    Subscription,
    Webhook,
    WebhookDelivery,
)
from epmo.notifications.schemas import (
    PreferenceUpdate,
    SubscriptionCreate,
    WebhookCreate,
    WebhookUpdate,
)


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


def mark_read_for(session: Session, user_id: int | None, link: str) -> int:
    """Mark the user's unread notifications that point at ``link`` read (the thing they
    announce was dealt with, e.g. a change event acknowledged); return how many."""
    if user_id is None:
        return 0
    unread = [n for n in repository.unread_of(session, user_id) if n.link == link]
    now = utcnow()
    for notification in unread:
        notification.read_at = now
    session.flush()
    return len(unread)


# --- subscriptions and preferences --------------------------------------------------------


def create_subscription(session: Session, actor: Actor, data: SubscriptionCreate) -> Subscription:
    """Follow something the actor may read (one subscription per target)."""
    kind, ident = data.target_kind, data.target_id
    if not policy.target_exists(session, kind, ident) or not policy.can_read_target(
            session, actor, kind, ident):
        raise Invalid(f"There is no {kind} {ident} you may follow",
                      [FieldError("target_id", f"no {kind} with id {ident}")])
    if repository.find_subscription(session, actor.id, kind, ident) is not None:
        raise Conflict(f"You already follow {kind} {ident}",
                       [FieldError("target_id", "already subscribed")])
    subscription = Subscription(user_id=actor.id, target_kind=kind, target_id=ident,
                                event_types=list(dict.fromkeys(data.event_types)))
    session.add(subscription)
    session.flush()
    return subscription


def delete_subscription(session: Session, actor: Actor, subscription_id: int) -> None:
    """Stop following something."""
    session.delete(policy.own_subscription_or_404(session, actor, subscription_id))
    session.flush()


def set_preference(session: Session, actor: Actor, data: PreferenceUpdate) -> DeliveryPreference:
    """Choose immediate, digest or no e-mail."""
    preference = repository.preference_of(session, actor.id)
    if preference is None:
        preference = DeliveryPreference(user_id=actor.id)
        session.add(preference)
    preference.email_mode = data.email_mode
    session.flush()
    return preference


# --- webhooks -----------------------------------------------------------------------------


def create_webhook(session: Session, actor: Actor, data: WebhookCreate) -> Webhook:
    """Create a webhook owned by the actor, with a fresh signing secret."""
    policy.require_manage_webhooks(actor)
    webhook = Webhook(name=data.name, url=webhooks.check_url(data.url),
                      secret=webhooks.new_secret(), active=data.active, owner_id=actor.id,
                      event_types=list(dict.fromkeys(data.event_types)))
    session.add(webhook)
    session.flush()
    return webhook


def update_webhook(session: Session, actor: Actor, webhook_id: int,
                   data: WebhookUpdate) -> Webhook:
    """Change name, URL, event kinds or on/off; a stale version answers 409."""
    webhook = policy.access_webhook_or_404(session, actor, webhook_id)
    check_version(webhook, data.version)
    changes = changes_of(data)
    if "url" in changes:
        changes["url"] = webhooks.check_url(changes["url"])
    apply(webhook, changes)
    session.flush()
    return webhook


def delete_webhook(session: Session, actor: Actor, webhook_id: int, version: int) -> None:
    """Delete a webhook and its delivery log."""
    webhook = policy.access_webhook_or_404(session, actor, webhook_id)
    check_version(webhook, version)
    session.delete(webhook)
    session.flush()


def _active(webhook: Webhook) -> Webhook:
    if not webhook.active:
        raise Invalid(f"Webhook {webhook.name} is switched off; switch it on to send",
                      [FieldError("active", "the webhook is off")])
    return webhook


def redeliver(session: Session, actor: Actor, delivery_id: int) -> WebhookDelivery:
    """Send a delivery's event again, as a new delivery with the same payload."""
    old = policy.access_delivery_or_404(session, actor, delivery_id)
    webhook = _active(policy.access_webhook_or_404(session, actor, old.webhook_id))
    event = repository.get_event(session, old.event_id)
    if event is None:
        raise Invalid("The event of this delivery no longer exists")
    delivery = publishing.queue_delivery(session, webhook, event)
    delivery.payload = dict(old.payload)
    session.flush()
    return delivery


def ping_webhook(session: Session, actor: Actor, webhook_id: int) -> WebhookDelivery:
    """Queue a ``ping`` event to one webhook, to check the receiver and its signature code."""
    webhook = _active(policy.access_webhook_or_404(session, actor, webhook_id))
    event = Event(kind="ping", title=f"Ping to webhook {webhook.name}", body="", link="",
                  payload={"webhook_id": webhook.id, "by": actor.email}, targets=[],
                  created_at=utcnow())
    session.add(event)
    session.flush()
    return publishing.queue_delivery(session, webhook, event)
