"""Goal ids beyond 32 bits (found by the API fuzz test) get a 422 naming the field."""

from __future__ import annotations

import pytest

from tests.conftest import Clients

HUGE = 34_472_216_352_320


@pytest.mark.parametrize(("method", "path", "field"), [
    ("get", f"/api/v1/goals/{HUGE}", "goal_id"),
    ("get", f"/api/v1/goals?parent_id={HUGE}", "parent_id"),
    ("delete", f"/api/v1/goals/{HUGE}?version=1", "goal_id"),
])
def test_out_of_range_goal_id_names_it(as_: Clients, method: str, path: str, field: str) -> None:
    r = getattr(as_("admin"), method)(path)
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == [field]


@pytest.mark.parametrize("field", ["parent_id", "owner_id"])
def test_out_of_range_reference_in_new_goal_names_it(as_: Clients, field: str) -> None:
    r = as_("admin").post("/api/v1/goals", json={"code": "G1", "name": "Grow", field: HUGE})
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == [field]
