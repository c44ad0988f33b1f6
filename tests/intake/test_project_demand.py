"""Approving a request carries its role demand (per quarter) to the project it creates (per
month: each quarter spread evenly over its months, the totals kept to the hundredth)."""

from __future__ import annotations

from tests.conftest import Clients
from tests.intake.conftest import Requests


def test_approving_a_request_carries_its_demand_to_the_project(requests: Requests,
                                                               as_: Clients) -> None:
    made = requests.submit(demand=[{"role": "lead", "period": "2027-Q1", "fte_months": "3"},
                                   {"role": "Project manager", "period": "2027-Q2",
                                    "fte_months": "1.5"}])
    decided = requests.decide(requests.move(made, "triage"), "approve", "it_lead", reason="Go")
    assert decided.status_code == 200, decided.text
    project_id = decided.json()["project_id"]
    lines = as_("admin").get(f"/api/v1/projects/{project_id}/demand").json()["lines"]
    assert [(ln["role"], ln["period"], ln["fte_months"]) for ln in lines] == [
        ("Lead", "2027-01", "1.00"), ("Lead", "2027-02", "1.00"), ("Lead", "2027-03", "1.00"),
        ("Project manager", "2027-04", "0.50"), ("Project manager", "2027-05", "0.50"),
        ("Project manager", "2027-06", "0.50")]


def test_demand_outside_the_new_projects_dates_is_folded_into_them(requests: Requests,
                                                                   as_: Clients) -> None:
    # the project runs 2027-01-01 .. 2027-07-01 (desired start, six months): 2027-01 .. 2027-07;
    # a quarter before goes to its first month, one after to its last, each spread over its
    # months the project runs
    made = requests.submit(demand=[{"role": "Lead", "period": "2026-Q4", "fte_months": "1"},
                                   {"role": "Lead", "period": "2027-Q1", "fte_months": "2"},
                                   {"role": "Lead", "period": "2028-Q1", "fte_months": "1.5"}])
    decided = requests.decide(requests.move(made, "triage"), "approve", "it_lead", reason="Go")
    assert decided.status_code == 200, decided.text
    project_id = decided.json()["project_id"]
    lines = as_("admin").get(f"/api/v1/projects/{project_id}/demand").json()["lines"]
    assert [(ln["role"], ln["period"], ln["fte_months"]) for ln in lines] == [
        ("Lead", "2027-01", "1.67"), ("Lead", "2027-02", "0.67"), ("Lead", "2027-03", "0.66"),
        ("Lead", "2027-07", "1.50")]
    assert sum(float(ln["fte_months"]) for ln in lines) == 4.5
