"""Reads of the business case domain: cases, their options and lines, owners' names."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from epmo.auth.models import User
from epmo.business_case.models import BusinessCase, BusinessCaseLine, BusinessCaseOption


def get_case(session: Session, case_id: int) -> BusinessCase | None:
    """The case with that id, or None."""
    return session.get(BusinessCase, case_id)


def get_option(session: Session, option_id: int) -> BusinessCaseOption | None:
    """The option with that id, or None."""
    return session.get(BusinessCaseOption, option_id)


def case_query() -> Select[BusinessCase]:
    """Every case, the latest changed first."""
    return select(BusinessCase).order_by(BusinessCase.updated_at.desc(), BusinessCase.id.desc())


def list_cases(session: Session) -> Sequence[BusinessCase]:
    """Every case, the latest changed first (the list page shows them all: a handful)."""
    return session.scalars(case_query()).all()


def options_of(session: Session, case_id: int) -> Sequence[BusinessCaseOption]:
    """A case's options in their order."""
    return session.scalars(select(BusinessCaseOption)
                           .where(BusinessCaseOption.case_id == case_id)
                           .order_by(BusinessCaseOption.position, BusinessCaseOption.id)).all()


def lines_of(session: Session, option_ids: Sequence[int]) -> Sequence[BusinessCaseLine]:
    """The lines of these options (one query), by option, year, kind and category."""
    if not option_ids:
        return []
    return session.scalars(select(BusinessCaseLine)
                           .where(BusinessCaseLine.option_id.in_(option_ids))
                           .order_by(BusinessCaseLine.option_id, BusinessCaseLine.year,
                                     BusinessCaseLine.kind, BusinessCaseLine.category)).all()


def option_counts(session: Session, case_ids: Sequence[int]) -> dict[int, int]:
    """How many options each case has (one GROUP BY)."""
    if not case_ids:
        return {}
    rows = session.execute(select(BusinessCaseOption.case_id, func.count())
                           .where(BusinessCaseOption.case_id.in_(case_ids))
                           .group_by(BusinessCaseOption.case_id)).all()
    return {case_id: count for case_id, count in rows}


def user_names(session: Session, user_ids: Sequence[int | None]) -> dict[int, str]:
    """Names of these users (one query)."""
    wanted = sorted({i for i in user_ids if i is not None})
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.name).where(User.id.in_(wanted))).all()
    return {ident: name for ident, name in rows}


def name_taken(session: Session, case_id: int, name: str, exclude_id: int | None) -> bool:
    """Whether another option of the case already has this name (case-insensitive)."""
    query = select(BusinessCaseOption.id).where(
        BusinessCaseOption.case_id == case_id,
        func.lower(BusinessCaseOption.name) == name.lower())
    if exclude_id is not None:
        query = query.where(BusinessCaseOption.id != exclude_id)
    return session.scalar(query.limit(1)) is not None


def last_year_used(session: Session, case_id: int) -> int | None:
    """The latest year any option of the case has an amount in."""
    return session.scalar(select(func.max(BusinessCaseLine.year))
                          .join(BusinessCaseOption,
                                BusinessCaseOption.id == BusinessCaseLine.option_id)
                          .where(BusinessCaseOption.case_id == case_id))


def next_position(session: Session, case_id: int) -> int:
    """The position after the case's last option."""
    found = session.scalar(select(func.max(BusinessCaseOption.position))
                           .where(BusinessCaseOption.case_id == case_id))
    return 0 if found is None else found + 1


def lock_case(session: Session, case_id: int) -> None:
    """Hold the case row until the transaction ends (PostgreSQL; SQLite writes one at a time)
    so two writers of its options cannot both pass the name and year checks."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(BusinessCase.id).where(BusinessCase.id == case_id)
                        .with_for_update())
