"""Departments a project file names that do not exist yet, created when the user asks.

Planning sees each as a placeholder (negative) id, so a dry run shows the whole import
without writing; the real run creates them through the org domain's service, then puts
their ids where the placeholders were, before any project is written.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.files.problems import Row
from epmo.imports import repository
from epmo.imports.core import Context
from epmo.imports.writes import Plan
from epmo.org import service as org
from epmo.org.models import Department
from epmo.org.policy import can_edit_departments
from epmo.org.schemas import DepartmentCreate

FIELDS = ("department_code", "participating_department_codes")


def named(rows: Iterable[Row]) -> set[str]:
    """Every department code the rows name."""
    codes: set[str] = set()
    for row in rows:
        if row.values.get("department_code"):
            codes.add(row.values["department_code"])
        codes.update(row.values.get("participating_department_codes") or ())
    return codes


def plan_new_departments(ctx: Context, rows: list[Row]) -> None:
    """Note the departments to create (admins only; anyone else gets "no department X")."""
    if not can_edit_departments(ctx.actor):
        return
    missing = sorted(named(rows) - set(repository.code_ids(ctx.session, Department)))
    ctx.new_departments = {code: -(index + 1) for index, code in enumerate(missing)}


def create_departments(session: Session, actor: Actor, new: dict[str, int], plan: Plan) -> None:
    """Create the planned departments and put their ids in place of the placeholders."""
    ids = {}
    for code, placeholder in new.items():
        department = org.create_department(session, actor, DepartmentCreate(code=code, name=code))
        ids[placeholder] = department.id
    for item in plan.items:
        if item.values.get("department_id") in ids:
            item.values["department_id"] = ids[item.values["department_id"]]
        for name, wanted in item.links.items():
            if name == "participating_department_codes":
                item.links[name] = {ids.get(key, key): extra for key, extra in wanted.items()}
