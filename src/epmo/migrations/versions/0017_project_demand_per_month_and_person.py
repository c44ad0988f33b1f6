"""project demand per month and per named person

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 21:00:00

A project's role demand moves from quarters ("2027-Q1") to months ("2027-03"), and a line may
name a person (``person_id``; none: the role's unnamed demand). The table gets a surrogate key
(a line is one per project, role, month and person, and a person may be absent) and is built
anew: its rows are read, the table dropped and created in its new shape, and each quarter's
FTE-months written spread evenly over its three months in hundredths, the line's total kept
exactly (the odd hundredths to the first months). The kept committed-demand totals
(``resource_demand_total``) keep their lines' grain, so they are summed again: projects' per
month, approved requests' (still per quarter) per quarter. The downgrade sums each project's
months (named lines into their role) back into quarters.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

CENT = Decimal("0.01")
CHUNK = 5000
TOTAL = sa.table("resource_demand_total", sa.column("department_id", sa.Integer()),
                 sa.column("role", sa.String()), sa.column("period", sa.String()),
                 sa.column("fte_months", sa.Numeric(14, 2)))
# The rule of resources.repository_totals.line_totals as it is at this revision (as in 0015).
SUMS = (
    "SELECT p.department_id, d.role, d.period, SUM(d.fte_months) FROM project_demand d "
    "JOIN project p ON p.id = d.project_id "
    "WHERE p.stage NOT IN ('proposed', 'closed', 'cancelled') "
    "GROUP BY p.department_id, d.role, d.period",
    "SELECT r.department_id, d.role, d.period, SUM(d.fte_months) FROM intake_demand d "
    "JOIN intake_request r ON r.id = d.request_id "
    "WHERE r.stage = 'approved' AND r.project_id IS NULL "
    "GROUP BY r.department_id, d.role, d.period",
)
Found = dict[tuple[int, str, str, int | None], int]  # project, role, period, person -> cents


def _cents(value: object) -> int:
    return int(Decimal(str(value)).quantize(CENT).scaleb(2))


def _months(quarter: str) -> list[str]:
    first = (int(quarter[-1]) - 1) * 3 + 1
    return [f"{quarter[:4]}-{first + k:02d}" for k in range(3)]


def _quarter(month: str) -> str:
    return f"{month[:4]}-Q{(int(month[5:7]) - 1) // 3 + 1}"


def _sum_totals() -> None:
    """The kept totals summed again from the lines (self-contained: no application code)."""
    bind = op.get_bind()
    totals: dict[tuple[int, str, str], Decimal] = defaultdict(Decimal)
    for sql in SUMS:
        for department_id, role, period, fte in bind.execute(sa.text(sql)):
            key = (department_id, " ".join(role.split()).lower(), period)
            totals[key] += Decimal(str(fte)).quantize(CENT)  # SQLite sums floats
    op.execute(TOTAL.delete())
    rows = [{"department_id": d, "role": role, "period": period, "fte_months": fte}
            for (d, role, period), fte in sorted(totals.items())]
    for start in range(0, len(rows), CHUNK):
        op.bulk_insert(TOTAL, rows[start:start + CHUNK])


def _insert(table: sa.Table, found: Found, named: bool) -> None:
    rows = [{"project_id": p, "role": role, "period": period, "fte_months":
             Decimal(cents).scaleb(-2), **({"person_id": person} if named else {})}
            for (p, role, period, person), cents in sorted(
                found.items(), key=lambda item: (item[0][:3], item[0][3] or 0)) if cents]
    for start in range(0, len(rows), CHUNK):
        op.bulk_insert(table, rows[start:start + CHUNK])


def upgrade() -> None:
    rows = op.get_bind().execute(sa.text(
        "SELECT project_id, role, period, fte_months FROM project_demand")).all()
    found: Found = defaultdict(int)
    for project_id, role, period, fte in rows:
        share, odd = divmod(_cents(fte), 3)
        for k, month in enumerate(_months(period)):
            found[(project_id, role, month, None)] += share + (1 if k < odd else 0)
    op.drop_table('project_demand')
    table = op.create_table(
        'project_demand',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(length=100), nullable=False),
        sa.Column('period', sa.String(length=10), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=True),
        sa.Column('fte_months', sa.Numeric(precision=10, scale=2), nullable=False),
        sa.CheckConstraint('fte_months >= 0', name=op.f('ck_project_demand_demand_not_negative')),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'],
                                name=op.f('fk_project_demand_person_id_person'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['project_id'], ['project.id'],
                                name=op.f('fk_project_demand_project_id_project'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_project_demand')))
    op.create_index('ix_project_demand_line', 'project_demand',
                    ['project_id', 'role', 'period', 'person_id'], unique=True)
    op.create_index('ix_project_demand_person', 'project_demand', ['person_id', 'period'],
                    unique=False)
    assert table is not None
    _insert(table, found, named=True)
    _sum_totals()


def downgrade() -> None:
    rows = op.get_bind().execute(sa.text(
        "SELECT project_id, role, period, fte_months FROM project_demand")).all()
    found: Found = defaultdict(int)
    for project_id, role, period, fte in rows:
        found[(project_id, role, _quarter(period), None)] += _cents(fte)
    op.drop_index('ix_project_demand_person', table_name='project_demand')
    op.drop_index('ix_project_demand_line', table_name='project_demand')
    op.drop_table('project_demand')
    table = op.create_table(
        'project_demand',
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(length=100), nullable=False),
        sa.Column('period', sa.String(length=10), nullable=False),
        sa.Column('fte_months', sa.Numeric(precision=10, scale=2), nullable=False),
        sa.CheckConstraint('fte_months >= 0', name=op.f('ck_project_demand_demand_not_negative')),
        sa.ForeignKeyConstraint(['project_id'], ['project.id'],
                                name=op.f('fk_project_demand_project_id_project'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('project_id', 'role', 'period', name=op.f('pk_project_demand')))
    assert table is not None
    _insert(table, found, named=False)
    _sum_totals()
