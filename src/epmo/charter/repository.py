"""Reads of the charter domain: its versions, and the departments it speaks about."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from epmo.charter.models import CharterVersion
from epmo.org.models import Department


def latest(session: Session) -> CharterVersion | None:
    """Return the current charter: the highest-numbered version."""
    return session.scalar(version_query().limit(1))


def latest_content(session: Session) -> dict[str, Any] | None:
    """The content of the current charter version (None when there is none)."""
    query = select(CharterVersion.content).order_by(CharterVersion.number.desc()).limit(1)
    return session.scalar(query)


def get_by_number(session: Session, number: int) -> CharterVersion | None:
    """Return the version with ``number``."""
    return session.scalar(select(CharterVersion).where(CharterVersion.number == number))


def version_query() -> Select[CharterVersion]:
    """Build the history query, newest version first."""
    return select(CharterVersion).order_by(CharterVersion.number.desc())


def next_number(session: Session) -> int:
    """Return the number the next version gets."""
    return (session.scalar(select(func.max(CharterVersion.number))) or 0) + 1


def departments(session: Session) -> Sequence[Department]:
    """Return every department, ordered by code (the charter covers them all)."""
    return session.scalars(select(Department).order_by(Department.code)).all()
