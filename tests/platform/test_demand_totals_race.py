"""Two writers changing one department's committed demand at once, on a real committed
database (SQLite and PostgreSQL): both commit (or the stale one gets a clean 409), nothing
deadlocks, and the kept totals (``resources.demand_totals``) equal the lines summed again.

On PostgreSQL the refresh locks the departments' rows in id order before summing, so two
refreshes of one department take turns and the second sums what the first committed; on
SQLite writers take turns anyway. Without that lock the second writer's sum would miss the
first writer's lines (a lost update) or its insert would collide with the first's rows.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from httpx import Response

from epmo.db import SessionFactory
from epmo.resources import repository_totals
from tests.factories import Maker
from tests.platform.conftest import Live, race
from tests.resources.test_demand_totals import recomputed

API = "/api/v1"
DATES = {"stage": "executing", "planned_start": "2027-01-15", "planned_finish": "2027-12-31"}


def _kept_equals_lines(live: Live) -> dict[tuple[int, str, str], Decimal]:
    assert SessionFactory.maker is not None
    with SessionFactory.maker() as session:
        kept = repository_totals.kept_totals(session)
        assert kept == recomputed(session)
    return kept


def _put(client: Any, project_id: int, version: int,
         lines: list[tuple[str, str, str]]) -> Response:
    return client.put(f"{API}/projects/{project_id}/demand", json={  # type: ignore[no-any-return]
        "version": version,
        "lines": [{"role": r, "period": p, "fte_months": f} for r, p, f in lines]})


def test_two_projects_of_one_department_written_at_once_keep_exact_totals(live: Live) -> None:
    make = Maker(live.client, live.world)
    projects = [make.project("IT", code=f"RACE-D{i}", **DATES) for i in range(2)]
    versions = [p["version"] for p in projects]
    clients = [live.client("admin"), live.client("it_lead")]
    it = live.world.departments["IT"]
    for round_ in range(12):
        def write(i: int, round_: int = round_, versions: list[int] = versions) -> Response:
            # the same role and quarter (one kept total for both), and one of each's own
            return _put(clients[i], projects[i]["id"], versions[i], [
                ("Lead", "2027-01", f"{round_ + 1}.{i + 1}"),
                ("Project manager", f"2027-0{i + 2}", f"{i + 1}")])

        responses = race(2, write)
        assert [r.status_code for r in responses] == [200, 200], [r.text for r in responses]
        versions = [r.json()["version"] for r in responses]
        kept = _kept_equals_lines(live)
        assert kept[(it, "lead", "2027-01")] == Decimal(f"{round_ + 1}.1") + Decimal(
            f"{round_ + 1}.2")


def test_one_project_written_twice_at_once_gets_one_409_and_exact_totals(live: Live) -> None:
    project = Maker(live.client, live.world).project("IT", code="RACE-SAME", **DATES)
    clients = [live.client("admin"), live.client("it_lead")]
    version = project["version"]
    for round_ in range(8):
        def write(i: int, round_: int = round_, version: int = version) -> Response:
            return _put(clients[i], project["id"], version,
                        [("Lead", "2027-01", f"{round_ + 1}.{i + 1}")])

        responses = race(2, write)
        assert sorted(r.status_code for r in responses) == [200, 409], [
            r.text for r in responses]
        winner = next(r for r in responses if r.status_code == 200)
        version = winner.json()["version"]
        kept = _kept_equals_lines(live)
        winning = next(line["fte_months"] for line in winner.json()["lines"])
        assert kept[(live.world.departments["IT"], "lead", "2027-01")] == Decimal(winning)


def test_a_department_move_racing_demand_writes_in_both_departments(live: Live) -> None:
    """One writer moves a project between IT and Finance (both departments re-summed) while
    two others write demand in each: three refreshes over overlapping departments."""
    make = Maker(live.client, live.world)
    moving = make.project("IT", code="RACE-MOVE", **DATES)
    stays = [make.project(dept, code=f"RACE-{dept}", **DATES) for dept in ("IT", "FIN")]
    admin = live.client("admin")
    moving_version = _put(admin, moving["id"], moving["version"],
                          [("Lead", "2027-01", "5")]).json()["version"]
    versions = [p["version"] for p in stays]
    clients = [live.client("admin") for _ in range(3)]
    departments = [live.world.departments["FIN"], live.world.departments["IT"]]
    for round_ in range(8):
        def write(i: int, round_: int = round_, moving_version: int = moving_version,
                  versions: list[int] = versions) -> Response:
            if i == 2:
                return clients[i].patch(f"{API}/projects/{moving['id']}", json={  # type: ignore[no-any-return]
                    "version": moving_version, "department_id": departments[round_ % 2]})
            return _put(clients[i], stays[i]["id"], versions[i],
                        [("Lead", "2027-01", f"{round_ + 1}")])

        responses = race(3, write)
        assert [r.status_code for r in responses] == [200, 200, 200], [
            r.text for r in responses]
        versions = [r.json()["version"] for r in responses[:2]]
        moving_version = responses[2].json()["version"]
        _kept_equals_lines(live)
