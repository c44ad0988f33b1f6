"""One-time password reset links made by an administrator (or ``epmo user reset-password``)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from epmo.auth import repository, service, sessions, throttle
from epmo.auth.models import PasswordReset, User
from epmo.config import get_settings
from epmo.db import utcnow
from epmo.errors import FieldError, Invalid, NotFound

RESET_PATH = "/reset/"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite drops the zone


def reset_link(token: str) -> str:
    """The link (absolute when EPMO_PUBLIC_URL is set) that opens the reset page."""
    return get_settings().public_url.rstrip("/") + RESET_PATH + token


def create_reset(session: Session, user: User) -> str:
    """Make a reset token for ``user``, valid once for ``password_reset_hours``; return it.

    Making one signs the user out everywhere: an administrator resets a password when the
    old one may be known to someone else.
    """
    token = secrets.token_urlsafe(32)
    hours = get_settings().password_reset_hours
    session.add(PasswordReset(user_id=user.id, token_hash=_digest(token),
                              expires_at=utcnow() + timedelta(hours=hours)))
    session.flush()
    sessions.revoke_all(session, user.id)
    return token


def _usable(session: Session, token: str) -> PasswordReset:
    found = repository.get_reset_by_hash(session, _digest(token))
    if found is None or found.used_at is not None or _aware(found.expires_at) <= utcnow():
        raise NotFound("This reset link is unknown, used or expired; ask for a new one")
    return found


def user_for_reset(session: Session, token: str) -> User:
    """The active user a still-usable reset token is for, or NotFound."""
    user = session.get(User, _usable(session, token).user_id)
    if user is None or not user.is_active:
        raise NotFound("This reset link is unknown, used or expired; ask for a new one")
    return user


def use_reset(session: Session, token: str, new: str, repeat: str) -> User:
    """Set the new password with a reset token, once; every other link of the user dies too."""
    reset = _usable(session, token)
    user = user_for_reset(session, token)
    if new != repeat:
        raise Invalid("The passwords differ", [FieldError("repeat_password", "type it twice")])
    service.set_password(session, user, new, field="new_password")
    now = utcnow()
    reset.used_at = now
    repository.use_open_resets(session, user.id, now)
    throttle.record_success(session, user.email)  # a locked-out user can sign in again
    session.flush()
    return user


def cancel_all(session: Session, user_id: int) -> None:
    """End every unused reset link of a user (they were deactivated)."""
    repository.use_open_resets(session, user_id, utcnow())
