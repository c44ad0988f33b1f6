"""Pages of the org domain: the department tree, a department, people, and their forms."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.editing import depth_first, paginate
from epmo.errors import EpmoError, FieldError, Forbidden, Invalid
from epmo.org import policy, repository, service
from epmo.org.models import Department, Person
from epmo.org.schemas import DepartmentCreate, DepartmentUpdate, PersonCreate, PersonUpdate
from epmo.web.deps import DB, CurrentActor, PageParams, SubmittedForm, check_csrf_form
from epmo.web.pages import (
    PICK_LIMIT,
    flash_redirect,
    form_action,
    form_values,
    parse_form,
    pick_label,
    pick_options,
    pick_query,
    query_string,
    render,
    with_ints,
)

router = APIRouter(include_in_schema=False)
CSRF = Depends(check_csrf_form)
ALL = 10_000  # the department tree is shown whole
DEPT_FORM = "org/department_form.html"
PERSON_FORM = "org/person_form.html"


def _version(values: dict[str, Any]) -> int:
    version = with_ints(values, "version").get("version")
    if not isinstance(version, int):
        raise Invalid("The form lost its version; reload it", [FieldError("version", "required")])
    return version


def _departments(session: Session) -> Sequence[Department]:
    return paginate(session, repository.department_query(), ALL, 0).items


def _tree(departments: Sequence[Department]) -> list[tuple[Department, int]]:
    """Departments depth-first (siblings by code) with their depth."""
    return depth_first(departments, lambda d: d.id, lambda d: d.parent_id)


def _choices(departments: Sequence[Department],
             allowed: set[int] | None = None) -> list[tuple[int, str]]:
    """Indented department options, limited to ``allowed`` when given."""
    return [(d.id, "\u00a0" * 3 * depth + f"{d.code} {d.name}")
            for d, depth in _tree(departments) if allowed is None or d.id in allowed]


def _people_count(session: Session, department_id: int) -> int:
    # One count per department; a grouped count in org.repository would make this one query.
    return paginate(session, repository.person_query(None, department_id), 1, 0).total


def _status(error: EpmoError | None) -> int:
    return error.status if error else 200


@router.get("/departments")
def departments_page(request: Request, session: DB, actor: CurrentActor) -> Response:
    """The department tree with each department's parent and number of people."""
    departments = _departments(session)
    codes = {d.id: d.code for d in departments}
    rows = [(d, depth, codes.get(d.parent_id or 0), _people_count(session, d.id))
            for d, depth in _tree(departments)]
    return render(request, "org/departments.html", actor, rows=rows,
                  can_edit=policy.can_edit_departments(actor))


def _dept_form_of(department: Department) -> dict[str, Any]:
    return {"code": department.code, "name": department.name, "version": department.version,
            "description": department.description, "parent_id": department.parent_id}


def _dept_values(values: dict[str, Any]) -> dict[str, Any]:
    values = with_ints(values, "parent_id", "version")
    values["description"] = values.get("description") or ""
    return values


def _show_dept_form(request: Request, session: Session, actor: Actor,
                    department: Department | None, form: dict[str, Any],
                    error: EpmoError | None = None) -> Response:
    parents = [c for c in _choices(_departments(session))
               if department is None or c[0] != department.id]
    return render(request, DEPT_FORM, actor, status=_status(error), department=department,
                  form=form, parents=parents, error=error)


@router.get("/departments/new")
def new_department_page(request: Request, session: DB, actor: CurrentActor,
                        parent_id: int | None = None) -> Response:
    """The form for a new department."""
    policy.require_edit_departments(actor)
    return _show_dept_form(request, session, actor, None, {"parent_id": parent_id})


@router.post("/departments/new", dependencies=[CSRF])
def create_department(request: Request, submitted: SubmittedForm,
                      session: DB, actor: CurrentActor) -> Response:
    """Create the department, or show the form again with what is wrong."""
    form = form_values(submitted)
    return form_action(
        session, lambda: service.create_department(
            session, actor, parse_form(DepartmentCreate, _dept_values(dict(form)))),
        lambda exc: _show_dept_form(request, session, actor, None, form, exc),
        lambda made: flash_redirect(request, f"Department {made.code} created",
                                    f"/departments/{made.id}"))


def _show_department(request: Request, session: Session, actor: Actor, department: Department,
                     page: PageParams, error: EpmoError | None = None) -> Response:
    people = paginate(session, repository.person_query(None, department.id),
                      page.limit, page.offset)
    parent_id = department.parent_id
    parent = repository.get_department(session, parent_id) if parent_id else None
    subs = paginate(session, repository.department_query(parent_id=department.id), ALL, 0)
    return render(
        request, "org/department.html", actor, status=_status(error), department=department,
        parent=parent, subs=subs.items, people=people, base_query="", error=error,
        can_edit=policy.can_edit_departments(actor),
        can_add_person=policy.can_edit_person(actor, department.id),
    )


@router.get("/departments/{department_id}")
def department_page(request: Request, session: DB, actor: CurrentActor, page: PageParams,
                    department_id: int) -> Response:
    """One department: its parent, its sub-departments and its people."""
    department = policy.access_department_or_404(session, actor, department_id)
    return _show_department(request, session, actor, department, page)


@router.get("/departments/{department_id}/edit")
def edit_department_page(request: Request, session: DB, actor: CurrentActor,
                         department_id: int) -> Response:
    """The form to change a department."""
    department = policy.access_department_or_404(session, actor, department_id)
    policy.require_edit_departments(actor)
    return _show_dept_form(request, session, actor, department, _dept_form_of(department))


@router.post("/departments/{department_id}/edit", dependencies=[CSRF])
def update_department(request: Request, submitted: SubmittedForm, session: DB, actor: CurrentActor,
                            department_id: int) -> Response:
    """Save the department, or show the form again (a stale version answers 409)."""
    department = policy.access_department_or_404(session, actor, department_id)
    form = form_values(submitted)
    return form_action(
        session, lambda: service.update_department(
            session, actor, department_id, parse_form(DepartmentUpdate, _dept_values(dict(form)))),
        lambda exc: _show_dept_form(request, session, actor, department, form, exc),
        lambda saved: flash_redirect(request, f"Department {saved.code} saved",
                                     f"/departments/{saved.id}"))


@router.post("/departments/{department_id}/delete", dependencies=[CSRF])
def delete_department(request: Request, submitted: SubmittedForm, session: DB, actor: CurrentActor,
                            page: PageParams, department_id: int) -> Response:
    """Delete an empty department, or show it again saying why not."""
    department = policy.access_department_or_404(session, actor, department_id)
    code = department.code
    return form_action(
        session, lambda: service.delete_department(
            session, actor, department_id, _version(form_values(submitted))),
        lambda exc: _show_department(request, session, actor, department, page, exc),
        lambda _: flash_redirect(request, f"Department {code} deleted", "/departments"))


@router.get("/people")
def people_page(
    request: Request, session: DB, actor: CurrentActor, page: PageParams,
    q: str | None = None, department_id: int | None = None, role: str | None = None,
) -> Response:
    """The people directory, filtered by text, department or role, a page at a time."""
    found = paginate(session, repository.person_query(q, department_id, role or None),
                     page.limit, page.offset)
    departments = _departments(session)
    editable = {p.id for p in found.items if policy.can_edit_person(actor, p.department_id)}
    return render(
        request, "org/people.html", actor, page=found, q=q or "", role=role or "",
        department_id=department_id, departments=_choices(departments),
        codes={d.id: d.code for d in departments}, editable=editable,
        can_add=any(policy.can_edit_person(actor, d.id) for d in departments),
        base_query=query_string(q=q, department_id=department_id, role=role),
    )


def _person_departments(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """The departments the actor may put people in, as form options."""
    departments = _departments(session)
    allowed = {d.id for d in departments if policy.can_edit_person(actor, d.id)}
    if not allowed:
        raise Forbidden("You may only maintain people of departments you lead")
    return _choices(departments, allowed)


def _person_values(values: dict[str, Any]) -> dict[str, Any]:
    values = with_ints(values, "department_id", "version")
    values["role"] = values.get("role") or ""
    values["weekly_capacity_hours"] = values.get("weekly_capacity_hours") or "40"
    values["active"] = values.get("active") is not None
    values["placeholder"] = values.get("placeholder") is not None
    return values


def _person_form_of(person: Person) -> dict[str, Any]:
    return {"code": person.code, "name": person.name, "email": person.email or "",
            "department_id": person.department_id, "role": person.role,
            "weekly_capacity_hours": person.weekly_capacity_hours, "active": person.active,
            "placeholder": person.placeholder, "version": person.version}


def _show_person_form(request: Request, session: Session, actor: Actor, person: Person | None,
                      form: dict[str, Any], error: EpmoError | None = None) -> Response:
    return render(request, PERSON_FORM, actor, status=_status(error), person=person, form=form,
                  departments=_person_departments(session, actor), error=error)


@router.get("/people/new")
def new_person_page(request: Request, session: DB, actor: CurrentActor,
                    department_id: int | None = None) -> Response:
    """The form for a new person (in a department you lead)."""
    form = {"department_id": department_id, "weekly_capacity_hours": 40, "active": True}
    return _show_person_form(request, session, actor, None, form)


@router.post("/people/new", dependencies=[CSRF])
def create_person(request: Request, submitted: SubmittedForm,
                  session: DB, actor: CurrentActor) -> Response:
    """Create the person, or show the form again with what is wrong."""
    form = form_values(submitted)
    return form_action(
        session, lambda: service.create_person(
            session, actor, parse_form(PersonCreate, _person_values(dict(form)))),
        lambda exc: _show_person_form(request, session, actor, None, form, exc),
        lambda person: flash_redirect(request, f"{person.name} added",
                                      f"/departments/{person.department_id}"))


@router.get("/people/{person_id}/edit")
def edit_person_page(request: Request, session: DB, actor: CurrentActor,
                     person_id: int) -> Response:
    """The form to change a person."""
    person = policy.access_person_or_404(session, actor, person_id)
    policy.require_edit_person(actor, person.department_id)
    return _show_person_form(request, session, actor, person, _person_form_of(person))


@router.post("/people/{person_id}/edit", dependencies=[CSRF])
def update_person(request: Request, submitted: SubmittedForm, session: DB, actor: CurrentActor,
                        person_id: int) -> Response:
    """Save the person, or show the form again (a stale version answers 409)."""
    person = policy.access_person_or_404(session, actor, person_id)
    form = form_values(submitted)
    return form_action(
        session, lambda: service.update_person(
            session, actor, person_id, parse_form(PersonUpdate, _person_values(dict(form)))),
        lambda exc: _show_person_form(request, session, actor, person, form, exc),
        lambda saved: flash_redirect(request, f"{saved.name} saved",
                                     f"/people?department_id={saved.department_id}"))


@router.get("/pick/people")
def pick_people(request: Request, session: DB, actor: CurrentActor) -> Response:
    """People (the directory is readable by everyone) whose code or name holds what was
    typed, each with their department and role."""
    rows = repository.people_holding(session, pick_query(request), PICK_LIMIT)
    return pick_options(request, [pick_label(name, code, role, ident=i)
                                  for i, name, code, role in rows])
