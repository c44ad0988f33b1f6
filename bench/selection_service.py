"""The selection benchmark's instance through the service on a fresh SQLite file.

Used by ``python -m bench.selection --service``: writes the generated candidates as intake
requests (cost per year, demand per role and quarter, department, mandatory flag), people per
role sized to the generated capacity's average, the "requires" pairs as intake dependencies,
and a scenario with the budgets, exclusive groups and department balance rules; then times
``solve_scenario`` and ``compute_frontier`` (rows to engine, solve, result stored).
"""

from __future__ import annotations

import tempfile
import time
from decimal import Decimal
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from epmo.auth.policy import SYSTEM
from epmo.db import SessionFactory, UnitOfWork, make_engine
from epmo.engines.optimizer import Problem
from epmo.intake.models import IntakeRequest, RequestCost, RequestDemand, RequestDependency
from epmo.models import Base
from epmo.org.models import Department, Person
from epmo.selection import service
from epmo.selection.models import Scenario, ScenarioCandidate


def run_service(cands: list[object], problem: Problem, solve_limit: float,
                frontier_limit: float) -> None:
    """Load the instance into SQLite and time the service's solve and frontier."""
    path = Path(tempfile.mkdtemp(prefix="epmo-bench-selection-")) / "bench.db"
    engine = make_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    SessionFactory.maker = sessionmaker(class_=UnitOfWork, bind=engine, expire_on_commit=False)
    began = time.monotonic()
    with SessionFactory.get()() as session:
        scenario_id = _load(session, problem, solve_limit)
        session.commit()
    print(f"service: loaded {len(problem.items)} requests into {path} in "
          f"{time.monotonic() - began:.1f} s")
    with SessionFactory.get()() as session:
        began = time.monotonic()
        scenario = service.solve_scenario(session, SYSTEM, scenario_id)
        solve_s = time.monotonic() - began
        session.commit()
        print(f"service solve: {scenario.result['status']}, value "
              f"{scenario.result['value']:,.0f}, {solve_s:.2f} s "
              f"(engine {scenario.result['seconds']:.2f} s)")
        scenario.time_limit = frontier_limit
        session.flush()
        began = time.monotonic()
        service.compute_frontier(session, SYSTEM, scenario_id)
        frontier_s = time.monotonic() - began
        session.commit()
    print(f"service frontier: 20 points, {frontier_s:.2f} s; service solve + frontier "
          f"{solve_s + frontier_s:.2f} s")


def _load(session: Session, problem: Problem, solve_limit: float) -> int:
    departments = _departments(session)
    _people(session, problem, departments[0])
    ids: dict[int, int] = {}
    for item in problem.items:
        dept = int(next(iter(item.groups)).split(":")[1])
        request = IntakeRequest(code=f"REQ-{item.id:05d}", title=f"Request {item.id}",
                                department_id=departments[dept], stage="decision",
                                benefit_value=Decimal(str(round(item.value, 2))),
                                mandatory=item.mandatory)
        session.add(request)
        session.flush()
        ids[item.id] = request.id
        session.add_all(RequestCost(request_id=request.id, period=y, amount=Decimal(str(c)))
                        for y, c in item.costs.items())
        session.add_all(RequestDemand(request_id=request.id, role=r, period=q,
                                      fte_months=Decimal(str(f)))
                        for (r, q), f in item.demand.items())
    session.add_all(RequestDependency(request_id=ids[b], on_request_id=ids[a])
                    for b, a in dict.fromkeys(problem.requires))
    return _scenario(session, problem, ids, departments, solve_limit)


def _departments(session: Session) -> list[int]:
    found = []
    for d in range(10):
        dept = Department(code=f"D{d}", name=f"Department {d}")
        session.add(dept)
        session.flush()
        found.append(dept.id)
    return found


def _people(session: Session, problem: Problem, department_id: int) -> None:
    """People per role whose hours give the role's average capacity per quarter."""
    per_role: dict[str, list[float]] = {}
    for (role, _), limit in problem.capacity.items():
        per_role.setdefault(role, []).append(limit)
    for role, limits in per_role.items():
        fte = sum(limits) / len(limits) / 3  # FTE-months a quarter -> FTE
        for k in range(int(fte) + 1):
            hours = 40 if k < int(fte) else round((fte - int(fte)) * 40, 2)
            session.add(Person(code=f"{role}-{k}", name=f"{role} {k}", role=role,
                               department_id=department_id,
                               weekly_capacity_hours=Decimal(str(hours))))
    session.flush()


def _scenario(session: Session, problem: Problem, ids: dict[int, int], departments: list[int],
              solve_limit: float) -> int:
    scenario = Scenario(name="Benchmark", objective="benefit", time_limit=solve_limit,
                        budgets=dict(problem.budgets), balance=[
                            {"tag": f"department:{departments[int(b.tag.split(':')[1])]}",
                             "min_share": b.min_share, "max_share": b.max_share}
                            for b in problem.balance])
    session.add(scenario)
    session.flush()
    candidate: dict[int, int] = {}
    for item in problem.items:
        row = ScenarioCandidate(scenario_id=scenario.id, request_id=ids[item.id],
                                mandatory=item.mandatory, excluded=item.excluded)
        session.add(row)
        session.flush()
        candidate[item.id] = row.id
    scenario.exclusive = [sorted(candidate[i] for i in group) for group in problem.exclusive]
    session.flush()
    return scenario.id
