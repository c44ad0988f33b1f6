"""Reads of the org domain."""

from __future__ import annotations

from sqlalchemy import Select, column, or_, select, table
from sqlalchemy.orm import Session

from epmo.org.models import Department, Person
from epmo.sql import holds


def get_department(session: Session, department_id: int) -> Department | None:
    """Return a department by id."""
    return session.get(Department, department_id)


def get_department_by_code(session: Session, code: str) -> Department | None:
    """Return a department by its code."""
    return session.scalar(select(Department).where(Department.code == code))


def department_parents(session: Session) -> dict[int, int | None]:
    """Return the whole hierarchy as child id -> parent id."""
    rows = session.execute(select(Department.id, Department.parent_id)).all()
    return {row[0]: row[1] for row in rows}


def has_sub_departments(session: Session, department_id: int) -> bool:
    """Whether any department sits under this one."""
    query = select(Department.id).where(Department.parent_id == department_id).limit(1)
    return session.scalar(query) is not None


def has_people(session: Session, department_id: int) -> bool:
    """Whether anybody belongs to the department."""
    query = select(Person.id).where(Person.department_id == department_id).limit(1)
    return session.scalar(query) is not None


# Tables of the layers above whose rows keep a department (foreign key ON DELETE RESTRICT),
# with the word a refusal uses. Named, not imported: org is the foundation and imports no
# domain; the database's foreign keys stay the final word.
OWNING_TABLES = (("project", "projects"), ("programme", "programmes"),
                 ("portfolio", "portfolios"), ("jira_connection", "Jira connections"))


def owned_kind(session: Session, department_id: int) -> str | None:
    """What the department still owns ("projects", ...), the first kind found; None if none."""
    for name, what in OWNING_TABLES:
        owner = table(name, column("id"), column("department_id"))
        query = select(owner.c.id).where(owner.c.department_id == department_id).limit(1)
        if session.scalar(query) is not None:
            return what
    return None


def department_query(
    text: str | None = None, parent_id: int | None = None
) -> Select[Department]:
    """Build the filtered, ordered department list query."""
    query = select(Department).order_by(Department.code)
    if text:
        like = f"%{text.lower()}%"
        query = query.where(or_(Department.code.ilike(like), Department.name.ilike(like)))
    if parent_id is not None:
        query = query.where(Department.parent_id == parent_id)
    return query


def get_person(session: Session, person_id: int) -> Person | None:
    """Return a person by id."""
    return session.get(Person, person_id)


def get_person_by_code(session: Session, code: str) -> Person | None:
    """Return a person by code."""
    return session.scalar(select(Person).where(Person.code == code))


def person_query(
    text: str | None = None, department_id: int | None = None, role: str | None = None,
) -> Select[Person]:
    """Build the filtered, ordered people list query."""
    query = select(Person).order_by(Person.name, Person.id)
    if text:
        like = f"%{text.lower()}%"
        query = query.where(or_(Person.name.ilike(like), Person.code.ilike(like),
                                Person.email.ilike(like)))
    if department_id is not None:
        query = query.where(Person.department_id == department_id)
    if role:
        query = query.where(Person.role == role)
    return query


def people_holding(session: Session, typed: str, limit: int) -> list[tuple[int, str, str, str]]:
    """(id, name, department code, role) of active people whose name or code holds ``typed``."""
    rows = session.execute(
        select(Person.id, Person.name, Department.code, Person.role)
        .join(Department, Department.id == Person.department_id)
        .where(Person.active.is_(True), or_(holds(Person.name, typed), holds(Person.code, typed)))
        .order_by(Person.name, Person.id).limit(limit))
    return [(i, name, code, role) for i, name, code, role in rows]
