"""the project's goal set kept by the database

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-08 04:02:04

Each project stores the comma-joined ids of the goals it serves (``goal_set``), kept by a
trigger on ``project_goal`` (``epmo.portfolio.goal_sets``), so the overview and the goal
roll-up group projects by an indexed column instead of aggregating every project's links.
The upgrade fills the key of every project from its links before it adds the index and the
upkeep.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from epmo.portfolio import goal_sets

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

INDEX = ["goal_set", "health", "derived_health", "department_id", "stage", "budget_planned",
         "budget_actual", "budget_forecast"]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.add_column(sa.Column("goal_set", sa.Text(), nullable=True))
    op.execute(goal_sets.FILL[dialect])
    op.create_index("ix_project_goal_set_health", "project", INDEX, unique=False)
    for statement in goal_sets.statements(dialect):
        op.execute(statement)


def downgrade() -> None:
    for statement in goal_sets.statements(op.get_bind().dialect.name, drop=True):
        op.execute(statement)
    op.drop_index("ix_project_goal_set_health", table_name="project")
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_column("goal_set")
