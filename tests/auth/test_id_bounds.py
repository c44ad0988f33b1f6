"""Ids beyond 32 bits in the users API (found by the API fuzz test) get a 422 naming the field."""

from __future__ import annotations

from tests.conftest import Clients

HUGE = 2**40


def test_out_of_range_token_id_names_it(as_: Clients) -> None:
    r = as_("admin").delete(f"/api/v1/users/me/tokens/{HUGE}")
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == ["token_id"]


def test_out_of_range_person_of_new_user_names_it(as_: Clients) -> None:
    r = as_("admin").post("/api/v1/users", json={
        "email": "new.user@example.org", "name": "New User", "role": "viewer",
        "password": "a-long-enough-password", "person_id": HUGE})
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == ["person_id"]
