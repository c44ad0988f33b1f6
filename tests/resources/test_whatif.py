"""What-if scenarios through the API: a hire, a leave and a move laid over the heatmap, the
comparison with the baseline in exact figures, the queue's earliest start moving, refusals in
words and who may do what."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from tests.conftest import Clients
from tests.resources.conftest import API, YEAR, month

END_FEB = str(date(YEAR, 3, 1) - timedelta(days=1))


def _scenario(as_: Clients, user: str = "it_lead", name: str = "Plan A") -> dict[str, Any]:
    r = as_(user).post(f"{API}/resources/scenarios", json={"name": name,
                                                           "description": "<i>what if</i>"})
    assert r.status_code == 201, r.text
    return dict(r.json())


def _change(as_: Clients, scenario: dict[str, Any], world: Any, user: str = "it_lead",
            **fields: Any) -> Any:
    body = {"kind": "hire", "department_id": world.departments["IT"], "role": "data engineer",
            "fte": "1", "starts": f"{YEAR}-01-01", "ends": f"{YEAR}-03-31"} | fields
    return as_(user).post(f"{API}/resources/scenarios/{scenario['id']}/changes", json=body)


def _heat(as_: Clients, **params: Any) -> dict[str, Any]:
    r = as_("exec").get(f"{API}/resources/heatmap",
                        params={"start": month(1), "months": 3} | params)
    assert r.status_code == 200, r.text
    return dict(r.json())


def _capacity(heat: dict[str, Any], dept: str) -> list[float]:
    row = next(r for r in heat["rows"] if r["department"] == dept and r["role"] == "Data engineer")
    return [c["capacity"] for c in row["cells"]]


def _it_overloads(heat: dict[str, Any]) -> list[str]:
    return [o["month"] for o in heat["overloads"] if o["department"] == "IT"]


def _compare(as_: Clients, scenario: dict[str, Any]) -> dict[str, Any]:
    r = as_("exec").get(f"{API}/resources/scenarios/{scenario['id']}/compare",
                        params={"start": month(1), "months": 3})
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_a_hire_removes_the_overload_in_the_scenario_only(as_: Clients, busy: dict[str, Any],
                                                          world: Any) -> None:
    plan = _scenario(as_)
    r = _change(as_, plan, world)
    assert r.status_code == 201, r.text
    assert (r.json()["role"], r.json()["department"], r.json()["kind"]) == (
        "Data engineer", "IT", "hire")  # the department's spelling of the role
    assert _it_overloads(_heat(as_)) == [month(1), month(2), month(3)]
    seen = _heat(as_, scenario_id=plan["id"])
    assert _capacity(seen, "IT") == [2.0, 2.0, 2.0] and _it_overloads(seen) == []
    compared = _compare(as_, plan)
    assert compared["rows"] == [{
        "department_id": world.departments["IT"], "department": "IT", "role": "Data engineer",
        "baseline_short": 3.0, "scenario_short": 0.0, "baseline_overloads": 3,
        "scenario_overloads": 0}]
    assert (compared["baseline_short"], compared["scenario_short"],
            compared["baseline_overloads"], compared["scenario_overloads"]) == (3.0, 0.0, 3, 0)
    r = _change(as_, plan, world, kind="leave", fte="1", starts=f"{YEAR}-03-01", ends=None)
    assert r.status_code == 201, r.text
    seen = _heat(as_, scenario_id=plan["id"])
    assert _capacity(seen, "IT") == [2.0, 2.0, 1.0] and _it_overloads(seen) == [month(3)]
    compared = _compare(as_, plan)
    assert (compared["scenario_short"], compared["scenario_overloads"]) == (1.0, 1)
    got = as_("exec").get(f"{API}/resources/scenarios/{plan['id']}").json()
    assert [c["kind"] for c in got["changes"]] == ["hire", "leave"]
    assert got["may_edit"] is False and got["description"] == "<i>what if</i>"


def test_a_move_shows_in_both_departments(as_: Clients, busy: dict[str, Any],
                                          world: Any) -> None:
    plan = _scenario(as_, "fin_lead", "FIN helps IT")
    r = _change(as_, plan, world, "fin_lead", kind="move",
                department_id=world.departments["FIN"], to_department_id=world.departments["IT"],
                ends=END_FEB)
    assert r.status_code == 201, r.text
    assert (r.json()["department"], r.json()["to_department"]) == ("FIN", "IT")
    seen = _heat(as_, scenario_id=plan["id"])
    assert _capacity(seen, "IT") == [2.0, 2.0, 1.0]
    assert _capacity(seen, "FIN") == [1.0, 1.0, 2.0]
    assert _it_overloads(seen) == [month(3)]
    compared = _compare(as_, plan)
    assert [(r["department"], r["baseline_short"], r["scenario_short"], r["baseline_overloads"],
             r["scenario_overloads"]) for r in compared["rows"]] == [
        ("FIN", 0.0, 0.0, 0, 0), ("IT", 3.0, 1.0, 3, 1)]
    assert (compared["baseline_short"], compared["scenario_short"]) == (3.0, 1.0)
    assert compared["queue_moves"] == []


def _request(as_: Clients, world: Any) -> None:
    r = as_("it_pm").post(f"{API}/intake/requests", json={
        "code": "REQ-DE", "title": "Request <REQ-DE>", "department_id": world.departments["IT"],
        "desired_start": f"{YEAR}-01-01",
        "demand": [{"role": "Data engineer", "period": f"{YEAR}-Q1", "fte_months": "3"}]})
    assert r.status_code == 201, r.text


def _earliest(as_: Clients, **params: Any) -> str:
    r = as_("exec").get(f"{API}/resources/queue", params=params)
    assert r.status_code == 200, r.text
    return str(next(i for i in r.json()["items"] if i["code"] == "REQ-DE")["earliest"])


def test_the_queue_moves_in_the_scenario(as_: Clients, busy: dict[str, Any], world: Any) -> None:
    _request(as_, world)
    plan = _scenario(as_)
    assert _change(as_, plan, world, fte="2", ends=None).status_code == 201
    assert _earliest(as_) == month(4)
    assert _earliest(as_, scenario_id=plan["id"]) == month(1)
    assert _compare(as_, plan)["queue_moves"] == [{
        "code": "REQ-DE", "title": "Request <REQ-DE>", "baseline": month(4),
        "scenario": month(1)}]
    other = _scenario(as_, "admin", "Nothing changes")
    r = as_("exec").get(f"{API}/resources/scenarios/compare",
                        params={"ids": f"{plan['id']},{other['id']}", "start": month(1),
                                "months": 3})
    assert r.status_code == 200, r.text
    assert [(c["name"], c["scenario_short"], len(c["queue_moves"])) for c in r.json()] == [
        ("Plan A", 0.0, 1), ("Nothing changes", 3.0, 0)]
    r = as_("exec").get(f"{API}/resources/scenarios/compare", params={"ids": "1,x"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "ids"
    for bad in ("\u00b2", "1,1", "0", "1,2,3,4,5,6"):
        r = as_("exec").get(f"{API}/resources/scenarios/compare", params={"ids": bad})
        assert r.status_code == 422, bad


def _error(r: Any) -> tuple[str, str]:
    assert r.status_code == 422, r.text
    first = r.json()["errors"][0]
    return first["field"], first["message"]


def test_refusals_say_what_is_wrong(as_: Clients, busy: dict[str, Any], world: Any) -> None:
    plan = _scenario(as_)
    assert _change(as_, plan, world, role="Astronaut").status_code == 201  # hiring one is fine
    field, message = _error(_change(as_, plan, world, kind="leave", role="Astronaut"))
    assert field == "role" and message.startswith(
        "IT has nobody with the role 'Astronaut' to lose (roles there: Data engineer, ")
    field, message = _error(_change(as_, plan, world, kind="leave", fte="3"))
    assert (field, message) == ("fte", "IT has 1 FTE of Data engineer: a leave of 3 FTE is more "
                                       "than that")
    field, message = _error(_change(as_, plan, world, kind="move",
                                    to_department_id=world.departments["IT"]))
    assert field == "to_department_id" and "not the one it comes from" in message
    assert _error(_change(as_, plan, world, kind="move"))[0] == "to_department_id"
    assert _error(_change(as_, plan, world, to_department_id=world.departments["FIN"])
                  )[0] == "to_department_id"
    field, message = _error(_change(as_, plan, world, ends=f"{YEAR - 1}-12-31"))
    assert (field, message) == ("ends", f"{YEAR - 1}-12-31 is before the start ({YEAR}-01-01)")
    assert _error(_change(as_, plan, world, department_id=99999))[0] == "department_id"
    assert _error(_change(as_, plan, world, kind="fire"))[0] == "kind"
    assert _error(_change(as_, plan, world, fte="0"))[0] == "fte"
    assert _change(as_, plan, world, kind="leave", starts=f"{YEAR}-03-01",
                   ends=None).status_code == 201
    field, message = _error(_change(as_, plan, world, kind="leave", fte="0.5",
                                    starts=f"{YEAR}-06-01", ends=None))
    assert (field, message) == ("fte", "IT has 1 FTE of Data engineer, 1 of it already leaving "
                                       "or moving away in this scenario meanwhile: a leave of "
                                       "0.5 FTE is more than that")
    assert _change(as_, plan, world, kind="leave", fte="0.5", ends=f"{YEAR}-02-28"
                   ).status_code == 201  # before the other leave starts
    r = as_("it_lead").post(f"{API}/resources/scenarios", json={"name": "Plan A"})
    assert r.status_code == 409 and r.json()["errors"][0]["field"] == "name"
    assert as_("exec").get(f"{API}/resources/heatmap",
                           params={"scenario_id": 99999}).status_code == 404


def test_who_may_do_what(as_: Clients, busy: dict[str, Any], world: Any) -> None:
    for user in ("hr_viewer", "exec", "it_pm"):
        r = as_(user).post(f"{API}/resources/scenarios", json={"name": f"By {user}"})
        assert r.status_code == 403, user
    plan = _scenario(as_)
    r = _change(as_, plan, world, "fin_lead")
    assert r.status_code == 403 and "Only the leads of IT" in r.text
    r = _change(as_, plan, world, "fin_lead", kind="move",
                department_id=world.departments["IT"], to_department_id=world.departments["FIN"])
    assert r.status_code == 403  # a move is planned by the sending department's leads
    change = _change(as_, plan, world).json()
    url = f"{API}/resources/capacity-changes/{change['id']}"
    assert as_("fin_lead").delete(url, params={"version": change["version"]}).status_code == 403
    assert as_("it_lead").delete(url, params={"version": 9}).status_code == 409
    r = as_("fin_lead").patch(f"{API}/resources/scenarios/{plan['id']}",
                              json={"version": plan["version"], "name": "Mine now"})
    assert r.status_code == 403
    r = as_("it_lead").patch(f"{API}/resources/scenarios/{plan['id']}",
                             json={"version": plan["version"], "name": "Plan B"})
    assert r.status_code == 200 and r.json()["name"] == "Plan B"
    r = as_("it_lead").patch(f"{API}/resources/scenarios/{plan['id']}",
                             json={"version": plan["version"], "name": "Plan C"})
    assert r.status_code == 409
    assert as_("it_lead").delete(url, params={"version": change["version"]}).status_code == 204
    assert [s["name"] for s in as_("hr_viewer").get(f"{API}/resources/scenarios").json()] == [
        "Plan B"]
    assert r.json()["current_version"] == plan["version"] + 1
    assert as_("admin").delete(f"{API}/resources/scenarios/{plan['id']}",
                               params={"version": plan["version"] + 1}).status_code == 204
    assert as_("exec").get(f"{API}/resources/scenarios/{plan['id']}").status_code == 404
