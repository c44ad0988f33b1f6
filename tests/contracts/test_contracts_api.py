"""Reporting contracts through the API: reading, admin edits, every validation rule naming its
path, and the refusal of a contract that would leave a department method below it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Clients
from tests.contracts.conftest import API, contract_body, method_body
from tests.world import World

pytestmark = pytest.mark.usefixtures("defaults")


def test_everyone_reads_the_contracts(as_: Clients) -> None:
    contracts = as_("hr_viewer").get(f"{API}/reporting-contracts").json()
    assert [(c["tier"], c["cadence"]) for c in contracts] == [
        (1, "weekly"), (2, "fortnightly"), (3, "monthly"), (4, "monthly")]
    first = contracts[0]
    assert first["tier_name"] == "Strategic"
    assert first["dimensions"] == ["schedule", "cost", "scope", "risk", "resources"]
    assert [(g["code"], g["stage"]) for g in first["gates"]] == [
        ("G1", "approved"), ("G2", "planning"), ("G3", "executing"), ("G4", "closed")]
    assert all(g["criteria"] and g["approver_roles"] for g in first["gates"])
    assert first["rag_thresholds"] == {"schedule": {"amber": 10, "red": 30},
                                       "cost": {"amber": 5, "red": 15}}
    assert set(first["artefacts"]["closed"]) == {"closure_report", "lessons_learned"}
    one = as_("it_member").get(f"{API}/reporting-contracts/4").json()
    assert one["tier"] == 4 and one["gates"] == []
    assert as_("admin").get(f"{API}/reporting-contracts/5").status_code == 422


def test_admin_replaces_a_contract(as_: Clients) -> None:
    body = contract_body(as_, 3, cadence="fortnightly", dimensions=["schedule", "cost", "risk"],
                         artefacts={"closed": ["lessons_learned"], "approved": ["charter"]},
                         records=["risk", "issue"],
                         rag_thresholds={"cost": {"amber": 7.5, "red": 20}})
    r = as_("admin").put(f"{API}/reporting-contracts/3", json=body)
    assert r.status_code == 200, r.text
    saved = r.json()
    assert saved["cadence"] == "fortnightly" and saved["version"] == body["version"] + 1
    assert list(saved["artefacts"]) == ["approved", "closed"]  # lifecycle order
    assert saved["rag_thresholds"] == {"cost": {"amber": 7.5, "red": 20.0}}
    assert as_("admin").get(f"{API}/reporting-contracts/3").json() == saved
    stale = as_("admin").put(f"{API}/reporting-contracts/3", json=body)
    assert stale.status_code == 409
    assert as_("admin").put(f"{API}/reporting-contracts/3",
                            json=body | {"version": None}).status_code == 409


def test_only_admins_change_contracts(as_: Clients) -> None:
    body = contract_body(as_, 2)
    for user in ("it_lead", "exec", "it_pm"):
        assert as_(user).put(f"{API}/reporting-contracts/2", json=body).status_code == 403


GATE = {"code": "GX", "name": "Extra", "stage": "planning", "criteria": ["ok"],
        "approver_roles": ["epmo_admin"]}


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"required_fields": ["budget_planned", "colour"]}, "required_fields.1", "project field"),
    ({"required_fields": ["tier"]}, "required_fields.0", "project field"),  # computed
    ({"required_fields": ["name", "name"]}, "required_fields.1", "listed twice"),
    ({"cadence": "daily"}, "cadence", "weekly, fortnightly, monthly"),
    ({"dimensions": ["schedule", "mood"]}, "dimensions.1", "status dimension"),
    ({"artefacts": {"executing": ["plan", "poem"]}}, "artefacts.executing.1", "artefact kind"),
    ({"artefacts": {"dreaming": ["plan"]}}, "artefacts.dreaming", "enterprise stage"),
    ({"gates": [GATE, GATE]}, "gates.1.code", "listed twice"),
    ({"gates": [GATE, GATE | {"code": "GY", "stage": "exec"}]}, "gates.1.stage", "admit"),
    ({"gates": [GATE | {"stage": "proposed"}]}, "gates.0.stage", "admit"),
    ({"gates": [GATE | {"approver_roles": ["epmo_admin", "king"]}]}, "gates.0.approver_roles.1",
     "a role"),
    ({"records": ["risk", "gossip"]}, "records.1", "register"),
    ({"rag_thresholds": {"cost": {"amber": 20, "red": 10}}}, "rag_thresholds.cost.red",
     "above amber"),
    ({"rag_thresholds": {"mood": {"amber": 1, "red": 2}}}, "rag_thresholds.mood", "RAG measure"),
    ({"gates": [GATE | {"code": "has space"}]}, "gates.0.code", ""),
    ({"rag_thresholds": {"cost": {"amber": -1, "red": 5}}}, "rag_thresholds.cost.amber", ""),
])
def test_contract_rules_name_the_field(as_: Clients, changes: dict[str, Any], field: str,
                                       words: str) -> None:
    body = contract_body(as_, 2, **changes)
    r = as_("admin").put(f"{API}/reporting-contracts/2", json=body)
    assert r.status_code == 422, r.text
    errors = {e["field"]: e["message"] for e in r.json()["errors"]}
    assert field in errors, errors
    assert words in errors[field]
    assert as_("admin").get(f"{API}/reporting-contracts/2").json()["version"] == body["version"]


def test_a_contract_may_not_leave_a_method_below_it(as_: Clients, world: World) -> None:
    fin = world.departments["FIN"]
    r = as_("admin").put(f"{API}/reporting-contracts/1",
                         json=contract_body(as_, 1, cadence="fortnightly"))
    assert r.status_code == 200, r.text
    r = as_("fin_lead").put(f"{API}/departments/{fin}/method",
                            json=method_body(cadence="fortnightly"))
    assert r.status_code == 200, r.text
    r = as_("admin").put(f"{API}/reporting-contracts/2",
                         json=contract_body(as_, 2, cadence="weekly"))
    assert r.status_code == 422
    message = {e["field"]: e["message"] for e in r.json()["errors"]}["cadence"]
    assert "department FIN" in message and "fortnightly" in message and "minimum" in message
    clash = contract_body(as_, 2, gates=[GATE | {"code": "DOR"}])
    r = as_("admin").put(f"{API}/reporting-contracts/2", json=clash)
    assert r.status_code == 422
    assert {e["field"]: e["message"] for e in r.json()["errors"]}["gates.0.code"] == (
        "DOR is already an extra gate of department FIN's method")
