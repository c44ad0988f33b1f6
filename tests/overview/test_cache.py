"""The overview cache: reused while nothing is written, recomputed after any write by epmo."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from epmo.config import get_settings
from tests.conftest import Clients
from tests.factories import Maker, add_project
from tests.world import World

URL = "/api/v1/overview"


def _count(as_: Clients) -> int:
    response = as_("exec").get(URL)
    assert response.status_code == 200
    return int(response.json()["totals"]["count"])


def _behind_the_back(db: Session, world: World, code: str) -> None:
    """A project written without a commit, so the audit head does not move."""
    add_project(db, world, "HR", code, name=code, budget_planned=Decimal("1.00"))


def test_overview_is_reused_until_epmo_writes(cache_on: None, as_: Clients, world: World,
                                              db: Session, make: Maker) -> None:
    before = _count(as_)
    _behind_the_back(db, world, "SILENT-1")
    assert _count(as_) == before, "an unchanged audit head should reuse the cached overview"
    make.project("HR", code="LOUD-1", name="Loud")
    assert _count(as_) == before + 2, "a write through epmo must invalidate the cache"


def test_without_cache_every_overview_is_fresh(as_: Clients, world: World, db: Session) -> None:
    assert get_settings().overview_cache_seconds == 0
    before = _count(as_)
    _behind_the_back(db, world, "SILENT-2")
    assert _count(as_) == before + 1


def test_the_planner_setting_is_back_after_an_overview(as_: Clients, db: Session) -> None:
    """On PostgreSQL the (department, stage) read turns the hash aggregate off for itself
    (overview.repository._core_rows); the transaction keeps the server's setting after it,
    whichever it was."""
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("a PostgreSQL planner setting: SQLite has none to restore")
    for setting in ("on", "off"):
        db.connection().exec_driver_sql(f"SET LOCAL enable_hashagg = {setting}")
        assert _count(as_) >= 0
        assert db.connection().exec_driver_sql("SHOW enable_hashagg").scalar() == setting
