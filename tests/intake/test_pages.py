"""The intake pages: list with counts, the form (errors beside fields, values kept), detail."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from tests.conftest import Clients
from tests.intake.conftest import Requests
from tests.web.helpers import Browser, login
from tests.world import World


@pytest.fixture
def browser(app: object, world: World, db: Session) -> Browser:
    """it_member signed in through the login form."""
    return login(app, world, "it_member")


def _form(world: World, **extra: Any) -> dict[str, Any]:
    return {"code": "", "title": "Web request", "problem": "Slow reports",
            "department_id": str(world.departments["IT"]), "sponsor_id": "",
            "category": "", "desired_start": "2027-04-01", "duration_months": "3",
            "headcount": "2", "risk_rating": "2", "benefits": "", "benefit_value": "0",
            "risks": "", "mandatory_reason": "",
            "cost_period": ["2027", "2028", ""], "cost_amount": ["1000", "500", ""],
            "goal_id": ["", ""], "goal_contribution": ["", ""],
            "demand_role": ["Lead", "", ""], "demand_period": ["2027-Q2", "", ""],
            "demand_fte": ["2", "", ""], "dep_request_id": [""], "dep_project_id": [""],
            "dep_note": [""]} | extra


def test_list_shows_counts_filters_and_scope(requests: Requests, as_: Clients) -> None:
    a = requests.submit(title="Visible one")
    requests.move(a, "triage")
    requests.submit(title="Visible two")
    requests.submit("fin_pm", "FIN", title="Hidden one")
    page = as_("it_viewer").get("/intake")
    assert page.status_code == 200
    assert "Visible one" in page.text and "Hidden one" not in page.text
    assert 'data-testid="count-triage">1<' in page.text
    assert 'data-testid="count-submitted">1<' in page.text
    assert 'id="new-request"' not in page.text  # viewers cannot submit
    filtered = as_("it_viewer").get("/intake", params={"stage": "triage"})
    assert "Visible one" in filtered.text and "Visible two" not in filtered.text
    assert 'id="new-request"' in as_("it_member").get("/intake").text
    # the form itself tells a reader why it is not theirs instead of an empty department list
    refused = as_("it_viewer").get("/intake/new")
    assert refused.status_code == 403 and "viewers and executives read them" in refused.text
    assert as_("exec").get("/intake/new").status_code == 403


def test_form_submits_and_shows_the_request(browser: Browser, world: World) -> None:
    page = browser.client.get("/intake/new")
    assert page.status_code == 200 and 'id="request-form"' in page.text
    for name in ("cost_period", "demand_role", "goal_id", "dep_request_id", "mandatory"):
        assert f'name="{name}"' in page.text, name
    assert 'data-add-row="cost-rows"' in page.text
    r = browser.post_form("/intake/new", _form(world))
    assert r.status_code == 303, r.text  # type: ignore[attr-defined]
    detail = browser.client.get(r.headers["location"])  # type: ignore[attr-defined]
    assert "Request REQ-0001 submitted" in detail.text
    assert 'id="cost-total">€1,500.00<' in detail.text and "2027-Q2" in detail.text
    location = r.headers["location"]  # type: ignore[attr-defined]
    assert f'id="scores-link" href="{location}/scores"' in detail.text
    assert 'id="decision-form"' not in detail.text  # the requester does not decide


def test_form_errors_beside_fields_and_values_kept(browser: Browser, world: World) -> None:
    r = browser.post_form("/intake/new", _form(
        world, title="Keep this title", cost_amount=["1000", "-5", ""],
        demand_role=["Astronaut", "", ""]))
    assert r.status_code == 422  # type: ignore[attr-defined]
    html = r.text  # type: ignore[attr-defined]
    assert 'value="Keep this title"' in html and 'value="Astronaut"' in html
    assert 'data-error-for="costs.1.amount"' in html
    assert 'value="-5"' in html
    r = browser.post_form("/intake/new", _form(world, demand_role=["Astronaut", "", ""]))
    html = r.text  # type: ignore[attr-defined]
    assert 'data-error-for="demand.0.role"' in html and "known roles: Lead" in html


def test_detail_shows_decision_form_only_to_deciders(requests: Requests, as_: Clients,
                                                     app: object, world: World) -> None:
    made = requests.submit()
    url = f"/intake/{made['id']}"
    assert 'id="decision-form"' in as_("it_lead").get(url).text
    assert 'id="decision-form"' in as_("admin").get(url).text
    for user in ("it_member", "it_pm", "exec"):
        assert 'id="decision-form"' not in as_(user).get(url).text, user
    assert as_("fin_lead").get(url).status_code == 404
    lead = login(app, world, "it_lead")
    moved = lead.post_form(f"{url}/stage", {"stage": "triage", "version": "1"})
    assert moved.status_code == 303  # type: ignore[attr-defined]
    missing = lead.post_form(f"{url}/decision", {"decision": "reject", "reason": "",
                                                 "version": "2"})
    assert missing.status_code == 422  # type: ignore[attr-defined]
    assert "give the reason for reject" in missing.text  # type: ignore[attr-defined]
    done = lead.post_form(f"{url}/decision", {"decision": "approve", "reason": "Yes",
                                              "version": "2"})
    assert done.status_code == 303  # type: ignore[attr-defined]
    page = lead.client.get(url).text
    assert 'id="project-link"' in page and "PRJ-0001" in page


def test_edit_and_resubmit_from_the_pages(requests: Requests, browser: Browser,
                                          world: World) -> None:
    made = requests.submit()
    requests.decide(made, "reject", reason="Too vague")
    url = f"/intake/{made['id']}"
    page = browser.client.get(url).text
    assert 'id="resubmit"' in page and 'id="edit-request"' in page
    form = browser.client.get(f"{url}/edit").text
    assert 'value="New data platform"' in form and 'value="2027-Q1"' in form
    saved = browser.post_form(f"{url}/edit", _form(world, version="2", title="Clearer"))
    assert saved.status_code == 303, saved.text  # type: ignore[attr-defined]
    r = browser.post_form(f"{url}/resubmit", {"version": "3"})
    assert r.status_code == 303  # type: ignore[attr-defined]
    page = browser.client.get(url).text
    assert "revision 2" in page and 'id="request-stage">submitted<' in page


def test_withdraw_from_the_page(requests: Requests, browser: Browser) -> None:
    made = requests.submit()
    r = browser.post_form(f"/intake/{made['id']}/delete", {"version": str(made["version"])})
    assert r.status_code == 303  # type: ignore[attr-defined]
    assert browser.client.get(f"/intake/{made['id']}").status_code == 404
