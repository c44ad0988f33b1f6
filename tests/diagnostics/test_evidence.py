"""The measured evidence recomputed by hand on a small fixture, and the snapshot that keeps a
completed round's report the same later."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from epmo.auth.policy import SYSTEM, Actor
from epmo.compliance import service as compliance
from epmo.contracts.terms import load_terms
from epmo.diagnostics import evidence, service, views
from epmo.diagnostics.models import DiagnosticEvidence
from epmo.diagnostics.schemas import RoundCreate, ScoreEntry
from epmo.intake.models import IntakeRequest
from epmo.network.models import ChangeEvent, ChangeResponse
from epmo.reporting.models import StatusReport
from tests.factories import add, add_project
from tests.world import World

TODAY = date(2026, 6, 30)  # the window: 2026-04-02 .. 2026-06-30 (90 days)


def at(day: str, hour: int = 12) -> datetime:
    """A UTC moment on a day."""
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def report(db: Session, project_id: int, start: str, end: str, filed: datetime) -> None:
    """A status report of one period, filed at ``filed``."""
    add(db, StatusReport(project_id=project_id, period_start=date.fromisoformat(start),
                         period_end=date.fromisoformat(end), overall="green",
                         submitted_at=filed))


@pytest.fixture
def facts(db: Session, world: World) -> dict[str, int]:
    """Two reporting projects (IT-INFRA, FIN), change notices, intake decisions."""
    it = add_project(db, world, "IT-INFRA", stage="executing", tier=3,
                     actual_start=date(2026, 1, 1))
    fin = add_project(db, world, "FIN", stage="executing", tier=3,
                      actual_start=date(2026, 5, 15))
    add_project(db, world, "IT", stage="proposed", tier=3)  # owes no report
    # IT-INFRA, monthly: March due 04-07 (on time), April due 05-07 (late), May due 06-07
    # (missing); June falls due after the window. January and February fell due before it.
    report(db, it.id, "2026-03-01", "2026-03-31", at("2026-04-05"))
    report(db, it.id, "2026-04-01", "2026-04-30", at("2026-05-10"))
    report(db, it.id, "2026-02-01", "2026-02-28", at("2026-03-02"))  # before the window
    # FIN started 05-15: only May is due in the window (filed on time).
    report(db, fin.id, "2026-05-01", "2026-05-31", at("2026-06-01"))
    infra, finance = world.departments["IT-INFRA"], world.departments["FIN"]
    for dept, sent, ack in ((infra, at("2026-06-01", 8), at("2026-06-01", 10)),
                            (infra, at("2026-06-02", 8), at("2026-06-02", 18)),
                            (infra, at("2026-06-03", 8), None),
                            (finance, at("2026-06-04", 8), at("2026-06-04", 12)),
                            (infra, at("2026-03-01", 8), at("2026-03-09", 8))):  # before
        event = add(db, ChangeEvent(project_id=it.id, source="form", field="planned_finish"))
        add(db, ChangeResponse(event_id=event.id, department_id=dept, notified_at=sent,
                               acknowledged_at=ack))
    for n, (dept, made, decided) in enumerate((
            ("IT", at("2026-06-01"), at("2026-06-11")),    # 10 days
            ("IT-INFRA", at("2026-05-01"), at("2026-06-05")),  # 35 days
            ("IT", at("2026-01-01"), at("2026-02-01")),    # decided before the window
            ("IT", at("2026-06-20"), None),                # not decided
            ("FIN", at("2026-04-01"), at("2026-04-05")))):  # 4 days
        add(db, IntakeRequest(code=f"REQ-T{n}", title=f"Request {n}",
                              department_id=world.departments[dept], created_at=made,
                              decided_at=decided, decision="approve" if decided else None,
                              stage="approved" if decided else "submitted"))
    return {"it": it.id, "fin": fin.id}


def by_key(found: list[evidence.Evidence]) -> dict[str, evidence.Evidence]:
    """Evidence by key."""
    return {e.key: e for e in found}


def test_no_contract_means_monthly_reports(db: Session, facts: dict[str, int]) -> None:
    assert load_terms(db).for_project(1, 3) is None  # the fixture relies on the default cadence


def test_evidence_of_a_department_by_hand(db: Session, world: World,
                                          facts: dict[str, int]) -> None:
    found = by_key(evidence.measure(db, world.departments["IT"], TODAY))
    timely = found["reporting_timeliness"]
    assert timely.value == 33.33 and timely.basis == 3  # 1 of 3 (IT-INFRA is below IT)
    assert timely.detail == "1 on time, 1 late, 1 missing of 3 due"
    assert (timely.period_start, timely.period_end) == (date(2026, 4, 2), TODAY)
    ack = found["acknowledgement_hours"]
    assert ack.value == 6.0 and ack.detail == "2 of 3 notices acknowledged"  # median of 2 h, 10 h
    lead = found["decision_lead_days"]
    assert lead.value == 22.5 and lead.basis == 2  # median of 10 and 35 days
    score = found["compliance_score"]
    evaluated = compliance.evaluate(db, TODAY, world.departments["IT"])
    summary = evaluated.departments[world.departments["IT"]]
    assert score.value == round(summary.score, 2) and score.basis == summary.projects == 2
    assert {e.capability for e in found.values()} == {"assurance", "status_reporting",
                                                        "change", "intake"}


def test_evidence_of_the_enterprise_by_hand(db: Session, facts: dict[str, int]) -> None:
    found = by_key(evidence.measure(db, None, TODAY))
    assert found["reporting_timeliness"].value == 50.0  # 2 of 4
    assert found["acknowledgement_hours"].value == 4.0  # median of 2, 10, 4 hours
    assert found["decision_lead_days"].value == 10.0  # median of 4, 10, 35 days


def test_no_data_is_none_never_zero(db: Session, world: World, facts: dict[str, int]) -> None:
    found = by_key(evidence.measure(db, world.departments["HR"], TODAY))
    assert all(e.value is None for e in found.values()), found
    assert all(e.shown == "no data" for e in found.values())
    assert found["compliance_score"].detail == "no project to check"
    assert found["reporting_timeliness"].detail == "no report fell due"


def test_a_completed_round_keeps_its_evidence(db: Session, world: World,
                                              facts: dict[str, int]) -> None:
    made = service.open_round(db, SYSTEM, RoundCreate(name="IT 2026",
                                                      department_id=world.departments["IT"]))
    admin = Actor(id=world.users["admin"], email="admin@example.org", name="Admin",
                  role="epmo_admin")
    service.submit_scores(db, admin, made.id, [ScoreEntry(item_key="PA-REP-1", score=2)])
    service.complete_round(db, SYSTEM, made.id, made.version, TODAY)
    stored = db.query(DiagnosticEvidence).filter_by(round_id=made.id).all()
    assert {e.key: e.value for e in stored}["reporting_timeliness"] == Decimal("33.33")
    report(db, facts["it"], "2026-05-01", "2026-05-31", at("2026-06-02"))  # May now on time
    assert by_key(evidence.measure(db, world.departments["IT"], TODAY))[
        "reporting_timeliness"].value == 66.67
    shown = views.results(db, SYSTEM, made, date(2027, 1, 1))
    timely = next(e for e in shown.evidence if e.key == "reporting_timeliness")
    assert timely.value == 33.33 and timely.shown == "33.3 %"
    assert not shown.evidence_live


def test_an_enterprise_round_keeps_each_top_departments_evidence(
        db: Session, world: World, facts: dict[str, int]) -> None:
    admin = Actor(id=world.users["admin"], email="admin@example.org", name="Admin",
                  role="epmo_admin")
    made = service.open_round(db, admin, RoundCreate(name="Enterprise 2026"))
    live = views.results(db, admin, made, TODAY)
    assert [d.department.split(" ")[0] for d in live.evidence_by_department] == [
        "FIN", "HR", "IT"]  # top-level departments only: IT-INFRA is inside IT
    service.submit_scores(db, admin, made.id, [ScoreEntry(item_key="PG-INT-1", score=3)])
    service.complete_round(db, admin, made.id, made.version, TODAY)
    report(db, facts["it"], "2026-05-01", "2026-05-31", at("2026-06-02"))  # live: May on time
    assert by_key(evidence.measure(db, None, TODAY))["reporting_timeliness"].value == 75.0
    shown = views.results(db, admin, made, TODAY)
    assert {e.key: e.value for e in shown.evidence}["reporting_timeliness"] == 50.0
    figures = {d.department.split(" ")[0]: {e.key: e.value for e in d.figures}
               for d in shown.evidence_by_department}
    assert figures["IT"]["reporting_timeliness"] == 33.33
    assert figures["IT"]["acknowledgement_hours"] == 6.0
    assert figures["FIN"] == {"compliance_score": figures["FIN"]["compliance_score"],
                              "reporting_timeliness": 100.0, "acknowledgement_hours": 4.0,
                              "decision_lead_days": 4.0}
    assert set(figures["HR"].values()) == {None}
