"""API shapes of the notifications domain."""

from __future__ import annotations

from datetime import datetime

from epmo.schema_kit import ReadModel


class NotificationRead(ReadModel):
    """A message to the signed-in user."""

    id: int
    kind: str
    key: str
    subject: str
    body: str
    link: str
    created_at: datetime
    read_at: datetime | None


class MarkedRead(ReadModel):
    """How many notifications a read-all marked."""

    marked: int
    unread: int
