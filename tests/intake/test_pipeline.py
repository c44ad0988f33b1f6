"""The pipeline, decisions, routing by tier and charter, resubmission and notifications."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from epmo.contracts import service as contracts_service
from epmo.notifications.models import Notification
from tests.charter.conftest import Charters, charters, levels  # noqa: F401 (fixture)
from tests.conftest import Clients
from tests.intake.conftest import API, Requests, fields_of
from tests.world import World


def _notes(db: Session, user_id: int) -> list[Notification]:
    query = select(Notification).where(Notification.user_id == user_id).order_by(Notification.id)
    return list(db.scalars(query))


def test_forward_one_step_or_back_one_step(requests: Requests, as_: Clients) -> None:
    made = requests.submit()
    assert made["next_stages"] == ["triage"]
    triage = requests.move(made, "triage", "it_lead")
    assert triage["next_stages"] == ["scoring", "submitted"]
    skip = as_("it_lead").post(f"{API}/{made['id']}/stage",
                               json={"stage": "decision", "version": triage["version"]})
    assert skip.status_code == 422 and fields_of(skip) == ["stage"]
    assert "allowed: scoring, submitted" in skip.json()["errors"][0]["message"]
    back = requests.move(triage, "submitted", "it_lead")
    assert back["stage"] == "submitted"
    stale = as_("it_lead").post(f"{API}/{made['id']}/stage",
                                json={"stage": "triage", "version": made["version"]})
    assert stale.status_code == 409


@pytest.mark.parametrize("user", ["it_member", "it_pm", "it_viewer", "exec"])
def test_only_deciders_move_or_decide(user: str, requests: Requests, as_: Clients) -> None:
    made = requests.submit()
    moved = as_(user).post(f"{API}/{made['id']}/stage", json={"stage": "triage", "version": 1})
    assert moved.status_code == 403, moved.text
    assert requests.decide(made, "approve", user).status_code == 403


def test_other_departments_lead_gets_404(requests: Requests) -> None:
    made = requests.submit()
    assert requests.decide(made, "approve", "fin_lead").status_code == 404


def test_approve_creates_the_project_with_the_requests_data(
        requests: Requests, as_: Clients, world: World, goals: dict[str, int]) -> None:
    made = requests.submit(sponsor_id=world.people["it_lead"], headcount=5, risk_rating=4,
                           duration_months=9, problem="Month-end takes too long",
                           goals=[{"goal_id": goals["GROW"], "contribution": "70"},
                                  {"goal_id": goals["COST"], "contribution": "30"}])
    r = requests.decide(requests.move(made, "triage"), "approve", "it_lead", reason="Go")
    assert r.status_code == 200, r.text
    decided = r.json()
    assert (decided["stage"], decided["decision"], decided["decision_reason"]) == (
        "approved", "approve", "Go")
    assert decided["decided_by_name"] == "It Lead" and decided["project_code"] == "PRJ-0001"
    project = as_("it_member").get(f"/api/v1/projects/{decided['project_id']}").json()
    assert project["code"] == "PRJ-0001" and project["name"] == made["title"]
    assert project["description"] == "Month-end takes too long"
    assert project["department_id"] == world.departments["IT"]
    assert project["sponsor_id"] == world.people["it_lead"] and project["stage"] == "approved"
    assert (project["planned_start"], project["planned_finish"]) == ("2027-01-01", "2027-10-01")
    assert project["budget_planned"] == "70000.50"
    assert (project["headcount"], project["risk_rating"]) == (5, 4)
    assert sorted((g["code"], g["weight"]) for g in project["goals"]) == [
        ("COST", "30.00"), ("GROW", "70.00")]
    again = requests.decide(decided, "reject", reason="changed my mind")
    assert again.status_code == 422 and fields_of(again) == ["stage"]


def test_approve_without_desired_start_starts_next_quarter(requests: Requests,
                                                           as_: Clients) -> None:
    made = requests.submit(desired_start=None, code="REQ-0042")
    project_id = requests.decide(made, "approve").json()["project_id"]
    project = as_("admin").get(f"/api/v1/projects/{project_id}").json()
    assert project["code"] == "PRJ-0042"
    start = project["planned_start"]
    assert start[5:] in ("01-01", "04-01", "07-01", "10-01")


def test_not_yet_reject_and_defer_need_a_reason(requests: Requests) -> None:
    made = requests.submit()
    for decision in ("not_yet", "reject", "defer"):
        r = requests.decide(made, decision)
        assert r.status_code == 422 and fields_of(r) == ["reason"], r.text
    typed = requests.decide(made, "not_yet", reason="capacity", earliest_start="2027-Q3")
    assert typed.status_code == 422 and fields_of(typed) == ["earliest_start"]  # the queue's


def _queued(as_: Clients, code: str) -> str | None:
    items = as_("exec").get("/api/v1/resources/queue").json()["items"]
    return next(i["earliest"] for i in items if i["code"] == code)  # type: ignore[no-any-return]


def test_not_yet_gets_the_queues_earliest_start_and_may_be_decided_again(
        requests: Requests, as_: Clients, db: Session) -> None:
    made = requests.submit()
    assert made["earliest_start"] == _queued(as_, made["code"]) is not None
    r = requests.decide(made, "not_yet", reason="No data engineers until Q3")
    waiting = r.json()
    assert (waiting["stage"], waiting["earliest_start"]) == ("not_yet", _queued(as_, made["code"]))
    note = _notes(db, waiting["requester_id"])[-1]
    assert f"Earliest feasible start as capacity stands: {waiting['earliest_start']}." in note.body
    approved = requests.decide(waiting, "approve").json()
    assert approved["stage"] == "approved" and approved["earliest_start"] is None


def test_defer(requests: Requests) -> None:
    made = requests.submit()
    deferred = requests.decide(made, "defer", "it_lead", reason="After the merger").json()
    assert (deferred["stage"], deferred["decision"]) == ("deferred", "defer")


def test_reject_then_revise_and_resubmit(requests: Requests, as_: Clients) -> None:
    made = requests.submit()
    rejected = requests.decide(made, "reject", "it_lead", reason="Too vague").json()
    assert rejected["stage"] == "rejected"
    assert as_("it_lead").post(f"{API}/{made['id']}/resubmit",
                               json={"version": rejected["version"]}).status_code == 403
    client = as_("it_member")
    edited = client.patch(f"{API}/{made['id']}", json={
        "version": rejected["version"], "problem": "Month-end close takes 9 days"}).json()
    r = client.post(f"{API}/{made['id']}/resubmit", json={
        "version": edited["version"], "title": "Faster month-end close"})
    assert r.status_code == 200, r.text
    again = r.json()
    assert (again["stage"], again["revision"], again["decision"]) == ("submitted", 2, None)
    assert again["decision_reason"] == "" and again["decided_by_id"] is None
    assert again["title"] == "Faster month-end close"
    assert again["problem"] == "Month-end close takes 9 days"
    twice = client.post(f"{API}/{made['id']}/resubmit", json={"version": again["version"]})
    assert twice.status_code == 422 and fields_of(twice) == ["stage"]


def test_tier_one_goes_to_the_epmo(requests: Requests, as_: Clients) -> None:
    big = requests.submit(costs=[{"period": "2027", "amount": "1500000"}])
    assert big["tier"] == 1 and big["decider"] == "epmo"
    assert "tier 1 requests are decided by the EPMO" in big["reviewers"]
    assert requests.decide(big, "approve", "it_lead").status_code == 403
    assert requests.decide(big, "approve", "admin").status_code == 200
    mid = requests.submit(costs=[{"period": "2027", "amount": "150000"}])
    assert mid["tier"] == 2 and mid["decider"] == "department_lead"


def test_tier_rules_classify_when_they_exist(requests: Requests, as_: Clients,
                                            db: Session) -> None:
    contracts_service.ensure_defaults(db)
    db.flush()
    rules = as_("admin").get("/api/v1/tiers").json()
    for rule in rules:
        rule.update({"min_budget": "0", "min_duration_days": 0, "min_headcount": 0,
                     "min_risk": 0})
        if rule["tier"] == 1:
            rule.update({"min_headcount": 50, "min_budget": "1000000"})
        if rule["tier"] == 2:
            rule["min_budget"] = "60000"
    r = as_("admin").put("/api/v1/tiers", json={"rules": rules})
    assert r.status_code == 200, r.text
    assert requests.submit()["tier"] == 2  # 70,000.50 reaches tier 2's budget
    assert requests.submit(headcount=60)["tier"] == 1
    assert requests.submit(costs=[])["tier"] == max(r["tier"] for r in rules)


def test_controlling_authority_routes_to_the_epmo(requests: Requests, charters: Charters,  # noqa: F811
                                                  as_: Clients) -> None:
    made = requests.submit()
    charters.publish(departments={"IT": {"portfolio_governance": "controlling"}})
    routed = as_("it_member").get(f"{API}/{made['id']}").json()
    assert routed["decider"] == "epmo"
    assert "controlling authority over portfolio governance in IT" in routed["reviewers"]
    assert requests.decide(made, "approve", "it_lead").status_code == 403
    assert as_("it_lead").post(f"{API}/{made['id']}/stage",
                               json={"stage": "triage", "version": 1}).status_code == 403
    fin = requests.submit("fin_pm", "FIN")
    assert fin["decider"] == "department_lead"  # the default (supportive) leaves it to FIN
    assert requests.decide(fin, "approve", "fin_lead").status_code == 200
    assert requests.decide(made, "approve", "admin").status_code == 200


def test_directive_default_routes_every_department_to_the_epmo(
        requests: Requests, charters: Charters) -> None:  # noqa: F811
    charters.publish(defaults=levels(pg="directive"))
    made = requests.submit("fin_pm", "FIN")
    assert made["decider"] == "epmo" and "directive" in made["reviewers"]


def test_reviewers_and_requester_are_notified(requests: Requests, db: Session,
                                              world: World) -> None:
    made = requests.submit("it_pm", "IT-INFRA")  # no lead in IT-INFRA: IT's lead decides
    lead_notes = _notes(db, world.users["it_lead"])
    assert [(n.kind, n.link) for n in lead_notes] == [("intake.submitted",
                                                        f"/intake/{made['id']}")]
    assert made["code"] in lead_notes[0].subject
    assert _notes(db, world.users["admin"]) == []
    big = requests.submit(costs=[{"period": "2027", "amount": "5000000"}])
    assert [(n.kind, n.link) for n in _notes(db, world.users["admin"])] == [
        ("intake.submitted", f"/intake/{big['id']}")]
    requests.decide(made, "reject", "it_lead", reason="Not now")
    mine = _notes(db, world.users["it_pm"])
    assert [n.kind for n in mine] == ["intake.decided"]
    assert "rejected" in mine[0].subject and "Not now" in mine[0].body


def test_selection_can_call_decide_request_directly(requests: Requests, db: Session) -> None:
    from epmo.auth.policy import SYSTEM
    from epmo.intake.schemas import RequestDecision
    from epmo.intake.service import decide_request
    made = requests.submit()
    decided = decide_request(db, SYSTEM, made["id"], RequestDecision(
        decision="not_yet", reason="capacity: Lead in 2027-Q1", version=made["version"]),
        starts={made["id"]: "2027-09"})  # the queue's answers, asked once by the caller
    assert (decided.stage, decided.earliest_start, decided.decided_by_id) == (
        "not_yet", "2027-09", None)
