"""Fixtures for reporting tests: contracts and charter rows written directly, projects via the API.

The contracts and charter domains are built in parallel, so their rows are added here with
the ORM inside the test transaction, the way the finished domains will store them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from epmo.charter.models import PRACTICES, CharterVersion
from epmo.contracts.models import TIERS, ReportingContract, TierRule
from epmo.reporting.periods import period_of
from tests.world import World

API = "/api/v1"
THRESHOLDS = {"schedule": {"amber": 10, "red": 30}, "cost": {"amber": 5, "red": 15}}


class Governance:
    """Sets reporting contracts (the same for every tier) and the charter's authority."""

    def __init__(self, db: Session, world: World) -> None:
        self.db, self.world = db, world

    def contract(self, cadence: str = "monthly", dimensions: Iterable[str] = ("schedule", "cost"),
                 thresholds: dict[str, Any] | None = None) -> None:
        """One contract per tier, all alike, so whatever tier a project gets, these apply."""
        for tier in TIERS:
            rule = self.db.get(TierRule, tier) or TierRule(tier=tier, name=f"Tier {tier}")
            self.db.add(rule)
            self.db.flush()
            contract = self.db.scalar(select(ReportingContract).where(
                ReportingContract.tier == tier)) or ReportingContract(tier=tier)
            contract.cadence = cadence
            contract.dimensions = list(dimensions)
            contract.rag_thresholds = THRESHOLDS if thresholds is None else thresholds
            self.db.add(contract)
        self.db.flush()

    def authority(self, level: str, *depts: str, default: str = "supportive") -> None:
        """A new charter version: ``level`` in PPM administration for ``depts``."""
        number = (self.db.scalar(select(func.max(CharterVersion.number))) or 0) + 1
        content = {"defaults": dict.fromkeys(PRACTICES, default),
                   "departments": {str(self.world.departments[d]): {"ppm_administration": level}
                                   for d in depts},
                   "services": []}
        self.db.add(CharterVersion(number=number, content=content, reason="test"))
        self.db.flush()


@pytest.fixture
def gov(db: Session, world: World) -> Governance:
    """``gov.contract(cadence="weekly")``, ``gov.authority("controlling", "IT")``."""
    return Governance(db, world)


def this_month() -> date:
    """The first day of the current month (a report for it is never late)."""
    return date.today().replace(day=1)


def months_ago(count: int) -> date:
    """The first day of the month ``count`` months back."""
    day = this_month()
    for _ in range(count):
        day = (day - timedelta(days=1)).replace(day=1)
    return day


def period_start(cadence: str, day: date | None = None) -> date:
    """The first day of the ``cadence`` period containing ``day`` (default today)."""
    return period_of(cadence, day or date.today()).start


def report(**fields: Any) -> dict[str, Any]:
    """A complete report body for the current month; ``fields`` override."""
    body: dict[str, Any] = {"period_start": this_month().isoformat(), "overall": "green",
                            "schedule": "green", "cost": "green", "achievements": "Done"}
    return body | fields
