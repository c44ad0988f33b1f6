"""Ids beyond 32 bits (found by the API fuzz test) get a 422 naming the field, not a bare one."""

from __future__ import annotations

import pytest

from tests.conftest import Clients
from tests.world import World

HUGE = 3_863_468_283  # > 2**31 - 1: once reached the database and came back unnamed


@pytest.mark.parametrize(("method", "path", "field"), [
    ("get", f"/api/v1/departments/{HUGE}", "department_id"),
    ("get", f"/api/v1/people/{HUGE}", "person_id"),
    ("get", f"/api/v1/departments?parent_id={HUGE}", "parent_id"),
    ("get", f"/api/v1/people?department_id={HUGE}", "department_id"),
    ("delete", f"/api/v1/departments/{HUGE}?version=1", "department_id"),
])
def test_out_of_range_id_in_path_or_query_names_it(as_: Clients, method: str, path: str,
                                                    field: str) -> None:
    r = getattr(as_("admin"), method)(path)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in r.json()["errors"]] == [field]


@pytest.mark.parametrize(("path", "body", "field"), [
    ("/api/v1/departments", {"code": "OPS", "name": "Ops", "parent_id": -77179465317}, "parent_id"),
    ("/api/v1/people", {"code": "P1", "name": "P", "department_id": 184429369366}, "department_id"),
])
def test_out_of_range_id_in_body_names_it(as_: Clients, path: str, body: dict[str, object],
                                          field: str) -> None:
    r = as_("admin").post(path, json=body)
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == [field]


def test_out_of_range_parent_in_update_names_it(as_: Clients, world: World) -> None:
    r = as_("admin").patch(f"/api/v1/departments/{world.departments['HR']}",
                           json={"version": 1, "parent_id": HUGE})
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == ["parent_id"]
