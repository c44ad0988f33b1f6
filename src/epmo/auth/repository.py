"""Reads of the auth domain."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from epmo.auth.models import ApiToken, User, UserDepartment


def user_query() -> Select[User]:
    """All users, by email."""
    return select(User).order_by(User.email)


def department_ids(session: Session, user_id: int) -> list[int]:
    """The departments a user belongs to."""
    query = select(UserDepartment.department_id).where(UserDepartment.user_id == user_id)
    return sorted(session.scalars(query))


def list_tokens(session: Session, user_id: int) -> Sequence[ApiToken]:
    """A user's tokens, newest first."""
    query = select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id.desc())
    return session.scalars(query).all()
