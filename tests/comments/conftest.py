"""Subjects to comment on: an IT project's status report, gate review and change event, and a
Finance project's, added with the ORM in the test transaction (they belong to other domains)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy.orm import Session

from epmo.compliance.models import GateReview
from epmo.network.models import ChangeEvent
from epmo.reporting.models import StatusReport
from tests.factories import add, add_project
from tests.world import World

API = "/api/v1"
#: subject kind -> the API path segment of its collection
PATHS = {"status_report": "status-reports", "gate_review": "gate-reviews",
         "change_event": "change-events"}


@dataclass
class Subjects:
    """Ids of one project's report, review and event."""

    project_id: int
    status_report: int
    gate_review: int
    change_event: int

    def url(self, kind: str) -> str:
        """The API address of the subject's comments."""
        return f"{API}/{PATHS[kind]}/{getattr(self, kind)}/comments"


def subjects_of(db: Session, world: World, dept: str, manager: str) -> Subjects:
    """A project of ``dept`` managed by ``manager`` with one subject of each kind."""
    project = add_project(db, world, dept, manager_id=world.people[manager])
    report = add(db, StatusReport(project_id=project.id, period_start=date(2026, 11, 1),
                                  period_end=date(2026, 11, 30), overall="amber"))
    review = add(db, GateReview(project_id=project.id, gate_code="G2", stage="executing"))
    event = add(db, ChangeEvent(project_id=project.id, source="form", field="planned_finish",
                                old_date=date(2027, 1, 10), new_date=date(2027, 1, 20),
                                delta_days=10, actor_label="tests"))
    return Subjects(project.id, report.id, review.id, event.id)


@pytest.fixture
def it(db: Session, world: World) -> Subjects:
    """IT's project (managed by it_pm) and its subjects."""
    return subjects_of(db, world, "IT", "it_pm")


@pytest.fixture
def fin(db: Session, world: World) -> Subjects:
    """Finance's project (managed by fin_pm) and its subjects."""
    return subjects_of(db, world, "FIN", "fin_pm")
