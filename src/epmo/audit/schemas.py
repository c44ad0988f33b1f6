"""API shapes of the audit domain."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from epmo.schema_kit import ReadModel


class AuditEntryRead(ReadModel):
    """One recorded write."""

    id: int
    at: datetime
    actor_id: int | None
    actor: str
    entity: str
    entity_id: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    hash: str


class VerdictRead(ReadModel):
    """Result of checking the hash chain."""

    checked: int
    intact: bool
    broken_id: int | None
    reason: str
