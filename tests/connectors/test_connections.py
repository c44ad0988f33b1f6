"""Jira connections: who manages which (departments scope them), the form's rules, the
encrypted token, deletion."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from epmo.config import get_settings
from epmo.connectors import crypto
from epmo.connectors.models import JiraConnection
from epmo.connectors.schemas import check_site
from tests.conftest import Clients
from tests.connectors.fake_jira import FakeJira, issue
from tests.connectors.test_sync import API, connect, sync
from tests.factories import Maker
from tests.world import World


def body(world: World, **extra: Any) -> dict[str, Any]:
    """A valid connection body (the site need not answer to be saved)."""
    return {"name": "Jira", "site_url": "https://acme.atlassian.net", "email": "a@acme.org",
            "api_token": "token-abcdefgh-1234", "project_keys": ["OPS"],
            "target_department_id": world.departments["IT"]} | extra


def test_department_leads_manage_their_own_departments_connections(
        as_: Clients, world: World) -> None:
    it = world.departments["IT"]
    own = as_("it_lead").post(API, json=body(world, department_id=it))
    assert own.status_code == 201, own.text
    assert as_("it_lead").post(API, json=body(world)).status_code == 403  # EPMO-level
    fin = body(world, department_id=world.departments["FIN"],
               target_department_id=world.departments["FIN"])
    assert as_("it_lead").post(API, json=fin).status_code == 403
    outside = body(world, department_id=it, target_department_id=world.departments["FIN"])
    r = as_("it_lead").post(API, json=outside)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "target_department_id"
    epmo = as_("admin").post(API, json=body(world))
    assert epmo.status_code == 201
    assert [c["id"] for c in as_("it_lead").get(API).json()] == [own.json()["id"]]
    assert as_("it_lead").get(f"{API}/{epmo.json()['id']}").status_code == 404
    assert as_("fin_lead").get(f"{API}/{own.json()['id']}").status_code == 404
    assert as_("it_pm").get(API).json() == []
    assert as_("it_pm").post(f"{API}/{own.json()['id']}/sync").status_code == 404
    assert len(as_("admin").get(API).json()) == 2


@pytest.mark.parametrize("url, ok", [
    ("https://acme.atlassian.net", True), ("https://acme.atlassian.net/", True),
    ("http://127.0.0.1:8080", True), ("http://localhost:9000", True),
    ("http://acme.atlassian.net", False), ("ftp://acme.atlassian.net", False),
    ("https://user:pw@acme.atlassian.net", False), ("https://acme.atlassian.net/jira", False),
    ("https://acme.atlassian.net/?x=1", False), ("acme.atlassian.net", False),
])
def test_site_urls(url: str, ok: bool) -> None:
    if ok:
        assert check_site(url) == url.rstrip("/")
    else:
        with pytest.raises(ValueError):
            check_site(url)


def test_the_mapping_rules(as_: Clients, world: World, make: Maker) -> None:
    r = as_("admin").post(API, json=body(world, project_keys=[], site_url="http://acme.org",
                                         target="milestones", status_map={"done": "closed"}))
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["errors"]} == {"site_url"}
    r = as_("admin").post(API, json=body(world, project_keys=[], target="milestones",
                                         status_map={"done": "closed"}))
    fields = {e["field"] for e in r.json()["errors"]}
    assert fields == {"project_keys", "target_project_id", "status_map.done"}
    r = as_("admin").post(API, json=body(world, project_keys=["ops"]))
    assert r.status_code == 422 and r.json()["errors"][0]["field"].startswith("project_keys")
    project = make.project("IT", code="IT-X")
    r = as_("admin").post(API, json=body(world, target="milestones",
                                         target_project_id=project["id"],
                                         status_map={"done": "missed"}))
    assert r.status_code == 201
    assert r.json()["status_map"] == {"new": "planned", "indeterminate": "in_progress",
                                      "done": "missed"}
    version = r.json()["version"]
    r = as_("admin").patch(f"{API}/{r.json()['id']}", json={"version": version,
                                                            "target": "projects"})
    assert r.status_code == 200, r.text
    assert r.json()["status_map"]["done"] == "closed"  # a new target: its own defaults
    stale = as_("admin").patch(f"{API}/{r.json()['id']}", json={"version": version,
                                                                "name": "x"})
    assert stale.status_code == 409


def test_the_token_is_encrypted_with_a_key_from_the_secret_key(
        as_: Clients, world: World, db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    r = as_("admin").post(API, json=body(world))
    stored = db.get(JiraConnection, r.json()["id"])
    assert stored is not None and stored.secret.startswith("gAAAA")  # a Fernet token
    assert crypto.unseal(stored.secret) == "token-abcdefgh-1234"
    assert stored.token_last4 == "1234"
    monkeypatch.setenv("EPMO_SECRET_KEY", "another-secret-key-of-enough-length-123456")
    get_settings.cache_clear()
    try:
        with pytest.raises(crypto.SealBroken, match="enter the API token again"):
            crypto.unseal(stored.secret)
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def test_a_token_that_cannot_be_decrypted_fails_the_sync_clearly(
        as_: Clients, world: World, jira: FakeJira, db: Session) -> None:
    connection = connect(as_, world, jira)
    stored = db.get(JiraConnection, connection["id"])
    assert stored is not None
    stored.secret = crypto.seal("x" * 20)[:-8] + "AAAAAAAA"
    db.flush()
    run = sync(as_, connection)
    assert run["outcome"] == "failed" and "cannot be decrypted" in run["error"]
    assert jira.requests == []


def test_deleting_a_connection_keeps_its_projects(as_: Clients, world: World, jira: FakeJira,
                                                  db: Session) -> None:
    jira.issues = [issue("OPS-1", "One", "new", None)]
    connection = connect(as_, world, jira)
    assert sync(as_, connection)["created"] == 1
    path = f"{API}/{connection['id']}"
    assert as_("admin").delete(path, params={"version": connection["version"]}).status_code == 204
    assert as_("admin").get(path).status_code == 404
    assert as_("admin").get("/api/v1/projects", params={"q": "OPS-1"}).json()["total"] == 1


def test_a_department_owning_a_connection_is_not_deleted(as_: Clients, world: World) -> None:
    dept = as_("admin").post("/api/v1/departments", json={"code": "OPS", "name": "Operations"})
    assert dept.status_code == 201, dept.text
    made = as_("admin").post(API, json=body(world, department_id=dept.json()["id"],
                                            target_department_id=dept.json()["id"]))
    assert made.status_code == 201, made.text
    refused = as_("admin").delete(f"/api/v1/departments/{dept.json()['id']}",
                                  params={"version": dept.json()["version"]})
    assert refused.status_code == 409
    assert "Jira connections" in refused.json()["detail"]
