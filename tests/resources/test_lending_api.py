"""Lending through the API: a project asks Finance for a data engineer, Finance counters, the
project takes the offer, Finance confirms; capacity moves; the queue's earliest start moves."""

from __future__ import annotations

from typing import Any

from tests.conftest import Clients
from tests.resources.conftest import API, YEAR, month


def _ask(as_: Clients, project: dict[str, Any], world: Any, user: str = "it_pm",
         **fields: Any) -> Any:
    body = {"project_id": project["id"], "lender_department_id": world.departments["FIN"],
            "role": "data engineer", "fte": "2", "starts": f"{YEAR}-01-01",
            "ends": f"{YEAR}-03-31", "note": "<b>migration</b> peak"} | fields
    return as_(user).post(f"{API}/lending", json=body)


def _answer(as_: Clients, user: str, lending: dict[str, Any], action: str, **fields: Any) -> Any:
    return as_(user).post(f"{API}/lending/{lending['id']}/answer",
                          json={"action": action, "version": lending["version"]} | fields)


def _kinds(as_: Clients, user: str) -> list[str]:
    found = as_(user).get(f"{API}/notifications").json()
    items = found["items"] if isinstance(found, dict) else found
    return [n["event"]["kind"] if "event" in n else n.get("kind") for n in items]


def _it_capacity(as_: Clients) -> float:
    heat = as_("exec").get(f"{API}/resources/heatmap",
                           params={"start": month(1), "months": 1}).json()
    row = next(r for r in heat["rows"]
               if r["department"] == "IT" and r["role"] == "Data engineer")
    return float(row["cells"][0]["capacity"])


def test_the_whole_handshake_moves_capacity(as_: Clients, busy: dict[str, Any],
                                            world: Any) -> None:
    r = _ask(as_, busy, world)
    assert r.status_code == 201, r.text
    lending = r.json()
    assert (lending["status"], lending["role"], lending["lender"]) == (
        "requested", "Data engineer", "FIN")
    assert "lending.requested" in _kinds(as_, "fin_lead")
    assert _answer(as_, "it_pm", lending, "accept").status_code == 403
    r = _answer(as_, "fin_lead", lending, "counter", fte="1", starts=f"{YEAR}-02-01")
    assert r.status_code == 200, r.text
    lending = r.json()
    assert lending["status"] == "countered" and float(lending["offer_fte"]) == 1.0
    assert "lending.counter" in _kinds(as_, "it_pm")
    assert _it_capacity(as_) == 1.0  # nothing booked yet
    lending = _answer(as_, "it_pm", lending, "take_offer").json()
    assert (lending["status"], float(lending["fte"]), lending["starts"]) == (
        "soft", 1.0, f"{YEAR}-02-01")
    lending = _answer(as_, "fin_lead", lending, "confirm").json()
    assert lending["status"] == "hard" and lending["may_answer"] == ["decline"]
    mine = as_("it_pm").get(f"{API}/lending/{lending['id']}").json()
    assert mine["may_answer"] == ["cancel"]
    heat = as_("exec").get(f"{API}/resources/heatmap",
                           params={"start": month(2), "months": 1}).json()
    cells = {r["department"]: r["cells"][0] for r in heat["rows"]
             if r["role"] == "Data engineer"}
    assert (cells["IT"]["capacity"], cells["IT"]["borrowed"]) == (2.0, 1.0)
    assert (cells["FIN"]["capacity"], cells["FIN"]["lent"]) == (1.0, 1.0)
    assert _it_capacity(as_) == 1.0  # January is outside the offer


def test_refusals_say_what_is_wrong(as_: Clients, busy: dict[str, Any], world: Any) -> None:
    r = _ask(as_, busy, world, role="Astronaut")
    assert r.status_code == 422
    assert r.json()["errors"][0] == {
        "field": "role", "message": "FIN has nobody with the role 'Astronaut' (roles there: "
        "Data engineer, Lead, Project manager)"} | {
        k: v for k, v in r.json()["errors"][0].items() if k not in ("field", "message")}
    r = _ask(as_, busy, world, starts=f"{YEAR - 1}-12-01")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "starts"
    assert "before IT-DATA starts" in r.json()["errors"][0]["message"]
    r = _ask(as_, busy, world, lender_department_id=world.departments["IT"])
    assert r.status_code == 422 and "its role demand plans its own people" in r.text
    r = _ask(as_, busy, world, fte="-1")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "fte"
    assert _ask(as_, busy, world, user="fin_pm").status_code == 404  # not their project
    lending = _ask(as_, busy, world).json()
    r = _answer(as_, "fin_lead", lending, "decline")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "comment"
    assert _answer(as_, "fin_lead", lending | {"version": 99}, "accept").status_code == 409
    done = _answer(as_, "fin_lead", lending, "decline", comment="year-end close").json()
    assert done["status"] == "declined"
    assert _answer(as_, "fin_lead", done, "accept").status_code == 409
    assert as_("hr_viewer").get(f"{API}/lending/{lending['id']}").status_code == 404


def _request(as_: Clients, world: Any, code: str, fte_months: str) -> None:
    r = as_("it_pm").post(f"{API}/intake/requests", json={
        "code": code, "title": f"Request {code}", "department_id": world.departments["IT"],
        "desired_start": f"{YEAR}-01-01",
        "demand": [{"role": "Data engineer", "period": f"{YEAR}-Q1", "fte_months": fte_months}]})
    assert r.status_code == 201, r.text


def _earliest(as_: Clients) -> dict[str, Any]:
    r = as_("exec").get(f"{API}/resources/queue")
    assert r.status_code == 200, r.text
    return {i["code"]: i for i in r.json()["items"]}


def test_lending_moves_the_queues_earliest_start(as_: Clients, busy: dict[str, Any],
                                                 world: Any) -> None:
    _request(as_, world, "REQ-DE", "3")  # 1 FTE a month through Q1
    before = _earliest(as_)["REQ-DE"]
    assert before["wanted"] == month(1) and before["earliest"] == month(4)
    assert before["reason"].startswith(f"REQ-DE moved from {month(1)} to {month(4)}: "
                                       "IT · Data engineer short by")
    lending = _ask(as_, busy, world, fte="2").json()
    _answer(as_, "fin_lead", lending, "accept")
    after = _earliest(as_)["REQ-DE"]
    assert after["earliest"] == month(1) and after["moved_by"] == 0 and after["reason"] == ""


def test_a_placeholder_counts_as_capacity_but_is_not_lent_by_name(
        as_: Clients, busy: dict[str, Any], world: Any) -> None:
    r = as_("fin_lead").post(f"{API}/people", json={
        "code": "FIN-DE-HIRE", "name": "Data engineer (to hire)", "role": "Data engineer",
        "department_id": world.departments["FIN"], "placeholder": True})
    assert r.status_code == 201, r.text
    assert r.json()["placeholder"] is True
    heat = as_("exec").get(f"{API}/resources/heatmap",
                           params={"start": month(1), "months": 1}).json()
    fin = next(r for r in heat["rows"]
               if r["department"] == "FIN" and r["role"] == "Data engineer")
    assert fin["cells"][0]["capacity"] == 3.0  # two engineers and the planned hire
    r = _ask(as_, busy, world, person_id=r.json()["id"])
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "person_id"


def test_booking_a_person_of_ones_own_department_by_name(
        as_: Clients, busy: dict[str, Any], world: Any, engineers: dict[str, int]) -> None:
    person = engineers["it_de"]
    r = _ask(as_, busy, world, lender_department_id=world.departments["IT"], person_id=person,
             fte="0.5", starts=f"{YEAR}-02-01", ends=f"{YEAR}-02-28")
    assert r.status_code == 201, r.text
    assert _answer(as_, "it_lead", r.json(), "accept").json()["status"] == "soft"
    assert _it_capacity(as_) == 1.0  # inside the department: no capacity moves
    weeks = as_("it_pm").get(f"{API}/resources/people", params={
        "department_id": world.departments["IT"], "start": f"{YEAR}-02-08", "weeks": 1}).json()
    row = next(p for p in weeks["people"] if p["person_id"] == person)
    assert row["cells"][0]["booked"] == 20.0  # half of a five-day week


def test_heatmap_and_queue_are_reused_until_a_write(cache_on: None, as_: Clients,
                                                    busy: dict[str, Any], world: Any,
                                                    engineers: dict[str, int],
                                                    db: Any) -> None:
    from sqlalchemy import text
    _request(as_, world, "REQ-C", "3")
    assert _it_capacity(as_) == 1.0 and _earliest(as_)["REQ-C"]["earliest"] == month(4)
    # behind epmo's back (no audit entry): the cached figures stay
    db.execute(text("UPDATE person SET weekly_capacity_hours = 80 WHERE code = 'IT_DE'"))
    assert _it_capacity(as_) == 1.0 and _earliest(as_)["REQ-C"]["earliest"] == month(4)
    lending = _ask(as_, busy, world, fte="2").json()  # a write through epmo ...
    _answer(as_, "fin_lead", lending, "accept")
    # ... shows at once; the supply is kept until a write to people, calendars, holidays or
    # departments (heatmap.SUPPLY), so the hours changed behind epmo's back wait for one
    assert _it_capacity(as_) == 1.0 + 2.0
    # a write to someone else is patched in (their row counted again): IT_DE's still waits
    member = as_("admin").get(f"{API}/people/{world.people['it_member']}").json()
    r = as_("admin").patch(f"{API}/people/{member['id']}",
                           json={"version": member["version"], "name": "IT member"})
    assert r.status_code == 200, r.text
    assert _it_capacity(as_) == 1.0 + 2.0
    # a write to IT_DE reads them again
    de = as_("admin").get(f"{API}/people/{engineers['it_de']}").json()
    r = as_("admin").patch(f"{API}/people/{de['id']}",
                           json={"version": de["version"], "name": "IT data engineer"})
    assert r.status_code == 200, r.text
    assert _it_capacity(as_) == 2.0 + 2.0  # both changes now
    assert _earliest(as_)["REQ-C"]["earliest"] == month(1)


def test_a_request_wanting_to_start_beyond_the_horizon_says_so(as_: Clients,
                                                                engineers: dict[str, int],
                                                                world: Any) -> None:
    late = YEAR + 4
    r = as_("it_pm").post(f"{API}/intake/requests", json={
        "code": "REQ-LATE", "title": "Later", "department_id": world.departments["IT"],
        "desired_start": f"{late}-06-01",
        "demand": [{"role": "Data engineer", "period": f"{late}-Q3", "fte_months": "1"}]})
    assert r.status_code == 201, r.text
    item = _earliest(as_)["REQ-LATE"]
    assert (item["wanted"], item["earliest"]) == (f"{late}-07", None)
    assert item["reason"].startswith(f"REQ-LATE wants to start in {late}-07, after the 36 "
                                      "months planned")
