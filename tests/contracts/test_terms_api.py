"""A project's effective terms: its tier's contract merged with its department's method."""

from __future__ import annotations

import pytest

from tests.conftest import Clients
from tests.contracts.conftest import API, method_body
from tests.factories import Maker
from tests.world import World

pytestmark = pytest.mark.usefixtures("defaults")


def test_terms_follow_tier_and_method(as_: Clients, make: Maker, world: World) -> None:
    project = make.project("IT-INFRA", budget_planned="6000000")
    url = f"{API}/projects/{project['id']}/terms"
    plain = as_("it_pm").get(url).json()
    assert (plain["tier"], plain["cadence"], plain["cadence_days"], plain["method"]) == (
        1, "weekly", 7, "")
    assert [g["code"] for g in plain["gates"]] == ["G1", "G2", "G3", "G4"]
    r = as_("it_lead").put(f"{API}/departments/{world.departments['IT']}/method",
                           json=method_body())
    assert r.status_code == 200, r.text
    merged = as_("it_pm").get(url).json()
    assert merged["method"] == "Agile delivery"
    assert [g["code"] for g in merged["gates"]] == ["G1", "G2", "G3", "G4", "DOR"]
    assert "methodology" in merged["required_fields"]
    assert merged["stage_names"]["Discovery"] == "planning"
    small = make.project("FIN")
    assert as_("fin_pm").get(f"{API}/projects/{small['id']}/terms").json()["cadence"] == "monthly"


def test_terms_are_hidden_like_the_project(as_: Clients, make: Maker) -> None:
    project = make.project("FIN")
    assert as_("hr_viewer").get(f"{API}/projects/{project['id']}/terms").status_code == 404
    assert as_("exec").get(f"{API}/projects/{project['id']}/terms").status_code == 200
    assert as_("admin").get(f"{API}/projects/999999/terms").status_code == 404
