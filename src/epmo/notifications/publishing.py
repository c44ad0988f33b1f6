"""The one way other domains announce something: ``publish`` an event.

The event is stored; in-app notifications go to the named recipients and to every user
subscribed to one of its targets, as long as they may read one of those targets; e-mail is
queued by each user's preference (at once, or collected for the digest); a delivery is
queued for every active webhook that wants the kind and whose owner may read it. Everything
is written in the caller's transaction (flushed, not committed); once it commits, the new
e-mails and deliveries are handed to the job queue (see ``outbox``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy.orm import Session

from epmo.auth import service as auth_service
from epmo.auth.models import User
from epmo.config import get_settings
from epmo.db import utcnow
from epmo.notifications import outbox, policy, repository
from epmo.notifications.models import (
    PENDING,
    TARGET_KINDS,
    DigestItem,
    Event,
    Notification,
    OutboundEmail,
    Webhook,
    WebhookDelivery,
)

KIND = re.compile(r"^[a-z0-9_\-]+(\.[a-z0-9_\-]+)*$")


def kind_matches(patterns: Sequence[str], kind: str) -> bool:
    """Empty means every kind; ``change.*`` matches ``change.created``; else exact match."""
    if not patterns:
        return True
    return any(kind == p or (p.endswith(".*") and kind.startswith(p[:-1])) for p in patterns)


def _check(kind: str, targets: Sequence[tuple[str, int]]) -> None:
    if not KIND.match(kind) or len(kind) > 60:
        raise ValueError(f"event kind {kind!r} must look like 'change.created'")
    wrong = [t for t in targets if t[0] not in TARGET_KINDS]
    if wrong:
        raise ValueError(f"event targets must be one of {TARGET_KINDS}, not {wrong}")


def publish(session: Session, *, kind: str, title: str, body: str, link: str,
            payload: dict[str, Any], targets: Sequence[tuple[str, int]],
            recipients: Iterable[int] = ()) -> Event:
    """Store an event and fan it out to inboxes, e-mail and webhooks (flushes, never commits)."""
    _check(kind, targets)
    pairs = [(str(k), int(i)) for k, i in dict.fromkeys(targets)]
    event = Event(kind=kind, title=title[:300], body=body, link=link[:500], payload=payload,
                  targets=[list(p) for p in pairs], subject_kind=pairs[0][0] if pairs else None,
                  subject_id=pairs[0][1] if pairs else None, created_at=utcnow())
    session.add(event)
    session.flush()
    users = _audience(session, kind, pairs, recipients)
    _notify(session, event, users)
    _queue_email(session, event, users)
    _queue_webhooks(session, event, pairs, repository.active_webhooks(session))
    return event


def _audience(session: Session, kind: str, targets: Sequence[tuple[str, int]],
              recipients: Iterable[int]) -> list[User]:
    """Recipients and matching subscribers who may read the event, each once."""
    subscribers = [s.user_id for s in repository.subscriptions_to(session, targets)
                   if kind_matches(s.event_types, kind)]
    wanted = list(dict.fromkeys([*recipients, *subscribers]))
    users = repository.active_users(session, wanted)
    return [user for user in users if _may_read(session, user, targets)]


def _may_read(session: Session, user: User, targets: Sequence[tuple[str, int]]) -> bool:
    # Named recipients of an event without targets (a system message) always get it.
    if not targets:
        return True
    return policy.can_read_event(session, auth_service.actor_for(session, user), targets)


def _notify(session: Session, event: Event, users: Sequence[User]) -> None:
    for user in users:
        session.add(Notification(user_id=user.id, kind=event.kind[:40], key=f"event:{event.id}",
                                 subject=event.title, body=event.body, link=event.link,
                                 created_at=event.created_at))
    session.flush()


def full_link(link: str) -> str:
    """The link as users open it from an e-mail (prefixed with EPMO_PUBLIC_URL)."""
    base = get_settings().public_url.rstrip("/")
    return f"{base}{link}" if link.startswith("/") and base else link


def _queue_email(session: Session, event: Event, users: Sequence[User]) -> None:
    modes = repository.email_modes(session, [u.id for u in users])
    for user in users:
        mode = modes.get(user.id, "immediate")
        if mode == "digest":
            session.add(DigestItem(user_id=user.id, event_id=event.id))
        elif mode == "immediate":
            text = "\n\n".join(part for part in (event.body, full_link(event.link)) if part)
            email = OutboundEmail(user_id=user.id, event_id=event.id, address=user.email,
                                  subject=event.title, body=text, kind="immediate",
                                  status=PENDING, next_attempt_at=event.created_at)
            session.add(email)
            session.flush()
            outbox.queue_email(session, email.id)
    session.flush()


def event_body(event: Event) -> dict[str, Any]:
    """The JSON a webhook receives for an event."""
    return {"id": event.id, "kind": event.kind, "created_at": event.created_at.isoformat(),
            "title": event.title, "link": full_link(event.link),
            "targets": [{"kind": k, "id": i} for k, i in event.targets], "data": event.payload}


def _owner_may_read(session: Session, webhook: Webhook,
                    targets: Sequence[tuple[str, int]]) -> bool:
    owner = auth_service.get_active_user(session, webhook.owner_id)
    if owner is None:
        return False
    return policy.can_read_event(session, auth_service.actor_for(session, owner), targets)


def _queue_webhooks(session: Session, event: Event, targets: Sequence[tuple[str, int]],
                    webhooks: Sequence[Webhook]) -> None:
    for webhook in webhooks:
        if kind_matches(webhook.event_types, event.kind) and _owner_may_read(
                session, webhook, targets):
            queue_delivery(session, webhook, event)


def queue_delivery(session: Session, webhook: Webhook, event: Event) -> WebhookDelivery:
    """A new pending delivery of ``event`` to ``webhook``, handed to the queue after commit."""
    delivery = WebhookDelivery(webhook_id=webhook.id, event_id=event.id, event_kind=event.kind,
                               payload=event_body(event), status=PENDING, attempts=0,
                               next_attempt_at=utcnow())
    session.add(delivery)
    session.flush()
    outbox.queue_webhook(session, delivery.id)
    return delivery
