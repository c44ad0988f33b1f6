"""API shapes of the notifications domain."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field

from epmo.schema_kit import Id, Name, ReadModel, StrictModel

EventType = Annotated[str, Field(min_length=1, max_length=60,
                                 pattern=r"^[a-z0-9_\-]+(\.[a-z0-9_\-]+)*(\.\*)?$")]
EventTypes = Annotated[list[EventType], Field(max_length=50, description=(
    "Event kinds wanted, e.g. change.created or change.*; empty means every kind"))]
TargetKind = Literal["project", "programme", "department", "goal"]
EmailMode = Literal["immediate", "digest", "off"]
Url = Annotated[str, Field(min_length=1, max_length=2000)]


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


class UnreadCount(ReadModel):
    """How many of your notifications are unread."""

    unread: int


class SubscriptionCreate(StrictModel):
    """Follow a project, programme, department or goal."""

    target_kind: TargetKind
    target_id: Id
    event_types: EventTypes = []


class SubscriptionRead(ReadModel):
    """One of your subscriptions."""

    id: int
    target_kind: str
    target_id: int
    event_types: list[str]
    created_at: datetime


class PreferenceUpdate(StrictModel):
    """How you want e-mail: each event at once, a daily digest, or none."""

    email_mode: EmailMode


class PreferenceRead(ReadModel):
    """Your e-mail preference."""

    email_mode: str


class WebhookCreate(StrictModel):
    """A URL to post events to (http or https)."""

    name: Name
    url: Url
    event_types: EventTypes = []
    active: bool = True


class WebhookUpdate(StrictModel):
    """Change a webhook; send the version you read."""

    version: int
    name: Name | None = None
    url: Url | None = None
    event_types: EventTypes | None = None
    active: bool | None = None


class WebhookRead(ReadModel):
    """A webhook (its secret is shown only once, when it is created)."""

    id: int
    name: str
    url: str
    event_types: list[str]
    active: bool
    owner_id: int
    version: int
    created_at: datetime
    updated_at: datetime


class WebhookCreated(WebhookRead):
    """A new webhook with its signing secret: store it now, it is not shown again."""

    secret: str


class WebhookDeliveryRead(ReadModel):
    """One delivery in a webhook's log."""

    id: int
    webhook_id: int
    event_id: int
    event_kind: str
    status: str
    attempts: int
    next_attempt_at: datetime | None
    response_code: int | None
    last_error: str
    created_at: datetime
    delivered_at: datetime | None
    payload: dict[str, Any]
