"""Tables of the connectors domain: Jira connections, the issue links, the sync runs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from epmo.db import Base, Versioned, utcnow

TARGETS = ("projects", "milestones")
OK, FAILED = "ok", "failed"


class JiraConnection(Versioned, Base):
    """A Jira Cloud site read as one user, and how its issues map onto the register."""

    __tablename__ = "jira_connection"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # The department whose lead may manage it; None: EPMO-level (administrators only). Never
    # set to NULL by a deletion (that would widen the sync's rights): org refuses to delete a
    # department that owns a connection.
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("department.id", ondelete="RESTRICT"), index=True)
    site_url: Mapped[str] = mapped_column(String(500))
    email: Mapped[str] = mapped_column(String(320))
    # The API token, Fernet-encrypted (connectors.crypto); "secret": the audit log redacts it.
    secret: Mapped[str] = mapped_column(Text)
    token_last4: Mapped[str] = mapped_column(String(4), default="")
    project_keys: Mapped[list[str]] = mapped_column(JSON, default=list)
    jql: Mapped[str] = mapped_column(Text, default="")
    target: Mapped[str] = mapped_column(String(20), default="projects")
    target_department_id: Mapped[int | None] = mapped_column(
        ForeignKey("department.id", ondelete="SET NULL"), index=True)
    target_project_id: Mapped[int | None] = mapped_column(
        ForeignKey("project.id", ondelete="SET NULL"), index=True)
    # statusCategory.key (new, indeterminate, done) -> a stage or a milestone status
    status_map: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    interval_minutes: Mapped[int] = mapped_column(default=60)
    active: Mapped[bool] = mapped_column(default=True)


class JiraLink(Base):
    """Which project or milestone a connection's issue became."""

    __tablename__ = "jira_link"
    __table_args__ = (UniqueConstraint("connection_id", "issue_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    connection_id: Mapped[int] = mapped_column(
        ForeignKey("jira_connection.id", ondelete="CASCADE"))
    issue_key: Mapped[str] = mapped_column(String(100))
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True)
    milestone_id: Mapped[int | None] = mapped_column(
        ForeignKey("milestone.id", ondelete="CASCADE"), index=True)


class JiraSyncRun(Base):
    """One sync of a connection: when, how it ended, what it did, the error if any."""

    __tablename__ = "jira_sync_run"
    __table_args__ = (Index("ix_jira_sync_run_connection_started", "connection_id",
                            "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    connection_id: Mapped[int] = mapped_column(
        ForeignKey("jira_connection.id", ondelete="CASCADE"))
    trigger: Mapped[str] = mapped_column(String(20), default="schedule")
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[str] = mapped_column(String(10), default=OK)
    issues: Mapped[int] = mapped_column(default=0)
    created: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    refused: Mapped[int] = mapped_column(default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[list[Any]] = mapped_column(JSON, default=list)  # refused issues and why
