"""A small portfolio with known budgets and health, added inside the test transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from epmo.portfolio.models import ProjectGoal
from tests.factories import add_goal, add_programme, add_project
from tests.world import World

# Goals: GROW (DIGI, CUST under it) and COST.
GOALS = [("GROW", None), ("DIGI", "GROW"), ("CUST", "GROW"), ("COST", None)]
PROGRAMMES = [("PRG-CLOUD", "IT"), ("PRG-LEAN", "FIN")]
# code, department, stage, health, planned, actual, forecast, programme, goals
PROJECTS = [
    ("P1", "IT", "executing", "green", "100000.00", "40000.50", "110000.00", "PRG-CLOUD", ["DIGI"]),
    ("P2", "IT-INFRA", "planning", "amber", "50000.25", "10000.00", "60000.25", "PRG-CLOUD",
     ["DIGI", "CUST"]),
    ("P3", "IT-INFRA", "executing", "red", "20000.00", "5000.00", "30000.00", None, ["GROW", "CUST"]),
    ("P4", "FIN", "proposed", "green", "75000.10", "0.00", "75000.10", "PRG-LEAN", ["COST"]),
    ("P5", "HR", "closing", "green", "5000.00", "5000.00", "4500.00", None, []),
]


@dataclass
class Portfolio:
    """Ids of the goals, programmes and projects the fixture created."""

    goals: dict[str, int] = field(default_factory=dict)
    programmes: dict[str, int] = field(default_factory=dict)
    projects: dict[str, int] = field(default_factory=dict)


@pytest.fixture
def portfolio(db: Session, world: World) -> Portfolio:
    """Four goals, two programmes and five projects across IT, IT-INFRA, FIN and HR."""
    made = Portfolio()
    for code, parent in GOALS:
        made.goals[code] = add_goal(db, code, parent_id=made.goals.get(parent or "")).id
    for code, dept in PROGRAMMES:
        made.programmes[code] = add_programme(db, world, dept, code).id
    for code, dept, stage, health, planned, actual, forecast, prog, goals in PROJECTS:
        made.projects[code] = add_project(
            db, world, dept, code, stage=stage, health=health, budget_planned=Decimal(planned),
            budget_actual=Decimal(actual), budget_forecast=Decimal(forecast),
            programme_id=made.programmes[prog] if prog else None).id
        for goal in goals:
            db.add(ProjectGoal(project_id=made.projects[code], goal_id=made.goals[goal]))
    db.flush()
    return made
