"""The business case API: figures of a worked case, every role, refusals naming the field,
stale versions, the approved case frozen, hostile text stored as sent."""

from __future__ import annotations

from typing import Any

import pytest

from tests.business_case.conftest import API, HOSTILE, lines
from tests.conftest import Clients


def _fields(r: Any) -> list[str]:
    return [e["field"] for e in r.json().get("errors", [])]


def test_figures_of_the_worked_case(as_: Clients, case: dict[str, Any]) -> None:
    r = as_("exec").get(f"{API}/business-cases/{case['case']['id']}")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["years"] == [0, 1, 2, 3] and body["owner_name"] == "Admin"
    a, b = body["option_list"]
    assert (a["name"], b["name"]) == ("A", "B")
    assert a["authority"] == {"portfolio_governance": "controlling"}
    assert a["staffing_fte"] == "3.50"
    # -1000, then 500 a year at 10 %: 500 x 2.486852 - 1000
    figures = a["figures"]
    assert figures["npv"] == "243.43" and figures["total_cost"] == "1300.00"
    assert figures["total_benefit"] == "1800.00" and figures["roi_percent"] == "38.46"
    assert figures["payback_years"] == "2.00" and figures["discounted_payback_years"] == "2.35"
    assert figures["irr_percent"] == "23.38" and figures["irr_unique"] is True
    assert figures["net_by_year"] == ["-1000.00", "500.00", "500.00", "500.00"]
    assert b["figures"]["npv"].startswith("-") and b["figures"]["payback_years"] is None
    assert b["figures"]["irr_percent"] == "-48.98"  # -2000, then 150 a year: a loss


def test_comparison(as_: Clients, case: dict[str, Any]) -> None:
    r = as_("it_lead").get(f"{API}/business-cases/{case['case']['id']}/comparison")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["best_npv_option_id"] == case["options"]["A"]["id"]
    assert body["steps_percent"] == [-30, -20, -10, 0, 10, 20, 30]
    table = body["options"][0]["sensitivity"]
    assert table["rates_percent"] == ["8.00", "10.00", "12.00"]
    assert [row["change_percent"] for row in table["rows"]] == [-30, -20, -10, 0, 10, 20, 30]
    assert table["rows"][3]["npv"] == "243.43"
    # benefits -30 %: -1000, then 420 - 100 = 320 a year at 10 %: 320 x 2.486852 - 1000
    assert table["rows"][0]["npv"] == "-204.21"


@pytest.mark.parametrize(("user", "reads"), [
    ("admin", True), ("exec", True), ("it_lead", True), ("fin_lead", True),
    ("it_pm", False), ("it_member", False), ("it_viewer", False), ("hr_viewer", False)])
def test_who_reads(as_: Clients, case: dict[str, Any], user: str, reads: bool) -> None:
    case_id = case["case"]["id"]
    option_id = case["options"]["A"]["id"]
    listed = as_(user).get(f"{API}/business-cases").json()
    assert (listed["total"] == 1) is reads
    for url in (f"{API}/business-cases/{case_id}", f"{API}/business-cases/{case_id}/comparison",
                f"{API}/business-case-options/{option_id}"):
        assert as_(user).get(url).status_code == (200 if reads else 404)
    assert as_(user).get(f"/business-case/{case_id}/pdf").status_code == (
        200 if reads else 404)


@pytest.mark.parametrize("user", ["exec", "it_lead", "it_pm", "it_member", "it_viewer"])
def test_only_epmo_admins_write(as_: Clients, case: dict[str, Any], user: str) -> None:
    case_id, option = case["case"]["id"], case["options"]["A"]
    client = as_(user)
    refused = 403 if user in ("exec", "it_lead") else 404  # a hidden case looks missing
    r = client.post(f"{API}/business-cases", json={"title": "Mine", "discount_rate": "8"})
    assert r.status_code == 403
    assert client.patch(f"{API}/business-cases/{case_id}", json={
        "version": case["case"]["version"], "title": "x"}).status_code == refused
    assert client.post(f"{API}/business-cases/{case_id}/options",
                       json={"name": "C"}).status_code == refused
    assert client.put(f"{API}/business-case-options/{option['id']}/lines",
                      json={"version": option["version"], "lines": []}).status_code == refused
    assert client.delete(f"{API}/business-case-options/{option['id']}",
                         params={"version": option["version"]}).status_code == refused
    assert as_.anon.get(f"{API}/business-cases").status_code == 401


@pytest.mark.parametrize(("body", "field"), [
    ({"title": "", "discount_rate": "8"}, "title"),
    ({"title": "x", "discount_rate": "50.01"}, "discount_rate"),
    ({"title": "x", "discount_rate": "-1"}, "discount_rate"),
    ({"title": "x", "discount_rate": "8", "horizon_years": 0}, "horizon_years"),
    ({"title": "x", "discount_rate": "8", "horizon_years": 16}, "horizon_years"),
    ({"title": "x", "discount_rate": "8", "currency": "eur"}, "currency"),
    ({"title": "x", "discount_rate": "8", "owner_id": 99999}, "owner_id"),
    ({"title": "x", "discount_rate": "8", "owner_id": 2**31}, "owner_id"),
    ({"title": "x\x00", "discount_rate": "8"}, "title"),
])
def test_bad_case_is_422_naming_the_field(as_: Clients, body: dict[str, Any],
                                          field: str) -> None:
    r = as_("admin").post(f"{API}/business-cases", json=body)
    assert r.status_code == 422, r.text
    assert field in _fields(r)
    if field == "currency":
        assert "three-letter currency code in capitals, such as EUR" in r.text


@pytest.mark.parametrize(("sent", "field", "words"), [
    ([{"year": 1, "kind": "cost", "category": "people", "amount": "-5"}], "lines.0.amount",
     "0 or more"),
    ([{"year": 4, "kind": "cost", "category": "people", "amount": "5"}], "lines.0.year",
     "beyond the case's horizon of 3 years"),
    ([{"year": 1, "kind": "cost", "category": "savings", "amount": "5"}], "lines.0.category",
     "is not a cost category"),
    ([{"year": 1, "kind": "benefit", "category": "savings", "amount": "5"},
      {"year": 1, "kind": "benefit", "category": "savings", "amount": "6"}], "lines.1.year",
     "already given on line 1"),
    ([{"year": 1, "kind": "gain", "category": "savings", "amount": "5"}], "lines.0.kind", ""),
    ([{"year": 1, "kind": "cost", "category": "people", "amount": "1e30"}], "lines.0.amount",
     ""),
])
def test_bad_lines_are_422_naming_the_line(as_: Clients, case: dict[str, Any],
                                           sent: list[dict[str, Any]], field: str,
                                           words: str) -> None:
    option = case["options"]["A"]
    r = as_("admin").put(f"{API}/business-case-options/{option['id']}/lines",
                         json={"version": option["version"], "lines": sent})
    assert r.status_code == 422, r.text
    assert field in _fields(r) and words in r.text
    kept = as_("admin").get(f"{API}/business-case-options/{option['id']}").json()
    assert kept["figures"]["npv"] == "243.43"  # nothing was changed


def test_lines_replace_and_versions(as_: Clients, case: dict[str, Any]) -> None:
    admin, option = as_("admin"), case["options"]["A"]
    url = f"{API}/business-case-options/{option['id']}/lines"
    r = admin.put(url, json={"version": option["version"], "lines": lines(
        {"people": [1000, 100, 100, 100]}, {"savings": [0, 600, 600, 0], "days_saved": [0, 0, 0, 700]})})
    assert r.status_code == 200, r.text
    assert r.json()["version"] == option["version"] + 1
    assert {(x["year"], x["category"]) for x in r.json()["lines"] if x["kind"] == "benefit"} == {
        (1, "savings"), (2, "savings"), (3, "days_saved")}
    stale = admin.put(url, json={"version": option["version"], "lines": []})
    assert stale.status_code == 409 and "version" in _fields(stale)
    r = admin.put(url, json={"version": r.json()["version"], "lines": []})
    assert r.status_code == 200 and r.json()["lines"] == []
    assert r.json()["figures"]["roi_percent"] is None and r.json()["figures"]["npv"] == "0.00"


def test_option_names_unique_and_one_recommended(as_: Clients, case: dict[str, Any]) -> None:
    admin, case_id = as_("admin"), case["case"]["id"]
    r = admin.post(f"{API}/business-cases/{case_id}/options", json={"name": "a"})
    assert r.status_code == 409 and _fields(r) == ["name"]
    a, b = case["options"]["A"], case["options"]["B"]
    r = admin.patch(f"{API}/business-case-options/{b['id']}", json={"version": b["version"],
                                                                     "name": "A"})
    assert r.status_code == 409 and _fields(r) == ["name"]
    r = admin.patch(f"{API}/business-case-options/{a['id']}",
                    json={"version": a["version"], "recommended": True, "staffing_fte": None})
    assert r.status_code == 200 and r.json()["staffing_fte"] is None
    r = admin.patch(f"{API}/business-case-options/{b['id']}",
                    json={"version": b["version"], "recommended": True})
    assert r.status_code == 200
    options = admin.get(f"{API}/business-cases/{case_id}").json()["option_list"]
    assert [o["recommended"] for o in options] == [False, True]
    r = admin.post(f"{API}/business-cases/{case_id}/options",
                   json={"name": "C", "authority": {"project_leadership": "absolute"}})
    assert r.status_code == 422 and "authority.project_leadership" in _fields(r)


def test_explicit_nulls_refused_naming_the_field(as_: Clients, case: dict[str, Any]) -> None:
    made, option = case["case"], case["options"]["A"]
    r = as_("admin").patch(f"{API}/business-cases/{made['id']}", json={
        "version": made["version"], "discount_rate": None, "status": None, "owner_id": None})
    assert r.status_code == 422 and set(_fields(r)) == {"discount_rate", "status"}
    r = as_("admin").patch(f"{API}/business-cases/{made['id']}",
                           json={"version": made["version"], "owner_id": None})
    assert r.status_code == 200 and r.json()["owner_name"] is None
    r = as_("admin").patch(f"{API}/business-case-options/{option['id']}",
                           json={"version": option["version"], "name": None})
    assert r.status_code == 422 and _fields(r) == ["name"]
    r = as_("admin").patch(f"{API}/business-case-options/{option['id']}",
                           json={"version": option["version"], "staffing_fte": "10000"})
    assert r.status_code == 422 and _fields(r) == ["staffing_fte"]
    r = as_("admin").patch(f"{API}/business-case-options/{option['id']}",
                           json={"version": option["version"], "staffing_fte": "9999",
                                 "authority": None})
    assert r.status_code == 200 and r.json()["authority"] == {}


def test_horizon_cannot_drop_below_used_years(as_: Clients, case: dict[str, Any]) -> None:
    made = case["case"]
    r = as_("admin").patch(f"{API}/business-cases/{made['id']}",
                           json={"version": made["version"], "horizon_years": 2})
    assert r.status_code == 422 and _fields(r) == ["horizon_years"]
    assert "amounts in year 3" in r.text
    r = as_("admin").patch(f"{API}/business-cases/{made['id']}",
                           json={"version": made["version"], "horizon_years": 6})
    assert r.status_code == 200 and r.json()["years"] == list(range(7))


def test_approved_case_is_frozen_until_reopened(as_: Clients, case: dict[str, Any]) -> None:
    admin, made, option = as_("admin"), case["case"], case["options"]["A"]
    r = admin.patch(f"{API}/business-cases/{made['id']}", json={
        "version": made["version"], "status": "approved",
        "decision_note": "Approved by the board"})
    assert r.status_code == 200, r.text
    version = r.json()["version"]
    r = admin.put(f"{API}/business-case-options/{option['id']}/lines",
                  json={"version": option["version"], "lines": []})
    assert r.status_code == 409 and _fields(r) == ["status"]
    assert admin.post(f"{API}/business-cases/{made['id']}/options",
                      json={"name": "C"}).status_code == 409
    r = admin.patch(f"{API}/business-cases/{made['id']}",
                    json={"version": version, "discount_rate": "9"})
    assert r.status_code == 409
    assert admin.delete(f"{API}/business-cases/{made['id']}",
                        params={"version": version}).status_code == 409
    r = admin.patch(f"{API}/business-cases/{made['id']}",
                    json={"version": version, "status": "draft", "discount_rate": "9"})
    assert r.status_code == 200 and r.json()["discount_rate"] == "9.00"


def test_hostile_text_is_stored_as_sent(as_: Clients, case: dict[str, Any]) -> None:
    admin = as_("admin")
    long = "é" * 200
    r = admin.post(f"{API}/business-cases", json={"title": HOSTILE, "description": HOSTILE,
                                                   "discount_rate": "7.5"})
    assert r.status_code == 201 and r.json()["title"] == HOSTILE
    r = admin.post(f"{API}/business-cases/{r.json()['id']}/options",
                   json={"name": long, "description": HOSTILE})
    assert r.status_code == 201 and r.json()["name"] == long
    assert admin.post(f"{API}/business-cases/{r.json()['case_id']}/options",
                      json={"name": long + "x"}).status_code == 422


def test_delete_case_and_option(as_: Clients, case: dict[str, Any]) -> None:
    admin, made, option = as_("admin"), case["case"], case["options"]["B"]
    assert admin.delete(f"{API}/business-case-options/{option['id']}",
                        params={"version": option["version"]}).status_code == 204
    assert admin.get(f"{API}/business-case-options/{option['id']}").status_code == 404
    assert admin.delete(f"{API}/business-cases/{made['id']}",
                        params={"version": made["version"] + 5}).status_code == 409
    assert admin.delete(f"{API}/business-cases/{made['id']}",
                        params={"version": made["version"]}).status_code == 204
    assert admin.get(f"{API}/business-cases/{made['id']}").status_code == 404
    assert admin.get(f"{API}/business-cases/{2**31}").status_code == 422


def test_writes_are_audited(as_: Clients, case: dict[str, Any]) -> None:
    option = case["options"]["A"]
    entries = as_("admin").get(f"{API}/audit", params={
        "entity": "business_case_line", "limit": 200}).json()
    assert {e["action"] for e in entries} == {"create"}
    assert len(entries) == 17  # A: 4 people + 3 savings; B: 4 people + 3 tools + 3 avoidance
    r = as_("admin").put(f"{API}/business-case-options/{option['id']}/lines", json={
        "version": option["version"], "lines": lines({"people": [900]}, {})})
    assert r.status_code == 200
    changed = as_("admin").get(f"{API}/audit", params={"entity": "business_case_line",
                                                       "limit": 200}).json()
    actions = sorted(e["action"] for e in changed if e["id"] > max(x["id"] for x in entries))
    assert actions == ["delete"] * 6 + ["update"]


def test_copy_an_option_with_its_amounts(as_: Clients, case: dict[str, Any]) -> None:
    admin, a = as_("admin"), case["options"]["A"]
    url = f"{API}/business-case-options/{a['id']}/copy"
    first = admin.post(url, json={})
    assert first.status_code == 201, first.text
    assert first.json()["name"] == "A (copy)" and first.json()["recommended"] is False
    assert first.json()["figures"] == a["figures"] and first.json()["authority"] == a["authority"]
    assert admin.post(url, json={}).json()["name"] == "A (copy 2)"
    named = admin.post(url, json={"name": "A, leaner"})
    assert named.status_code == 201 and named.json()["lines"] == a["lines"]
    assert admin.post(url, json={"name": "b"}).status_code == 409
    assert as_("exec").post(url, json={}).status_code == 403
    assert as_("it_pm").post(url, json={}).status_code == 404
