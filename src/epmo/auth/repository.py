"""Queries of the auth domain: users, memberships, tokens, web sessions, resets, throttle."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from epmo.auth.models import (
    ApiToken,
    PasswordReset,
    SignInThrottle,
    User,
    UserDepartment,
    UserSession,
)
from epmo.db import stamp


def user_query() -> Select[User]:
    """All users, by email."""
    return select(User).order_by(User.email)


def active_admins(session: Session) -> int:
    """How many active EPMO administrators there are."""
    query = select(func.count()).select_from(User).where(User.role == "epmo_admin",
                                                         User.is_active.is_(True))
    return session.scalar(query) or 0


def memberships_of(session: Session, user_id: int) -> dict[int, UserDepartment]:
    """The user's department memberships, by department id."""
    query = select(UserDepartment).where(UserDepartment.user_id == user_id)
    return {m.department_id: m for m in session.scalars(query)}


def department_ids(session: Session, user_id: int) -> list[int]:
    """The departments a user belongs to."""
    query = select(UserDepartment.department_id).where(UserDepartment.user_id == user_id)
    return sorted(session.scalars(query))


def department_ids_by_user(session: Session, user_ids: Sequence[int]) -> dict[int, list[int]]:
    """The departments of each of these users, in one query."""
    query = (select(UserDepartment.user_id, UserDepartment.department_id)
             .where(UserDepartment.user_id.in_(user_ids))
             .order_by(UserDepartment.user_id, UserDepartment.department_id))
    found: dict[int, list[int]] = {}
    for user_id, department_id in session.execute(query):
        found.setdefault(user_id, []).append(department_id)
    return found


def list_tokens(session: Session, user_id: int) -> Sequence[ApiToken]:
    """A user's tokens, newest first."""
    query = select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id.desc())
    return session.scalars(query).all()


def get_user_by_email(session: Session, email: str) -> User | None:
    """The user with this (already normalised) email, if any."""
    return session.scalar(select(User).where(User.email == email))


def first_active_admin(session: Session) -> User | None:
    """The EPMO administrator with the lowest id who is active, if any."""
    query = select(User).where(User.role == "epmo_admin", User.is_active.is_(True))
    return session.scalar(query.order_by(User.id).limit(1))


def email_used(session: Session, email: str) -> bool:
    """Whether a user already has this (already normalised) email."""
    return session.scalar(select(User.id).where(User.email == email)) is not None


def get_user_by_sso_subject(session: Session, subject: str) -> User | None:
    """The user linked to this single sign-on subject, if any."""
    return session.scalar(select(User).where(User.sso_subject == subject))


def memberships(session: Session, user_id: int) -> Sequence[UserDepartment]:
    """A user's department membership rows."""
    return session.scalars(select(UserDepartment).where(UserDepartment.user_id == user_id)).all()


def get_token_by_hash(session: Session, token_hash: str) -> ApiToken | None:
    """The API token with this hash, revoked or not."""
    return session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash))


def stamp_token_use(session: Session, token_id: int, now: datetime) -> None:
    """Set a token's last use with a plain UPDATE through ``db.stamp`` (never fails a read)."""
    stamp(session, update(ApiToken).where(ApiToken.id == token_id)
          .values(last_used_at=now).execution_options(synchronize_session=False))


def get_session_by_hash(session: Session, token_hash: str) -> UserSession | None:
    """The web session row with this token hash, if any."""
    return session.scalar(select(UserSession).where(UserSession.token_hash == token_hash))


def stamp_session_seen(session: Session, row_id: int, now: datetime) -> None:
    """Set a web session's last sight with a plain UPDATE through ``db.stamp``."""
    stamp(session, update(UserSession).where(UserSession.id == row_id)
          .values(last_seen_at=now).execution_options(synchronize_session=False))


def revoke_sessions(session: Session, user_id: int, now: datetime, keep: int | None) -> int:
    """Revoke a user's live web sessions (all but ``keep``); return how many were live."""
    query = (update(UserSession)
             .where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
             .values(revoked_at=now).execution_options(synchronize_session=False))
    if keep is not None:
        query = query.where(UserSession.id != keep)
    return int(session.execute(query).rowcount or 0)  # type: ignore[attr-defined]


def get_reset_by_hash(session: Session, token_hash: str) -> PasswordReset | None:
    """The password reset with this token hash, used or not."""
    return session.scalar(select(PasswordReset).where(PasswordReset.token_hash == token_hash))


def use_open_resets(session: Session, user_id: int, now: datetime) -> None:
    """Mark every unused reset link of a user as used at ``now`` (plain UPDATE)."""
    session.execute(update(PasswordReset).where(PasswordReset.user_id == user_id,
                                                PasswordReset.used_at.is_(None))
                    .values(used_at=now).execution_options(synchronize_session=False))


def throttle_rows(session: Session, names: Sequence[str]) -> dict[str, SignInThrottle]:
    """The sign-in throttle rows of these keys, by key."""
    query = select(SignInThrottle).where(SignInThrottle.key.in_(names))
    return {row.key: row for row in session.scalars(query)}


def update_throttle(session: Session, row_id: int, values: dict[str, object]) -> None:
    """Overwrite a throttle row's counts with a plain UPDATE."""
    session.execute(update(SignInThrottle).where(SignInThrottle.id == row_id).values(**values)
                    .execution_options(synchronize_session=False))


def insert_throttle(session: Session, name: str, values: dict[str, object]) -> None:
    """Insert the first failure of a key; if another worker just did, count on its row."""
    try:
        with session.begin_nested():
            session.execute(insert(SignInThrottle).values(key=name, **values))
    except IntegrityError:
        session.execute(update(SignInThrottle).where(SignInThrottle.key == name)
                        .values(failures=SignInThrottle.failures + 1,
                                last_failure_at=values["last_failure_at"])
                        .execution_options(synchronize_session=False))


def delete_throttle(session: Session, name: str) -> None:
    """Forget a throttle key's count (plain DELETE)."""
    session.execute(delete(SignInThrottle).where(SignInThrottle.key == name)
                    .execution_options(synchronize_session=False))
