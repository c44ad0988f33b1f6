"""The roll-up's one read of a level (``repository_level.read_level``) against the month-by-month
reads it replaced (``repository.status_rows``, ``counted``, ``closed_total``), which stay as
the oracle: the same rows per node and colour in the month and in the month before, the same
totals, on every level and status filter, with projects that never reported, reported first
in the month, finished, closed or cancelled, and a charter under which derived colours count.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import true, update
from sqlalchemy.orm import Session

from epmo.portfolio.models import Project
from epmo.reporting import health, health_store
from epmo.reporting.models import StatusReport
from epmo.rollup import repository
from epmo.rollup.months import parse_month
from epmo.rollup.repository_level import read_level
from tests.charter.conftest import Charters
from tests.conftest import Clients
from tests.factories import add_project
from tests.reporting.conftest import Governance
from tests.rollup.conftest import Data
from tests.rollup.test_api import rollup
from tests.world import World

LEVELS = ("programme", "portfolio", "department", "goal")
WHICH = ("active", "closed", "all")


def _merged(rows: Iterable[repository.StatusRow]) -> dict[tuple[Any, Any], tuple[Any, ...]]:
    """Rows summed per (key, colour): the old read gives unknowns a row of their own."""
    found: dict[tuple[Any, Any], list[Any]] = {}
    for row in rows:
        sums = found.setdefault((str(row.key), row.colour), [0, Decimal(0), Decimal(0), 0, 0, 0])
        for i, value in enumerate((row.count, row.planned, row.forecast, row.unbudgeted,
                                   row.carried, row.differs)):
            sums[i] += value
    return {key: tuple(sums) for key, sums in found.items()}


@pytest.fixture
def varied(db: Session, world: World, data: Data) -> None:
    """The rollup fixture plus: P6 registered before 2025 (never reports); NEW registered in
    January, first report in February; FRESH registered and first reporting in February (not
    counted in January); LATE (IT, derived red, in PRG-A) and a cancelled project, both
    reporting in February; tier thresholds so derived colours exist."""
    Governance(db, world).contract()  # schedule amber 10 / red 30; cost amber 5 / red 15
    db.execute(update(Project).where(Project.id == data.projects["P6"])
               .values(created_at=datetime(2024, 12, 1, tzinfo=UTC)))
    for code, stage, overall, slip, day in (("NEW", "executing", "amber", 0, 10),
                                            ("FRESH", "executing", "green", 0, 40),
                                            ("LATE", "executing", "green", 60, 10),
                                            ("GONE", "cancelled", "red", 0, 10)):
        project = add_project(db, world, "IT", code, stage=stage,
                              budget_planned=Decimal("1000.00"),
                              budget_forecast=Decimal("1000.00"),
                              baseline_finish=date(2025, 2, 28),
                              programme_id=data.programmes["PRG-A"] if code == "LATE" else None)
        project.created_at = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=day - 1)
        start = date(2025, 2, 10) if code == "FRESH" else date(2025, 2, 3)
        db.add(StatusReport(project_id=project.id, period_start=start,
                            period_end=start + timedelta(days=6), overall=overall,
                            forecast_finish=date(2025, 2, 28) + timedelta(days=slip),
                            forecast_cost=Decimal("1000.00")))
        db.flush()
        health_store.refresh_projects(db, [project.id])


@pytest.mark.usefixtures("varied")
@pytest.mark.parametrize("basis", ["auto", "derived"])
def test_one_read_gives_what_the_month_by_month_reads_gave(db: Session, as_: Clients,
                                                           world: World, basis: str) -> None:
    body = Charters(as_, world).body(departments={"IT": {"ppm_administration": "controlling"}})
    body["content"]["health_basis"] = basis
    assert as_("admin").post("/api/v1/charter", json=body).status_code == 201
    rule = health.load_rule(db)
    assert set(rule.modes.values()) == ({"worse", "reported"} if basis == "auto"
                                        else {"derived"})
    for period in ("2025-01", "2025-02", "2025-03"):
        month = parse_month(period)
        for which in WHICH:
            seen = repository.counted(db, month, true(), rule, which)
            closed = repository.closed_total(db, month, true())
            for level in LEVELS:
                got = read_level(db, level, month, true(), rule, which)
                for rows, when in ((got.now, month), (got.before, month.previous())):
                    want = repository.status_rows(db, level, when, true(), rule, which)
                    assert _merged(rows) == _merged(want), (period, which, level, when)
                assert got.seen == seen, (period, which, level)
                if which == "active":
                    assert got.closed == closed, (period, level)


@pytest.mark.usefixtures("varied")
def test_the_fixture_reaches_every_case(db: Session) -> None:
    """The oracle test above compares something: unknowns in both months, a first report,
    disagreements, carried statuses and closed work all occur."""
    rule = health.load_rule(db)
    february = read_level(db, "department", parse_month("2025-02"), true(), rule, "active")
    march = read_level(db, "department", parse_month("2025-03"), true(), rule, "all")
    assert february.seen.unreported and february.seen.differing and february.closed
    assert any(row.colour is None for row in february.before)  # NEW: unknown in January
    assert march.seen.carried


@pytest.mark.usefixtures("varied")
@pytest.mark.parametrize("level", LEVELS)
def test_previous_colour_is_the_colour_of_the_month_before(as_: Clients, level: str) -> None:
    """The month before, read in the same pass, matches that month read on its own."""
    for which in WHICH:
        for earlier, period in (("2025-01", "2025-02"), ("2025-02", "2025-03")):
            then = rollup(as_, level=level, period=earlier, status=which)
            now = rollup(as_, level=level, period=period, status=which)
            assert ({r["code"]: r["previous_colour"] for r in now["rows"]}
                    == {r["code"]: r["colour"] for r in then["rows"]}), (level, which, period)
