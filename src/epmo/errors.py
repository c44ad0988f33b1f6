"""Domain errors that carry their HTTP status; services raise these, interfaces render them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem with one input field (or a row/column of an imported file)."""

    field: str
    message: str
    row: int | None = None

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON shape used in problem+json ``errors``."""
        data: dict[str, Any] = {"field": self.field, "message": self.message}
        if self.row is not None:
            data["row"] = self.row
        return data


@dataclass
class EpmoError(Exception):
    """Base class: a message for people plus optional field-level detail."""

    message: str
    errors: list[FieldError] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    status = 400
    title = "Bad request"

    def __str__(self) -> str:
        return self.message


class Invalid(EpmoError):
    """The input breaks a rule: wrong value, wrong order, bad transition."""

    status = 422
    title = "Invalid input"


class NotFound(EpmoError):
    """The thing does not exist or the actor may not see it (indistinguishable by design)."""

    status = 404
    title = "Not found"


class Conflict(EpmoError):
    """The write collides with current state: duplicate code or stale version."""

    status = 409
    title = "Conflict"


class Forbidden(EpmoError):
    """The actor may see the thing but not perform this action on it."""

    status = 403
    title = "Forbidden"


class Unauthorized(EpmoError):
    """No valid credentials were presented."""

    status = 401
    title = "Not signed in"
