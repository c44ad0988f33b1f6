"""Hub events every ledger test can propose from: one of each source, with known figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from epmo.compliance.models import GateReview
from epmo.intake.models import IntakeRequest, RequestCost
from epmo.network.models import ChangeEvent, ChangeImpact, ChangeResponse
from epmo.resources.models import Lending
from tests.factories import add, add_project
from tests.world import World


@dataclass
class Events:
    """Ids of the seeded events."""

    killed: int = 0  # gate review
    killed_project: int = 0
    cancelled: int = 0  # project
    request: int = 0
    change: int = 0
    lending: int = 0


def at(day: date) -> datetime:
    """Noon UTC of a day."""
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def seed(db: Session, world: World) -> Events:
    """A killed gate (IT: 2.0 M planned, 0.8 M spent), a cancelled FIN project (500 k, 350 k
    spent), a rejected HR request costing 120 k + 80 k, an IT change absorbed 9 days early
    (slips of 5 and 12 days), a lending declined before it started; plus events that must
    not propose: a hold since released, a project with no actual budget, a change answered
    after the date, an approved request."""
    found = Events()
    it = add_project(db, world, "IT", stage="cancelled", budget_planned=Decimal("2000000"),
                     budget_actual=Decimal("800000"), actual_finish=date(2026, 3, 4))
    found.killed_project = it.id
    found.killed = add(db, GateReview(project_id=it.id, gate_code="G2", stage="executing",
                                      decision="kill", decided_at=at(date(2026, 3, 4)))).id
    found.cancelled = add_project(db, world, "FIN", stage="cancelled",
                                  budget_planned=Decimal("500000"),
                                  budget_actual=Decimal("350000"),
                                  actual_finish=date(2026, 5, 20)).id
    add_project(db, world, "FIN", stage="cancelled", budget_planned=Decimal("90000"))
    released = add_project(db, world, "IT", stage="executing", budget_planned=Decimal("10"),
                           budget_actual=Decimal("1"))
    add(db, GateReview(project_id=released.id, gate_code="G1", stage="planning",
                       decision="hold", decided_at=at(date(2026, 2, 1))))
    request = add(db, IntakeRequest(code="REQ-L1", title="Duplicate CRM", stage="rejected",
                                    decision="reject", decision_reason="duplicate of REQ-7",
                                    department_id=world.departments["HR"],
                                    decided_at=at(date(2026, 4, 10))))
    found.request = request.id
    add(db, RequestCost(request_id=request.id, period="2026", amount=Decimal("120000")))
    add(db, RequestCost(request_id=request.id, period="2027", amount=Decimal("80000")))
    add(db, IntakeRequest(code="REQ-L2", title="Approved", stage="approved", decision="approve",
                          department_id=world.departments["HR"], decided_at=at(date(2026, 4, 1))))
    found.change = _change(db, world, it.id, date(2026, 6, 1), absorbed_on=date(2026, 5, 23))
    _change(db, world, it.id, date(2026, 6, 1), absorbed_on=date(2026, 6, 10))
    lender = add_project(db, world, "IT", stage="executing")
    found.lending = add(db, Lending(
        project_id=lender.id, role="Lead", lender_department_id=world.departments["FIN"],
        borrower_department_id=world.departments["IT"], fte=Decimal("0.5"),
        starts=date(2026, 9, 1), ends=date(2026, 12, 31), status="declined",
        responded_at=at(date(2026, 8, 1)), response="We are full")).id
    return found


def _change(db: Session, world: World, project_id: int, new_date: date,
            absorbed_on: date) -> int:
    event = add(db, ChangeEvent(source="form", project_id=project_id, field="forecast_finish",
                                delta_days=12, old_date=date(2026, 5, 20), new_date=new_date))
    for slip, day in ((5, new_date), (12, date(2026, 6, 15))):
        add(db, ChangeImpact(event_id=event.id, node_kind="project", project_id=project_id,
                             department_id=world.departments["IT"], new_date=day,
                             slip_days=slip))
    add(db, ChangeResponse(event_id=event.id, department_id=world.departments["IT"],
                           acknowledged_at=at(absorbed_on), response="absorb",
                           responded_at=at(absorbed_on)))
    return event.id
