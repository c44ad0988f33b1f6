"""Stage changes and project changes as the charter says: blocked, warned or EPMO-only."""

from __future__ import annotations

import pytest

from tests.compliance.conftest import API, Env
from tests.conftest import Clients
from tests.web.helpers import login
from tests.world import World

BLOCKED = ("gate G2 'Plan approved' has not been passed; the EPMO's authority over portfolio "
           "governance in IT is controlling")


def _patch(as_: Clients, user: str, project: dict, **changes: object) -> object:
    return as_(user).patch(f"{API}/projects/{project['id']}",
                           json={"version": project["version"], **changes})


def test_controlling_blocks_the_stage_change_until_the_gate_is_passed(env: Env,
                                                                      as_: Clients) -> None:
    env.levels("controlling")
    project = env.project(stage="approved")
    env.passed(project["id"], "G1")  # it entered approved through its gate
    r = _patch(as_, "it_pm", project, stage="planning", name="Renamed too")
    assert r.status_code == 422, r.text
    assert r.json()["errors"] == [{"field": "stage", "message": BLOCKED}]
    after = as_("it_pm").get(f"{API}/projects/{project['id']}").json()
    assert (after["stage"], after["name"], after["version"]) == ("approved", project["name"], 1)
    review = as_("it_pm").post(f"{API}/projects/{project['id']}/gates/G2/reviews",
                               json={"evidence": ["https://wiki.example.org/charter"]})
    assert review.status_code == 201, review.text
    decided = as_("it_lead").post(f"{API}/gate-reviews/{review.json()['id']}/decision",
                                  json={"decision": "go", "rationale": "Plan is sound",
                                        "version": 1})
    assert decided.status_code == 200, decided.text
    r = _patch(as_, "it_pm", project, stage="planning")
    assert r.status_code == 200, r.text
    assert r.json()["stage"] == "planning"


def test_a_hold_decision_does_not_open_the_gate(env: Env, as_: Clients) -> None:
    env.levels("controlling")
    project = env.project(stage="approved")
    env.passed(project["id"], "G1")  # it entered approved through its gate
    env.passed(project["id"], "G2")
    env.passed(project["id"], "G2", decision="recycle")  # the latest decision counts
    r = as_("it_pm").post(f"{API}/projects/{project['id']}/transition",
                          json={"stage": "planning", "version": 1})
    assert r.status_code == 422 and r.json()["errors"][0]["message"] == BLOCKED


def test_the_transition_form_shows_the_block_then_moves_after_go(env: Env, app: object,
                                                                 world: World) -> None:
    env.levels("controlling")
    project = env.project(stage="approved")
    env.passed(project["id"], "G1")  # it entered approved through its gate
    browser = login(app, world, "it_pm")
    r = browser.post_form(f"/projects/{project['id']}/transition",
                          {"stage": "planning", "version": "1"})
    assert r.status_code == 422  # type: ignore[attr-defined]
    assert "gate G2 &#39;Plan approved&#39; has not been passed" in r.text  # type: ignore[attr-defined]
    env.passed(project["id"], "G2")
    r = browser.post_form(f"/projects/{project['id']}/transition",
                          {"stage": "planning", "version": "1"})
    assert r.status_code == 303  # type: ignore[attr-defined]
    page = browser.client.get(f"/projects/{project['id']}")
    assert "Project moved to planning" in page.text


def test_supportive_lets_it_through_and_records_a_warning(env: Env, as_: Clients) -> None:
    env.levels("supportive")
    project = env.project(stage="approved")
    r = _patch(as_, "it_pm", project, stage="planning")
    assert r.status_code == 200 and r.json()["stage"] == "planning"
    gates = [f for f in env.findings(project_id=project["id"]) if f["rule"] == "gate"]
    assert {(f["subject"], f["severity"]) for f in gates} == {("G1", "warning"),
                                                              ("G2", "warning")}


def test_none_lets_it_through_without_a_finding(env: Env, as_: Clients) -> None:
    env.levels("none")
    project = env.project(stage="approved")
    assert _patch(as_, "it_pm", project, stage="planning").status_code == 200
    assert env.findings(project_id=project["id"]) == []


@pytest.mark.parametrize("user", ["it_pm", "it_lead"])
def test_directive_leaves_stage_changes_to_the_epmo(env: Env, as_: Clients, user: str) -> None:
    env.levels("supportive", departments={"IT": {"portfolio_governance": "directive"}})
    project = env.project(stage="approved")
    env.passed(project["id"], "G1")  # it entered approved through its gate
    env.passed(project["id"], "G2")
    r = _patch(as_, user, project, stage="planning")
    assert r.status_code == 403, r.text
    assert r.json()["errors"][0]["field"] == "stage"
    assert "portfolio governance in IT is directive" in r.json()["detail"]
    cancel = as_(user).post(f"{API}/projects/{project['id']}/transition",
                            json={"stage": "cancelled", "version": 1})
    assert cancel.status_code == 403  # "at all": even cancelling
    assert as_("admin").post(f"{API}/projects/{project['id']}/transition",
                             json={"stage": "planning", "version": 1}).status_code == 200


def test_directive_still_needs_the_gate_for_the_epmo(env: Env, as_: Clients) -> None:
    env.levels("directive")
    project = env.project(stage="approved")
    r = as_("admin").post(f"{API}/projects/{project['id']}/transition",
                          json={"stage": "planning", "version": 1})
    assert r.status_code == 422
    assert r.json()["errors"][0]["message"].endswith("portfolio governance in IT is directive")


def test_directive_in_another_department_changes_nothing_here(env: Env, as_: Clients) -> None:
    env.levels("supportive", departments={"FIN": {"portfolio_governance": "directive"}})
    project = env.project(stage="approved")
    assert _patch(as_, "it_pm", project, stage="planning").status_code == 200


def test_sub_departments_inherit_the_parent_level(env: Env, as_: Clients) -> None:
    env.levels("supportive", departments={"IT": {"portfolio_governance": "controlling"}})
    project = env.project("IT-INFRA", stage="approved")
    r = _patch(as_, "it_lead", project, stage="planning")
    assert r.status_code == 422
    assert "portfolio governance in IT-INFRA is controlling" in r.json()["errors"][0]["message"]


def test_directive_project_leadership(env: Env, as_: Clients, world: World) -> None:
    env.levels("supportive", project_leadership="directive")
    project = env.project(stage="closing")
    r = _patch(as_, "it_lead", project, manager_id=world.people["it_member"], methodology="Scrum")
    assert r.status_code == 403, r.text
    assert {e["field"] for e in r.json()["errors"]} == {"manager_id", "methodology"}
    assert "project leadership in IT is directive" in r.json()["detail"]
    same = _patch(as_, "it_lead", project, manager_id=world.people["it_pm"], name="Renamed")
    assert same.status_code == 200  # keeping the manager is no change
    closing = as_("it_lead").post(f"{API}/projects/{project['id']}/transition",
                                  json={"stage": "closed", "version": same.json()["version"]})
    assert closing.status_code == 403 and "close a project" in closing.json()["detail"]
    ok = _patch(as_, "admin", same.json(), methodology="Scrum", stage="closed")
    assert ok.status_code == 200 and ok.json()["stage"] == "closed"


def test_controlling_project_leadership_does_not_restrict_people(env: Env, as_: Clients,
                                                                world: World) -> None:
    env.levels("controlling", portfolio_governance="supportive")
    project = env.project(stage="executing")
    r = _patch(as_, "it_lead", project, manager_id=world.people["it_member"], stage="closing")
    assert r.status_code == 200, r.text
