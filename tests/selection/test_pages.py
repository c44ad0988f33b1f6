"""Scenario pages through a signed-in browser: list, new, detail forms, frontier, compare."""

from __future__ import annotations

import json
import re
from typing import Any

from tests.selection.conftest import Env
from tests.web.helpers import Browser, login


def _admin(env: Env, app: object) -> Browser:
    return login(app, env.world, "admin")


def _id_of(response: Any) -> int:
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


def test_create_add_flag_solve_frontier_and_commit_through_the_pages(env: Env,
                                                                     app: object) -> None:
    for code, cost, benefit in (("A", 60, 100), ("B", 50, 70), ("C", 40, 50)):
        env.request(code, {"2027": cost}, benefit=benefit)
    browser = _admin(env, app)
    assert "New scenario" in browser.client.get("/scenarios").text
    bad = browser.post_form("/scenarios/new", {"name": "Web", "objective": "benefit",
                                               "budgets": "2027 = -5", "time_limit": "5"})
    assert bad.status_code == 422 and 'data-field="budgets.2027"' in bad.text  # type: ignore[attr-defined]
    sid = _id_of(browser.post_form("/scenarios/new", {
        "name": "Web", "objective": "benefit", "budgets": "2027 = 100\n2028 = 100",
        "time_limit": "5"}))
    page = browser.client.get(f"/scenarios/{sid}")
    version = re.search(r'name="version" value="(\d+)"', page.text)
    assert version
    added = browser.post_form(f"/scenarios/{sid}/candidates", {
        "version": version.group(1), "codes": "A, B", "request_ids": ["C"]})
    assert added.status_code == 303  # type: ignore[attr-defined]
    unknown = browser.post_form(f"/scenarios/{sid}/candidates",
                                {"version": "99", "codes": "NOPE"})
    assert unknown.status_code == 422 and "no request or project NOPE" in unknown.text  # type: ignore[attr-defined]
    assert 'name="codes" value="NOPE"' in unknown.text  # type: ignore[attr-defined]
    picked = browser.post_form(f"/scenarios/{sid}/candidates",
                               {"version": "99", "codes": "NOPE <b>", "request_ids": ["C"]})
    assert picked.status_code == 422  # type: ignore[attr-defined]
    assert 'value="NOPE &lt;b&gt;"' in picked.text  # type: ignore[attr-defined]
    assert browser.post_form(f"/scenarios/{sid}/solve", {}).status_code == 303  # type: ignore[attr-defined]
    page = browser.client.get(f"/scenarios/{sid}")
    assert re.search(r'data-code="B" data-selected="false">.*?would exceed the 2027 budget',
                     page.text, re.S)
    assert 'id="result-value">150.00' in page.text and 'data-line="2027"' in page.text
    assert browser.post_form(f"/scenarios/{sid}/frontier", {}).status_code == 303  # type: ignore[attr-defined]
    page = browser.client.get(f"/scenarios/{sid}")
    blob = re.search(r'<script type="application/json" id="frontier-data">(.*?)</script>',
                     page.text, re.S)
    assert blob and len(json.loads(blob.group(1))["points"]) == 20
    assert "echarts.min.js" in page.text and 'id="frontier-chart"' in page.text
    version = re.search(r'name="version" value="(\d+)"', page.text)
    assert version
    done = browser.post_form(f"/scenarios/{sid}/commit", {"version": version.group(1)})
    assert done.status_code == 303  # type: ignore[attr-defined]
    assert "Committed: 2 request(s) approved, 1 not yet" in browser.client.get(
        f"/scenarios/{sid}").text


def test_infeasible_page_lists_the_conflicts_and_settings_errors_name_fields(
        env: Env, app: object) -> None:
    heavy = env.request("HEAVY", {"2027": 150}, benefit=1, mandatory=True)
    scenario = env.add(env.scenario("Tight"), [heavy])
    browser = _admin(env, app)
    shown = browser.post_form(f"/scenarios/{scenario['id']}/solve", {})
    assert shown.status_code == 422  # type: ignore[attr-defined]
    assert re.search(r'class="conflict">mandatory items alone exceed the 2027 budget by 50 EUR',
                     shown.text)  # type: ignore[attr-defined]
    wrong = browser.post_form(f"/scenarios/{scenario['id']}/settings", {
        "version": str(scenario["version"]), "name": "Tight", "objective": "benefit",
        "budgets": "2027 = 100", "requires": "HEAVY -> GHOST",
        "capacity_overrides": "Astronaut | 2027-Q1 = 3"})
    assert wrong.status_code == 422  # type: ignore[attr-defined]
    assert "GHOST is not a candidate of this scenario" in wrong.text  # type: ignore[attr-defined]


def test_readers_see_no_forms_and_others_nothing(env: Env, app: object) -> None:
    first, ids = env.knapsack()
    second = env.add(env.scenario("Plan B", budgets={"2027": 60}), list(ids.values()))
    for scenario in (first, second):
        env.solve(scenario)
    reader = login(app, env.world, "exec")
    page = reader.client.get(f"/scenarios/{first['id']}")
    assert page.status_code == 200 and 'id="solve"' not in page.text
    compare = reader.client.get(f"/scenarios/compare?ids={first['id']}&ids={second['id']}")
    assert compare.status_code == 200
    assert re.search(r'data-code="C"><td><code>C</code>', compare.text)
    draft = env.add(env.scenario("Plan D"), list(ids.values()))
    mixed = reader.client.get(f"/scenarios/compare?ids={first['id']}&ids={draft['id']}")
    assert mixed.status_code == 200
    assert "Plan D (draft) is not solved: no items to compare." in mixed.text
    assert "select the same items" not in mixed.text
    assert "Plan B" in reader.client.get("/scenarios").text
    lead = login(app, env.world, "it_lead")
    assert lead.client.get(f"/scenarios/{first['id']}").status_code == 404
    assert lead.client.get("/scenarios").status_code == 404


def test_flag_remove_and_delete_through_the_pages(env: Env, app: object) -> None:
    scenario, _ = env.knapsack()
    browser = _admin(env, app)
    sid, cands = scenario["id"], {c["code"]: c["id"] for c in scenario["candidates"]}

    def version() -> str:
        found = re.search(r'name="version" value="(\d+)"',
                          browser.client.get(f"/scenarios/{sid}").text)
        assert found
        return found.group(1)

    flagged = browser.post_form(f"/scenarios/{sid}/candidates/{cands['D']}", {
        "version": version(), "mandatory": "on", "value_override": "7"})
    assert flagged.status_code == 303  # type: ignore[attr-defined]
    read = env.as_("admin").get(f"/api/v1/scenarios/{sid}").json()
    d = next(c for c in read["candidates"] if c["code"] == "D")
    assert d["mandatory"] and float(d["value_override"]) == 7
    removed = browser.post_form(f"/scenarios/{sid}/candidates/{cands['B']}",
                                {"version": version(), "remove": "1"})
    assert removed.status_code == 303  # type: ignore[attr-defined]
    codes = {c["code"] for c in env.as_("admin").get(f"/api/v1/scenarios/{sid}").json()[
        "candidates"]}
    assert codes == {"A", "C", "D"}
    stale = browser.post_form(f"/scenarios/{sid}/delete", {"version": "1"})
    assert stale.status_code == 409  # type: ignore[attr-defined]
    gone = browser.post_form(f"/scenarios/{sid}/delete", {"version": version()})
    assert gone.status_code == 303  # type: ignore[attr-defined]
    assert browser.client.get(f"/scenarios/{sid}").status_code == 404
