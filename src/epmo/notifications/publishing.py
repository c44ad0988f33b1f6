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
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from epmo.auth.models import User
from epmo.auth.policy import Actor, scope_below
from epmo.auth.repository import department_ids_by_user
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
from epmo.org.repository import department_parents

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
            recipients: Iterable[int] = (), webhooks: bool = True,
            named: tuple[tuple[str, int], str] | None = None) -> Event:
    """Store an event and fan it out to inboxes, e-mail and webhooks (flushes, never commits).

    ``webhooks=False``: a personal message whose link is a secret (a one-time survey link)
    goes to its recipients only, never to a webhook. ``named``: a target and a title that
    names it; readers who may read that target get this title in their inbox and e-mail, the
    others (and webhooks) the plain ``title``."""
    _check(kind, targets)
    pairs = [(str(k), int(i)) for k, i in dict.fromkeys(targets)]
    event = Event(kind=kind, title=title[:300], body=body, link=link[:500], payload=payload,
                  targets=[list(p) for p in pairs], subject_kind=pairs[0][0] if pairs else None,
                  subject_id=pairs[0][1] if pairs else None, created_at=utcnow())
    session.add(event)
    session.flush()
    readables = policy.load_targets(session, pairs)
    users = _candidates(session, kind, pairs, recipients)
    hooks = [w for w in repository.active_webhooks(session)
             if kind_matches(w.event_types, kind)] if webhooks else []
    actors = actors_for(session, [*users, *_owners(session, hooks)])
    # Named recipients of an event without targets (a system message) always get it.
    readers = [u for u in users if not pairs or policy.may_read_event(actors[u.id], readables)]
    titles = _titles(session, event, readers, actors, named)
    _notify(session, event, readers, titles)
    _queue_email(session, event, readers, titles)
    for hook in hooks:
        owner = actors.get(hook.owner_id)  # None: the owner is no longer active
        if owner is not None and policy.may_read_event(owner, readables):
            queue_delivery(session, hook, event)
    return event


def _candidates(session: Session, kind: str, targets: Sequence[tuple[str, int]],
                recipients: Iterable[int]) -> list[User]:
    """Active named recipients and matching subscribers, each once, by id."""
    subscribers = [s.user_id for s in repository.subscriptions_to(session, targets)
                   if kind_matches(s.event_types, kind)]
    wanted = list(dict.fromkeys([*recipients, *subscribers]))
    return repository.active_users(session, wanted) if wanted else []


def _owners(session: Session, webhooks: Sequence[Webhook]) -> list[User]:
    owner_ids = sorted({w.owner_id for w in webhooks})
    return repository.active_users(session, owner_ids) if owner_ids else []


def actors_for(session: Session, users: Sequence[User]) -> dict[int, Actor]:
    """Each user's Actor (as ``auth.service.actor_for`` builds it) in two queries for all."""
    own = department_ids_by_user(session, [u.id for u in users]) if users else {}
    parents = department_parents(session) if own else {}
    return {user.id: _actor(user, frozenset(own.get(user.id, ())), parents) for user in users}


def _actor(user: User, own: frozenset[int], parents: Mapping[int, int | None]) -> Actor:
    return Actor(id=user.id, email=user.email, name=user.name, role=user.role,
                 person_id=user.person_id, department_ids=own,
                 scope=scope_below(parents, own) if own else frozenset())


def _titles(session: Session, event: Event, users: Sequence[User], actors: Mapping[int, Actor],
            named: tuple[tuple[str, int], str] | None) -> dict[int, str]:
    """Each reader's title: the named one when they may read its target, else the event's."""
    if named is None or not users:
        return {}
    target = policy.load_targets(session, [named[0]])[0]
    return {u.id: named[1][:300] for u in users if policy.may_read_target(actors[u.id], target)}


def _notify(session: Session, event: Event, users: Sequence[User],
            titles: Mapping[int, str]) -> None:
    for user in users:
        session.add(Notification(user_id=user.id, kind=event.kind[:40], key=f"event:{event.id}",
                                 subject=titles.get(user.id, event.title), body=event.body,
                                 link=event.link,
                                 created_at=event.created_at))
    session.flush()


def full_link(link: str) -> str:
    """The link as users open it from an e-mail (prefixed with EPMO_PUBLIC_URL)."""
    base = get_settings().public_url.rstrip("/")
    return f"{base}{link}" if link.startswith("/") and base else link


def _queue_email(session: Session, event: Event, users: Sequence[User],
                 titles: Mapping[int, str]) -> None:
    modes = repository.email_modes(session, [u.id for u in users]) if users else {}
    emails: list[OutboundEmail] = []
    for user in users:
        mode = modes.get(user.id, "immediate")
        if mode == "digest":
            session.add(DigestItem(user_id=user.id, event_id=event.id))
        elif mode == "immediate":
            text = "\n\n".join(part for part in (event.body, full_link(event.link)) if part)
            emails.append(OutboundEmail(user_id=user.id, event_id=event.id, address=user.email,
                                        subject=titles.get(user.id, event.title), body=text,
                                        kind="immediate",
                                        status=PENDING, next_attempt_at=event.created_at))
    session.add_all(emails)
    session.flush()
    for email in emails:
        outbox.queue_email(session, email.id)


def event_body(event: Event) -> dict[str, Any]:
    """The JSON a webhook receives for an event."""
    return {"id": event.id, "kind": event.kind, "created_at": event.created_at.isoformat(),
            "title": event.title, "link": full_link(event.link),
            "targets": [{"kind": k, "id": i} for k, i in event.targets], "data": event.payload}


def queue_delivery(session: Session, webhook: Webhook, event: Event) -> WebhookDelivery:
    """A new pending delivery of ``event`` to ``webhook``, handed to the queue after commit."""
    delivery = WebhookDelivery(webhook_id=webhook.id, event_id=event.id, event_kind=event.kind,
                               payload=event_body(event), status=PENDING, attempts=0,
                               next_attempt_at=utcnow())
    session.add(delivery)
    session.flush()
    outbox.queue_webhook(session, delivery.id)
    return delivery
