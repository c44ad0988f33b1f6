"""The demo's intake pipeline: requests, score sheets and a scenario that solves."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import Engine, func, select

from epmo.auth.policy import SYSTEM
from epmo.db import UnitOfWork
from epmo.demo.catalog import DOMAINS
from epmo.demo.generator import design, make_plan
from epmo.demo.pipeline import PER_DEPARTMENT, design_requests, quarterly_supply
from epmo.demo.service import LoadResult
from epmo.intake.models import IntakeRequest, RequestDemand
from epmo.scoring.models import RequestScore
from epmo.scoring.service import combined_scores, default_model
from epmo.selection.models import Scenario, ScenarioCandidate
from epmo.selection.service import solve_scenario


def test_every_top_department_proposes_requests(loaded: tuple[Engine, LoadResult]) -> None:
    engine, result = loaded
    with UnitOfWork(engine) as session:
        per_department = Counter(session.scalars(select(IntakeRequest.department_id)))
        known_roles = set(session.scalars(select(RequestDemand.role).distinct()))
    assert result.counts["intake_request"] == sum(per_department.values())
    assert set(per_department.values()) == {PER_DEPARTMENT}
    assert known_roles <= {role for domain in DOMAINS for role in domain.specialists}


def test_scored_requests_have_a_combined_score(loaded: tuple[Engine, LoadResult]) -> None:
    engine, _ = loaded
    with UnitOfWork(engine) as session:
        model = default_model(session)
        assert model is not None and model.status == "active"
        scored = set(session.scalars(select(RequestScore.request_id)))
        in_scoring = set(session.scalars(select(IntakeRequest.id).where(
            IntakeRequest.stage.in_(("scoring", "decision")))))
        scores = combined_scores(session, sorted(in_scoring), model.id)
    assert scored == in_scoring
    assert set(scores) == in_scoring
    assert all(0 <= value <= 100 for value in scores.values())


def test_demand_is_a_share_of_each_roles_supply() -> None:
    plan = make_plan(projects=400, seed=11)
    org = design(plan)
    supply = quarterly_supply(org)
    for spec in design_requests(org, plan):
        for (role, _quarter), need in spec.demand.items():
            assert 0 < need <= supply[role]


def test_the_demo_scenario_solves_with_a_reason_for_every_item_left_out(
        loaded: tuple[Engine, LoadResult]) -> None:
    engine, _ = loaded
    with UnitOfWork(engine) as session:
        scenario_id = session.scalars(select(Scenario.id)).one()
        scenario = solve_scenario(session, SYSTEM, scenario_id, time_limit=5)
        status = scenario.result["status"]
        outcomes = [(c.selected, c.reason) for c in session.scalars(select(ScenarioCandidate))]
        asked = session.scalar(select(func.count()).select_from(ScenarioCandidate))
        session.rollback()  # the module's demo stays as loaded
    assert status == "optimal"
    left_out = [reason for selected, reason in outcomes if selected is False]
    assert left_out, "the demo funds about half of what is asked, so something is left out"
    assert all(left_out)
    assert any(selected for selected, _ in outcomes)
    assert asked == len(outcomes)
