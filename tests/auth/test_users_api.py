"""User and token API: validation, memberships in lists, token use stamps."""

from __future__ import annotations

from tests.conftest import Clients
from tests.world import World


def test_unknown_person_is_422_naming_the_field(as_: Clients) -> None:
    response = as_("admin").post("/api/v1/users", json={
        "email": "ghost@x.org", "name": "G", "role": "member", "person_id": 99999})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "person_id"


def test_unknown_department_names_department_codes(as_: Clients) -> None:
    response = as_("admin").post("/api/v1/users", json={
        "email": "g2@x.org", "name": "G", "role": "member", "department_codes": ["NOPE"]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "department_codes"


def test_repeated_department_code_counts_once(as_: Clients, world: World) -> None:
    response = as_("admin").post("/api/v1/users", json={
        "email": "g3@x.org", "name": "G", "role": "member", "department_codes": ["IT", "IT"]})
    assert response.status_code == 201, response.text
    assert response.json()["department_ids"] == [world.departments["IT"]]


def test_user_list_carries_memberships(as_: Clients, world: World) -> None:
    listed = as_("admin").get("/api/v1/users", params={"limit": 500}).json()["items"]
    by_email = {u["email"]: u for u in listed}
    assert by_email[world.email("fin_pm")]["department_ids"] == [world.departments["FIN"]]
    assert by_email[world.email("admin")]["department_ids"] == []


def test_token_use_is_stamped_with_a_timezone(as_: Clients) -> None:
    tokens = as_("it_pm").get("/api/v1/users/me/tokens").json()
    assert tokens and all(t["last_used_at"] for t in tokens if t["revoked_at"] is None)
    assert tokens[0]["created_at"].endswith(("Z", "+00:00"))
