"""Tables of the audit domain."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from epmo.db import Base, utcnow


class AuditEntry(Base):
    """One recorded write; ``hash`` chains it to the entry before it."""

    __tablename__ = "audit_entry"
    # the newest entry of a table in one index step (epmo.audit.caching, keyed per table)
    __table_args__ = (Index("ix_audit_entry_entity_newest", "entity", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(254), default="system")
    entity: Mapped[str] = mapped_column(String(60), index=True)
    entity_id: Mapped[str] = mapped_column(String(60), index=True)
    action: Mapped[str] = mapped_column(String(20))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHead(Base):
    """A single row locked while appending, so concurrent workers chain in order."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_hash: Mapped[str] = mapped_column(String(64))
    count: Mapped[int] = mapped_column(default=0)
