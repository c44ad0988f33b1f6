"""The plan follows the anchor once per net move of a unit of work, and not at all when the
write is rolled back; programme benefits anchor on a milestone of one of its projects."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from epmo import events
from epmo.auth.policy import SYSTEM
from epmo.benefits.models import BenefitPlan
from epmo.portfolio import service as portfolio_service
from epmo.portfolio.models import Milestone
from epmo.portfolio.schemas import MilestoneUpdate
from tests.benefits.conftest import API, create
from tests.conftest import Clients
from tests.factories import Maker


def _months(db: Session, benefit_id: int) -> list[str]:
    return list(db.scalars(select(BenefitPlan.period).where(BenefitPlan.benefit_id == benefit_id)
                           .order_by(BenefitPlan.period)))


def _move(db: Session, milestone_id: int, day: date) -> None:
    milestone = db.get(Milestone, milestone_id)
    assert milestone is not None
    portfolio_service.update_milestone(db, SYSTEM, milestone.project_id, milestone.id,
                                       MilestoneUpdate(version=milestone.version,
                                                       forecast_date=day))
    db.flush()


def test_two_moves_in_one_unit_of_work_move_the_plan_once(
        as_: Clients, db: Session, project: dict[str, Any], golive: dict[str, Any]) -> None:
    made = create(as_, "it_pm", project["id"], anchor_milestone_id=golive["id"])
    _move(db, golive["id"], date(2027, 4, 1))  # +3 months
    _move(db, golive["id"], date(2027, 2, 10))  # then back to +1: the net move
    events.settle(db)
    assert _months(db, made["id"]) == [f"2027-{m:02d}" for m in range(2, 8)]
    events.settle(db)  # settling again moves nothing more
    assert _months(db, made["id"])[0] == "2027-02"


def test_a_rolled_back_move_moves_nothing(as_: Clients, db: Session, project: dict[str, Any],
                                          golive: dict[str, Any]) -> None:
    made = create(as_, "it_pm", project["id"], anchor_milestone_id=golive["id"])
    savepoint = db.begin_nested()
    _move(db, golive["id"], date(2027, 6, 1))
    events.settle(db)
    assert _months(db, made["id"])[0] == "2027-06"  # moved inside the savepoint
    savepoint.rollback()
    db.expire_all()
    assert _months(db, made["id"]) == [f"2027-{m:02d}" for m in range(1, 7)]
    events.settle(db)  # the forgotten events move nothing afterwards
    assert _months(db, made["id"])[0] == "2027-01"


def test_programme_benefits(as_: Clients, make: Maker, world: Any) -> None:
    programme = make.programme("IT", code="BEN-PRG", manager_id=world.people["it_pm"])
    member = make.project("IT", code="BEN-MEMBER", programme_id=programme["id"],
                          planned_start="2026-06-01", planned_finish="2027-06-30")
    stranger = make.project("IT", code="BEN-STRANGER")
    ms = {key: as_("admin").post(f"{API}/projects/{p['id']}/milestones", json={
        "name": key, "forecast_date": "2027-03-15"}).json()
        for key, p in (("in", member), ("out", stranger))}
    r = as_("it_pm").post(f"{API}/benefits", json={
        "name": "Shared services", "programme_id": programme["id"],
        "anchor_milestone_id": ms["out"]["id"]})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "anchor_milestone_id"
    r = as_("it_pm").post(f"{API}/benefits", json={
        "name": "Shared services", "programme_id": programme["id"],
        "anchor_milestone_id": ms["in"]["id"],
        "plan": [{"period": "2027-04", "amount": "10"}]})
    assert r.status_code == 201, r.text
    made = r.json()
    assert made["programme_code"] == "BEN-PRG" and made["anchor_date"] == "2027-03-15"
    listed = as_("it_viewer").get(f"{API}/programmes/{programme['id']}/benefits").json()
    assert [b["id"] for b in listed] == [made["id"]]
    assert as_("fin_lead").get(f"{API}/benefits/{made['id']}").status_code == 404
    assert as_("it_member").patch(f"{API}/benefits/{made['id']}", json={
        "version": made["version"], "name": "x"}).status_code == 403


def test_a_deleted_anchor_falls_back_to_the_project_finish(
        as_: Clients, project: dict[str, Any], golive: dict[str, Any]) -> None:
    made = create(as_, "it_pm", project["id"], anchor_milestone_id=golive["id"])
    path = f"{API}/projects/{project['id']}/milestones/{golive['id']}"
    version = as_("admin").get(path).json()["version"]
    assert as_("it_pm").delete(f"{path}?version={version}").status_code == 204
    got = as_("it_pm").get(f"{API}/benefits/{made['id']}").json()
    assert got["anchor_milestone_id"] is None and got["anchor_name"] == "project finish"
    assert got["anchor_date"] == "2027-03-31"
    assert got["periods"][0]["period"] == "2027-01"  # the plan stays where it stood
    current = as_("admin").get(f"{API}/projects/{project['id']}").json()
    r = as_("it_pm").patch(f"{API}/projects/{project['id']}",
                           json={"version": current["version"], "planned_finish": "2027-04-15"})
    assert r.status_code == 200, r.text
    got = as_("it_pm").get(f"{API}/benefits/{made['id']}").json()
    assert got["periods"][0]["period"] == "2027-02"  # one month, not three
