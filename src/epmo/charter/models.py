"""Tables of the charter domain: the EPMO charter's numbered versions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from epmo.db import Base, utcnow

PRACTICES = ("portfolio_governance", "project_leadership", "ppm_administration")
# Ordered from least to most authority; the index is the strength.
AUTHORITY_LEVELS = ("none", "supportive", "controlling", "directive")
# Which health counts in the overview, roll-ups and packs (see reporting.health).
HEALTH_BASES = ("auto", "reported", "derived", "worse")


class CharterVersion(Base):
    """One immutable version of the EPMO charter; the current charter is the highest number.

    ``content`` holds ``{"defaults": {practice: level}, "departments": {dept_id: {practice:
    level}}, "services": [{code, name, practice, description, department_ids}]}`` (see
    ``schemas.CharterContent``). A department without an entry inherits its nearest
    ancestor's, then the defaults.
    """

    __tablename__ = "charter_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    statement: Mapped[str] = mapped_column(Text, default="")
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    author_name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
