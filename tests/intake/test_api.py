"""The intake API: submit, read, list, filter, change, withdraw; every bad input named."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Clients
from tests.factories import Maker
from tests.intake.conftest import API, Requests, fields_of
from tests.world import World


def test_submit_and_read_back_everything(requests: Requests, as_: Clients, world: World,
                                         goals: dict[str, int]) -> None:
    made = requests.submit(
        sponsor_id=world.people["it_lead"], benefits="Faster close", benefit_value="250000",
        risks="Vendor lock-in", risk_rating=3, category="data", headcount=4,
        mandatory=True, mandatory_reason="Regulator asks for it",
        goals=[{"goal_id": goals["GROW"], "contribution": "60"}],
        demand=[{"role": "lead", "period": "2027-Q1", "fte_months": "3"},
                {"role": "Project manager", "period": "2027-Q2", "fte_months": "1.5"}])
    assert made["code"] == "REQ-0001" and made["stage"] == "submitted" and made["revision"] == 1
    assert made["requester_id"] == world.users["it_member"]
    assert made["requester_name"] == "It Member" and made["sponsor_name"] == "It Lead"
    assert made["costs"] == [{"period": "2027", "amount": "50000.00"},
                             {"period": "2028", "amount": "20000.50"}]
    assert made["cost_total"] == "70000.50"
    # a role is matched whatever its case and stored as people spell it
    assert [(d["role"], d["period"], d["fte_months"]) for d in made["demand"]] == [
        ("Lead", "2027-Q1", "3.00"), ("Project manager", "2027-Q2", "1.50")]
    assert made["goals"] == [{"goal_id": goals["GROW"], "contribution": "60.00",
                              "code": "GROW", "name": "Goal GROW"}]
    assert made["mandatory"] is True and made["tier"] == 3 and made["decider"] == "department_lead"
    assert made["reviewers"].startswith("The lead of IT")
    again = as_("it_member").get(f"{API}/{made['id']}").json()
    assert again == made
    second = requests.submit(code="CUSTOM-1")
    assert second["code"] == "CUSTOM-1"
    assert requests.submit()["code"] == "REQ-0002"


def test_list_filters_and_pages(requests: Requests, as_: Clients, world: World) -> None:
    a = requests.submit(title="Alpha platform")
    requests.submit(title="Beta tool")
    requests.submit("fin_pm", "FIN", title="Gamma ledger")
    requests.move(a, "triage")
    admin = as_("admin")
    assert admin.get(API).json()["total"] == 3
    assert [r["title"] for r in admin.get(API, params={"stage": "triage"}).json()["items"]] == [
        "Alpha platform"]
    by_dept = admin.get(API, params={"department_id": world.departments["FIN"]}).json()
    assert [r["title"] for r in by_dept["items"]] == ["Gamma ledger"]
    assert admin.get(API, params={"q": "beta"}).json()["total"] == 1
    page = admin.get(API, params={"limit": 2}).json()
    assert (len(page["items"]), page["total"], page["items"][0]["title"]) == (2, 3, "Gamma ledger")
    assert admin.get(API, params={"stage": "nonsense"}).status_code == 422
    mine = as_("it_member").get(API, params={"mine": "true"}).json()
    assert mine["total"] == 2


def test_access_is_scoped(requests: Requests, as_: Clients) -> None:
    it = requests.submit()
    fin = requests.submit("fin_pm", "FIN")
    assert as_("it_viewer").get(f"{API}/{it['id']}").status_code == 200
    assert as_("it_viewer").get(f"{API}/{fin['id']}").status_code == 404
    assert as_("fin_lead").get(f"{API}/{it['id']}").status_code == 404
    assert as_("hr_viewer").get(API).json()["total"] == 0
    assert as_("exec").get(API).json()["total"] == 2
    assert as_("fin_lead").patch(f"{API}/{it['id']}", json={"version": 1, "title": "x"}
                                 ).status_code == 404


@pytest.mark.parametrize("user", ["it_viewer", "exec"])
def test_viewers_and_executives_cannot_submit(user: str, requests: Requests,
                                              as_: Clients) -> None:
    r = as_(user).post(API, json=requests.body())
    assert r.status_code == 403, r.text


def test_cannot_submit_for_another_department(requests: Requests, as_: Clients) -> None:
    r = as_("it_member").post(API, json=requests.body("FIN"))
    assert r.status_code == 403
    assert requests.submit("admin", "HR")["department_code"] == "HR"


BAD: list[tuple[dict[str, Any], str, str]] = [
    ({"costs": [{"period": "2027", "amount": "1"}, {"period": "2028", "amount": "-5"}]},
     "costs.1.amount", "Costs, line 2: Amount must be 0 or more"),
    ({"costs": [{"period": "27", "amount": "1"}]}, "costs.0.period", "Costs, line 1: Period must be a year such as 2027"),
    ({"costs": [{"period": "1999", "amount": "1"}]}, "costs.0.period", "between 2000 and 2100"),
    ({"costs": [{"period": "2027", "amount": "1"}, {"period": "2027", "amount": "2"}]},
     "costs.1.period", "listed twice"),
    ({"demand": [{"role": "Lead", "period": "2027-Q5", "fte_months": "1"}]},
     "demand.0.period", "Demand, line 1: Period must be a quarter such as 2027-Q1"),
    ({"demand": [{"role": "Lead", "period": "2101-Q1", "fte_months": "1"}]},
     "demand.0.period", "between 2000 and 2100"),
    ({"demand": [{"role": "Lead", "period": "2027-Q1", "fte_months": "-1"}]},
     "demand.0.fte_months", "Demand, line 1: FTE-months must be 0 or more"),
    ({"demand": [{"role": "Astronaut", "period": "2027-Q1", "fte_months": "1"}]},
     "demand.0.role", "Unknown role 'Astronaut'; known roles: Lead, Project manager"),
    ({"demand": [{"role": "Lead", "period": "2027-Q1", "fte_months": "1"},
                 {"role": "lead", "period": "2027-Q1", "fte_months": "2"}]},
     "demand.1.period", "listed twice"),
    ({"goals": [{"goal_id": 999999}]}, "goals.0.goal_id", "no such goal"),
    ({"dependencies": [{"on_request_id": 999999}]}, "dependencies.0.on_request_id",
     "no such request"),
    ({"dependencies": [{"on_project_id": 999999}]}, "dependencies.0.on_project_id",
     "no such project"),
    ({"dependencies": [{"note": "neither"}]}, "dependencies.0", "exactly one"),
    ({"sponsor_id": 999999}, "sponsor_id", "no such person"),
    ({"department_id": 999999}, "department_id", "no such department"),
    ({"mandatory": True}, "mandatory_reason", "why it is mandatory"),
    ({"risk_rating": 6}, "risk_rating", "Risk rating must be 5 or less"),
    ({"duration_months": 0}, "duration_months", "Duration (months) must be 1 or more"),
    ({"benefit_value": "-1"}, "benefit_value", "Benefit value must be 0 or more"),
]


@pytest.mark.parametrize(("fields", "field", "message"), BAD)
def test_bad_input_names_the_field(fields: dict[str, Any], field: str, message: str,
                                   requests: Requests, as_: Clients) -> None:
    r = as_("admin").post(API, json=requests.body(**fields))
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    errors = {e["field"]: e["message"] for e in r.json()["errors"]}
    assert field in errors, errors
    assert message in errors[field], errors[field]
    assert as_("admin").get(API).json()["total"] == 0  # nothing half-written


def test_unknown_role_lists_known_roles_briefly(requests: Requests, as_: Clients, db: Any,
                                                world: World) -> None:
    from epmo.org.models import Person
    for i in range(20):
        db.add(Person(code=f"R{i}", name=f"Role person {i}", role=f"Role {i:02d}",
                      department_id=world.departments["IT"]))
    db.flush()
    r = as_("admin").post(API, json=requests.body(
        demand=[{"role": "Astronaut", "period": "2027-Q1", "fte_months": "1"}]))
    message = r.json()["errors"][0]["message"]
    assert "known roles: Lead, Project manager, Role 00" in message and "and 10 more" in message
    assert as_("it_member").get("/api/v1/intake/roles").json()[:2] == ["Lead", "Project manager"]


def test_duplicate_code_is_a_conflict(requests: Requests, as_: Clients) -> None:
    requests.submit(code="DUP-1")
    r = as_("it_member").post(API, json=requests.body(code="DUP-1"))
    assert r.status_code == 409 and fields_of(r) == ["code"]


def test_update_replaces_lists_and_checks_version(requests: Requests, as_: Clients) -> None:
    made = requests.submit()
    client = as_("it_member")
    r = client.patch(f"{API}/{made['id']}", json={
        "version": made["version"], "title": "Renamed",
        "costs": [{"period": "2029", "amount": "2000000"}]})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["title"] == "Renamed" and body["costs"] == [{"period": "2029",
                                                             "amount": "2000000.00"}]
    assert body["demand"] == made["demand"]  # not sent: kept
    assert body["tier"] == 1 and body["decider"] == "epmo"  # the size rule: >= 1 M is tier 1
    assert body["version"] == made["version"] + 1
    stale = client.patch(f"{API}/{made['id']}", json={"version": made["version"], "title": "x"})
    assert stale.status_code == 409 and stale.json()["current_version"] == body["version"]
    bad = client.patch(f"{API}/{made['id']}", json={
        "version": body["version"], "costs": [{"period": "2029", "amount": "-1"}]})
    assert bad.status_code == 422 and fields_of(bad) == ["costs.0.amount"]
    other = as_("it_pm").patch(f"{API}/{made['id']}", json={"version": body["version"],
                                                            "title": "theirs"})
    assert other.status_code == 403  # may read, may not change
    lead = as_("it_lead").patch(f"{API}/{made['id']}", json={"version": body["version"],
                                                             "title": "By the lead"})
    assert lead.status_code == 200


def test_no_changes_once_in_scoring(requests: Requests, as_: Clients) -> None:
    made = requests.move(requests.move(requests.submit(), "triage"), "scoring")
    r = as_("it_member").patch(f"{API}/{made['id']}", json={"version": made["version"],
                                                            "title": "late"})
    assert r.status_code == 422 and fields_of(r) == ["stage"]


def test_delete_only_while_submitted_by_requester_or_admin(requests: Requests,
                                                           as_: Clients) -> None:
    made = requests.submit()
    assert as_("it_lead").delete(f"{API}/{made['id']}",
                                 params={"version": made["version"]}).status_code == 403
    moved = requests.move(made, "triage")
    r = as_("it_member").delete(f"{API}/{made['id']}", params={"version": moved["version"]})
    assert r.status_code == 422
    other = requests.submit()
    assert as_("it_member").delete(f"{API}/{other['id']}",
                                   params={"version": other["version"]}).status_code == 204
    assert as_("it_member").get(f"{API}/{other['id']}").status_code == 404


def test_dependencies_on_requests_and_projects(requests: Requests, as_: Clients,
                                               make: Maker) -> None:
    first = requests.submit(title="Foundation")
    project = make.project("IT", code="P-1", name="Existing")
    made = requests.submit(dependencies=[{"on_request_id": first["id"], "note": "needs it"},
                                         {"on_project_id": project["id"]}])
    assert made["dependencies"] == [
        {"on_request_id": first["id"], "on_project_id": None, "note": "needs it",
         "code": first["code"]},
        {"on_request_id": None, "on_project_id": project["id"], "note": "", "code": "P-1"}]
    self_dep = as_("it_member").patch(f"{API}/{made['id']}", json={
        "version": made["version"], "dependencies": [{"on_request_id": made["id"]}]})
    assert fields_of(self_dep) == ["dependencies.0.on_request_id"]
    blocked = as_("it_member").delete(f"{API}/{first['id']}", params={"version": 1})
    assert blocked.status_code == 422
    hidden = requests.submit("fin_pm", "FIN")
    r = as_("it_member").post(API, json=requests.body(
        dependencies=[{"on_request_id": hidden["id"]}]))
    assert fields_of(r) == ["dependencies.0.on_request_id"]  # unseen looks like missing
