"""Input and read schemas of the comments domain."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field

from epmo.comments.models import MAX_TEXT
from epmo.schema_kit import Id, ReadModel, StrictModel

CommentText = Annotated[str, Field(min_length=1, max_length=MAX_TEXT,
                                   description="Plain text; shown as written, never as HTML")]
MAX_MENTIONS = 10


class CommentCreate(StrictModel):
    """A new comment; ``mentions`` are the ids of the people mentioned (as /api/v1/people
    lists them): each is notified, and must be able to read the subject."""

    text: CommentText
    mentions: list[Id] = Field(default_factory=list, max_length=MAX_MENTIONS)


class CommentUpdate(StrictModel):
    """New text for one's own comment; ``version`` is the version you read."""

    version: int
    text: CommentText


class MentionRead(ReadModel):
    """Someone a comment mentions."""

    user_id: int
    person_id: int | None
    name: str


class CommentRead(ReadModel):
    """A comment, its author, the people it mentions and what the reader may do with it."""

    id: int
    subject_kind: str
    subject_id: int
    subject: str
    link: str
    author_id: int | None
    author_name: str
    text: str
    created_at: datetime
    edited_at: datetime | None
    version: int
    mentions: list[MentionRead]
    can_edit: bool
    can_delete: bool
