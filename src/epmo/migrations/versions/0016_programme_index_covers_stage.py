"""the programme covering index holds stage and department

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 18:40:00

The overview's programme GROUP BYs filter active work (stage) and weigh the health that
counts by the department's authority (department_id): with both in the index they read it
alone instead of looking every project up (same large demo, SQLite CPU: 397 -> 261 ms for an
uncached overview; docs/benchmarks.md).
"""

from __future__ import annotations

from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

OLD = ["programme_id", "health", "derived_health", "budget_planned", "budget_actual",
       "budget_forecast"]
NEW = [*OLD, "stage", "department_id"]


def upgrade() -> None:
    op.drop_index("ix_project_programme_health", table_name="project")
    op.create_index("ix_project_programme_health", "project", NEW, unique=False)


def downgrade() -> None:
    op.drop_index("ix_project_programme_health", table_name="project")
    op.create_index("ix_project_programme_health", "project", OLD, unique=False)
