"""Request bodies over the route's limit get 413 before anything parses them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from epmo.config import get_settings
from epmo.contracts.models import Artefact
from epmo.org.models import Department
from tests.conftest import Clients
from tests.factories import Maker
from tests.world import World

PROBLEM = "application/problem+json"
LIMIT = 1024 * 1024


def departments(db: Session) -> int:
    """How many departments are stored."""
    return db.scalar(select(func.count()).select_from(Department)) or 0


def test_two_megabytes_of_json_are_refused_unparsed(as_: Clients, db: Session) -> None:
    before = departments(db)
    # Not even JSON: a parser would answer 422; the limit answers first.
    body = b'{"code": "BIG", "name": "' + b"[" * (2 * 1024 * 1024) + b'"}'
    r = as_("admin").post("/api/v1/departments", content=body,
                          headers={"content-type": "application/json"})
    assert r.status_code == 413, r.text
    assert r.headers["content-type"] == PROBLEM
    problem = r.json()
    assert problem["status"] == 413 and problem["limit"] == LIMIT
    assert problem["detail"] == "The request body is larger than the limit of 1,048,576 bytes"
    assert problem["errors"] == [{"field": "body", "message": problem["detail"]}]
    assert departments(db) == before


def test_a_chunked_body_without_length_is_counted(as_: Clients, db: Session) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"code": "CHUNK", "name": "'
        for _ in range(40):
            yield b"x" * 65536
        yield b'"}'

    before = departments(db)
    r = as_("admin").post("/api/v1/departments", content=chunks(),
                          headers={"content-type": "application/json"})
    assert "content-length" not in r.request.headers
    assert r.status_code == 413, r.text
    assert r.headers["content-type"] == PROBLEM
    assert departments(db) == before


def test_a_small_json_body_still_works(as_: Clients, db: Session) -> None:
    r = as_("admin").post("/api/v1/departments", json={"code": "SMALL", "name": "x" * 100})
    assert r.status_code == 201, r.text


def test_a_big_form_post_gets_a_readable_page(as_: Clients) -> None:
    r = as_("admin").post("/departments/new", data={"code": "FORM", "name": "x" * (2 * LIMIT)})
    assert r.status_code == 413
    assert r.headers["content-type"].startswith("text/html")
    assert "larger than the limit of 1,048,576 bytes" in r.text


def test_uploads_may_be_as_large_as_their_own_limit(as_: Clients, world: World, db: Session,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    project = Maker(as_, world).project("IT", stage="planning", manager_id=world.people["it_pm"])
    url = f"/api/v1/projects/{project['id']}/artefacts"
    big = b"x" * (3 * LIMIT)  # three times the JSON limit, well under the artefact limit
    r = as_("it_pm").post(url, data={"kind": "plan"}, files={"file": ("plan.txt", big)})
    assert r.status_code == 201, r.text
    assert db.scalar(select(Artefact.size).where(Artefact.id == r.json()["id"])) == len(big)
    monkeypatch.setattr(get_settings(), "artefact_max_bytes", LIMIT)
    r = as_("it_pm").post(url, data={"kind": "plan"}, files={"file": ("plan.txt", big)})
    assert r.status_code == 413 and r.json()["limit"] == LIMIT + 64 * 1024


def test_multipart_to_a_route_without_files_has_the_json_limit(as_: Clients) -> None:
    r = as_("admin").post("/api/v1/departments", files={"file": ("x.bin", b"x" * (2 * LIMIT))})
    assert r.status_code == 413 and r.json()["limit"] == LIMIT
