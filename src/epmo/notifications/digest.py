"""The daily digest: one e-mail per digest-mode user listing the events collected for them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from itertools import groupby

from sqlalchemy.orm import Session

from epmo.auth import service as auth_service
from epmo.db import unit_of_work, utcnow, work_of
from epmo.notifications import outbox, repository
from epmo.notifications.models import PENDING, DigestItem, Event, OutboundEmail
from epmo.notifications.publishing import full_link

MAX_LISTED = 200


def digest_text(events: Sequence[Event]) -> str:
    """The body of a digest: one entry per event, oldest first."""
    lines = [f"{len(events)} update{'s' if len(events) != 1 else ''} in epmo:", ""]
    for event in events[:MAX_LISTED]:
        lines.append(f"- {event.created_at:%Y-%m-%d %H:%M} UTC  {event.title}")
        if event.link:
            lines.append(f"  {full_link(event.link)}")
    if len(events) > MAX_LISTED:
        lines.append(f"... and {len(events) - MAX_LISTED} more in your epmo inbox.")
    return "\n".join(lines)


def _digest_for(session: Session, user_id: int, pairs: list[tuple[DigestItem, Event]],
                now: datetime) -> OutboundEmail | None:
    """Queue one user's digest and mark its items; users who turned e-mail off get none."""
    user = auth_service.get_active_user(session, user_id)
    preference = repository.preference_of(session, user_id)
    if user is None or (preference is not None and preference.email_mode == "off"):
        for item, _ in pairs:
            session.delete(item)
        return None
    events = [event for _, event in pairs]
    email = OutboundEmail(user_id=user_id, address=user.email, kind="digest", status=PENDING,
                          subject=f"epmo digest: {len(events)} update"
                                  f"{'s' if len(events) != 1 else ''}",
                          body=digest_text(events), next_attempt_at=now)
    session.add(email)
    session.flush()
    for item, _ in pairs:
        item.email_id = email.id
    outbox.queue_email(session, email.id)
    return email


def send_digests(now: datetime | None = None) -> list[int]:
    """Queue every waiting digest (one e-mail per user); return the new e-mails' ids."""
    now = now or utcnow()
    made: list[int] = []
    with unit_of_work() as session:
        work_of(session).actor_label = "system (digest)"
        waiting = repository.waiting_digest_items(session)
        for user_id, group in groupby(waiting, key=lambda pair: pair[0].user_id):
            email = _digest_for(session, user_id, list(group), now)
            if email is not None:
                made.append(email.id)
        session.flush()
    return made
