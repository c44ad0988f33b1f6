"""The SQL that derives health agrees with the derived-RAG engine, project by project."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from epmo.engines.rag import COLOURS, Facts, derive, thresholds_from
from epmo.reporting import health_store
from tests.charter.conftest import Charters
from tests.conftest import Clients
from tests.factories import add_project
from tests.reporting.conftest import THRESHOLDS, Governance
from tests.world import World

BASELINE = date(2026, 6, 30)


def _expected(facts: Facts, reported: str, basis: str) -> str:
    derived = derive(facts, thresholds_from(THRESHOLDS))
    known = [c for c in (derived.schedule, derived.cost) if c is not None]
    if not known:
        return reported
    worst = max(known, key=COLOURS.index)
    if basis == "derived":
        return worst
    return max((worst, reported), key=COLOURS.index)


@pytest.mark.parametrize(("seed", "basis"), [(1, "derived"), (2, "worse"), (3, "worse")])
def test_counted_health_matches_the_engine(as_: Clients, db: Session, world: World,
                                           seed: int, basis: str) -> None:
    rnd = random.Random(seed)
    Governance(db, world).contract()
    body = Charters(as_, world).body()
    body["content"]["health_basis"] = basis
    assert as_("admin").post("/api/v1/charter", json=body).status_code == 201
    expected: Counter[str] = Counter()
    differing = 0
    for i in range(60):
        planned = rnd.choice([None, Decimal(0), Decimal(rnd.randint(1, 500_000)) / 100])
        forecast = None if planned is None else planned * Decimal(rnd.choice(
            ["0.9", "1", "1.04", "1.05", "1.1", "1.15", "1.3"]))
        slip = rnd.choice([None, -5, 0, 9, 10, 29, 30, 90])
        reported = rnd.choice(COLOURS)
        facts = Facts(baseline_finish=BASELINE,
                      forecast_finish=None if slip is None else BASELINE + timedelta(days=slip),
                      baseline_budget=planned, forecast_cost=forecast)
        add_project(db, world, "IT", f"H{i}", name="Random", stage="executing",
                    health=reported, baseline_finish=BASELINE,
                    forecast_finish=facts.forecast_finish, budget_planned=planned or Decimal(0),
                    budget_forecast=(forecast or Decimal(0)).quantize(Decimal("0.01")))
        if planned is None:  # stored as 0 today: nothing derivable from cost
            facts = Facts(facts.baseline_finish, facts.forecast_finish, Decimal(0), Decimal(0))
        else:
            facts = Facts(facts.baseline_finish, facts.forecast_finish, planned,
                          (forecast or Decimal(0)).quantize(Decimal("0.01")))
        counted = _expected(facts, reported, basis)
        expected[counted] += 1
        derived = derive(facts, thresholds_from(THRESHOLDS))
        known = [c for c in (derived.schedule, derived.cost) if c is not None]
        differing += bool(known) and max(known, key=COLOURS.index) != reported
    health_store.refresh_all(db)  # written past the services
    overview = as_("admin").get("/api/v1/overview").json()
    got = {k: v for k, v in overview["totals"]["health_counts"].items() if v}
    assert got == dict(expected)
    assert overview["disagreement_count"] == differing
