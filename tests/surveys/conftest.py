"""Survey fixtures: more members in IT and Finance (so groups reach five), a round opened by
the admin, and each invitee's one-time token as their own notification carries it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from epmo.auth import service as auth_service
from epmo.surveys import repository
from tests.conftest import Clients
from tests.world import World

API = "/api/v1"


@dataclass
class Crowd:
    """Extra users: key -> (id, bearer token)."""

    users: dict[str, tuple[int, str]] = field(default_factory=dict)


@pytest.fixture
def crowd(db: Session) -> Crowd:
    """Four more IT members (IT then has eight users) and four more Finance members (six)."""
    found = Crowd()
    for dept, count in (("IT", 4), ("FIN", 4)):
        for n in range(count):
            key = f"{dept.lower()}_extra{n}"
            user = auth_service.create_user(db, email=f"{key}@example.org", name=key,
                                            role="member", password=None,
                                            department_codes=[dept])
            found.users[key] = (user.id, auth_service.create_token(db, user, "tests")[1])
    db.flush()
    return found


def client_for(app: object, token: str) -> TestClient:
    """A bearer-token client."""
    return TestClient(app, headers={"Authorization": f"Bearer {token}"})  # type: ignore[arg-type]


def token_of(db: Session, round_id: int, user_id: int) -> str:
    """The one-time token in the user's own invitation notification."""
    link = repository.invitation_link(db, round_id, user_id)
    assert link is not None, f"user {user_id} has no invitation to round {round_id}"
    return link.rsplit("/", 1)[1]


def open_round(as_: Clients, world: World, **extra: Any) -> dict[str, Any]:
    """The admin opens a round for IT and Finance, closing in two weeks."""
    body = {"title": "Spring pulse", "closes_on": str(date.today() + timedelta(days=14)),
            "department_ids": [world.departments["IT"], world.departments["FIN"]]} | extra
    r = as_("admin").post(f"{API}/surveys/rounds", json=body)
    assert r.status_code == 201, r.text
    return dict(r.json())


def full_answer(as_: Clients, token: str, sat: int = 4, imp: int = 5,
                comment: str = "") -> dict[str, Any]:
    """Scores for every question of the standard instrument."""
    instruments = as_("it_viewer").get(f"{API}/surveys/instruments").json()
    questions = instruments[-1]["questions"]
    return {"token": token, "scores": [
        {"question_id": q["id"], "satisfaction": sat, "importance": imp,
         "comment": comment if i == 0 else ""} for i, q in enumerate(questions)]}


@pytest.fixture
def spring(as_: Clients, world: World, crowd: Crowd) -> dict[str, Any]:
    """A round open for IT and Finance."""
    return open_round(as_, world)
