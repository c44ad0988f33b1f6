"""The diagnostics API: who opens, scores, completes and reads rounds; bad input in words."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from epmo.diagnostics.instrument import INSTRUMENTS
from tests.conftest import Clients
from tests.world import World

API = "/api/v1/diagnostics"
HOSTILE = "<script>alert(1)</script> \"quotes\" 'single' ünïcödé ☃"


def open_round(as_: Clients, department: int | None = None, **extra: Any) -> dict[str, Any]:
    """A round opened by the administrator."""
    body = {"name": "Round", "department_id": department} | extra
    r = as_("admin").post(f"{API}/rounds", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def score(as_: Clients, user: str, round_id: int, scores: dict[str, int],
          note: str = "") -> Any:
    """PUT the user's scores."""
    return as_(user).put(f"{API}/rounds/{round_id}/scores", json={
        "scores": [{"item_key": k, "score": v, "note": note} for k, v in scores.items()]})


def test_instruments_are_listed_with_every_level(as_: Clients, db: Session) -> None:
    r = as_("hr_viewer").get(f"{API}/instruments")
    assert r.status_code == 200
    current = next(i for i in r.json() if i["version"] == "2026.1")
    assert len(current["items"]) == len(INSTRUMENTS["2026.1"].items) >= 24
    assert all(len(i["levels"]) == 6 for i in current["items"])
    assert {i["practice"] for i in current["items"]} == {
        "portfolio_governance", "project_leadership", "ppm_administration"}
    assert as_("admin").get(f"{API}/instruments/1999.9").status_code == 404


def test_only_administrators_open_rounds(as_: Clients, world: World, db: Session) -> None:
    for user in ("exec", "it_lead", "it_pm", "it_viewer"):
        r = as_(user).post(f"{API}/rounds", json={"name": "Mine"})
        assert r.status_code == 403, (user, r.text)
    made = open_round(as_, name=HOSTILE, note=HOSTILE)
    assert made["name"] == HOSTILE and made["status"] == "open" and made["department"] == "Enterprise"
    bad = as_("admin").post(f"{API}/rounds", json={"name": "X", "instrument_version": "9.9"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "instrument_version"
    long = as_("admin").post(f"{API}/rounds", json={"name": "x" * 201})
    assert long.status_code == 422 and long.json()["errors"][0]["field"] == "name"
    gone = as_("admin").post(f"{API}/rounds", json={"name": "X", "department_id": 999999})
    assert gone.status_code == 422 and "999999" in gone.text


def test_score_out_of_range_names_the_item(as_: Clients, db: Session) -> None:
    made = open_round(as_)
    r = score(as_, "admin", made["id"], {"PG-INT-1": 3, "PA-REP-1": 7})
    assert r.status_code == 422
    errors = r.json()["errors"]
    assert errors == [{"field": "scores.PA-REP-1", "message": errors[0]["message"]}]
    assert "PA-REP-1" in errors[0]["message"] and "7" in errors[0]["message"]
    assert "0 to 5" in errors[0]["message"]
    unknown = score(as_, "admin", made["id"], {"XX-1": 2})
    assert unknown.status_code == 422 and "XX-1" in unknown.text
    text = as_("admin").put(f"{API}/rounds/{made['id']}/scores",
                            json={"scores": [{"item_key": "PG-INT-1", "score": "3"}]})
    assert text.status_code == 422  # strict: a number, not text
    twice = as_("admin").put(f"{API}/rounds/{made['id']}/scores", json={"scores": [
        {"item_key": "PG-INT-1", "score": 1}, {"item_key": "PG-INT-1", "score": 2}]})
    assert twice.status_code == 422 and "scored twice" in twice.text
    negative = score(as_, "admin", made["id"], {"PG-INT-2": -1})
    assert negative.status_code == 422 and "PG-INT-2" in negative.text
    assert as_("admin").get(f"{API}/rounds/{made['id']}/scores").json() == []  # nothing kept


def test_assessors_and_scope(as_: Clients, world: World, db: Session) -> None:
    enterprise = open_round(as_)
    it_round = open_round(as_, world.departments["IT"])
    assert score(as_, "it_lead", enterprise["id"], {"PG-INT-1": 2}).status_code == 200
    assert score(as_, "fin_lead", enterprise["id"], {"PG-INT-1": 4}).status_code == 200
    assert score(as_, "it_lead", it_round["id"], {"PG-INT-1": 1}).status_code == 200
    assert score(as_, "fin_lead", it_round["id"], {"PG-INT-1": 1}).status_code == 404
    for user in ("exec", "it_pm", "it_viewer"):
        assert score(as_, user, enterprise["id"], {"PG-INT-1": 1}).status_code == 403, user
    # readers: viewers read the enterprise's and their own department's rounds, not others'
    assert as_("it_viewer").get(f"{API}/rounds/{it_round['id']}/results").status_code == 200
    assert as_("hr_viewer").get(f"{API}/rounds/{it_round['id']}/results").status_code == 404
    assert as_("hr_viewer").get(f"{API}/rounds/{enterprise['id']}/results").status_code == 200
    listed = {r["id"] for r in as_("hr_viewer").get(f"{API}/rounds").json()["items"]}
    assert enterprise["id"] in listed and it_round["id"] not in listed
    assert as_("exec").get(f"{API}/rounds/{it_round['id']}/results").status_code == 200


def test_rescoring_replaces_and_results_aggregate(as_: Clients, world: World,
                                                  db: Session) -> None:
    made = open_round(as_)
    assert score(as_, "it_lead", made["id"], {"PG-INT-1": 1, "PG-INT-2": 2}).status_code == 200
    assert score(as_, "it_lead", made["id"], {"PG-INT-1": 2}, note=HOSTILE).status_code == 200
    assert score(as_, "fin_lead", made["id"], {"PG-INT-1": 4, "PA-REP-1": 5}).status_code == 200
    mine = as_("it_lead").get(f"{API}/rounds/{made['id']}/scores").json()
    assert {(s["item_key"], s["score"]) for s in mine} == {("PG-INT-1", 2), ("PG-INT-2", 2)}
    results = as_("exec").get(f"{API}/rounds/{made['id']}/results").json()
    items = {i["key"]: i for i in results["items"]}
    assert items["PG-INT-1"]["mean"] == 3.0 and items["PG-INT-1"]["assessors"] == 2
    assert (items["PG-INT-1"]["low"], items["PG-INT-1"]["high"]) == (2, 4)
    assert items["PG-INT-1"]["spread"] == 1.0
    assert items["PG-SEL-1"]["mean"] is None  # nobody scored it: no data, not 0
    caps = {c["capability"]: c for c in results["capabilities"]}
    assert caps["intake"]["mean"] == 2.5  # mean of item means 3.0 and 2.0
    assert caps["intake"]["level"] == "Repeatable"
    assert caps["status_reporting"]["mean"] == 5.0
    assert caps["selection"]["mean"] is None and caps["selection"]["level"] == "no data"
    practices = {p["practice"]: p["mean"] for p in results["practices"]}
    assert practices == {"portfolio_governance": 2.5, "project_leadership": None,
                         "ppm_administration": 5.0}
    assert results["weakest"][0]["capability"] == "intake"
    assert results["weakest"][-1]["mean"] is None
    heat = {(c["capability"], c["department"]): c["mean"] for c in results["heatmap"]}
    assert heat[("intake", "IT")] == 2.0 and heat[("intake", "FIN")] == 4.0
    assert heat[("status_reporting", "IT")] is None
    assert results["evidence_live"] is True and len(results["evidence"]) == 4


def test_completing_locks_the_round(as_: Clients, world: World, db: Session) -> None:
    made = open_round(as_)
    empty = as_("admin").post(f"{API}/rounds/{made['id']}/complete",
                              json={"version": made["version"]})
    assert empty.status_code == 409 and "no scores" in empty.json()["detail"]
    assert score(as_, "it_lead", made["id"], {"PG-INT-1": 2}).status_code == 200
    lead = as_("it_lead").post(f"{API}/rounds/{made['id']}/complete",
                               json={"version": made["version"]})
    assert lead.status_code == 403
    stale = as_("admin").post(f"{API}/rounds/{made['id']}/complete",
                              json={"version": made["version"] + 5})
    assert stale.status_code == 409
    done = as_("admin").post(f"{API}/rounds/{made['id']}/complete",
                             json={"version": made["version"]})
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "completed" and done.json()["may_assess"] is False
    locked = score(as_, "it_lead", made["id"], {"PG-INT-1": 5})
    assert locked.status_code == 409 and "locked" in locked.json()["detail"]
    again = as_("admin").post(f"{API}/rounds/{made['id']}/complete",
                              json={"version": done.json()["version"]})
    assert again.status_code == 409
    results = as_("admin").get(f"{API}/rounds/{made['id']}/results").json()
    assert results["evidence_live"] is False and len(results["evidence"]) == 4


def complete(as_: Clients, made: dict[str, Any]) -> None:
    """Complete a round as the administrator."""
    r = as_("admin").post(f"{API}/rounds/{made['id']}/complete",
                          json={"version": as_("admin").get(
                              f"{API}/rounds/{made['id']}").json()["version"]})
    assert r.status_code == 200, r.text


def test_trend_keeps_to_one_version_and_says_what_it_left_out(as_: Clients, world: World,
                                                              db: Session) -> None:
    pilot = open_round(as_, name="Pilot", instrument_version="2025.1")
    assert score(as_, "admin", pilot["id"], {"PG-INT-1": 1}).status_code == 200
    complete(as_, pilot)
    first = open_round(as_, name="First")
    assert score(as_, "admin", first["id"], {"PG-INT-1": 1, "PL-CHG-1": 2}).status_code == 200
    complete(as_, first)
    it_round = open_round(as_, world.departments["IT"], name="IT only")
    assert score(as_, "admin", it_round["id"], {"PG-INT-1": 5}).status_code == 200
    complete(as_, it_round)  # another scope: never in the enterprise's trend
    second = open_round(as_, name="Second")
    assert score(as_, "admin", second["id"], {"PG-INT-1": 3}).status_code == 200
    pilot_item = score(as_, "admin", pilot["id"], {"PG-INT-2": 3})
    assert pilot_item.status_code == 409  # the pilot is locked (and has no PG-INT-2 anyway)
    results = as_("exec").get(f"{API}/rounds/{second['id']}/results").json()
    trend = results["trend"]
    assert [t["name"] for t in trend] == ["First", "Second"]
    assert trend[0]["practices"] == {"portfolio_governance": 1.0, "project_leadership": 2.0,
                                     "ppm_administration": None}
    assert trend[1]["completed_at"] is None and trend[1]["practices"]["portfolio_governance"] == 3.0
    assert "Pilot (version 2025.1)" in results["trend_note"]
    assert "IT only" not in results["trend_note"]
    pilot_items = as_("exec").get(f"{API}/rounds/{pilot['id']}/results").json()["items"]
    assert len(pilot_items) == len(INSTRUMENTS["2025.1"].items)


def test_departments_compared_from_their_latest_rounds(as_: Clients, world: World,
                                                       db: Session) -> None:
    for dept, scores in (("IT", {"PG-INT-1": 1}), ("IT", {"PG-INT-1": 3, "PG-INT-2": 4}),
                         ("FIN", {"PA-REP-1": 2})):
        made = open_round(as_, world.departments[dept], name=f"{dept} round")
        assert score(as_, "admin", made["id"], scores).status_code == 200
        complete(as_, made)
    open_round(as_, world.departments["HR"])  # open: not compared
    found = as_("exec").get(f"{API}/departments").json()
    assert found["departments"] == ["FIN", "IT"]
    cells = {(c["capability"], c["department"]): c["mean"] for c in found["cells"]}
    assert cells[("intake", "IT")] == 3.5  # the latest IT round: (3 + 4) / 2
    assert cells[("status_reporting", "FIN")] == 2.0 and cells[("intake", "FIN")] is None
    assert as_("hr_viewer").get(f"{API}/departments").json()["departments"] == []
    assert as_("it_viewer").get(f"{API}/departments").json()["departments"] == ["IT"]
    assert as_("exec").get(f"{API}/departments", params={"version": "0"}).status_code == 404
