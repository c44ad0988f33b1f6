"""Goal and department roll-ups against a brute-force count over a random portfolio."""

from __future__ import annotations

import random
from collections import defaultdict
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from epmo.org.models import Department
from epmo.portfolio.models import STAGES, ProjectGoal
from epmo.strategy.models import Goal
from tests.conftest import Clients
from tests.factories import add_project
from tests.world import World


def _lineage(parents: dict[int, int | None], node: int | None) -> set[int]:
    found: set[int] = set()
    while node is not None:
        found.add(node)
        node = parents[node]
    return found


def _random_tree(db: Session, rnd: random.Random, model: type, prefix: str, size: int,
                 roots: list[int]) -> dict[int, int | None]:
    parents: dict[int, int | None] = {}
    for i in range(size):
        parent = rnd.choice([*roots, *parents, None]) if i else None
        row = model(code=f"{prefix}{i}", name=f"{prefix} {i}", parent_id=parent)
        db.add(row)
        db.flush()
        parents[row.id] = parent
    return parents


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rollups_match_brute_force(as_: Clients, db: Session, world: World, seed: int) -> None:
    rnd = random.Random(seed)
    goals = _random_tree(db, rnd, Goal, "RG", 8, [])
    extra = _random_tree(db, rnd, Department, "RD", 4, list(world.departments.values()))
    departments = {**dict.fromkeys(world.departments.values()), **extra}
    departments[world.departments["IT-INFRA"]] = world.departments["IT"]
    expected_goal: dict[int, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    expected_dept: dict[int, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for i in range(40):
        dept = rnd.choice(list(departments))
        planned = Decimal(rnd.randint(0, 10_000_000)) / 100
        project = add_project(db, world, code=f"RP{i}", name="Random", department_id=dept,
                              stage=rnd.choice(STAGES),
                              health=rnd.choice(["green", "amber", "red"]),
                              budget_planned=planned)
        served = rnd.sample(list(goals), rnd.choice([0, 1, 2, 3]))
        db.add_all(ProjectGoal(project_id=project.id, goal_id=g) for g in served)
        for node in set().union(*(_lineage(goals, g) for g in served)):
            expected_goal[node][0] += 1
            expected_goal[node][1] += planned
        for node in _lineage(departments, dept):
            expected_dept[node][0] += 1
            expected_dept[node][1] += planned
    db.flush()
    body = as_("exec").get("/api/v1/overview", params={"status": "all"}).json()
    for row in body["by_goal"]:
        want = expected_goal[row["id"]]
        assert (row["rolled"]["count"], Decimal(row["rolled"]["planned"])) == (want[0], want[1])
    for row in body["by_department"]:
        want = expected_dept[row["id"]]
        assert (row["rolled"]["count"], Decimal(row["rolled"]["planned"])) == (want[0], want[1])
