"""Reads an import needs, each a fixed number of queries however long the file is."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from epmo.imports.models import ImportProfile
from epmo.org.models import Person
from epmo.reporting.models import StatusReport
from epmo.sql import chunks

T = TypeVar("T")


def code_ids(session: Session, model: type[Any]) -> dict[str, int]:
    """Every row of ``model`` as code -> id."""
    return {code: ident for code, ident in session.execute(select(model.code, model.id))}


def code_parents(session: Session, model: type[Any]) -> dict[str, str | None]:
    """A self-referencing hierarchy (departments, goals) as code -> parent code."""
    parent = aliased(model)
    query = select(model.code, parent.code).outerjoin(parent, model.parent_id == parent.id)
    return {code: parent_code for code, parent_code in session.execute(query)}


def by_codes(session: Session, model: type[T], codes: Iterable[str]) -> dict[str, T]:
    """The rows of ``model`` whose code is one of ``codes``, by code."""
    found: dict[str, T] = {}
    column = model.code  # type: ignore[attr-defined]
    for chunk in chunks(sorted(set(codes))):
        for row in session.scalars(select(model).where(column.in_(chunk))):
            found[row.code] = row  # type: ignore[attr-defined]
    return found


def all_by_code(session: Session, model: type[T]) -> dict[str, T]:
    """Every row of a small table (portfolios, programmes), by code."""
    return {row.code: row for row in session.scalars(select(model))}  # type: ignore[attr-defined]


def links_by_owner(session: Session, model: type[Any], owner: str, target: str,
                   owner_ids: Iterable[int]) -> dict[int, dict[int, Any]]:
    """Association rows (e.g. ProjectGoal) of the given owners: owner id -> target id -> row."""
    found: dict[int, dict[int, Any]] = defaultdict(dict)
    column = getattr(model, owner)
    for chunk in chunks(sorted(set(owner_ids))):
        for row in session.scalars(select(model).where(column.in_(chunk))):
            found[getattr(row, owner)][getattr(row, target)] = row
    return dict(found)


def email_owners(session: Session) -> dict[str, str]:
    """Every stored person email (lower case) -> the code of the person holding it."""
    query = select(Person.email, Person.code).where(Person.email.is_not(None))
    return {str(email).lower(): code for email, code in session.execute(query)}


def reports_by_period(session: Session,
                      project_ids: Iterable[int]) -> dict[tuple[int, date], StatusReport]:
    """The stored status reports of these projects, by (project id, period start)."""
    found: dict[tuple[int, date], StatusReport] = {}
    for chunk in chunks(sorted(set(project_ids))):
        query = select(StatusReport).where(StatusReport.project_id.in_(chunk))
        for report in session.scalars(query):
            found[report.project_id, report.period_start] = report
    return found


def list_profiles(session: Session, entities: Iterable[str]) -> list[ImportProfile]:
    """The saved profiles of these entities, by name."""
    query = select(ImportProfile).where(ImportProfile.entity.in_(sorted(set(entities))))
    return list(session.scalars(query.order_by(ImportProfile.name)))


def profile_by_name(session: Session, name: str) -> ImportProfile | None:
    """The profile called ``name``, if any."""
    return session.scalar(select(ImportProfile).where(ImportProfile.name == name))
