"""Field types and model config shared by every domain's ``schemas.py``."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

T = TypeVar("T")

MAX_ID = 2_147_483_647  # ids are 32-bit on every database; larger ones answer 422, not 500
Id = Annotated[int, Field(ge=1, le=MAX_ID)]

# Strict input: no unknown fields, no "5" for 5; dates and money are parsed from JSON strings.
STRICT = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=True)
READ = ConfigDict(from_attributes=True)

Code = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.\-]+$")]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Text = Annotated[str, Field(max_length=20_000)]
Day = Annotated[date, Field(strict=False)]
Money = Annotated[Decimal, Field(strict=False, ge=0, max_digits=18, decimal_places=2)]
Weight = Annotated[Decimal, Field(strict=False, ge=0, le=100, max_digits=6, decimal_places=2)]
Hours = Annotated[Decimal, Field(strict=False, ge=0, le=168, max_digits=6, decimal_places=2)]
Email = Annotated[EmailStr, Field(strict=False)]


class StrictModel(BaseModel):
    """Base of every input schema."""

    model_config = STRICT

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        """PostgreSQL cannot store a NUL character in text: refuse it here, naming the field."""
        if _has_nul(value):
            raise ValueError("must not contain the NUL character (\\x00)")
        return value


def _has_nul(value: Any) -> bool:
    """Whether a string, or a string inside a list, set or mapping, holds a NUL character."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return any(_has_nul(item) for item in value)
    return False


class ReadModel(BaseModel):
    """Base of every output schema."""

    model_config = READ

    @field_validator("*", mode="after")
    @classmethod
    def _in_utc(cls, value: Any) -> Any:
        """Times are stored in UTC; SQLite hands them back naive, so mark them as UTC."""
        if isinstance(value, datetime) and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class PageOf(BaseModel, Generic[T]):
    """One page of a list: the items, the total number of matches, and the window."""

    items: list[T]
    total: int
    limit: int
    offset: int


class Deleted(StrictModel):
    """Body of a delete: the version you read."""

    version: int
