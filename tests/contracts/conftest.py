"""Helpers for contracts tests: the default tier rules and contracts, projects made via the API."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from epmo.contracts import service
from tests.conftest import Clients

API = "/api/v1"


@pytest.fixture
def defaults(db: Session) -> bool:
    """The default tier rules and reporting contracts, in the test transaction."""
    created = service.ensure_defaults(db)
    db.flush()
    return created


def rules_body(as_: Clients, **changes: dict[str, Any]) -> dict[str, Any]:
    """The stored tier rules as a PUT /tiers body; ``changes`` by tier ("t1": {...})."""
    rules = as_("admin").get(f"{API}/tiers").json()
    for rule in rules:
        rule.update(changes.get(f"t{rule['tier']}", {}))
    return {"rules": rules}


def contract_body(as_: Clients, tier: int, **changes: Any) -> dict[str, Any]:
    """The stored contract of ``tier`` as a PUT body, with ``changes``."""
    body = as_("admin").get(f"{API}/reporting-contracts/{tier}").json()
    body.pop("tier"), body.pop("tier_name")
    return body | changes


METHOD = {"name": "Agile delivery",
          "stage_names": {"Idea": "proposed", "Funded": "approved", "Discovery": "planning",
                          "Sprints": "executing", "Hardening": "closing", "Done": "closed"},
          "extra_fields": ["methodology"], "cadence": "weekly",
          "extra_gates": [{"code": "DOR", "name": "Definition of ready", "stage": "executing",
                           "criteria": ["Backlog refined"], "approver_roles": ["department_lead"]}]}


def method_body(**changes: Any) -> dict[str, Any]:
    """A valid department method, with ``changes``."""
    return {**METHOD, **changes}
