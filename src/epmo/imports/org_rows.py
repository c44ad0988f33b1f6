"""Plan department and people rows."""

from __future__ import annotations

from typing import Any

from epmo.files.problems import Row
from epmo.imports import repository
from epmo.imports.core import Context, Item
from epmo.imports.trees import plan_tree
from epmo.imports.writes import Plan
from epmo.org.models import Department, Person
from epmo.org.policy import can_edit_person

DEPARTMENT_FIELDS = ("code", "name", "description")
PERSON_FIELDS = ("code", "name", "email", "role", "weekly_capacity_hours", "active",
                 "placeholder")
NOT_YOURS = "not one of your departments"


def plan_departments(ctx: Context, rows: list[Row]) -> Plan:
    """Departments: a tree whose parents may come later in the same file."""
    return plan_tree(ctx, rows, Department, DEPARTMENT_FIELDS, "department")


def plan_people(ctx: Context, rows: list[Row]) -> Plan:
    """People of departments the actor leads; emails stay unique."""
    session = ctx.session
    existing = repository.by_codes(session, Person, (row.code for row in rows))
    departments = repository.code_ids(session, Department)
    emails = repository.email_owners(session)
    seen: dict[str, int] = {}
    items = []
    for row in rows:
        obj = existing.get(row.code)
        if not ctx.require_for_create(row, obj):
            continue
        if obj is not None and not can_edit_person(ctx.actor, obj.department_id):
            ctx.error(row, department_field(row), NOT_YOURS)
            continue
        values = ctx.scalars(row, obj, PERSON_FIELDS)
        ctx.reference(row, "department_code", departments, "department", values,
                      "department_id")
        target = values.get("department_id")
        if target is not None and not can_edit_person(ctx.actor, target):
            ctx.error(row, "department_code", NOT_YOURS)
        _check_email(ctx, row, values, emails, seen)
        items.append(Item(row.number, row.code, obj, values))
    return Plan(Person, items)


def department_field(row: Row) -> str:
    """The column to blame for a department the actor may not write: its own, else the code."""
    return "department_code" if row.has("department_code") else "code"


def _check_email(ctx: Context, row: Row, values: dict[str, Any], owners: dict[str, str],
                 seen: dict[str, int]) -> None:
    email = values.get("email")
    if email is None:
        return
    email = values["email"] = str(email).lower()
    owner = owners.get(email)
    if owner is not None and owner != row.code:
        ctx.error(row, "email", f"already used by person {owner}")
    elif email in seen:
        ctx.error(row, "email", f"also on row {seen[email]}")
    seen.setdefault(email, row.number)
