"""The demo's intake pipeline: requests from every department, score sheets and a scenario.

The design (``design_requests``) is pure and seeded like the rest of the demo; ``insert_pipeline``
writes it through the ORM (a few hundred audited rows), after the demo's users exist.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from epmo.demo import repository
from epmo.demo.catalog import DOMAINS
from epmo.demo.generator import Org, Plan
from epmo.intake.checks import tier_of
from epmo.intake.models import IntakeRequest, RequestCost, RequestDemand, RequestGoal
from epmo.scoring import service as scoring_service
from epmo.scoring.models import RequestScore, ScoringCriterion
from epmo.selection.models import Scenario, ScenarioCandidate

PER_DEPARTMENT = 4  # requests per top-level department
STAGES = ("submitted", "triage", "scoring", "scoring", "scoring", "decision", "decision")
CATEGORIES = ("run", "grow", "transform", "comply")
BUDGET_SHARE = Decimal("0.55")  # the demo scenario funds about half of what is asked
SHARE = (25, 70)  # % of the quarterly supply of a role in its department one request asks for
MANDATORY_SHARE = (5, 20)  # mandatory requests ask less, so together they always fit


@dataclass(frozen=True, slots=True)
class RequestSpec:
    """A designed request; departments, sponsors and goals are positions in the design."""

    code: str
    title: str
    dept: int
    sponsor: int
    stage: str
    category: str
    mandatory: bool
    risk: int
    costs: dict[str, Decimal]
    demand: dict[tuple[str, str], Decimal]
    goals: tuple[int, ...]
    quality: int  # 1..5: how good the scorers find it


def years(plan: Plan) -> list[str]:
    """The three fiscal years the demo's requests and scenario cover."""
    return [str(plan.today.year + k) for k in (1, 2, 3)]


def design_requests(org: Org, plan: Plan) -> list[RequestSpec]:
    """Seeded requests, PER_DEPARTMENT per top-level department, across the demo's years."""
    rng = random.Random(f"pipeline-{plan.seed}")
    found: list[RequestSpec] = []
    for domain_index, dept in sorted(org.tops.items()):
        supply = quarterly_supply(org, dept)
        for _ in range(PER_DEPARTMENT):
            found.append(_request(org, plan, rng, (domain_index, dept), supply, len(found) + 1))
    return found


def quarterly_supply(org: Org, dept: int | None = None) -> dict[str, Decimal]:
    """FTE-months per quarter of each role in the design (40 hours a week = 1 FTE), or of the
    people of department ``dept`` itself (the queue places a request on its own department's
    capacity)."""
    supply: dict[str, Decimal] = {}
    for person in org.people:
        if dept is None or person.dept == dept:
            supply[person.role] = supply.get(person.role, Decimal(0)) + person.capacity * 3 / 40
    return supply


def _request(org: Org, plan: Plan, rng: random.Random, where: tuple[int, int],
             supply: dict[str, Decimal], number: int) -> RequestSpec:
    domain_index, dept = where
    domain = DOMAINS[domain_index]
    first = rng.randrange(2)
    spend = [Decimal(rng.randrange(50, 900) * 1000) if k >= first and rng.random() < 0.8
             else Decimal(0) for k in range(3)]
    mandatory = rng.random() < 0.08
    tops = [g for g, goal in enumerate(org.goals) if goal.parent is None]
    goals = tuple(sorted({rng.choice(org.leaf_goals.get(t, [t])) for t in rng.sample(
        tops, k=min(len(tops), rng.randint(1, 2)))}))
    return RequestSpec(
        code=f"REQ-{number:04d}",
        title=f"{rng.choice(domain.objects)} {rng.choice(domain.actions)}",
        dept=dept, sponsor=org.heads[dept], stage=rng.choice(STAGES),
        category=rng.choice(CATEGORIES), mandatory=mandatory,
        risk=rng.randint(1, 5),
        costs={y: c for y, c in zip(years(plan), spend, strict=True) if c},
        demand=_demand(rng, [r for r in domain.specialists if supply.get(r)], supply,
                       years(plan)[first], MANDATORY_SHARE if mandatory else SHARE),
        goals=goals, quality=rng.randint(1, 5))


def _demand(rng: random.Random, roles: list[str], supply: dict[str, Decimal], year: str,
            share: tuple[int, int]) -> dict[tuple[str, str], Decimal]:
    """Two roles for two to five quarters, each at a share (%) of the department's quarterly
    supply of the role,
    so the department's requests together overrun some roles in some quarters."""
    start = rng.randrange(4)
    quarters = [f"{int(year) + (start + k) // 4}-Q{(start + k) % 4 + 1}" for k in range(
        rng.randint(2, 5))]
    return {(role, q): round(supply[role] * Decimal(rng.randint(*share)) / 100, 1)
            for role in rng.sample(roles, k=min(2, len(roles))) for q in quarters}


def insert_pipeline(session: Session, org: Org, plan: Plan, ids: Any) -> dict[str, int]:
    """Write the designed requests, sheets from the demo's scorers and one draft scenario
    (nothing when the hub already has requests: the demo never mixes with real intake)."""
    if repository.any_request(session):
        return {}
    model = scoring_service.ensure_default_model(session, None)
    criteria = repository.scored_criteria(session, model.id)
    scorers = repository.scorers(session)
    specs = design_requests(org, plan)
    requests = [_insert_request(session, spec, ids) for spec in specs]
    sheets = 0
    rng = random.Random(f"sheets-{plan.seed}")
    for spec, request in zip(specs, requests, strict=True):
        if spec.stage in ("scoring", "decision"):
            for scorer in scorers:
                session.add(RequestScore(request_id=request.id, model_id=model.id,
                                         scorer_id=scorer, scores=_levels(rng, spec, criteria)))
                sheets += 1
    _insert_scenario(session, plan, specs, requests, model.id)
    session.flush()
    return {"intake_request": len(requests), "request_score": sheets, "scenario": 1}


def _insert_request(session: Session, spec: RequestSpec, ids: Any) -> IntakeRequest:
    first = min(q for _, q in spec.demand)
    start = date(int(first[:4]), 3 * int(first[-1]) - 2, 1)
    months = 3 * len({q for _, q in spec.demand})
    total = sum(spec.costs.values(), Decimal(0))
    facts = {"desired_start": start, "duration_months": months, "headcount": 0,
             "risk_rating": spec.risk}
    request = IntakeRequest(
        code=spec.code, title=spec.title, problem=f"{spec.title}: the current way costs time "
        "and money and blocks other work.", benefits="Lower running cost, fewer incidents.",
        benefit_value=total * Decimal("1.6"),
        risk_rating=spec.risk, category=spec.category, department_id=ids.department[spec.dept],
        sponsor_id=ids.person + spec.sponsor, desired_start=start, duration_months=months,
        mandatory=spec.mandatory,
        mandatory_reason="Regulatory deadline" if spec.mandatory else "",
        tier=tier_of(session, facts, total, start), stage=spec.stage)
    session.add(request)
    session.flush()
    session.add_all(RequestCost(request_id=request.id, period=p, amount=a)
                    for p, a in spec.costs.items())
    session.add_all(RequestDemand(request_id=request.id, role=r, period=p, fte_months=f)
                    for (r, p), f in spec.demand.items())
    session.add_all(RequestGoal(request_id=request.id, goal_id=ids.goal + g) for g in spec.goals)
    return request


def _levels(rng: random.Random, spec: RequestSpec,
            criteria: list[ScoringCriterion]) -> dict[str, int]:
    def level(c: ScoringCriterion) -> int:
        base = spec.risk if not c.higher_is_better else spec.quality
        return max(1, min(5, base + rng.choice((-1, 0, 0, 1))))
    return {c.key: level(c) for c in criteria}


def _insert_scenario(session: Session, plan: Plan, specs: list[RequestSpec],
                     requests: list[IntakeRequest], model_id: int) -> None:
    asked = {y: sum((s.costs.get(y, Decimal(0)) for s in specs), Decimal(0))
             for y in years(plan)}
    scenario = Scenario(name=f"Plan {years(plan)[0]}-{years(plan)[-1]}", objective="score",
                        description="Every request in scoring or decision, about half funded.",
                        scoring_model_id=model_id,
                        budgets={y: float(round(a * BUDGET_SHARE, -3))
                                 for y, a in asked.items()})
    session.add(scenario)
    session.flush()
    session.add_all(ScenarioCandidate(scenario_id=scenario.id, request_id=r.id,
                                      mandatory=s.mandatory)
                    for s, r in zip(specs, requests, strict=True)
                    if s.stage in ("scoring", "decision"))
