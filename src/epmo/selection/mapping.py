"""A scenario and its candidates as an ``engines.optimizer.Problem``, and engine paths back.

Only the scenario's fiscal years are planned: a request's cost in another year, or demand in a
quarter outside them, is left out of the lines and listed in ``notes``. An existing project
costs its remaining budget (forecast, or planned when no forecast, minus actual) spread over
the scenario years its planned dates cover, pro rata by days (all in the first scenario year
when its dates are missing or outside); its demand is its own role demand (``ProjectDemand``,
which approval copied from the request it came from). Capacity lines are free capacity after
running work (``capacity``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from epmo.config import get_settings
from epmo.engines.optimizer import Balance, Item, Problem
from epmo.intake.models import IntakeRequest
from epmo.portfolio.models import Project
from epmo.scoring import service as scoring
from epmo.selection import capacity, repository
from epmo.selection.models import Scenario, ScenarioCandidate

Demand = dict[tuple[str, str], float]


@dataclass
class Mapped:
    """The engine problem plus what is needed to explain and commit its answer."""

    problem: Problem
    codes: dict[int, str]  # candidate id -> request or project code
    titles: dict[int, str]
    request_of: dict[int, int]  # candidate id -> request id (request candidates only)
    quarters: list[str]
    notes: list[str] = field(default_factory=list)


@dataclass
class _Rows:
    """Every row the mapping reads, fetched in bulk."""

    requests: dict[int, IntakeRequest]
    projects: dict[int, Project]
    origin: dict[int, IntakeRequest]  # project id -> its request
    costs: dict[int, dict[str, float]]
    demand: dict[int, Demand]
    project_demand: dict[int, Demand]
    goals: dict[int, set[int]]  # request id -> goals
    project_goals: dict[int, set[int]]
    scores: dict[int, float]


def build(session: Session, scenario: Scenario, found: list[ScenarioCandidate]) -> Mapped:
    """Map the scenario to the optimiser's problem."""
    rows = _rows(session, scenario, found)
    years = sorted(scenario.budgets)
    mapped = Mapped(Problem(()), {}, {}, {}, capacity.quarters(years))
    items = [_item(scenario, c, rows, mapped) for c in found]
    roles = {role for item in items for role, _ in item.demand}
    own = [c.request_id for c in found if c.request_id is not None]
    projects = [c.project_id for c in found if c.project_id is not None]
    lines = capacity.supply(session, roles, years, (own, projects),
                            scenario.capacity_overrides)
    unplanned = capacity.unplanned_note(session, projects)
    mapped.notes += [unplanned] if unplanned else []
    mapped.problem = Problem(
        items=tuple(items), budgets={y: float(v) for y, v in sorted(scenario.budgets.items())},
        capacity=lines, requires=_requires(session, scenario, found),
        exclusive=tuple(frozenset(g) for g in scenario.exclusive),
        balance=tuple(Balance(b["tag"], b["min_share"], b["max_share"]) for b in scenario.balance),
        time_limit=float(scenario.time_limit), currency=get_settings().currency,
    )
    return mapped


def _rows(session: Session, scenario: Scenario, found: list[ScenarioCandidate]) -> _Rows:
    project_ids = [c.project_id for c in found if c.project_id is not None]
    origin = repository.requests_of_projects(session, project_ids)
    own = [c.request_id for c in found if c.request_id is not None]
    everyone = [*own, *(r.id for r in origin.values())]
    return _Rows(
        requests=repository.requests(session, own),
        projects=repository.projects(session, project_ids),
        origin=origin, costs=repository.costs(session, own),
        demand=repository.demand(session, everyone),
        project_demand=repository.project_demand(session, project_ids),
        goals=repository.request_goals(session, own),
        project_goals=repository.project_goals(session, project_ids),
        scores=scoring.combined_scores(session, everyone, scenario.scoring_model_id),
    )


def _item(scenario: Scenario, c: ScenarioCandidate, rows: _Rows, mapped: Mapped) -> Item:
    years = set(scenario.budgets)
    if c.request_id is not None:
        request = rows.requests[c.request_id]
        mapped.request_of[c.id] = request.id
        costs = _in_years(rows.costs.get(request.id, {}), years, request.code, mapped.notes)
        groups = _tags(request.department_id, rows.goals.get(request.id, set()), request.category)
        code, title = request.code, request.title
        need = rows.demand.get(request.id, {})
    else:
        project = rows.projects[c.project_id or 0]
        request = rows.origin.get(project.id)  # type: ignore[assignment]
        costs = project_costs(project, sorted(years))
        groups = _tags(project.department_id, rows.project_goals.get(project.id, set()),
                       request.category if request else "")
        code, title = project.code, project.name
        need = rows.project_demand.get(project.id, {})
    mapped.codes[c.id], mapped.titles[c.id] = code, title
    return Item(c.id, _value(scenario, c, request, rows.scores), costs,
                _in_quarters(need, set(mapped.quarters), code, mapped.notes),
                c.mandatory, c.excluded, groups, code)


def _tags(department_id: int, goals: set[int], category: str) -> frozenset[str]:
    tags = {f"department:{department_id}", *(f"goal:{g}" for g in goals)}
    return frozenset(tags | ({f"category:{category}"} if category else set()))


def _value(scenario: Scenario, c: ScenarioCandidate, request: IntakeRequest | None,
           scores: Mapping[int, float]) -> float:
    """value_override, else the objective: score, score x benefit / 100, or benefit."""
    if c.value_override is not None:
        return float(c.value_override)
    if request is None:
        return 0.0
    # An unknown benefit adds no value (the request page shows it as unknown, not 0).
    score, benefit = scores.get(request.id, 0.0), float(request.benefit_value or 0)
    if scenario.objective == "benefit":
        return benefit
    return score * benefit / 100 if scenario.objective == "score_x_benefit" else score


def _in_years(costs: Mapping[str, float], years: set[str], code: str,
              notes: list[str]) -> dict[str, float]:
    outside = sorted(y for y, v in costs.items() if v and y not in years)
    if outside:
        notes.append(f"{code}: cost in {', '.join(outside)} is outside the scenario's years "
                     "and not counted")
    return {y: v for y, v in costs.items() if y in years and v}


def _in_quarters(need: Demand, quarters: set[str], code: str, notes: list[str]) -> Demand:
    outside = sorted({q for (_, q), v in need.items() if v and q not in quarters})
    if outside:
        notes.append(f"{code}: demand in {', '.join(outside)} is outside the scenario's "
                     "years and not counted")
    return {k: v for k, v in need.items() if k[1] in quarters and v}


def project_costs(project: Project, years: list[str]) -> dict[str, float]:
    """The project's remaining budget spread over the scenario years its dates cover."""
    base = project.budget_forecast or project.budget_planned or 0  # unknown costs nothing known
    remaining = max(0.0, float(base) - float(project.budget_actual or 0))
    if not remaining or not years:
        return {}
    days = _days_per_year(project.planned_start, project.planned_finish, years)
    total = sum(days.values())
    if not total:
        return {years[0]: remaining}
    return {y: remaining * d / total for y, d in days.items() if d}


def _days_per_year(start: date | None, finish: date | None, years: list[str]) -> dict[str, int]:
    if start is None or finish is None or finish < start:
        return {}
    found = {}
    for year in years:
        first, last = max(start, date(int(year), 1, 1)), min(finish, date(int(year), 12, 31))
        found[year] = max(0, (last - first).days + 1)
    return found


def _requires(session: Session, scenario: Scenario,
              found: list[ScenarioCandidate]) -> tuple[tuple[int, int], ...]:
    """The scenario's own pairs first, then intake dependencies between candidates."""
    by_request: dict[int | None, int] = {c.request_id: c.id for c in found if c.request_id}
    by_project: dict[int | None, int] = {c.project_id: c.id for c in found if c.project_id}
    pairs = [(int(b), int(a)) for b, a in scenario.requires]
    own = [r for r in by_request if r is not None]
    for request_id, on_request, on_project in repository.dependencies(session, own):
        target = by_request.get(on_request) if on_request else by_project.get(on_project)
        if target is not None:
            pairs.append((by_request[request_id], target))
    return tuple(dict.fromkeys(pairs))


def engine_path(path: str, mapped: Mapped) -> str:
    """An engine path in scenario terms: items[3].costs.2027 -> candidates.REQ-7.costs.2027."""
    head, _, rest = path.partition(".")
    if head.startswith("items[") and head.endswith("]"):
        item = mapped.problem.items[int(head[6:-1])]
        return f"candidates.{mapped.codes.get(item.id, item.id)}" + (f".{rest}" if rest else "")
    if head == "capacity":
        return f"capacity_overrides.{rest}"
    return path


def fingerprint(problem: Problem) -> str:
    """A digest of everything the answer depends on (not the time limit)."""
    canonical = {
        "items": [[i.id, round(i.value, 6), sorted(i.costs.items()), sorted(
            [list(k), v] for k, v in i.demand.items()), i.mandatory, i.excluded,
            sorted(i.groups)] for i in sorted(problem.items, key=lambda i: i.id)],
        "budgets": sorted(problem.budgets.items()),
        "capacity": sorted([list(k), round(v, 6)] for k, v in problem.capacity.items()),
        "requires": sorted(problem.requires),
        "exclusive": sorted(sorted(g) for g in problem.exclusive),
        "balance": [[b.tag, b.min_share, b.max_share] for b in problem.balance],
    }
    return hashlib.sha256(json.dumps(canonical, default=str).encode()).hexdigest()
