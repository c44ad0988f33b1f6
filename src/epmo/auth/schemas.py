"""API shapes of the auth domain."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from epmo.schema_kit import Email, Id, Name, ReadModel, StrictModel


class UserCreate(StrictModel):
    """A new user (EPMO administrators only)."""

    email: Email
    name: Name
    role: str
    password: str | None = Field(default=None, min_length=12, max_length=200)
    department_codes: list[str] = []
    person_id: Id | None = None


class UserUpdate(StrictModel):
    """A user's name, role, departments and linked person (EPMO administrators only); what
    is left out stays as it is."""

    version: Id
    name: Name | None = None
    role: str | None = None
    department_codes: list[str] | None = None
    person_id: Id | None = None


class UserRead(ReadModel):
    """A user as the API returns them."""

    id: int
    email: str
    name: str
    role: str
    person_id: int | None
    is_active: bool
    department_ids: list[int] = []


class TokenCreate(StrictModel):
    """A new API token for yourself."""

    name: str = Field(default="", max_length=100)


class TokenRead(ReadModel):
    """A token's metadata (never its secret)."""

    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreated(TokenRead):
    """A freshly created token: ``token`` is shown this once."""

    token: str


class PasswordChange(StrictModel):
    """Your current password and the new one."""

    current_password: str = Field(max_length=200)
    new_password: str = Field(max_length=200)
