"""What-if, the network graph, the department matrix, health, critical chains and the CLI."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from epmo.cli import app
from epmo.network.models import ChangeEvent, NetworkDate
from epmo.portfolio.models import Milestone
from tests.network.conftest import API, Net
from tests.web.helpers import Browser, login
from tests.world import World

runner = CliRunner()


def _counts(db: Session) -> tuple[int, int]:
    return (db.scalar(select(func.count()).select_from(ChangeEvent)) or 0,
            db.scalar(select(func.count()).select_from(NetworkDate)) or 0)


def test_what_if_saves_nothing(chain: Net, db: Session, world: World) -> None:
    before = _counts(db)
    r = chain.as_("it_pm").post(f"{API}/impact", json={
        "changes": [{"milestone_id": chain.m("A1"), "slip_days": 10}]})
    assert r.status_code == 200, r.text
    result = r.json()
    assert (result["moved"], result["max_slip"]) == (2, 8)
    assert [i["name"] for i in result["impacts"]] == ["Milestone B1"]
    assert result["hidden"] == [{"department_id": world.departments["FIN"], "count": 1,
                                 "max_slip": 5}]
    by_date = chain.as_("admin").post(f"{API}/impact", json={
        "changes": [{"milestone_id": chain.m("A1"), "new_date": "2027-01-20"}]}).json()
    assert [(i["name"], i["slip_days"]) for i in by_date["impacts"]] == [
        ("Milestone B1", 8), ("Milestone C1", 5)]
    assert _counts(db) == before
    milestone = db.get(Milestone, chain.m("A1"))
    assert milestone is not None and milestone.forecast_date.isoformat() == "2027-01-10"


def test_what_if_bad_input(chain: Net) -> None:
    def post(body: object) -> int:
        return chain.as_("it_pm").post(f"{API}/impact", json=body).status_code

    assert post({"changes": []}) == 422
    assert post({"changes": [{"milestone_id": chain.m("A1")}]}) == 422
    assert post({"changes": [{"milestone_id": chain.m("A1"), "slip_days": 1,
                              "new_date": "2027-01-01"}]}) == 422
    r = chain.as_("it_pm").post(f"{API}/impact", json={
        "changes": [{"milestone_id": chain.m("C1"), "slip_days": 3}]})
    assert r.status_code == 404  # Finance's private milestone
    assert r.json()["errors"][0]["field"] == "changes.0.milestone_id"
    assert post({"changes": [{"milestone_id": 2**40, "slip_days": 1}]}) == 422


def test_graph_hides_other_departments_private_nodes(chain: Net, world: World) -> None:
    graph = chain.as_("it_pm").get(f"{API}/network").json()
    ids = {n["data"]["id"] for n in graph["nodes"]}
    assert f"M{chain.m('A1')}" in ids and f"M{chain.m('B1')}" in ids
    assert f"M{chain.m('C1')}" not in ids and f"D{world.departments['FIN']}" in ids
    assert {(e["data"]["source"], e["data"]["target"]) for e in graph["edges"]} == {
        (f"M{chain.m('A1')}", f"M{chain.m('B1')}"),
        (f"M{chain.m('B1')}", f"D{world.departments['FIN']}")}
    admin = chain.as_("admin").get(f"{API}/network", params={
        "department_id": world.departments["FIN"]}).json()
    assert f"M{chain.m('C1')}" in {n["data"]["id"] for n in admin["nodes"]}
    chain.move("admin", "A1", "2027-01-20")
    slipped = chain.as_("admin").get(f"{API}/network").json()
    slips = {n["data"]["id"]: n["data"]["slip"] for n in slipped["nodes"]}
    assert slips[f"M{chain.m('B1')}"] == 8 and slips[f"M{chain.m('C1')}"] == 5


def test_matrix_and_health_of_a_known_network(chain: Net, world: World) -> None:
    chain.as_("admin").post(f"{API}/dependencies", json={
        "predecessor_project_id": chain.projects["B"]["id"],
        "successor_project_id": chain.projects["A"]["id"]})
    chain.move("admin", "A1", "2027-01-20")
    it, fin = world.departments["IT"], world.departments["FIN"]
    cells = {(c["from_department_id"], c["to_department_id"]): c
             for c in chain.as_("it_viewer").get(f"{API}/network/matrix").json()}
    assert (cells[(it, fin)]["total"], cells[(it, fin)]["accepted"]) == (1, 1)
    assert cells[(it, fin)]["slip_days_in_flight"] == 8
    assert (cells[(fin, fin)]["total"], cells[(fin, it)]["total"]) == (1, 1)
    health = chain.as_("admin").get(f"{API}/network/health").json()
    # A and B have other departments taking part; both have declared dependencies.
    assert (health["cross_department_projects"], health["with_declared_dependencies"]) == (2, 2)
    assert (health["cross_dependencies"], health["acknowledged"]) == (2, 2)
    assert health["share_acknowledged"] == 1.0
    # The A1 slip, and linking B -> A, which pushed A's start from January to B's finish.
    assert health["open_events_by_age"]["under 1 day"] == 2


def test_critical_chain_of_a_programme(chain: Net) -> None:
    programme = chain.as_("admin").post(f"{API}/programs", json={
        "code": "NET-PRG", "name": "Network programme",
        "department_id": chain.world.departments["FIN"]}).json()
    for key in ("A", "B", "C"):
        project = chain.as_("admin").get(f"{API}/projects/{chain.projects[key]['id']}").json()
        r = chain.as_("admin").patch(f"{API}/projects/{project['id']}", json={
            "version": project["version"], "programme_id": programme["id"]})
        assert r.status_code == 200, r.text
    found = chain.as_("admin").get(f"{API}/network/critical-chain",
                                   params={"programme_id": programme["id"]}).json()
    assert found["finish"] == "2027-01-15"
    assert found["nodes"] == [f"M{chain.m('C1')}"]  # C1 has slack: only itself sets the end
    assert found["floats"][f"M{chain.m('A1')}"] == 5
    bad = chain.as_("admin").get(f"{API}/network/critical-chain")
    assert bad.status_code == 422
    missing = chain.as_("admin").get(f"{API}/network/critical-chain", params={"goal_id": 99999})
    assert missing.status_code == 404


def test_cli_impact(chain: Net) -> None:
    result = runner.invoke(app, ["network", "impact", "--milestone", str(chain.m("A1")),
                                 "--slip", "10", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["moved"], data["max_slip"]) == (2, 8)
    table = runner.invoke(app, ["network", "impact", "--milestone", str(chain.m("A1")),
                                "--slip", "10"])
    assert "2 items move downstream (max slip 8 days)" in table.output
    assert "Milestone C1" in table.output
    missing = runner.invoke(app, ["network", "impact", "--milestone", "999999", "--slip", "1"])
    assert missing.exit_code != 0 and "Milestone 999999 not found" in str(missing.exception)


def test_pages(chain: Net, world: World) -> None:
    client = chain.as_("fin_pm")
    event = chain.move("it_pm", "A1", "2027-01-20").json()["change_event"]
    for url in ("/network", "/network/matrix", "/dependencies", "/dependencies?status=proposed",
                "/change-events", f"/change-events/{event['id']}", "/network/health-card"):
        r = client.get(url)
        assert r.status_code == 200, (url, r.text[:300])
    page = client.get(f"/change-events/{event['id']}").text
    assert "Milestone C1" in page and 'id="acknowledge"' in page
    assert "Network health" in client.get("/network/health-card").text
    assert 'hx-get="/network/health-card"' in client.get("/").text
    assert 'href="/network"' in client.get("/").text


def post(browser: Browser, url: str, data: dict[str, str]) -> Any:
    """Post a page's form with its CSRF token."""
    return browser.post_form(url, data)


def test_forms(chain: Net, app: object, world: World, db: Session) -> None:
    it_pm, fin_pm = login(app, world, "it_pm"), login(app, world, "fin_pm")
    r = post(it_pm, "/dependencies", {"predecessor_milestone_id": str(chain.m("A1")),
                                     "successor_milestone_id": str(chain.m("A1")),
                                     "type": "FS", "lag_days": "0", "criticality": "low"})
    assert r.status_code == 422 and "cannot link an end to itself" in r.text
    chain.milestone("B2", "B", "2027-02-01")
    r = post(it_pm, "/dependencies", {"predecessor_milestone_id": str(chain.m("A1")),
                                     "successor_milestone_id": str(chain.m("B2")),
                                     "type": "SS", "lag_days": "3", "criticality": "high",
                                     "note": "kick-off"})
    assert r.status_code == 303, r.text
    listed = fin_pm.client.get("/dependencies?status=proposed").text
    assert "Accept" in listed and "Milestone B2" in listed
    dep = chain.as_("admin").get(f"{API}/dependencies", params={"status": "proposed"}).json()
    dep_id = dep["items"][0]["id"]
    r = post(fin_pm, f"/dependencies/{dep_id}/decline", {"comment": ""})
    assert r.status_code == 422 and "say why you decline" in r.text
    assert post(fin_pm, f"/dependencies/{dep_id}/accept", {"comment": "ok"}).status_code == 303
    r = post(it_pm, "/network/what-if", {"milestone_id": str(chain.m("A1")), "slip_days": "10"})
    assert r.status_code == 200 and "items move downstream" in r.text
    assert "data-highlight" in r.text
    event = chain.move("it_pm", "A1", "2027-01-20").json()["change_event"]
    assert post(fin_pm, f"/change-events/{event['id']}/acknowledge",
                       {"department_id": str(world.departments["FIN"])}).status_code == 303
    r = post(fin_pm, f"/change-events/{event['id']}/respond",
                    {"department_id": str(world.departments["FIN"]), "response": "absorb",
                     "comment": "we have float"})
    assert r.status_code == 303
    page = fin_pm.client.get(f"/change-events/{event['id']}").text
    assert "we have float" in page and "absorb" in page
    r = post(it_pm, f"/change-events/{event['id']}/respond", {"response": "absorb"})
    assert r.status_code == 403
