"""A project that never reported counts in the roll-up as unknown (grey), never as green."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from epmo.portfolio.models import Project
from tests.conftest import Clients
from tests.rollup.conftest import Data
from tests.rollup.test_api import rollup, rows
from tests.rollup.test_pack import workbook
from tests.web.helpers import login
from tests.world import World


def _registered_early(db: Session, data: Data) -> None:
    """P6 (IT, in PF-IT, planned 30,000, never reports) was registered before 2025."""
    db.execute(update(Project).where(Project.id == data.projects["P6"])
               .values(created_at=datetime(2024, 12, 1, tzinfo=UTC)))
    db.flush()


def _status(body: dict[str, Any], code: str) -> tuple[Any, ...]:
    row = rows(body)[code]
    return row["colour"], row["score"], row["count"], row["counts"]["unknown"]


def test_never_reported_project_counts_as_unknown(as_: Clients, db: Session, data: Data) -> None:
    before = rollup(as_, level="department", period="2025-03")
    _registered_early(db, data)
    after = rollup(as_, level="department", period="2025-03")
    # The worst rule: IT keeps its colour, and counts P6 apart as unknown.
    assert _status(before, "IT")[0] == _status(after, "IT")[0] == "red"
    assert _status(after, "IT")[2:] == (_status(before, "IT")[2] + 1, 1)
    assert after["unreported"] == 1 and "1 more have never reported" in after["note"]


def test_weighted_rule_gives_unknown_no_weight(as_: Clients, db: Session, data: Data) -> None:
    before = rollup(as_, level="portfolio", period="2025-03")
    _registered_early(db, data)
    after = rollup(as_, level="portfolio", period="2025-03")
    was, now = _status(before, "PF-IT"), _status(after, "PF-IT")
    assert now[:2] == was[:2]  # same colour and score: P6's 30,000 weighs nothing
    assert now[2:] == (was[2] + 1, 1)


def test_page_and_pack_show_the_unknown_band(app: object, world: World, db: Session,
                                             data: Data, as_: Clients) -> None:
    _registered_early(db, data)
    browser = login(app, world, "exec")
    html = browser.client.get("/rollup", params={"level": "department",
                                                 "period": "2025-03"}).text
    assert "G / A / R / ?" in html and "1 more have never reported" in html
    sheets = workbook(as_, department_id=world.departments["IT"], period="2025-03")
    assert sheets["Roll-up"][0][10] == "Unknown"
    it = {row[0]: row for row in sheets["Roll-up"][1:]}["IT"]
    assert (it[4], it[6], it[10], it[12]) == ("red", 4, 1, 180000.0)
