"""The overview shows department staff only what they may open, plus one anonymous total."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from epmo.portfolio.models import Project
from tests.conftest import Clients
from tests.factories import add_project
from tests.overview.conftest import Portfolio
from tests.world import World

URL = "/api/v1/overview"
STAFF = ["it_member", "it_pm", "it_lead"]
# What only FIN and HR projects (P4, P5) and FIN's programme PRG-LEAN may reveal.
SECRETS = ["PRG-LEAN", "Programme PRG-LEAN", "75000.10", "75,000.10", "Project P4", "4500.00",
           "4,500.00"]


def _extra_fin(db: Session, world: World, n: int) -> None:
    for i in range(n):
        add_project(db, world, "FIN", f"FX{i}", name=f"Secret FX{i}", health="red",
                    budget_planned=Decimal("1000.00"), budget_actual=Decimal("10.00"),
                    budget_forecast=Decimal("1200.00"))


@pytest.mark.parametrize("user", STAFF)
def test_staff_see_only_projects_they_can_open(as_: Clients, portfolio: Portfolio,
                                               user: str) -> None:
    r = as_(user).get(URL)
    assert r.status_code == 200
    body = r.json()
    assert body["totals"]["count"] == 3 and body["restricted"] is True
    for secret in SECRETS:
        assert secret not in r.text, secret
    fin = next(row for row in body["by_department"] if row["code"] == "FIN")
    assert fin["rolled"]["count"] == 0 and fin["rolled"]["planned"] == "0.00"
    assert body["others"] is None and body["others_withheld"] is True  # 2 < 5 projects
    assert sum(s["count"] for s in body["by_stage"]) == 3
    assert sum(h["count"] for h in body["by_health"].values()) == 3


@pytest.mark.parametrize("user", STAFF)
def test_staff_pages_hide_what_they_cannot_open(as_: Clients, portfolio: Portfolio,
                                                world: World, user: str) -> None:
    for url in ("/", f"/overview/departments/{world.departments['FIN']}",
                f"/overview/goals/{portfolio.goals['COST']}"):
        r = as_(user).get(url)
        assert r.status_code == 200, url
        for secret in SECRETS:
            assert secret not in r.text, (url, secret)
    assert "withheld" in as_(user).get("/").text
    lean = portfolio.programmes["PRG-LEAN"]
    assert as_(user).get(f"/overview/programmes/{lean}").status_code == 404
    assert as_(user).get(URL, params={"programme_id": lean}).status_code == 404


def test_a_large_enough_rest_is_one_anonymous_total(as_: Clients, portfolio: Portfolio,
                                                    world: World, db: Session) -> None:
    _extra_fin(db, world, 3)  # P4, P5 and three more: five the IT member cannot open
    r = as_("it_member").get(URL)
    body = r.json()
    others = body["others"]
    assert body["others_withheld"] is False and others["count"] == 5
    assert others["planned"] == "83000.10"  # 75000.10 + 5000 + 3 x 1000
    assert "Secret FX" not in r.text and "FX0" not in r.text and "PRG-LEAN" not in r.text
    assert body["totals"]["count"] == 3
    # a drill-down never shows an anonymous total: differences of two would single projects out
    fin = as_("it_member").get(URL, params={"department_id": world.departments["FIN"]}).json()
    assert fin["others"] is None and fin["totals"]["count"] == 0
    page = as_("it_member").get("/").text
    assert 'data-testid="others"' in page and 'title="€83,000.10"' in page


def test_smaller_minimum_group_is_a_setting(as_: Clients, portfolio: Portfolio,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from epmo.config import get_settings
    monkeypatch.setenv("EPMO_OVERVIEW_MIN_GROUP", "2")
    get_settings.cache_clear()
    try:
        body = as_("it_member").get(URL).json()
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert body["others"]["count"] == 2 and body["others_withheld"] is False


def test_open_project_in_a_programme_one_cannot_open_is_not_named(
        as_: Clients, portfolio: Portfolio, world: World, db: Session) -> None:
    project = db.get(Project, portfolio.projects["P3"])
    assert project is not None
    project.programme_id = portfolio.programmes["PRG-LEAN"]
    db.flush()
    r = as_("it_member").get(URL)
    rows = {row["name"]: row for row in r.json()["by_programme"]}
    assert "Programme PRG-LEAN" not in rows and "PRG-LEAN" not in r.text
    assert rows["Other programmes"]["count"] == 1 and rows["Programme PRG-CLOUD"]["count"] == 2


@pytest.mark.parametrize("user", ["admin", "exec"])
def test_enterprise_roles_still_see_everything(as_: Clients, portfolio: Portfolio,
                                               user: str) -> None:
    r = as_(user).get(URL)
    body = r.json()
    assert body["totals"]["count"] == 5 and body["restricted"] is False
    assert "Programme PRG-LEAN" in r.text and body["others"] is None
    lean = portfolio.programmes["PRG-LEAN"]
    assert as_(user).get(f"/overview/programmes/{lean}").status_code == 200


def test_cache_keeps_readers_apart(cache_on: None, as_: Clients, portfolio: Portfolio,
                                   db: Session) -> None:
    assert as_("admin").get(URL).json()["totals"]["count"] == 5
    member = as_("it_member").get(URL)
    assert member.json()["totals"]["count"] == 3 and "PRG-LEAN" not in member.text
    assert as_("fin_pm").get(URL).json()["totals"]["count"] == 1
    assert as_("admin").get(URL).json()["totals"]["count"] == 5
