"""The scenario pages: the list and its form, a change added through the form (CSRF token),
the comparison shown, refusals beside the form, the heatmap and queue with the scenario."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.orm import Session

from tests.conftest import Clients
from tests.resources.conftest import YEAR
from tests.web.helpers import login
from tests.world import World


def _change(world: World, **extra: str) -> dict[str, str]:
    return {"what": "add", "kind": "hire", "department_id": str(world.departments["IT"]),
            "to_department_id": "", "role": "Data engineer", "fte": "1",
            "starts": f"{YEAR}-01-01", "ends": f"{YEAR}-03-31", "note": "<b>new hire</b>"} | extra


def test_scenario_made_and_compared_through_the_pages(app: object, world: World, db: Session,
                                                      as_: Clients,
                                                      busy: dict[str, Any]) -> None:
    browser = login(app, world, "it_lead")
    page = browser.client.get("/resources/scenarios")
    assert page.status_code == 200 and 'id="new-scenario"' in page.text
    assert 'href="/resources/scenarios"' in browser.client.get("/resources").text  # the tab
    assert 'id="new-scenario"' not in as_("hr_viewer").get("/resources/scenarios").text
    r: Any = browser.post_form("/resources/scenarios", {"name": "<script>x</script>",
                                                         "description": "Hire one"})
    assert r.status_code == 303, r.text
    url = r.headers["location"]
    assert re.fullmatch(r"/resources/scenarios/\d+", url)
    r = browser.post_form(url, _change(world))
    assert r.status_code == 303, r.text
    shown = browser.client.get(url, params={"start": f"{YEAR}-01", "months_shown": "3"})
    assert "Hire of 1 FTE Data engineer added" in shown.text
    assert "<script>x</script>" not in shown.text and "&lt;script&gt;x&lt;/script&gt;" in shown.text
    assert "&lt;b&gt;new hire&lt;/b&gt;" in shown.text
    assert '<span data-testid="baseline-short">3.0</span> → <span data-testid="scenario-short">0.0</span>' in shown.text
    assert f'href="/resources?scenario_id={url.rsplit("/", 1)[1]}"' in shown.text
    r = browser.post_form(url, _change(world, ends=f"{YEAR - 1}-12-31"))
    assert r.status_code == 422 and "is before the start" in r.text
    assert 'value="&lt;b&gt;new hire&lt;/b&gt;"' in r.text  # what was typed is kept
    r = browser.post_form(url, _change(world, csrf_token="forged"))
    assert r.status_code in (400, 403)
    heat = browser.client.get("/resources", params={"scenario_id": url.rsplit("/", 1)[1],
                                                    "start": f"{YEAR}-01", "months_shown": "3",
                                                    "department_id": ""})
    assert heat.status_code == 200 and 'id="scenario-banner"' in heat.text
    assert 'data-department="IT" data-role="Data engineer"' in heat.text
    assert ">2.0 / 2.0</a>" in heat.text and 'data-testid="overload"' not in heat.text
    plain = browser.client.get("/resources", params={"start": f"{YEAR}-01", "months_shown": "3",
                                                     "department_id": ""})
    assert 'data-testid="overload"' in plain.text and 'id="scenario-banner"' not in plain.text
    assert browser.client.get("/resources", params={"scenario_id": "\u00b2"}).status_code == 200
    assert browser.client.get("/resources", params={"scenario_id": "99999"}).status_code == 404
    queue = browser.client.get("/resources/queue", params={"scenario_id": url.rsplit("/", 1)[1]})
    assert queue.status_code == 200 and 'id="scenario-banner"' in queue.text
    fin = login(app, world, "fin_lead")
    r = fin.post_form(url, _change(world))
    assert r.status_code == 403 and "Only the leads of IT" in r.text
    page = browser.client.get(url)
    change_id = re.search(r'name="what" value="delete_change"><input type="hidden" name="id" '
                          r'value="(\d+)"', page.text)
    assert change_id is not None
    r = browser.post_form(url, {"what": "delete_change", "id": change_id.group(1),
                                "version": "1"})
    assert r.status_code == 303
    assert 'data-testid="change"' not in browser.client.get(url).text
    r = browser.post_form(url, {"what": "update", "version": "1", "name": "", "description": ""})
    assert r.status_code == 422 and 'data-field="name"' in r.text
    r = browser.post_form(url, {"what": "update", "version": "1", "name": "Hire in IT",
                                "description": ""})
    assert r.status_code == 303
    r = browser.post_form(url, {"what": "delete", "version": "1"})
    assert r.status_code == 409  # renamed meanwhile: version 2
    r = browser.post_form(url, {"what": "delete", "version": "2"})
    assert r.status_code == 303 and r.headers["location"] == "/resources/scenarios"
    assert "Hire in IT" not in browser.client.get("/resources/scenarios").text


def test_scenarios_side_by_side(app: object, world: World, db: Session, as_: Clients,
                                busy: dict[str, Any]) -> None:
    ids = []
    for name, fte in (("One more", "1"), ("Half more", "0.5")):
        made = as_("it_lead").post("/api/v1/resources/scenarios", json={"name": name}).json()
        r = as_("it_lead").post(f"/api/v1/resources/scenarios/{made['id']}/changes", json={
            "kind": "hire", "department_id": world.departments["IT"], "role": "Data engineer",
            "fte": fte, "starts": f"{YEAR}-01-01", "ends": f"{YEAR}-03-31"})
        assert r.status_code == 201, r.text
        ids.append(str(made["id"]))
    assert 'id="compare-form"' in as_("exec").get("/resources/scenarios").text
    page = as_("exec").get("/resources/scenarios/compare",
                           params={"ids": ids, "start": f"{YEAR}-01", "months_shown": "3"})
    assert page.status_code == 200, page.text
    assert re.findall(r'data-testid="total-short">([\d.]+)<', page.text) == ["0.0", "1.5"]
    assert ('data-department="IT" data-role="Data engineer"><th scope="row" class="fw-normal '
            'text-break">IT · Data engineer</th><td class="text-end">3.0</td><td class="text-end">'
            '0.0</td><td class="text-end">1.5</td>') in page.text
    bad = as_("exec").get("/resources/scenarios/compare", params={"ids": ["x"]})
    assert bad.status_code == 422 and 'id="form-errors"' in bad.text
