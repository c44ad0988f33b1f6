"""REST endpoints of the org domain (/api/v1/departments, /api/v1/people)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from epmo.editing import paginate
from epmo.org import policy, repository, service
from epmo.org.schemas import (
    DepartmentCreate,
    DepartmentRead,
    DepartmentUpdate,
    PersonCreate,
    PersonRead,
    PersonUpdate,
)
from epmo.schema_kit import PageOf
from epmo.web.deps import DB, CurrentActor, PageParams, PathId, QueryId

router = APIRouter(tags=["org"])


@router.get("/departments", response_model=PageOf[DepartmentRead])
def list_departments(
    session: DB, actor: CurrentActor, page: PageParams,
    q: Annotated[str | None, Query(description="Text in code or name")] = None,
    parent_id: QueryId = None,
) -> object:
    """List departments, filtered by text or parent."""
    return paginate(session, repository.department_query(q, parent_id), page.limit, page.offset)


@router.post("/departments", response_model=DepartmentRead, status_code=201)
def create_department(session: DB, actor: CurrentActor, body: DepartmentCreate) -> object:
    """Create a department (EPMO administrators)."""
    return service.create_department(session, actor, body)


@router.get("/departments/{department_id}", response_model=DepartmentRead)
def get_department(session: DB, actor: CurrentActor, department_id: PathId) -> object:
    """Read one department."""
    return policy.access_department_or_404(session, actor, department_id)


@router.patch("/departments/{department_id}", response_model=DepartmentRead)
def update_department(
    session: DB, actor: CurrentActor, department_id: PathId, body: DepartmentUpdate
) -> object:
    """Change a department; send the version you read."""
    return service.update_department(session, actor, department_id, body)


@router.delete("/departments/{department_id}", status_code=204)
def delete_department(
    session: DB, actor: CurrentActor, department_id: PathId, version: Annotated[int, Query()]
) -> Response:
    """Delete an empty department; pass ``?version=`` of what you read."""
    service.delete_department(session, actor, department_id, version)
    return Response(status_code=204)


@router.get("/people", response_model=PageOf[PersonRead])
def list_people(
    session: DB, actor: CurrentActor, page: PageParams,
    q: Annotated[str | None, Query(description="Text in name, code or email")] = None,
    department_id: QueryId = None, role: str | None = None,
) -> object:
    """List people, filtered by text, department or role."""
    query = repository.person_query(q, department_id, role)
    return paginate(session, query, page.limit, page.offset)


@router.post("/people", response_model=PersonRead, status_code=201)
def create_person(session: DB, actor: CurrentActor, body: PersonCreate) -> object:
    """Create a person in a department you lead."""
    return service.create_person(session, actor, body)


@router.get("/people/{person_id}", response_model=PersonRead)
def get_person(session: DB, actor: CurrentActor, person_id: PathId) -> object:
    """Read one person."""
    return policy.access_person_or_404(session, actor, person_id)


@router.patch("/people/{person_id}", response_model=PersonRead)
def update_person(
    session: DB, actor: CurrentActor, person_id: PathId, body: PersonUpdate
) -> object:
    """Change a person; send the version you read."""
    return service.update_person(session, actor, person_id, body)
