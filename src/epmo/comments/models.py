"""Tables of the comments domain: comments on a subject and the people they mention."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from epmo.db import Base, Versioned

#: What a comment may be about: a status report, a gate review or a change event.
SUBJECT_KINDS = ("status_report", "gate_review", "change_event")
MAX_TEXT = 4000


class Comment(Versioned, Base):
    """Plain text one user wrote about one subject; ``edited_at`` is set by an edit."""

    __tablename__ = "comment"
    __table_args__ = (Index("ix_comment_subject", "subject_kind", "subject_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_kind: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int] = mapped_column()
    # the same subject as a foreign key of its kind (the others stay empty): deleting a report,
    # a review or an event (or their project) deletes its comments with it
    status_report_id: Mapped[int | None] = mapped_column(
        ForeignKey("status_report.id", ondelete="CASCADE"), index=True)
    gate_review_id: Mapped[int | None] = mapped_column(
        ForeignKey("gate_review.id", ondelete="CASCADE"), index=True)
    change_event_id: Mapped[int | None] = mapped_column(
        ForeignKey("change_event.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    text: Mapped[str] = mapped_column(Text)
    edited_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CommentMention(Base):
    """A user a comment mentions (picked by name, stored by id; notified once)."""

    __tablename__ = "comment_mention"

    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comment.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True, index=True)
