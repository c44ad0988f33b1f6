"""Server-side web sessions: every signed-in browser has a row that sign-out revokes.

The signed cookie holds the user id and a random session token; a request is signed in only
while the token's row exists, belongs to that user, is not revoked and was seen within
``session_max_age``. Sign-out revokes one row; deactivation, a password change and an
administrator's reset revoke all of a user's rows, so copied cookies stop working at once
and reactivating a user brings none of them back.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session
from starlette.requests import HTTPConnection

from epmo.audit import service as audit_service
from epmo.auth import repository
from epmo.auth.models import User, UserSession
from epmo.config import get_settings
from epmo.db import utcnow

SESSION_USER = "uid"
SESSION_TOKEN = "sid"
_SEEN_EVERY = timedelta(minutes=1)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite drops the zone


def start_session(request: HTTPConnection, session: Session, user: User) -> UserSession:
    """Sign ``user`` in on this browser: a new session row and a fresh cookie (the one place)."""
    token = secrets.token_urlsafe(32)
    row = UserSession(user_id=user.id, token_hash=_digest(token))
    session.add(row)
    session.flush()
    request.session.clear()  # a new session id on sign-in: no fixation of an old cookie
    request.session[SESSION_USER] = user.id
    request.session[SESSION_TOKEN] = token
    return row


def _row_of(request: HTTPConnection, session: Session) -> UserSession | None:
    token = request.session.get(SESSION_TOKEN)
    if not isinstance(token, str) or not token:
        return None
    return repository.get_session_by_hash(session, _digest(token))


def end_session(request: HTTPConnection, session: Session) -> None:
    """Sign this browser out: revoke its row (so copies of the cookie die too) and clear it."""
    row = _row_of(request, session)
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        session.flush()
    request.session.clear()


def _live(row: UserSession | None, user_id: object) -> bool:
    if row is None or row.revoked_at is not None or row.user_id != user_id:
        return False
    idle = utcnow() - _aware(row.last_seen_at)
    return idle <= timedelta(seconds=get_settings().session_max_age)


def user_for_cookie(request: HTTPConnection, session: Session) -> User | None:
    """The active user this browser's session belongs to, or None (clearing a dead cookie)."""
    uid = request.session.get(SESSION_USER)
    if uid is None:
        return None
    row = _row_of(request, session)
    user = session.get(User, row.user_id) if row is not None and _live(row, uid) else None
    if row is None or user is None or not user.is_active:
        request.session.clear()
        return None
    _note_seen(session, row)
    return user


def _note_seen(session: Session, row: UserSession) -> None:
    """Stamp the session as seen, at most once a minute, with a plain UPDATE.

    Not an ORM change: being seen is not a change to audit and must not advance the audit
    head that keys cached overviews.
    """
    now = utcnow()
    if now - _aware(row.last_seen_at) > _SEEN_EVERY:
        repository.stamp_session_seen(session, row.id, now)


def revoke_all(session: Session, user_id: int, keep: int | None = None) -> int:
    """Revoke every live session of a user (except ``keep``); return how many were live."""
    count = repository.revoke_sessions(session, user_id, utcnow(), keep)
    if count:
        audit_service.record(session, "user_session", f"user-{user_id}", "revoke_all",
                             {"user_id": user_id, "sessions": count})
    return count


def current_row(request: HTTPConnection, session: Session) -> UserSession | None:
    """This browser's session row, if it has one."""
    return _row_of(request, session)
