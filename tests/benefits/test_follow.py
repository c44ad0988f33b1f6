"""A slip moves the plan (once per net move, audited); a dependency's push flags the benefit
at risk with the days and the cause; an approved request carries its benefits."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from epmo.audit.models import AuditEntry
from tests.benefits.conftest import API, create
from tests.conftest import Clients
from tests.factories import Maker
from tests.intake.conftest import Requests
from tests.world import World


def planned_months(as_: Clients, benefit_id: int) -> list[str]:
    got = as_("admin").get(f"{API}/benefits/{benefit_id}").json()
    return [p["period"] for p in got["periods"] if p["planned"] != "0.00"]


def move_milestone(as_: Clients, user: str, milestone: dict[str, Any], day: str) -> Any:
    path = f"{API}/projects/{milestone['project_id']}/milestones/{milestone['id']}"
    version = as_("admin").get(path).json()["version"]
    r = as_(user).patch(path, json={"version": version, "forecast_date": day})
    assert r.status_code == 200, r.text
    return r.json()


def test_a_slip_of_the_anchor_moves_the_plan_not_the_actuals(
        as_: Clients, project: dict[str, Any], golive: dict[str, Any], db: Session) -> None:
    made = create(as_, "it_pm", project["id"], anchor_milestone_id=golive["id"])
    assert made["anchor_date"] == "2027-01-15" and made["anchor_name"] == "Go-live"
    as_("it_pm").put(f"{API}/benefits/{made['id']}/actuals",
                     json={"period": "2027-01", "amount": "40"})
    before = db.scalar(select(func.count()).select_from(AuditEntry)
                       .where(AuditEntry.entity == "benefit_plan"))
    move_milestone(as_, "it_pm", golive, "2027-03-02")  # two calendar months later
    assert planned_months(as_, made["id"]) == [f"2027-{m:02d}" for m in range(3, 9)]
    got = as_("admin").get(f"{API}/benefits/{made['id']}").json()
    assert got["anchor_date"] == "2027-03-02" and got["planned_total"] == "600.00"
    assert [a["period"] for a in got["actuals"]] == ["2027-01"]  # realised where it was
    after = db.scalar(select(func.count()).select_from(AuditEntry)
                      .where(AuditEntry.entity == "benefit_plan"))
    assert after is not None and before is not None and after > before  # the shift is audited
    move_milestone(as_, "it_pm", golive, "2027-03-31")  # same month: nothing moves
    assert planned_months(as_, made["id"])[0] == "2027-03"
    move_milestone(as_, "it_pm", golive, "2027-01-20")  # back: the net move is undone
    assert planned_months(as_, made["id"]) == [f"2027-{m:02d}" for m in range(1, 7)]


def test_the_project_finish_anchors_by_default(as_: Clients, project: dict[str, Any]) -> None:
    made = create(as_, "it_pm", project["id"])
    current = as_("admin").get(f"{API}/projects/{project['id']}").json()
    r = as_("it_pm").patch(f"{API}/projects/{project['id']}",
                           json={"version": current["version"], "planned_finish": "2027-04-30"})
    assert r.status_code == 200, r.text
    assert planned_months(as_, made["id"]) == [f"2027-{m:02d}" for m in range(2, 8)]


def test_a_dependency_push_flags_the_benefit_at_risk(
        as_: Clients, make: Maker, world: World, project: dict[str, Any],
        golive: dict[str, Any]) -> None:
    upstream = make.project("FIN", code="BEN-UP", manager_id=world.people["fin_pm"],
                            planned_start="2026-06-01", planned_finish="2027-06-30")
    r = as_("admin").post(f"{API}/projects/{upstream['id']}/milestones",
                          json={"name": "Ledger ready", "forecast_date": "2027-01-10"})
    ledger = r.json()
    link = as_("admin").post(f"{API}/dependencies", json={
        "predecessor_milestone_id": ledger["id"], "successor_milestone_id": golive["id"]})
    assert link.status_code == 201 and link.json()["status"] == "accepted", link.text
    made = create(as_, "it_pm", project["id"], anchor_milestone_id=golive["id"])
    moved = move_milestone(as_, "fin_pm", ledger, "2027-02-01")  # Finance slips
    event = moved["change_event"]
    assert event is not None
    got = as_("it_viewer").get(f"{API}/benefits/{made['id']}").json()
    assert got["at_risk"] is True and got["at_risk_days"] == 17  # 2027-02-01 - 2027-01-15
    assert got["at_risk_until"] == "2027-02-01" and got["at_risk_event_id"] == event["id"]
    assert "BEN-UP milestone 'Ledger ready' moved from 2027-01-10 to 2027-02-01" in (
        got["at_risk_cause"])
    assert planned_months(as_, made["id"])[0] == "2027-01"  # the plan waits for its owner
    listed = as_("it_pm").get(f"{API}/benefits?at_risk=true").json()
    assert [b["id"] for b in listed["items"]] == [made["id"]]
    rollup = as_("exec").get(f"{API}/benefits/rollup?by=department").json()
    assert rollup["total"]["at_risk"] == 1
    page = as_("it_pm").get("/benefits")
    assert 'data-testid="at-risk"' in page.text and "at risk 17 d" in page.text
    # IT's manager replans go-live past the pushed day: the plan moves, the risk is gone.
    move_milestone(as_, "it_pm", golive, "2027-02-03")
    got = as_("it_pm").get(f"{API}/benefits/{made['id']}").json()
    assert got["at_risk"] is False and got["at_risk_cause"] == ""
    assert planned_months(as_, made["id"])[0] == "2027-02"


def test_an_approved_request_carries_its_benefits(as_: Clients, world: World,
                                                  requests: Requests) -> None:
    made = requests.submit(sponsor_id=world.people["it_lead"], duration_months=9,
                           benefit_value="120000", benefits="Close in 3 days, not 8")
    decided = requests.decide(requests.move(made, "triage"), "approve", "it_lead").json()
    project_id = decided["project_id"]
    carried = as_("it_pm").get(f"{API}/projects/{project_id}/benefits").json()
    assert len(carried) == 1
    benefit = carried[0]
    assert benefit["source_request_id"] == made["id"]
    assert benefit["owner_id"] == world.people["it_lead"] and benefit["unit"] == "money"
    assert benefit["target"] == "120000.00" and benefit["planned_total"] == "120000.00"
    detail = as_("it_pm").get(f"{API}/benefits/{benefit['id']}").json()
    assert detail["description"] == "Close in 3 days, not 8"
    planned = [p for p in detail["periods"] if p["planned"] != "0.00"]
    # The project finishes 2027-10-01: a year of 10000 a month from November.
    assert [p["period"] for p in planned] == (
        [f"2027-{m:02d}" for m in (11, 12)] + [f"2028-{m:02d}" for m in range(1, 11)])
    assert {p["planned"] for p in planned} == {"10000.00"}


def test_a_request_without_benefits_carries_none(as_: Clients, requests: Requests) -> None:
    made = requests.submit(benefits="", benefit_value=None)
    decided = requests.decide(made, "approve").json()
    assert as_("admin").get(f"{API}/projects/{decided['project_id']}/benefits").json() == []
