"""RAID registers through the API: kinds, scoring, owners, closing, top risks by scope."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from epmo.reporting.models import RaidItem
from tests.conftest import Clients
from tests.factories import Maker
from tests.reporting.conftest import API
from tests.world import World


def add(client: TestClient, project: dict[str, Any], **fields: Any) -> Any:
    """POST a RAID item (a 3 x 4 risk unless ``fields`` say otherwise)."""
    body = {"kind": "risk", "title": "Supplier slips", "probability": 3, "impact": 4} | fields
    return client.post(f"{API}/projects/{project['id']}/raid", json=body)


def test_risk_score_is_probability_times_impact(as_: Clients, make: Maker, world: World,
                                                db: Session) -> None:
    project = make.project("IT")
    r = add(as_("it_pm"), project, owner_id=world.people["it_lead"], raised_on="2026-01-10",
            due_on="2026-03-01", response="Second supplier")
    assert r.status_code == 201, r.text
    item = r.json()
    assert (item["score"], item["status"], item["owner_name"]) == (12, "open", "It Lead")
    assert db.scalar(select(RaidItem.score).where(RaidItem.id == item["id"])) == 12
    url = f"{API}/projects/{project['id']}/raid/{item['id']}"
    r = as_("it_pm").patch(url, json={"version": item["version"], "probability": 5})
    assert r.status_code == 200 and r.json()["score"] == 20
    closed = as_("it_pm").patch(url, json={"version": r.json()["version"], "status": "closed"})
    assert closed.json()["status"] == "closed" and closed.json()["score"] == 20


def test_kinds_and_their_ratings(as_: Clients, make: Maker) -> None:
    project = make.project("IT")
    client = as_("it_pm")
    issue = add(client, project, kind="issue", probability=None, impact=2)
    assert issue.status_code == 201 and issue.json()["score"] is None
    decision = add(client, project, kind="decision", title="Go with vendor B",
                   probability=None, impact=None)
    assert decision.status_code == 201
    change = add(client, project, kind="change", title="Add a site", probability=None,
                 impact=None)
    assert change.status_code == 201
    cases = [
        ({"probability": None}, "probability"),
        ({"impact": 6}, "impact"),
        ({"probability": 0}, "probability"),
        ({"kind": "issue"}, "probability"),
        ({"kind": "issue", "probability": None, "impact": None}, "impact"),
        ({"kind": "decision", "probability": None}, "impact"),
        ({"kind": "gossip"}, "kind"),
        ({"owner_id": 999999}, "owner_id"),
        ({"raised_on": "2026-03-01", "due_on": "2026-02-01"}, "due_on"),
        ({"title": ""}, "title"),
    ]
    for fields, field in cases:
        r = add(client, project, **fields)
        assert r.status_code == 422, (fields, r.text)
        assert field in {e["field"] for e in r.json()["errors"]}, (fields, r.json())
    listed = client.get(f"{API}/projects/{project['id']}/raid").json()
    assert listed["total"] == 3


def test_kind_change_must_fit_the_ratings(as_: Clients, make: Maker) -> None:
    project = make.project("IT")
    item = add(as_("it_pm"), project).json()
    url = f"{API}/projects/{project['id']}/raid/{item['id']}"
    r = as_("it_pm").patch(url, json={"version": item["version"], "kind": "decision"})
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["errors"]} == {"probability", "impact"}
    r = as_("it_pm").patch(url, json={"version": item["version"], "kind": "decision",
                                      "probability": None, "impact": None})
    assert r.status_code == 200 and r.json()["score"] is None


def test_register_rights_versions_and_filters(as_: Clients, make: Maker) -> None:
    project = make.project("IT")
    assert add(as_("it_viewer"), project).status_code == 403
    assert add(as_("fin_pm"), project).status_code == 404
    item = add(as_("it_lead"), project).json()
    add(as_("it_lead"), project, kind="issue", probability=None, impact=1)
    url = f"{API}/projects/{project['id']}/raid"
    assert as_("it_viewer").get(f"{url}?kind=issue").json()["total"] == 1
    assert as_("it_viewer").get(f"{url}?status=closed").json()["total"] == 0
    assert as_("fin_pm").get(f"{url}/{item['id']}").status_code == 404
    other = make.project("IT")
    assert as_("admin").get(f"{API}/projects/{other['id']}/raid/{item['id']}").status_code == 404
    stale = as_("it_lead").patch(f"{url}/{item['id']}", json={"version": 99, "title": "x"})
    assert stale.status_code == 409
    assert as_("it_viewer").delete(f"{url}/{item['id']}?version=1").status_code == 403
    assert as_("it_lead").delete(f"{url}/{item['id']}?version={item['version']}").status_code == 204
    assert as_("it_viewer").get(url).json()["total"] == 1


def test_top_risks_by_score_within_read_scope(as_: Clients, make: Maker) -> None:
    it = make.project("IT")
    infra = make.project("IT-INFRA")
    fin = make.project("FIN")
    add(as_("admin"), it, title="IT medium", probability=2, impact=3)  # 6
    add(as_("admin"), infra, title="Infra high", probability=5, impact=4)  # 20
    add(as_("admin"), fin, title="Fin top", probability=5, impact=5)  # 25
    closed = add(as_("admin"), it, title="IT closed", probability=5, impact=5).json()
    as_("admin").patch(f"{API}/projects/{it['id']}/raid/{closed['id']}",
                       json={"version": closed["version"], "status": "closed"})
    add(as_("admin"), it, kind="issue", title="An issue", probability=None, impact=5)

    def titles(user: str, query: str = "") -> list[str]:
        r = as_(user).get(f"{API}/raid/top{query}")
        assert r.status_code == 200, r.text
        return [i["title"] for i in r.json()]

    assert titles("exec") == ["Fin top", "Infra high", "IT medium"]
    assert titles("it_viewer") == ["Infra high", "IT medium"]
    assert titles("fin_pm") == ["Fin top"]
    assert titles("hr_viewer") == []
    assert titles("admin", "?limit=1") == ["Fin top"]
    it_id = it["department_id"]
    assert titles("admin", f"?department_id={it_id}") == ["Infra high", "IT medium"]
    assert titles("fin_pm", f"?department_id={it_id}") == []
    top = as_("exec").get(f"{API}/raid/top").json()[0]
    assert (top["project_code"], top["score"]) == (fin["code"], 25)


def test_top_risks_of_a_programme(as_: Clients, make: Maker) -> None:
    programme = make.programme("IT")
    inside = make.project("IT", programme_id=programme["id"])
    outside = make.project("IT")
    add(as_("admin"), inside, title="Inside", probability=1, impact=1)
    add(as_("admin"), outside, title="Outside", probability=5, impact=5)
    r = as_("it_viewer").get(f"{API}/raid/top?programme_id={programme['id']}")
    assert [i["title"] for i in r.json()] == ["Inside"]
    assert as_("hr_viewer").get(f"{API}/raid/top?programme_id={programme['id']}").status_code == 404
    assert as_("admin").get(f"{API}/raid/top?department_id=999999").status_code == 404
    assert as_("admin").get(f"{API}/raid/top?limit=0").status_code == 422
