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
