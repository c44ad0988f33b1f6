"""audit entry index by entity and id

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-08 00:57:40

The heatmap keeps the supply per worker, keyed by the newest audit entry of people, capacity
periods, time off, holidays and departments (epmo.audit.caching, heatmap.SUPPLY): with
(entity, id) indexed, each is one index step however long the log grows (PostgreSQL would
otherwise scan the log backwards for a table written rarely).
"""

from __future__ import annotations

from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_audit_entry_entity_newest", "audit_entry", ["entity", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_audit_entry_entity_newest", table_name="audit_entry")
