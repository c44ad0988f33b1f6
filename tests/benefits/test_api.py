"""The benefits API: who may read and write, validation in words, hostile text, plan and actuals."""

from __future__ import annotations

from typing import Any

import pytest

from tests.benefits.conftest import API, create
from tests.conftest import Clients
from tests.world import World

HOSTILE = "<script>alert(1)</script> \"quotes\" 'single' — ünïcödé 🚀"


def test_pm_creates_and_reads_totals(as_: Clients, project: dict[str, Any],
                                     world: World) -> None:
    made = create(as_, "it_pm", project["id"], owner_id=world.people["it_lead"],
                  responsible_id=world.people["it_pm"],
                  evidence=[{"url": "https://ledger.example.org/inv", "label": "ledger"}])
    assert made["owner_name"] == "It Lead" and made["responsible_name"] == "It Pm"
    assert made["planned_total"] == "600.00"
    # "today" is 2027-07-15: January to June are complete months, all planned.
    assert made["planned_to_date"] == "600.00" and made["realised_to_date"] == "0.00"
    assert made["behind"] is True
    assert made["anchor_name"] == "project finish" and made["anchor_date"] == "2027-03-31"
    assert [p["period"] for p in made["periods"]][:2] == ["2027-01", "2027-02"]
    listed = as_("it_viewer").get(f"{API}/projects/{project['id']}/benefits").json()
    assert [b["id"] for b in listed] == [made["id"]]


@pytest.mark.parametrize("user,status", [("admin", 201), ("it_lead", 201), ("it_pm", 201),
                                         ("it_member", 403), ("it_viewer", 403),
                                         ("exec", 403), ("fin_lead", 404), ("hr_viewer", 404)])
def test_who_may_create(as_: Clients, project: dict[str, Any], user: str, status: int) -> None:
    r = as_(user).post(f"{API}/benefits", json={"name": "x", "project_id": project["id"]})
    assert r.status_code == status, r.text


def test_a_pm_of_the_department_who_does_not_manage_it_may_not(
        as_: Clients, make: Any, world: World) -> None:
    other = make.project("IT", code="BEN-OTHER", manager_id=world.people["it_lead"])
    r = as_("it_pm").post(f"{API}/benefits", json={"name": "x", "project_id": other["id"]})
    assert r.status_code == 403 and "manager" in r.json()["detail"]


def test_readers(as_: Clients, project: dict[str, Any]) -> None:
    made = create(as_, "it_pm", project["id"])
    for user, status in (("exec", 200), ("it_viewer", 200), ("fin_lead", 404),
                         ("hr_viewer", 404)):
        assert as_(user).get(f"{API}/benefits/{made['id']}").status_code == status, user
    assert as_("hr_viewer").get(f"{API}/benefits").json()["total"] == 0
    assert as_("exec").get(f"{API}/benefits").json()["total"] == 1
    r = as_("it_viewer").patch(f"{API}/benefits/{made['id']}",
                               json={"version": made["version"], "name": "mine"})
    assert r.status_code == 403


@pytest.mark.parametrize("field,value,words", [
    ("name", "", "Name"),
    ("unit", "x" * 31, "Unit"),
    ("confidence", 101, "Confidence"),
    ("offset_months", -1, "Offset months"),
    ("target", "-5", "Target"),
    ("kind", "magic", "Kind"),
    ("evidence", [{"url": "javascript:alert(1)"}], "Evidence"),
    ("evidence", [{"url": "ftp://files.example.org/x"}], "Evidence"),
])
def test_422_names_the_field(as_: Clients, project: dict[str, Any], field: str, value: Any,
                             words: str) -> None:
    r = as_("it_pm").post(f"{API}/benefits", json={"name": "A benefit",
                                                   "project_id": project["id"], field: value})
    assert r.status_code == 422, r.text
    fields = [e["field"] for e in r.json()["errors"]]
    assert any(f.startswith(field) for f in fields), fields
    assert words in " ".join(e["message"] for e in r.json()["errors"])


def test_service_rules_name_the_field(as_: Clients, project: dict[str, Any], make: Any,
                                      golive: dict[str, Any]) -> None:
    twice = [{"period": "2027-01", "amount": "1"}, {"period": "2027-01", "amount": "2"}]
    r = as_("it_pm").post(f"{API}/benefits", json={"name": "x", "project_id": project["id"],
                                                   "plan": twice})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "plan"
    other = make.project("IT", code="BEN-ELSE")
    ms = as_("admin").post(f"{API}/projects/{other['id']}/milestones",
                           json={"name": "Else", "forecast_date": "2027-02-01"}).json()
    r = as_("it_pm").post(f"{API}/benefits", json={"name": "x", "project_id": project["id"],
                                                   "anchor_milestone_id": ms["id"]})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "anchor_milestone_id"
    r = as_("it_pm").post(f"{API}/benefits", json={"name": "x", "project_id": project["id"],
                                                   "owner_id": 2_000_000})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "owner_id"
    r = as_("it_pm").post(f"{API}/benefits", json={"name": "x"})
    assert r.status_code == 422
    assert as_("it_pm").get(f"{API}/benefits?project_id=9999999999").status_code == 422


def test_hostile_text_is_kept(as_: Clients, project: dict[str, Any]) -> None:
    made = create(as_, "it_pm", project["id"], name=HOSTILE, description=HOSTILE * 50,
                  measure=HOSTILE, unit="£ ünïts")
    got = as_("it_pm").get(f"{API}/benefits/{made['id']}").json()
    assert (got["name"], got["measure"], got["unit"]) == (HOSTILE, HOSTILE, "£ ünïts")
    page = as_("it_pm").get(f"/benefits/{made['id']}")
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


def test_plan_actuals_and_versions(as_: Clients, project: dict[str, Any],
                                   world: World) -> None:
    made = create(as_, "it_pm", project["id"])
    bid = made["id"]
    r = as_("it_pm").put(f"{API}/benefits/{bid}/actuals",
                         json={"period": "2027-02", "amount": "80", "note": HOSTILE})
    assert r.status_code == 200, r.text
    actual = r.json()
    assert actual["recorded_by"] == world.email("it_pm") and actual["note"] == HOSTILE
    r = as_("it_pm").put(f"{API}/benefits/{bid}/actuals",
                         json={"period": "2027-08", "amount": "80"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "period"
    r = as_("it_pm").put(f"{API}/benefits/{bid}/actuals",
                         json={"period": "0000-13", "amount": "1"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "period"
    assert "must be a month such as 2027-03" in r.json()["errors"][0]["message"]
    r = as_("it_pm").put(f"{API}/benefits/{bid}/actuals?version=99",
                         json={"period": "2027-02", "amount": "90"})
    assert r.status_code == 409
    got = as_("it_pm").get(f"{API}/benefits/{bid}").json()
    assert got["realised_to_date"] == "80.00"
    assert {p["period"]: p["actual"] for p in got["periods"]}["2027-02"] == "80.00"
    r = as_("it_pm").put(f"{API}/benefits/{bid}/plan", json={
        "version": got["version"], "lines": [{"period": "2027-05", "amount": "50"}]})
    assert r.status_code == 200, r.text
    assert r.json()["planned_total"] == "50.00" and r.json()["version"] == got["version"] + 1
    stale = as_("it_pm").put(f"{API}/benefits/{bid}/plan", json={
        "version": got["version"], "lines": []})
    assert stale.status_code == 409
    r = as_("it_pm").delete(f"{API}/benefits/{bid}/actuals/2027-02?version={actual['version']}")
    assert r.status_code == 204
    r = as_("it_pm").delete(f"{API}/benefits/{bid}?version={r.status_code and 1}")
    assert r.status_code == 409  # the plan replace stepped the version
    r = as_("it_pm").delete(f"{API}/benefits/{bid}?version={got['version'] + 1}")
    assert r.status_code == 204


def test_changing_the_offset_moves_the_plan(as_: Clients, project: dict[str, Any]) -> None:
    made = create(as_, "it_pm", project["id"])
    r = as_("it_pm").patch(f"{API}/benefits/{made['id']}",
                           json={"version": made["version"], "offset_months": 2})
    assert r.status_code == 200, r.text
    planned = [p["period"] for p in r.json()["periods"] if p["planned"] != "0.00"]
    assert planned == [f"2027-{m:02d}" for m in range(3, 9)]
