"""Department methods through the API: who may set them, inheritance down the tree, and every
minimum they may not fall below (the message says which)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Clients
from tests.contracts.conftest import API, contract_body, method_body
from tests.world import World

pytestmark = pytest.mark.usefixtures("defaults")


def _url(world: World, code: str) -> str:
    return f"{API}/departments/{world.departments[code]}/method"


def test_lead_adopts_a_method_and_sub_departments_inherit_it(as_: Clients, world: World) -> None:
    assert as_("it_pm").get(_url(world, "IT")).status_code == 404
    r = as_("it_lead").put(_url(world, "IT"), json=method_body())
    assert r.status_code == 200, r.text
    own = r.json()
    assert own["name"] == "Agile delivery" and own["inherited"] is False and own["version"] == 1
    assert own["department_code"] == "IT" and own["stage_names"]["Sprints"] == "executing"
    below = as_("hr_viewer").get(_url(world, "IT-INFRA")).json()
    assert below["inherited"] is True and below["department_code"] == "IT"
    again = as_("it_lead").put(_url(world, "IT"), json=method_body(name="Scrum", version=1))
    assert again.status_code == 200 and again.json()["version"] == 2
    assert as_("it_lead").put(_url(world, "IT"), json=method_body(version=1)).status_code == 409
    assert as_("it_lead").put(_url(world, "IT"), json=method_body()).status_code == 409


def test_who_may_set_a_method(as_: Clients, world: World) -> None:
    assert as_("fin_lead").put(_url(world, "IT"), json=method_body()).status_code == 403
    assert as_("it_pm").put(_url(world, "IT"), json=method_body()).status_code == 403
    assert as_("exec").put(_url(world, "IT"), json=method_body()).status_code == 403
    assert as_("it_lead").put(_url(world, "IT-INFRA"), json=method_body()).status_code == 200
    assert as_("admin").put(_url(world, "HR"), json=method_body()).status_code == 200
    assert as_("admin").get(f"{API}/departments/999999/method").status_code == 404
    assert as_("admin").put(f"{API}/departments/999999/method",
                            json=method_body()).status_code == 404


def test_delete_a_method(as_: Clients, world: World) -> None:
    as_("it_lead").put(_url(world, "IT"), json=method_body())
    assert as_("it_pm").delete(_url(world, "IT"), params={"version": 1}).status_code == 403
    assert as_("it_lead").delete(_url(world, "IT"), params={"version": 7}).status_code == 409
    assert as_("it_lead").delete(_url(world, "IT"), params={"version": 1}).status_code == 204
    assert as_("it_lead").get(_url(world, "IT")).status_code == 404
    assert as_("it_lead").delete(_url(world, "IT"), params={"version": 1}).status_code == 404


MAIN = {"Idea": "proposed", "Funded": "approved", "Discovery": "planning",
        "Sprints": "executing", "Hardening": "closing", "Done": "closed"}


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"cadence": "monthly"}, "cadence",
     "cadence monthly is below the enterprise minimum weekly of tier 1"),
    ({"cadence": "fortnightly"}, "cadence",
     "cadence fortnightly is below the enterprise minimum weekly of tier 1"),
    ({"cadence": "hourly"}, "cadence", "'hourly' is not a cadence; one of weekly, fortnightly, "
                                       "monthly"),
    ({"stage_names": MAIN | {"Sprints": "sprinting"}}, "stage_names.Sprints",
     "'sprinting' is not an enterprise stage"),
    ({"stage_names": {k: v for k, v in MAIN.items() if v != "closing"}}, "stage_names",
     "no name maps to the enterprise stage closing; every main stage needs at least one"),
    ({"extra_fields": ["methodology", "shoe_size"]}, "extra_fields.1",
     "'shoe_size' is not a project field"),
    ({"extra_gates": [{"code": "G2", "name": "Mine", "stage": "planning"}]},
     "extra_gates.0.code", "G2 is already a gate of the tier 1 contract"),
    ({"extra_gates": [{"code": "X", "name": "a", "stage": "planning"},
                      {"code": "X", "name": "b", "stage": "executing"}]},
     "extra_gates.1.code", "gate X is listed twice"),
    ({"extra_gates": [{"code": "X", "name": "a", "stage": "closed",
                       "approver_roles": ["wizard"]}]},
     "extra_gates.0.approver_roles.0", "'wizard' is not a role"),
])
def test_a_method_may_not_fall_below_the_minimum(as_: Clients, world: World,
                                                 changes: dict[str, Any], field: str,
                                                 message: str) -> None:
    r = as_("it_lead").put(_url(world, "IT"), json=method_body(**changes))
    assert r.status_code == 422, r.text
    errors = {e["field"]: e["message"] for e in r.json()["errors"]}
    assert errors.get(field, "").startswith(message), errors
    assert as_("it_lead").get(_url(world, "IT")).status_code == 404  # nothing was stored


def test_cadence_minimum_follows_every_tier(as_: Clients, world: World) -> None:
    r = as_("admin").put(f"{API}/reporting-contracts/1",
                         json=contract_body(as_, 1, cadence="monthly"))
    assert r.status_code == 200, r.text
    r = as_("it_lead").put(_url(world, "IT"), json=method_body(cadence="monthly"))
    assert r.status_code == 422
    assert r.json()["errors"][0]["message"] == (
        "cadence monthly is below the enterprise minimum fortnightly of tier 2")
    assert as_("it_lead").put(_url(world, "IT"),
                              json=method_body(cadence="fortnightly")).status_code == 200
    assert as_("fin_lead").put(_url(world, "FIN"),
                               json=method_body(cadence=None)).status_code == 200


def test_shape_errors_are_named(as_: Clients, world: World) -> None:
    r = as_("it_lead").put(_url(world, "IT"), json=method_body(stage_names={}, name=""))
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["errors"]} == {"stage_names", "name"}
