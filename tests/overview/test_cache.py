"""The overview cache: reused while nothing is written, recomputed after any write by epmo."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from epmo.config import get_settings
from epmo.portfolio.models import Project
from tests.conftest import Clients
from tests.world import World

URL = "/api/v1/overview"


def _count(as_: Clients) -> int:
    response = as_("exec").get(URL)
    assert response.status_code == 200
    return int(response.json()["totals"]["count"])


def _behind_the_back(db: Session, world: World, code: str) -> None:
    """A project written without a commit, so the audit head does not move."""
    db.add(Project(code=code, name=code, department_id=world.departments["HR"],
                   budget_planned=Decimal("1.00")))
    db.flush()


def test_overview_is_reused_until_epmo_writes(cache_on: None, as_: Clients, world: World,
                                              db: Session) -> None:
    before = _count(as_)
    _behind_the_back(db, world, "SILENT-1")
    assert _count(as_) == before, "an unchanged audit head should reuse the cached overview"
    created = as_("admin").post("/api/v1/projects", json={
        "code": "LOUD-1", "name": "Loud", "department_id": world.departments["HR"]})
    assert created.status_code == 201, created.text
    assert _count(as_) == before + 2, "a write through epmo must invalidate the cache"


def test_without_cache_every_overview_is_fresh(as_: Clients, world: World, db: Session) -> None:
    assert get_settings().overview_cache_seconds == 0
    before = _count(as_)
    _behind_the_back(db, world, "SILENT-2")
    assert _count(as_) == before + 1
