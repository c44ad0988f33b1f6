"""Plan goal rows."""

from __future__ import annotations

from epmo.files.problems import Row
from epmo.imports import repository
from epmo.imports.core import Context, Item
from epmo.imports.trees import plan_tree
from epmo.imports.writes import Plan
from epmo.org.models import Person
from epmo.strategy.models import Goal

GOAL_FIELDS = ("code", "name", "description", "weight")


def plan_goals(ctx: Context, rows: list[Row]) -> Plan:
    """Goals: a tree whose parents may come later in the same file, each with an owner."""
    people = repository.code_ids(ctx.session, Person)

    def owner(row: Row, item: Item) -> None:
        ctx.reference(row, "owner_code", people, "person", item.values, "owner_id")

    return plan_tree(ctx, rows, Goal, GOAL_FIELDS, "goal", owner)
