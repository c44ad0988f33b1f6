"""Helpers for compliance tests: a tier-3 contract, charter levels, projects and their facts.

Contracts, charter versions, status reports and artefacts belong to other domains, so they
are added with the ORM in the test transaction; so are projects, as data that exists
before the charter in force (which would refuse to create a non-compliant one).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from epmo.charter.models import PRACTICES, CharterVersion
from epmo.compliance.models import GateReview
from epmo.contracts import tiering
from epmo.contracts.models import Artefact, ReportingContract, TierRule
from epmo.db import utcnow
from epmo.portfolio.models import Project
from epmo.portfolio.schemas import ProjectCreate
from epmo.reporting.models import StatusReport
from tests.conftest import Clients
from tests.factories import add
from tests.world import World

API = "/api/v1"
GRACE = 7
# The day is read when a test runs, never when the module is imported: the hub evaluates for the
# day of the request, and a suite that runs past midnight saw the two disagree.


def today() -> date:
    """The day the hub evaluates for."""
    return date.today()


def start() -> date:
    """When a compliant project's reporting began: a year ago."""
    return today() - timedelta(days=365)


def next_month(day: date) -> date:
    """The first day of the month after ``day``'s."""
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def months_due(since: date, on: date | None = None) -> int:
    """How many monthly reports are due from the month of ``since`` (an oracle: a plain walk
    over the months, each due once its end plus the grace days is past)."""
    count, month, day = 0, since.replace(day=1), on or today()
    while next_month(month) - timedelta(days=1) + timedelta(days=GRACE) < day:
        count += 1
        month = next_month(month)
    return count


def checks() -> int:
    """A compliant executing project's checks: fields, reports, artefacts and gates."""
    return 2 + months_due(start()) + 3 + 3

LINKS = {"department_ids", "portfolio_ids", "goals"}
LEVELS = ("none", "supportive", "controlling", "directive")
GATES = [
    {"code": "G1", "name": "Approved", "stage": "approved", "criteria": ["Business case read"],
     "approver_roles": ["department_lead"]},
    {"code": "G2", "name": "Plan approved", "stage": "planning",
     "criteria": ["Charter signed", "Manager assigned"], "approver_roles": ["department_lead"]},
    {"code": "G3", "name": "Build approved", "stage": "executing", "criteria": ["Plan agreed"],
     "approver_roles": ["department_lead", "executive"]},
]


class Env:
    """Sets the charter and the contract, and makes projects with the facts a test needs."""

    def __init__(self, db: Session, as_: Clients, world: World) -> None:
        self.db, self.as_, self.world = db, as_, world
        self.count = 0

    def contract(self, **fields: Any) -> ReportingContract:
        """The one tier (3) every project falls in, and its contract."""
        if self.db.get(TierRule, 3) is None:
            self.db.add(TierRule(tier=3, name="Standard"))
            self.db.flush()
        values: dict[str, Any] = {
            "tier": 3, "required_fields": ["sponsor_id", "manager_id"], "cadence": "monthly",
            "dimensions": ["schedule", "cost"], "records": [], "rag_thresholds": {},
            "artefacts": {"approved": ["business_case"], "planning": ["charter", "plan"]},
            "gates": GATES} | fields
        contract = ReportingContract(**values)
        self.db.add(contract)
        self.db.flush()
        return contract

    def levels(self, level: str = "supportive", departments: dict[str, dict[str, str]]
               | None = None, **practices: str) -> None:
        """A new charter version: every practice at ``level`` unless named; per department
        overrides keyed by department code."""
        number = (self.db.scalar(select(func.max(CharterVersion.number))) or 0) + 1
        defaults = {p: practices.get(p, level) for p in PRACTICES}
        own = {str(self.world.departments[code]): entry
               for code, entry in (departments or {}).items()}
        self.db.add(CharterVersion(number=number, statement="test", reason="test",
                                   author_name="tests",
                                   content={"defaults": defaults, "departments": own,
                                            "services": []}))
        self.db.flush()

    def project(self, dept: str = "IT", stage: str = "executing", **fields: Any) -> dict[str, Any]:
        """A project (made by the admin) with a sponsor and the IT PM as manager."""
        self.count += 1
        body = {"code": f"C-{self.count:03d}", "name": f"Compliance {self.count}",
                "department_id": self.world.departments[dept], "stage": stage,
                "sponsor_id": self.world.people["it_lead"],
                "manager_id": self.world.people["it_pm"]} | fields
        # Made with the ORM, as data that predates the charter in force: the charter refuses
        # to create a non-compliant project, and these tests judge projects as they exist.
        project = Project(**ProjectCreate.model_validate(body).model_dump(exclude=LINKS))
        tiering.assign_tier(self.db, project)
        add(self.db, project)
        r = self.as_("admin").get(f"{API}/projects/{project.id}")
        assert r.status_code == 200, r.text
        return r.json()  # type: ignore[no-any-return]

    def report(self, project_id: int, end: date) -> None:
        """A status report of the month ending ``end``."""
        self.db.add(StatusReport(project_id=project_id, period_start=end - timedelta(days=30),
                                 period_end=end, overall="green"))
        self.db.flush()

    def monthly(self, project_id: int, first: date, last: date) -> None:
        """A status report for every month from ``first``'s to ``last``'s."""
        start = first.replace(day=1)
        while start <= last:
            self.db.add(StatusReport(project_id=project_id, period_start=start,
                                     period_end=next_month(start) - timedelta(days=1),
                                     overall="green"))
            start = next_month(start)
        self.db.flush()

    def artefacts(self, project_id: int, *kinds: str) -> None:
        """Artefacts of these kinds on file."""
        for kind in kinds:
            self.db.add(Artefact(project_id=project_id, kind=kind, stage="approved",
                                 title=kind, url=f"https://docs.example.org/{kind}"))
        self.db.flush()

    def passed(self, project_id: int, *codes: str, decision: str = "go") -> None:
        """Gate reviews decided ``decision`` for these gates."""
        for code in codes:
            self.db.add(GateReview(project_id=project_id, gate_code=code, stage="approved",
                                   checklist=[], evidence=[], decision=decision,
                                   rationale="ok", decided_at=utcnow()))
        self.db.flush()

    def compliant(self, stage: str = "executing", dept: str = "IT",
                  reported: date | None = None, **fields: Any) -> dict[str, Any]:
        """A project (reporting for a year, every month up to ``reported``'s) that meets every
        rule in ``stage``; ``reported`` is yesterday unless given."""
        project = self.project(dept, stage, **{"planned_start": start().isoformat()} | fields)
        self.monthly(project["id"], date.fromisoformat(project["planned_start"]),
                     reported or today() - timedelta(days=1))
        self.artefacts(project["id"], "business_case", "charter", "plan")
        self.passed(project["id"], "G1", "G2", "G3")
        return project

    def findings(self, user: str = "admin", **params: Any) -> list[dict[str, Any]]:
        """Every finding the API lists for ``user`` with these filters."""
        r = self.as_(user).get(f"{API}/compliance", params={"limit": 500, **params})
        assert r.status_code == 200, r.text
        return r.json()["items"]  # type: ignore[no-any-return]


@pytest.fixture
def env(db: Session, as_: Clients, world: World) -> Env:
    """The compliance test helper (with the tier-3 contract in place)."""
    made = Env(db, as_, world)
    made.contract()
    return made
