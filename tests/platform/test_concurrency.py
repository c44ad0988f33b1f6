"""Concurrent writers on a real, committed database: no 500s, waits instead of failures."""

from __future__ import annotations

from datetime import date
from typing import Any

from httpx import Response

from epmo.jobs import run_daily
from tests.factories import Maker
from tests.platform.conftest import Live, race
from tests.web.helpers import login

API = "/api/v1"


def _project(live: Live, code: str) -> dict[str, Any]:
    return Maker(live.client, live.world).project("IT", code=code)


def test_same_version_writers_get_one_200_and_one_409(live: Live) -> None:
    project = _project(live, "RACE-1")
    url = f"{API}/projects/{project['id']}"
    clients = [live.client("admin"), live.client("it_lead")]
    for round_ in range(8):
        version = project["version"]

        def patch(i: int, version: int = version, round_: int = round_) -> Response:
            body = {"version": version, "name": f"Round {round_} writer {i}"}
            return clients[i].patch(url, json=body)

        responses = race(2, patch)
        statuses = sorted(r.status_code for r in responses)
        assert statuses == [200, 409], [r.text for r in responses]
        winner, loser = sorted(responses, key=lambda r: r.status_code)
        problem = loser.json()
        assert loser.headers["content-type"].startswith("application/problem+json")
        assert problem["current_version"] == version + 1 == winner.json()["version"]
        assert problem["errors"][0]["field"] == "version"
        project = winner.json()


def test_twenty_writers_and_a_job_all_succeed(live: Live) -> None:
    projects = [_project(live, f"W-{i:02d}") for i in range(20)]
    clients = [live.client("admin") for _ in projects]

    def write(i: int) -> list[int]:
        if i == 20:
            run_daily(date(2026, 3, 2))  # the daily job races with the writers
            return [200]
        statuses, version = [], projects[i]["version"]
        for step in range(4):
            r = clients[i].patch(f"{API}/projects/{projects[i]['id']}",
                                 json={"version": version, "name": f"Writer {i} step {step}"})
            statuses.append(r.status_code)
            version = r.json().get("version", version)
            r = clients[i].post(f"{API}/projects", json={
                "code": f"N-{i:02d}-{step}", "name": "New",
                "department_id": live.world.departments["IT"]})
            statuses.append(r.status_code)
        return statuses

    results = race(21, write)
    flat = [status for statuses in results for status in statuses]
    assert sorted(set(flat)) in ([200, 201], [200]) and len(flat) == 20 * 8 + 1


def test_twenty_simultaneous_intake_submissions_get_distinct_codes(live: Live) -> None:
    body = {"title": "Data platform", "problem": "Reports take a week",
            "department_id": live.world.departments["IT"], "duration_months": 6,
            "desired_start": "2027-01-01"}
    clients = [live.client("it_member") for _ in range(20)]
    responses = race(20, lambda i: clients[i].post(f"{API}/intake/requests", json=body))
    errors = [r.text for r in responses if r.status_code != 201]
    assert errors == []
    codes = {r.json()["code"] for r in responses}
    assert len(codes) == 20 and all(code.startswith("REQ-") for code in codes)


def test_same_version_page_saves_get_one_redirect_and_one_readable_409(live: Live) -> None:
    project = _project(live, "RACE-2")
    browsers = [login(live.app, live.world, "admin"), login(live.app, live.world, "it_lead")]
    url = f"/projects/{project['id']}/edit"
    for round_ in range(6):
        form = {"code": "RACE-2", "department_id": str(live.world.departments["IT"]),
                "headcount": "1", "risk_rating": "1", "health": "green", "description": "",
                "planned_start": "", "planned_finish": "", "budget_planned": "0",
                "budget_actual": "", "budget_forecast": "", "version": str(round_ + 1)}
        responses = race(2, lambda i, form=form, round_=round_: browsers[i].client.post(
            url, data=form | {"name": f"Page round {round_} writer {i}",
                              "csrf_token": browsers[i].csrf}, follow_redirects=False))
        statuses = sorted(r.status_code for r in responses)
        assert statuses == [303, 409], [r.text[:300] for r in responses]
        page = max(responses, key=lambda r: r.status_code)
        assert page.headers["content-type"].startswith("text/html")
        assert "changed by someone else" in page.text
