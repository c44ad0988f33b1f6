"""``Unindexed``: the same value as the column, which SQLite's planner will not look up by it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from epmo.portfolio.models import Project
from epmo.sql import Unindexed
from tests.factories import add_project
from tests.world import World


def test_unindexed_compiles_to_a_no_op_on_sqlite_and_the_column_elsewhere() -> None:
    query = select(Unindexed(Project.health)).where(Unindexed(Project.health) == "red")
    assert "+(project.health)" in str(query.compile(dialect=sqlite.dialect()))
    plain = str(query.compile(dialect=postgresql.dialect()))
    assert "+" not in plain and "project.health = " in plain


def test_unindexed_reads_the_same_values_and_keeps_null(db: Session, world: World) -> None:
    for code, colour in (("U1", "red"), ("U2", None), ("U3", "green")):
        add_project(db, world, code=code, health=colour)
    db.flush()
    codes = ("U1", "U2", "U3")
    read = select(Project.code, Unindexed(Project.health)).where(Project.code.in_(codes))
    assert sorted(db.execute(read).tuples()) == [("U1", "red"), ("U2", None), ("U3", "green")]
    reds = select(Project.code).where(Project.code.in_(codes), Unindexed(Project.health) == "red")
    assert db.scalars(reds).all() == ["U1"]
    assert Unindexed(Project.health).type.python_type is str  # the column's type
