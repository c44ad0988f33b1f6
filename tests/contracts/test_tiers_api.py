"""Tier rules through the API: defaults, classification on create/update, admin edits with the
monotonic check, reclassification of every project, and the audit entry it leaves."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from epmo.audit.models import AuditEntry
from epmo.contracts import service
from tests.conftest import Clients
from tests.contracts.conftest import API, rules_body
from tests.factories import Maker

pytestmark = pytest.mark.usefixtures("defaults")


def test_defaults_are_created_once(db: Session, as_: Clients) -> None:
    rules = as_("it_viewer").get(f"{API}/tiers").json()
    assert [(r["tier"], r["name"]) for r in rules] == [
        (1, "Strategic"), (2, "Major"), (3, "Standard"), (4, "Small")]
    assert rules[0]["min_budget"] == "5000000.00" and rules[0]["min_risk"] == 5
    assert rules[3] | {"version": 0} == {"tier": 4, "name": "Small", "min_budget": "0.00",
                                         "min_duration_days": 0, "min_headcount": 0,
                                         "min_risk": 0, "version": 0}
    assert service.ensure_defaults(db) is False
    assert len(as_("admin").get(f"{API}/reporting-contracts").json()) == 4


@pytest.mark.parametrize(("fields", "tier"), [
    ({}, 4),
    ({"budget_planned": "250000"}, 3),
    ({"budget_planned": "5000000"}, 1),
    ({"headcount": 20}, 2),
    ({"risk_rating": 5}, 1),
    ({"planned_start": "2025-01-01", "planned_finish": "2025-12-31"}, 3),  # 364 < 365 days
    ({"planned_start": "2025-01-01", "planned_finish": "2026-01-01"}, 2),
    ({"baseline_start": "2025-01-01", "baseline_finish": "2027-01-01"}, 1),  # planned unknown
    ({"planned_start": "2025-01-01", "planned_finish": "2025-02-01",
      "baseline_start": "2020-01-01", "baseline_finish": "2030-01-01"}, 4),  # planned wins
])
def test_a_new_project_gets_its_tier(make: Maker, fields: dict[str, Any], tier: int) -> None:
    project = make.project("IT", **fields)
    assert project["tier"] == tier
    assert project["version"] == 1  # classified before the INSERT, not by a second write


def test_changing_a_project_reclassifies_it(as_: Clients, make: Maker) -> None:
    project = make.project("IT", budget_planned="1000")
    url = f"{API}/projects/{project['id']}"
    r = as_("it_pm").patch(url, json={"version": project["version"], "headcount": 60})
    assert r.status_code == 200, r.text
    assert r.json()["tier"] == 1
    r = as_("it_pm").patch(url, json={"version": r.json()["version"], "headcount": 0})
    assert r.json()["tier"] == 4


def test_tier_is_not_input(as_: Clients, make: Maker, world: Any) -> None:
    r = as_("admin").post(f"{API}/projects", json={
        "code": "NO-TIER", "name": "x", "department_id": world.departments["IT"], "tier": 1})
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["tier"]
    project = make.project("IT")
    r = as_("admin").patch(f"{API}/projects/{project['id']}",
                           json={"version": project["version"], "tier": 1})
    assert r.status_code == 422


def test_admin_changes_thresholds_and_every_project_moves(as_: Clients, make: Maker,
                                                          db: Session) -> None:
    small = make.project("IT", budget_planned="300000")
    big = make.project("FIN", budget_planned="2000000")
    assert (small["tier"], big["tier"]) == (3, 2)
    body = rules_body(as_, t2={"min_budget": "200000.00"}, t3={"min_budget": "100000.00"})
    r = as_("admin").put(f"{API}/tiers", json=body)
    assert r.status_code == 200, r.text
    result = r.json()
    assert result["reclassified"]["changed"] >= 1
    assert result["reclassified"]["projects"] >= 2
    assert [rule["min_budget"] for rule in result["rules"]][:3] == [
        "5000000.00", "200000.00", "100000.00"]
    assert as_("admin").get(f"{API}/projects/{small['id']}").json()["tier"] == 2
    after = as_("admin").get(f"{API}/projects/{big['id']}").json()
    assert after["tier"] == 2 and after["version"] == big["version"]  # derived: no conflict
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "reclassify")
                       .order_by(AuditEntry.id.desc())).first()
    assert entry is not None and entry.entity == "project"
    assert entry.after is not None and entry.after["changed"] == result["reclassified"]["changed"]
    rule_updates = db.scalars(select(AuditEntry).where(AuditEntry.entity == "tier_rule",
                                                       AuditEntry.action == "update")).all()
    assert {e.entity_id for e in rule_updates} >= {"2", "3"}


def test_thresholds_must_not_fall_below_the_next_tier(as_: Clients) -> None:
    body = rules_body(as_, t2={"min_budget": "100.00", "min_headcount": 5})
    r = as_("admin").put(f"{API}/tiers", json=body)
    assert r.status_code == 422
    fields = {e["field"]: e["message"] for e in r.json()["errors"]}
    assert set(fields) == {"rules.1.min_budget", "rules.1.min_headcount"}
    assert "tier 3's 250000" in fields["rules.1.min_budget"]
    assert as_("admin").get(f"{API}/tiers").json()[1]["min_budget"] == "1000000.00"


@pytest.mark.parametrize(("mutate", "field"), [
    (lambda rules: rules.pop(), "rules"),                                     # tier 4 missing
    (lambda rules: rules.append(dict(rules[0])), "rules.4.tier"),             # tier 1 twice
    (lambda rules: rules[0].update(min_risk=6), "rules.0.min_risk"),
    (lambda rules: rules[0].update(min_budget="-1"), "rules.0.min_budget"),
    (lambda rules: rules[0].update(name=""), "rules.0.name"),
    (lambda rules: rules[0].update(tier=9), "rules.0.tier"),
])
def test_bad_rule_sets_are_refused(as_: Clients, mutate: Any, field: str) -> None:
    body = rules_body(as_)
    mutate(body["rules"])
    r = as_("admin").put(f"{API}/tiers", json=body)
    assert r.status_code == 422, r.text
    assert field in [e["field"] for e in r.json()["errors"]]


def test_stale_rules_conflict_and_only_admins_edit(as_: Clients) -> None:
    body = rules_body(as_)
    assert as_("it_lead").put(f"{API}/tiers", json=body).status_code == 403
    assert as_("exec").put(f"{API}/tiers", json=body).status_code == 403
    assert as_("admin").put(f"{API}/tiers", json=body).status_code == 200
    body["rules"][0]["version"] = 99
    r = as_("admin").put(f"{API}/tiers", json=body)
    assert r.status_code == 409 and r.json()["current_version"] == 1
    assert as_.anon.get(f"{API}/tiers").status_code == 401
