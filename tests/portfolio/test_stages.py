"""Lifecycle stages: every (from, to) pair, through the transition endpoint and through PATCH."""

from __future__ import annotations

import itertools

import pytest

from epmo.portfolio.models import STAGES
from tests.conftest import Clients
from tests.factories import API, Maker

ALLOWED = {
    ("proposed", "approved"), ("proposed", "cancelled"),
    ("approved", "planning"), ("approved", "on_hold"), ("approved", "cancelled"),
    ("planning", "executing"), ("planning", "on_hold"), ("planning", "cancelled"),
    ("executing", "closing"), ("executing", "on_hold"), ("executing", "cancelled"),
    ("closing", "closed"), ("closing", "on_hold"),
    ("on_hold", "approved"), ("on_hold", "planning"), ("on_hold", "executing"),
    ("on_hold", "closing"), ("on_hold", "cancelled"),
}
PAIRS = [(a, b) for a, b in itertools.product(STAGES, STAGES) if a != b]


@pytest.mark.parametrize(("start", "target"), PAIRS)
def test_transition_table(as_: Clients, make: Maker, start: str, target: str) -> None:
    project = make.project("IT", stage=start)
    r = as_("it_pm").post(f"{API}/projects/{project['id']}/transition",
                          json={"stage": target, "version": 1})
    if (start, target) in ALLOWED:
        assert r.status_code == 200, r.text
        assert r.json()["stage"] == target and r.json()["version"] == 2
    else:
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["field"] == "stage"
        assert as_("it_pm").get(f"{API}/projects/{project['id']}").json()["stage"] == start


@pytest.mark.parametrize("final", ["closed", "cancelled"])
def test_final_stages_offer_nothing(make: Maker, final: str) -> None:
    assert make.project("IT", stage=final)["next_stages"] == []


def test_patch_with_stage_uses_the_same_rules(as_: Clients, make: Maker) -> None:
    project = make.project("IT")
    url = f"{API}/projects/{project['id']}"
    bad = as_("it_pm").patch(url, json={"version": 1, "stage": "executing", "name": "Jump"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "stage"
    assert as_("it_pm").get(url).json()["name"] == project["name"]  # nothing half-written
    ok = as_("it_pm").patch(url, json={"version": 1, "stage": "approved", "name": "Approved"})
    assert ok.status_code == 200
    assert ok.json()["stage"] == "approved" and ok.json()["name"] == "Approved"
    same = as_("it_pm").patch(url, json={"version": ok.json()["version"], "stage": "approved"})
    assert same.status_code == 200  # staying in the stage is no transition


def test_hold_and_resume_and_walk_to_closed(as_: Clients, make: Maker) -> None:
    project = make.project("IT")
    url = f"{API}/projects/{project['id']}/transition"
    version = 1
    for stage in ("approved", "planning", "on_hold", "planning", "executing", "on_hold",
                  "executing", "closing", "closed"):
        r = as_("it_lead").post(url, json={"stage": stage, "version": version})
        assert r.status_code == 200, (stage, r.text)
        version = r.json()["version"]
    assert r.json()["next_stages"] == []


def test_transition_checks_version_and_rights(as_: Clients, make: Maker) -> None:
    project = make.project("IT")
    url = f"{API}/projects/{project['id']}/transition"
    assert as_("it_pm").post(url, json={"stage": "approved", "version": 9}).status_code == 409
    assert as_("it_viewer").post(url, json={"stage": "approved", "version": 1}).status_code == 403
    assert as_("fin_pm").post(url, json={"stage": "approved", "version": 1}).status_code == 404
    assert as_("it_pm").post(url, json={"stage": "nowhere", "version": 1}).status_code == 422
    assert as_("it_pm").post(url, json={"stage": "approved"}).status_code == 422
