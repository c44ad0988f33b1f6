"""An intake request's benefit value and an approved project's budget are unknown, not 0,
when nobody gave them (issue 10, item 5)."""

from __future__ import annotations

from tests.conftest import Clients
from tests.intake.conftest import API, Requests


def test_benefit_value_left_out_is_unknown(requests: Requests, as_: Clients) -> None:
    made = requests.submit()
    assert made["benefit_value"] is None
    page = as_("it_member").get(f"/intake/{made['id']}").text
    assert '<dt class="col-5">Benefit value</dt><dd class="col-7">unknown</dd>' in page
    r = as_("it_member").patch(f"{API}/{made['id']}", json={"version": made["version"],
                                                          "benefit_value": "1500"})
    assert r.status_code == 200, r.text
    r = as_("it_member").patch(f"{API}/{made['id']}", json={"version": r.json()["version"],
                                                          "benefit_value": None})
    assert r.status_code == 200, r.text
    assert r.json()["benefit_value"] is None


def test_approving_a_request_without_costs_gives_an_unknown_budget(
        requests: Requests, as_: Clients) -> None:
    made = requests.submit(costs=[])
    r = requests.decide(requests.move(made, "triage"), "approve", "it_lead", reason="Go")
    assert r.status_code == 200, r.text
    project = as_("it_member").get(f"/api/v1/projects/{r.json()['project_id']}").json()
    assert (project["budget_planned"], project["health"]) == (None, None)
