"""A committed scenario that delivered more value in the same budget than a ranked list."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from epmo.engines.optimizer import Item, Problem
from epmo.ledger.models import LedgerEntry
from epmo.ledger.ranked import ranked_value
from tests.conftest import Clients
from tests.selection.conftest import Env
from tests.world import World


def test_a_ranked_list_funds_down_by_value_within_each_year() -> None:
    problem = Problem(items=(Item(1, 100, {"2027": 60}), Item(2, 90, {"2027": 50}),
                             Item(3, 90, {"2027": 50}), Item(4, 5, {"2027": 40}, excluded=True),
                             Item(5, 1, {"2027": 90}, mandatory=True)),
                      budgets={"2027": 160})
    assert ranked_value(problem) == (101, [5, 1])  # mandatory first, then 1; 2 and 3 no room


def _committed(env: Env, objective: str) -> dict[str, int]:
    ids = {code: env.request(code, {"2027": cost}, benefit=benefit)
           for code, cost, benefit in (("A", 60, 100), ("B", 50, 90), ("C", 50, 90))}
    scenario = env.add(env.scenario(objective=objective), list(ids.values()))
    solved = env.solve(scenario)
    assert solved.status_code == 200, solved.text
    committed = env.as_("admin").post(f"/api/v1/scenarios/{scenario['id']}/commit",
                                      json={"version": solved.json()["version"]})
    assert committed.status_code == 200, committed.text
    return {"scenario": scenario["id"]}


def test_the_gain_over_a_ranked_list_is_proposed_once(env: Env, db: Session) -> None:
    found = _committed(env, "benefit")
    run = env.as_("admin").post("/api/v1/ledger/propose").json()
    assert run["by_source"]["scenario"] == 1
    entry = db.scalars(select(LedgerEntry).where(LedgerEntry.evidence_kind == "scenario")).one()
    # Ranked: A (100) leaves 40 of 100, too little for B or C; optimised: B + C = 180.
    assert (entry.category, entry.amount, entry.evidence_id) == (
        "cost_avoidance", Decimal("80.00"), found["scenario"])
    assert "€80 more benefit than a ranked list (€100)" in entry.basis
    assert entry.figures["ranked_value"] == "100.0"
    assert env.as_("admin").post("/api/v1/ledger/propose").json()["proposed"] == 0


def test_a_scenario_in_score_points_is_skipped_in_words(env: Env, db: Session) -> None:
    env.scores({})
    _committed(env, "score")
    run = env.as_("admin").post("/api/v1/ledger/propose").json()
    assert run["by_source"]["scenario"] == 0
    assert any("score points, not money" in line for line in run["skipped"])


@pytest.fixture
def env(db: Session, world: World, as_: Clients) -> Env:
    """The selection tests' helper: intake requests, scenarios through the API."""
    return Env(db, world, as_)
