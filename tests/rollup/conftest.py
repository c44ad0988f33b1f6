"""A small enterprise with three months of status reports, RAID items and compliance snapshots.

Statuses per month (planned budget in brackets; P3 has none and weighs 1):

    project  dept      Jan    Feb            Mar                      programme goals
    P1       IT        green  amber          amber, then red (latest)  PRG-A     DIGI
    P2       IT-INFRA  red    (red, carried)  green                    PRG-A     DIGI, CUST
    P3       IT-INFRA  -      amber          (amber, carried)          -         GROW, CUST
    P4       FIN       green  green          amber                     PRG-B     COST
    P5       HR        red    (finished 20 Jan: counts no more)        -         -
    P6       IT        never reports                                   -         -
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from epmo.compliance.models import ComplianceSnapshot
from epmo.portfolio.models import ProjectGoal, ProjectPortfolio
from epmo.reporting.models import RaidItem, StatusReport
from tests.factories import add_goal, add_portfolio, add_programme, add_project
from tests.world import World

GOALS = [("GROW", None), ("DIGI", "GROW"), ("CUST", "GROW"), ("COST", None)]
PROGRAMMES = [("PRG-A", "IT"), ("PRG-B", "FIN")]
PORTFOLIOS = [("PF-ENT", None, "worst"), ("PF-IT", "IT", "weighted"), ("PF-FIN", "FIN", "worst")]
# code, department, planned, programme, goals, portfolios, actual finish
PROJECTS = [
    ("P1", "IT", "100000.00", "PRG-A", ["DIGI"], ["PF-IT", "PF-ENT"], None),
    ("P2", "IT-INFRA", "50000.00", "PRG-A", ["DIGI", "CUST"], ["PF-IT"], None),
    ("P3", "IT-INFRA", "0.00", None, ["GROW", "CUST"], ["PF-IT"], None),
    ("P4", "FIN", "200000.00", "PRG-B", ["COST"], ["PF-FIN", "PF-ENT"], None),
    ("P5", "HR", "10000.00", None, [], [], date(2025, 1, 20)),
    ("P6", "IT", "30000.00", None, [], ["PF-IT"], None),
]
# project, period start, overall, schedule, cost, scope, risk, resources, forecast cost
REPORTS = [
    ("P1", date(2025, 1, 6), "green", "green", "green", "green", "green", "green", None),
    ("P1", date(2025, 2, 3), "amber", "amber", "green", "green", "amber", "green", None),
    ("P1", date(2025, 3, 3), "amber", "amber", "amber", "green", "amber", "green", None),
    ("P1", date(2025, 3, 17), "red", "red", "amber", "green", "red", None, "130000.00"),
    ("P2", date(2025, 1, 6), "red", "red", "red", "amber", "red", "red", None),
    ("P2", date(2025, 3, 3), "green", "green", "green", "green", "green", "green", None),
    ("P3", date(2025, 2, 3), "amber", "green", "amber", "green", "green", "amber", None),
    ("P4", date(2025, 1, 6), "green", "green", "green", "green", "green", "green", None),
    ("P4", date(2025, 2, 3), "green", "green", "green", "green", "green", "green", None),
    ("P4", date(2025, 3, 3), "amber", "green", "amber", "green", "green", "green", "250000.00"),
    ("P5", date(2025, 1, 6), "red", "red", "red", "red", "red", "red", None),
]
# project, kind, title, probability, impact, status
RAID = [
    ("P1", "risk", "Vendor delivers late", 4, 5, "open"),
    ("P2", "risk", "Key engineer leaves", 3, 4, "open"),
    ("P2", "risk", "Old closed risk", 5, 5, "closed"),
    ("P1", "issue", "Test environment down", None, 4, "open"),
    ("P4", "risk", "Audit finding", 4, 4, "open"),
]
# department (None: enterprise), day, score
SNAPSHOTS = [("IT", date(2025, 3, 10), "80.00"), ("IT", date(2025, 3, 28), "85.50"),
             ("IT-INFRA", date(2025, 3, 28), "70.00"), (None, date(2025, 3, 28), "77.00"),
             ("FIN", date(2025, 4, 2), "60.00")]


@dataclass
class Data:
    """Ids of what the fixture made."""

    goals: dict[str, int] = field(default_factory=dict)
    programmes: dict[str, int] = field(default_factory=dict)
    portfolios: dict[str, int] = field(default_factory=dict)
    projects: dict[str, int] = field(default_factory=dict)


def _org(db: Session, world: World, made: Data) -> None:
    for code, parent in GOALS:
        made.goals[code] = add_goal(db, code, parent_id=made.goals.get(parent or "")).id
    for code, dept in PROGRAMMES:
        made.programmes[code] = add_programme(db, world, dept, code).id
    for code, dept, rule in PORTFOLIOS:
        made.portfolios[code] = add_portfolio(db, world, dept, code, rollup_rule=rule).id


def _projects(db: Session, world: World, made: Data) -> None:
    for code, dept, planned, prog, goals, portfolios, finished in PROJECTS:
        made.projects[code] = add_project(
            db, world, dept, code, stage="closed" if finished else "executing",
            budget_planned=Decimal(planned), budget_forecast=Decimal(planned),
            actual_finish=finished, programme_id=made.programmes[prog] if prog else None).id
        db.add_all([ProjectGoal(project_id=made.projects[code], goal_id=made.goals[g])
                    for g in goals])
        db.add_all([ProjectPortfolio(project_id=made.projects[code],
                                     portfolio_id=made.portfolios[p]) for p in portfolios])
    db.flush()


def _reports(db: Session, world: World, made: Data) -> None:
    for code, start, overall, sched, cost, scope, risk, res, forecast in REPORTS:
        db.add(StatusReport(
            project_id=made.projects[code], period_start=start,
            period_end=start + timedelta(days=6), overall=overall, schedule=sched, cost=cost,
            scope=scope, risk=risk, resources=res,
            forecast_cost=Decimal(forecast) if forecast else None))
    for code, kind, title, probability, impact, status in RAID:
        db.add(RaidItem(project_id=made.projects[code], kind=kind, title=title,
                        probability=probability, impact=impact, status=status,
                        score=probability * impact if probability and impact else None,
                        owner_id=world.people["it_pm"], response="Mitigate",
                        raised_on=date(2025, 1, 15)))
    for dept, day, score in SNAPSHOTS:
        db.add(ComplianceSnapshot(taken_on=day, score=Decimal(score), projects=3, blocking=1,
                                  warnings=2,
                                  department_id=world.departments[dept] if dept else None))
    db.flush()


@pytest.fixture
def data(db: Session, world: World) -> Data:
    """The enterprise of this module's docstring, in the test's transaction."""
    made = Data()
    _org(db, world, made)
    _projects(db, world, made)
    _reports(db, world, made)
    return made
