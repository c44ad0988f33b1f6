"""API shapes of the org domain."""

from __future__ import annotations

from decimal import Decimal

from epmo.schema_kit import Code, Email, Hours, Id, Name, ReadModel, StrictModel, Text


class DepartmentCreate(StrictModel):
    """A new department."""

    code: Code
    name: Name
    description: Text = ""
    parent_id: Id | None = None


class DepartmentUpdate(StrictModel):
    """Changes to a department; ``version`` is the one you read."""

    version: int
    code: Code | None = None
    name: Name | None = None
    description: Text | None = None
    parent_id: Id | None = None


class DepartmentRead(ReadModel):
    """A department as the API returns it."""

    id: int
    code: str
    name: str
    description: str
    parent_id: int | None
    version: int


class PersonCreate(StrictModel):
    """A new person."""

    code: Code
    name: Name
    email: Email | None = None
    department_id: Id
    role: str = ""
    weekly_capacity_hours: Hours = Decimal(40)
    active: bool = True
    placeholder: bool = False


class PersonUpdate(StrictModel):
    """Changes to a person; ``version`` is the one you read."""

    version: int
    code: Code | None = None
    name: Name | None = None
    email: Email | None = None
    department_id: Id | None = None
    role: str | None = None
    weekly_capacity_hours: Hours | None = None
    active: bool | None = None
    placeholder: bool | None = None


class PersonRead(ReadModel):
    """A person as the API returns them."""

    id: int
    code: str
    name: str
    email: str | None
    department_id: int
    role: str
    weekly_capacity_hours: Decimal
    active: bool
    placeholder: bool
    version: int
