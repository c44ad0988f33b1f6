"""Gate reviews: required gates, checklist and evidence, decision rights, the gates page."""

from __future__ import annotations

from typing import Any

import pytest

from tests.compliance.conftest import API, Env
from tests.conftest import Clients
from tests.web.helpers import login
from tests.world import World


def _open(as_: Clients, project: dict[str, Any], code: str = "G2", user: str = "it_pm",
          evidence: list[str] | None = None) -> Any:
    return as_(user).post(f"{API}/projects/{project['id']}/gates/{code}/reviews",
                          json={"evidence": evidence or []})


def _decide(as_: Clients, review_id: int, user: str, decision: str = "go",
            version: int = 1, **extra: Any) -> Any:
    return as_(user).post(f"{API}/gate-reviews/{review_id}/decision",
                          json={"decision": decision, "rationale": "Reviewed",
                                "version": version, **extra})


def test_required_gates_with_their_latest_review(env: Env, as_: Clients) -> None:
    env.levels("supportive")
    project = env.project(stage="approved")
    env.passed(project["id"], "G1")
    r = as_("it_pm").get(f"{API}/projects/{project['id']}/gates")
    assert r.status_code == 200
    gates = {g["code"]: g for g in r.json()}
    assert list(gates) == ["G1", "G2", "G3"]
    assert gates["G1"]["passed"] and gates["G1"]["review"]["decision"] == "go"
    assert not gates["G2"]["passed"] and gates["G2"]["review"] is None
    assert gates["G2"]["criteria"] == ["Charter signed", "Manager assigned"]
    assert gates["G2"]["can_open"] and not gates["G1"]["can_open"]
    assert as_("fin_pm").get(f"{API}/projects/{project['id']}/gates").status_code == 404


def test_open_review_builds_the_checklist_and_keeps_evidence(env: Env, as_: Clients) -> None:
    env.levels("supportive")
    project = env.project(stage="approved")
    r = _open(as_, project, evidence=["https://wiki.example.org/plan"])
    assert r.status_code == 201, r.text
    review = r.json()
    assert review["checklist"] == [{"criterion": "Charter signed", "met": False},
                                   {"criterion": "Manager assigned", "met": False}]
    assert review["evidence"] == ["https://wiki.example.org/plan"]
    assert review["decision"] is None and review["stage"] == "planning"
    again = _open(as_, project)
    assert again.status_code == 409 and again.json()["errors"][0]["field"] == "gate_code"
    assert _open(as_, project, code="G9").status_code == 404
    bad = _open(as_, project, code="G3", evidence=["javascript:alert(1)"])
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "evidence.0"
    assert _open(as_, project, code="G3", user="it_viewer").status_code == 403
    assert _open(as_, project, code="G3", user="fin_lead").status_code == 404


@pytest.mark.parametrize(("user", "status"), [
    ("it_lead", 200), ("admin", 200), ("it_pm", 403), ("it_member", 403), ("it_viewer", 403),
    ("exec", 403), ("fin_lead", 404), ("hr_viewer", 404)])
def test_who_may_decide_g2(env: Env, as_: Clients, user: str, status: int) -> None:
    env.levels("controlling")
    project = env.project(stage="approved")
    review = _open(as_, project).json()
    r = _decide(as_, review["id"], user)
    assert r.status_code == status, r.text
    if status == 200:
        assert r.json()["decision"] == "go" and r.json()["approver_id"] is not None
    if status == 403:
        assert "department lead of IT" in r.json()["detail"]


def test_executive_decides_where_it_is_an_approver_role(env: Env, as_: Clients) -> None:
    env.levels("supportive")
    project = env.project(stage="planning")
    review = _open(as_, project, code="G3").json()
    assert _decide(as_, review["id"], "exec").status_code == 200


def test_directive_governance_leaves_decisions_to_the_epmo(env: Env, as_: Clients) -> None:
    env.levels("supportive", portfolio_governance="directive")
    project = env.project(stage="approved")
    review = _open(as_, project).json()  # asking for a review is still the project's own
    r = _decide(as_, review["id"], "it_lead")
    assert r.status_code == 403 and "directive" in r.json()["detail"]
    assert _decide(as_, review["id"], "admin").status_code == 200


def test_decision_rules(env: Env, as_: Clients, world: World) -> None:
    env.levels("supportive")
    project = env.project(stage="approved")
    review = _open(as_, project).json()
    stale = _decide(as_, review["id"], "it_lead", version=5)
    assert stale.status_code == 409
    wrong = _decide(as_, review["id"], "it_lead", met=[True])
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "met"
    bad = _decide(as_, review["id"], "it_lead", decision="maybe")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "decision"
    empty = as_("it_lead").post(f"{API}/gate-reviews/{review['id']}/decision",
                                json={"decision": "go", "rationale": "", "version": 1})
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "rationale"
    r = _decide(as_, review["id"], "it_lead", decision="recycle", met=[True, False])
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["checklist"] == [{"criterion": "Charter signed", "met": True},
                                 {"criterion": "Manager assigned", "met": False}]
    assert (body["approver_id"], body["approver_name"]) == (world.users["it_lead"], "It Lead")
    assert body["decided_at"] is not None and body["version"] == 2
    twice = _decide(as_, review["id"], "it_lead", version=2)
    assert twice.status_code == 409 and "already decided" in twice.json()["detail"]
    gates = {g["code"]: g for g in as_("it_pm").get(
        f"{API}/projects/{project['id']}/gates").json()}
    assert not gates["G2"]["passed"] and gates["G2"]["can_open"]  # recycled: review again
    assert as_("fin_lead").get(f"{API}/gate-reviews/{review['id']}").status_code == 404
    assert as_("it_viewer").get(f"{API}/gate-reviews/{review['id']}").json()["decision"] == \
        "recycle"
    assert as_("admin").post(f"{API}/gate-reviews/999999/decision",
                             json={"decision": "go", "rationale": "x",
                                   "version": 1}).status_code == 404


def test_the_gates_page_opens_and_decides(env: Env, app: object, world: World) -> None:
    env.levels("controlling")
    project = env.project(stage="approved")
    pm = login(app, world, "it_pm")
    page = pm.client.get(f"/projects/{project['id']}/gates")
    assert page.status_code == 200
    assert 'data-testid="open-review-G2"' in page.text and 'data-testid="decide-G2"' not in page.text
    assert f'class="nav-link active" href="/projects/{project["id"]}/gates"' in page.text
    bad = pm.post_form(f"/projects/{project['id']}/gates/G2/reviews", {"evidence": "not a link"})
    assert bad.status_code == 422 and "evidence.0" in bad.text  # type: ignore[attr-defined]
    r = pm.post_form(f"/projects/{project['id']}/gates/G2/reviews",
                     {"evidence": "https://wiki.example.org/a\n\nhttps://wiki.example.org/b"})
    assert r.status_code == 303  # type: ignore[attr-defined]
    lead = login(app, world, "it_lead")
    page = lead.client.get(f"/projects/{project['id']}/gates")
    assert 'data-testid="decide-G2"' in page.text and "https://wiki.example.org/b" in page.text
    review_id = int(page.text.split("/gates/reviews/")[1].split("/")[0])
    url = f"/projects/{project['id']}/gates/reviews/{review_id}/decision"
    missing = lead.post_form(url, {"version": "1", "decision": "go", "rationale": ""})
    assert missing.status_code == 422  # type: ignore[attr-defined]
    r = lead.post_form(url, {"version": "1", "decision": "go", "rationale": "Fine",
                             "met_0": "on", "met_1": "on"})
    assert r.status_code == 303  # type: ignore[attr-defined]
    page = lead.client.get(f"/projects/{project['id']}/gates")
    assert 'data-code="G2" data-passed="yes"' in page.text and "Gate G2: go" in page.text
    assert "☑ Charter signed" in page.text
    denied = pm.post_form(url, {"version": "2", "decision": "kill", "rationale": "No"})
    assert denied.status_code == 403  # type: ignore[attr-defined]


def test_the_gates_page_is_scoped(env: Env, as_: Clients) -> None:
    project = env.project(stage="approved")
    assert as_("fin_pm").get(f"/projects/{project['id']}/gates").status_code == 404
    assert as_("it_viewer").get(f"/projects/{project['id']}/gates").status_code == 200
