"""The schedule page: upload, the Gantt data, the milestone picker, hostile names, roles."""

from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from epmo.portfolio.models import Milestone
from tests.conftest import Clients
from tests.factories import Maker
from tests.schedule.files import fixture, renamed
from tests.web.helpers import login
from tests.world import World

HOSTILE = '<img src=x onerror="alert(1)">'


def _gantt(html: str) -> list[dict[str, Any]]:
    found = re.search(r'<script type="application/json" id="gantt-data">(.*?)</script>', html, re.S)
    assert found, "no Gantt data on the page"
    return json.loads(found.group(1))  # type: ignore[no-any-return]


def test_upload_then_page_shows_gantt_and_table(app: object, world: World, make: Maker) -> None:
    project = make.project("IT", code="PAGE-S1")
    browser = login(app, world, "it_pm")
    r = browser.client.post(f"/projects/{project['id']}/schedule",
                            data={"csrf_token": browser.csrf},
                            files={"file": ("plan.xml", fixture("plan-v1.xml"))},
                            follow_redirects=False)
    assert r.status_code == 303, r.text
    page = browser.client.get(r.headers["location"]).text
    assert "Imported 5 activities, 1 milestones and 3 links from plan.xml" in page
    bars = _gantt(page)
    assert {b["custom_class"] for b in bars} == {"bar-summary", "bar-critical", "bar-milestone",
                                                  "bar-task"}
    develop = next(b for b in bars if b["name"].startswith("3 "))
    design = next(b for b in bars if b["name"].startswith("2 "))
    assert develop["dependencies"] == design["id"]
    assert page.count('data-testid="activity-row"') == 5


def test_bad_file_is_shown_in_words(app: object, world: World, make: Maker, db: Session) -> None:
    project = make.project("IT", code="PAGE-S2")
    browser = login(app, world, "it_pm")
    r = browser.client.post(f"/projects/{project['id']}/schedule",
                            data={"csrf_token": browser.csrf},
                            files={"file": ("plan.csv", b"code;name\nA;B\n")},
                            follow_redirects=False)
    assert r.status_code == 422
    assert "CSV" in r.text and 'id="schedule-upload"' in r.text


def test_picker_makes_milestones(app: object, world: World, make: Maker, as_: Clients,
                                 db: Session) -> None:
    project = make.project("IT", code="PAGE-S3")
    as_("it_pm").post(f"/api/v1/projects/{project['id']}/schedule",
                      files={"file": ("plan.xml", fixture("plan-v1.xml"))})
    browser = login(app, world, "it_pm")
    r = browser.client.post(f"/projects/{project['id']}/schedule/milestones",
                            data={"csrf_token": browser.csrf, "code": ["3", "5"]},
                            follow_redirects=False)
    assert r.status_code == 303, r.text
    names = set(db.scalars(select(Milestone.name).where(Milestone.project_id == project["id"])))
    assert names == {"Go-live", "Develop", "Test plan"}
    r = browser.client.post(f"/projects/{project['id']}/schedule/milestones",
                            data={"csrf_token": browser.csrf}, follow_redirects=False)
    assert r.status_code == 422 and "Choose at least one activity" in r.text


def test_hostile_names_stay_text(as_: Clients, make: Maker) -> None:
    project = make.project("IT", code="PAGE-S4")
    data = renamed(fixture("plan-v1.xml"), "Develop", HOSTILE)
    assert as_("it_pm").post(f"/api/v1/projects/{project['id']}/schedule",
                             files={"file": ("plan.xml", data)}).status_code == 200
    page = as_("it_pm").get(f"/projects/{project['id']}/schedule").text
    assert HOSTILE not in page
    assert "&lt;img src=x onerror=" in page
    assert any(b["name"] == f"3 {HOSTILE}" for b in _gantt(page))  # escaped by schedule.js


def test_viewer_sees_no_upload_or_picker(as_: Clients, make: Maker) -> None:
    project = make.project("IT", code="PAGE-S5")
    as_("it_pm").post(f"/api/v1/projects/{project['id']}/schedule",
                      files={"file": ("plan.xml", fixture("plan-v1.xml"))})
    page = as_("it_viewer").get(f"/projects/{project['id']}/schedule")
    assert page.status_code == 200
    assert 'id="schedule-upload"' not in page.text and 'name="code"' not in page.text
    assert as_("hr_viewer").get(f"/projects/{project['id']}/schedule").status_code == 404


def test_bad_resource_map_keeps_what_was_typed(app: object, world: World, make: Maker) -> None:
    project = make.project("IT", code="PAGE-S6")
    browser = login(app, world, "it_pm")
    typed = '{"Contractor X": "Astronaut"}'
    r = browser.client.post(f"/projects/{project['id']}/schedule",
                            data={"csrf_token": browser.csrf, "resource_map": typed},
                            files={"file": ("plan.xml", fixture("plan-resources.xml"))},
                            follow_redirects=False)
    assert r.status_code == 422
    assert "no active person" in r.text and "Astronaut" in r.text
    assert "&#34;Contractor X&#34;: &#34;Astronaut&#34;" in r.text  # kept in the textarea
