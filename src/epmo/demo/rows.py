"""Turn the designed enterprise into table rows (plain dicts for Core bulk inserts).

Pure and seeded like the design: the same plan and ids give the same rows. Projects are
produced in batches so the large demo (50,000 projects, ~250,000 milestones) never sits in
memory at once.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from epmo.demo import catalog
from epmo.demo.catalog import DOMAINS
from epmo.demo.generator import Org, Plan, rng_for

Row = dict[str, Any]
Classify = Callable[[Row], int | None]  # a project's fields -> its tier (None: keep the demo's)
STAGE_SHARES = {"proposed": 8, "approved": 5, "planning": 10, "executing": 30, "closing": 5,
                "closed": 32, "on_hold": 4, "cancelled": 6}
STARTED = frozenset({"planning", "executing", "closing", "closed", "on_hold", "cancelled"})
MEDIAN_BUDGET = 180_000.0
RISK_RATINGS = {"green": (1, 1, 2, 2, 3), "amber": (2, 3, 3, 4), "red": (3, 4, 4, 4, 5)}
PURPOSES = ("to cut running costs and manual work", "to meet a regulatory deadline",
            "to retire an unsupported platform", "to serve customers faster",
            "to give the business reliable data", "to support the growth plan",
            "to lower risk and incidents", "to reach the sustainability targets")


@dataclass(frozen=True, slots=True)
class Ids:
    """Database ids: one per designed department, and the first id of every other table."""

    department: Sequence[int]
    person: int
    goal: int
    portfolio: int
    programme: int
    project: int
    milestone: int


@dataclass
class Batch:
    """Rows of a run of projects and everything that hangs off them."""

    projects: list[Row] = field(default_factory=list)
    milestones: list[Row] = field(default_factory=list)
    project_departments: list[Row] = field(default_factory=list)
    project_portfolios: list[Row] = field(default_factory=list)
    project_goals: list[Row] = field(default_factory=list)


@dataclass(slots=True)
class Timeline:
    """Dates of one project as day ordinals, and how much of its work is done."""

    planned: tuple[int, int]
    baseline: tuple[int, int] | None
    forecast: tuple[int, int]
    actual_start: int | None = None
    actual_finish: int | None = None
    progress: float = 0.0


def _stamp(now: datetime) -> Row:
    return {"version": 1, "created_at": now, "updated_at": now}


def org_rows(org: Org, ids: Ids, now: datetime) -> dict[str, list[Row]]:
    """Rows of every organisation table, keyed by table name, parents before children."""
    dept = ids.department
    stamp = _stamp(now)
    rows: dict[str, list[Row]] = {
        "department": [
            {"id": dept[i], "code": d.code, "name": d.name, "description": "",
             "parent_id": None if d.parent is None else dept[d.parent], **stamp}
            for i, d in enumerate(org.departments)],
        "person": [
            {"id": ids.person + i, "code": p.code, "name": p.name, "email": p.email,
             "department_id": dept[p.dept], "role": p.role, "weekly_capacity_hours": p.capacity,
             "active": True, **stamp}
            for i, p in enumerate(org.people)],
        "goal": [
            {"id": ids.goal + i, "code": g.code, "name": g.name, "description": "",
             "parent_id": None if g.parent is None else ids.goal + g.parent,
             "weight": Decimal(g.weight), "owner_id": ids.person + g.owner, **stamp}
            for i, g in enumerate(org.goals)],
        "portfolio": [
            {"id": ids.portfolio + i, "code": code, "name": name, "description": "",
             "department_id": None if top is None else dept[top], **stamp}
            for i, (code, name, top) in enumerate(org.portfolios)],
        "programme": [
            {"id": ids.programme + i, "code": p.code, "name": p.name, "description": "",
             "department_id": dept[p.dept], "manager_id": ids.person + p.manager, **stamp}
            for i, p in enumerate(org.programmes)],
    }
    rows["programme_department"] = [
        {"programme_id": ids.programme + i, "department_id": dept[partner]}
        for i, p in enumerate(org.programmes) for partner in p.partners]
    return rows


class _Context:
    """Look-ups computed once and shared by every generated project."""

    def __init__(self, plan: Plan, org: Org, ids: Ids, now: datetime,
                 classify: Classify | None = None) -> None:
        self.plan, self.org, self.ids, self.now = plan, org, ids, now
        self.classify = classify
        self.today = plan.today.toordinal()
        depts = org.departments
        per_domain = [sum(1 for d in depts if d.domain == dom) for dom in range(len(DOMAINS))]
        self.dept_weights = [DOMAINS[d.domain].weight / per_domain[d.domain] for d in depts]
        self.dept_range = range(len(depts))
        self.stages = list(STAGE_SHARES)
        self.stage_weights = list(STAGE_SHARES.values())
        self.programmes: dict[int, list[int]] = {dom: [] for dom in range(len(DOMAINS))}
        for i, prog in enumerate(org.programmes):
            self.programmes[depts[prog.dept].domain].append(i)
            for partner in prog.partners:
                self.programmes[depts[partner].domain].append(i)
        self.counters = [0] * len(DOMAINS)
        self.next_milestone = ids.milestone
        self.top_goals = list(org.leaf_goals)


def project_batches(plan: Plan, org: Org, ids: Ids, now: datetime, size: int = 2_000,
                    classify: Classify | None = None) -> Iterator[Batch]:
    """Yield the projects of ``plan`` and their milestones and links, ``size`` at a time.

    ``classify`` gives each project the tier the hub's tier rules say; without it the tier
    follows the planned budget (1 from 2M, 2 from 250k, else 3).
    """
    ctx = _Context(plan, org, ids, now, classify)
    rng = rng_for(plan, "projects")
    batch = Batch()
    for index in range(plan.projects):
        _add_project(ctx, rng, index, batch)
        if len(batch.projects) == size:
            yield batch
            batch = Batch()
    if batch.projects:
        yield batch


def _add_project(ctx: _Context, rng: random.Random, index: int, batch: Batch) -> None:
    dept = rng.choices(ctx.dept_range, ctx.dept_weights)[0]
    domain_i = ctx.org.departments[dept].domain
    project_id = ctx.ids.project + index
    row = _project_row(ctx, rng, dept, domain_i)
    row["id"] = project_id
    batch.projects.append(row)
    batch.milestones += _milestones(ctx, rng, project_id, row)
    batch.project_departments += _participants(ctx, rng, project_id, dept)
    batch.project_goals += _goal_links(ctx, rng, project_id, domain_i)
    batch.project_portfolios.append(
        {"project_id": project_id, "portfolio_id": ctx.ids.portfolio + 1 + domain_i})
    if row["tier"] <= 2:
        batch.project_portfolios.append(
            {"project_id": project_id, "portfolio_id": ctx.ids.portfolio})


def _project_row(ctx: _Context, rng: random.Random, dept: int, domain_i: int) -> Row:
    domain = DOMAINS[domain_i]
    ctx.counters[domain_i] += 1
    stage = rng.choices(ctx.stages, ctx.stage_weights)[0]
    budget = min(80_000_000.0, rng.lognormvariate(math.log(MEDIAN_BUDGET), 1.2)
                 * domain.budget_scale)
    duration = int(min(1_100, max(60, rng.lognormvariate(math.log(240), 0.4)
                                  * (budget / MEDIAN_BUDGET) ** 0.15)))
    schedule_var, cost_var = _variance(rng, stage)
    line = _timeline(rng, stage, ctx.today, duration, schedule_var)
    planned = round(budget, -3) or 1_000.0
    forecast = round(planned * (1 + cost_var), -3) if stage != "proposed" else planned
    # a proposed project has no report yet: its health is unknown, not green
    health = _health(line, duration, cost_var) if stage != "proposed" else None
    row = {
        "code": f"{domain.code}-{ctx.counters[domain_i]:05d}", "name": _name(rng, domain),
        "department_id": ctx.ids.department[dept],
        **_people(ctx, rng, dept, domain_i), "stage": stage, "health": health,
        "methodology": rng.choices(domain.methods, (6, 3, 1)[: len(domain.methods)])[0],
        "tier": 1 if planned >= 2_000_000 else 2 if planned >= 250_000 else 3,
        **_dates(line), "budget_planned": Decimal(int(planned)),
        "budget_forecast": Decimal(int(forecast)),
        "budget_actual": Decimal(int(round(forecast * line.progress, -2))), **_stamp(ctx.now),
        # People on it follow the budget; the risk rating follows how troubled it is.
        "headcount": max(1, min(250, int(planned // 90_000))),
        "risk_rating": rng.choice(RISK_RATINGS[health or "green"]),
    }
    row["description"] = (f"{row['name']} for {ctx.org.departments[dept].name}, "
                          f"{rng.choice(PURPOSES)}.")
    tier = ctx.classify(row) if ctx.classify is not None else None
    if tier is not None:
        row["tier"] = tier
    if row["tier"] == 1 and row["programme_id"] is None and ctx.org.programmes:
        # strategic projects always belong to a programme (their contract requires one)
        pool = ctx.programmes[domain_i] or range(len(ctx.org.programmes))
        row["programme_id"] = ctx.ids.programme + rng.choice(pool)
    return row


def _name(rng: random.Random, domain: catalog.Domain) -> str:
    name = f"{rng.choice(domain.objects)} {rng.choice(domain.actions)}"
    return name + rng.choice(catalog.QUALIFIERS) if rng.random() < 0.5 else name


def _people(ctx: _Context, rng: random.Random, dept: int, domain_i: int) -> Row:
    org, base = ctx.org, ctx.ids.person
    top = ctx.org.tops[domain_i]
    sponsor = org.heads[top] if rng.random() < 0.7 else org.heads[dept]
    programmes = ctx.programmes[domain_i]
    programme = rng.choice(programmes) if programmes and rng.random() < 0.35 else None
    return {"sponsor_id": base + sponsor, "manager_id": base + rng.choice(org.pms[dept]),
            "programme_id": None if programme is None else ctx.ids.programme + programme}


def _variance(rng: random.Random, stage: str) -> tuple[float, float]:
    """Schedule and cost variance as fractions; most projects on track, a tail in trouble."""
    pick = rng.random() * (0.5 if stage in ("approved", "planning") else 1.0)
    if stage == "on_hold":
        pick = 0.5 + pick / 2
    if pick < 0.62:
        schedule = rng.uniform(-0.04, 0.04)
    elif pick < 0.86:
        schedule = rng.uniform(0.06, 0.15)
    else:
        schedule = rng.uniform(0.16, 0.6)
    return schedule, schedule * rng.uniform(0.3, 1.0) + rng.uniform(-0.03, 0.03)


def _health(line: Timeline, duration: int, cost_var: float) -> str:
    """Green within 5% of baseline on schedule and cost, amber within 15%, red beyond."""
    assert line.baseline is not None
    slip = (line.forecast[1] - line.baseline[1]) / duration
    worst = max(slip, cost_var)
    return "green" if worst <= 0.05 else "amber" if worst <= 0.15 else "red"


def _timeline(rng: random.Random, stage: str, today: int, days: int, var: float) -> Timeline:
    slip = round(var * days)
    delay = rng.randint(0, max(0, slip) // 2)
    if stage == "proposed":  # baselined as proposed, as the contracts require of every stage
        start = today + rng.randint(30, 240)
        return Timeline((start, start + days), (start, start + days), (start, start + days))
    if stage == "approved":
        start = today + rng.randint(10, 120)
        return Timeline((start, start + days), (start, start + days),
                        (start + delay, start + days + slip))
    return _started(rng, stage, today, days, slip, delay)


def _actual_start(rng: random.Random, stage: str, today: int, run: int) -> int:
    if stage == "planning":
        return today - rng.randint(0, 45)
    if stage in ("executing", "on_hold"):
        return today - int(rng.uniform(0.1, 0.9 if stage == "executing" else 0.7) * run)
    if stage == "closing":
        return today + rng.randint(0, 30) - run
    if stage == "closed":
        return today - rng.randint(7, 1_100) - run
    return today - rng.randint(30, 900)  # cancelled


def _started(rng: random.Random, stage: str, today: int, days: int, slip: int,
             delay: int) -> Timeline:
    run = days + slip
    start = _actual_start(rng, stage, today, run)
    base = (start - delay, start - delay + days)
    finish = start + run
    line = Timeline(base, base, (start, finish), start)
    if stage in ("planning", "executing", "on_hold"):
        finish = max(finish, today + rng.randint(7, 60))
        finish += rng.randint(30, 180) if stage == "on_hold" else 0
        line.forecast = (start, finish)
        line.progress = (rng.uniform(0.02, 0.08) if stage == "planning"
                         else (today - start) / (finish - start))
    elif stage == "closing":
        line.progress = 0.97
    elif stage == "closed":
        line.actual_finish, line.progress = finish, 1.0
    else:
        stopped = min(today, start + max(1, int(rng.uniform(0.1, 0.8) * run)))
        line.actual_finish, line.progress = stopped, (stopped - start) / run
    return line


def _day(ordinal: int | None) -> date | None:
    return None if ordinal is None else date.fromordinal(ordinal)


def _dates(line: Timeline) -> Row:
    base = line.baseline or (None, None)
    return {
        "planned_start": _day(line.planned[0]), "planned_finish": _day(line.planned[1]),
        "baseline_start": _day(base[0]), "baseline_finish": _day(base[1]),
        "forecast_start": _day(line.forecast[0]), "forecast_finish": _day(line.forecast[1]),
        "actual_start": _day(line.actual_start), "actual_finish": _day(line.actual_finish),
    }


def _participants(ctx: _Context, rng: random.Random, project_id: int, dept: int) -> list[Row]:
    if rng.random() >= 0.2:
        return []
    chosen = {rng.choice(ctx.dept_range) for _ in range(rng.choice((1, 1, 1, 2)))} - {dept}
    return [{"project_id": project_id, "department_id": ctx.ids.department[d]}
            for d in sorted(chosen)]


def _goal_links(ctx: _Context, rng: random.Random, project_id: int, domain_i: int) -> list[Row]:
    if rng.random() >= 0.85:
        return []
    leaves = ctx.org.leaf_goals
    affine = [t for t in catalog.GOAL_AFFINITY[DOMAINS[domain_i].code] if t in leaves]
    top = rng.choice(affine) if affine and rng.random() < 0.8 else rng.choice(ctx.top_goals)
    goals = [rng.choice(leaves[top])]
    weights = [100]
    if rng.random() < 0.3:
        other = rng.choice(leaves[rng.choice(ctx.top_goals)])
        if other != goals[0]:
            share = rng.choice((50, 60, 70, 80))
            goals, weights = [goals[0], other], [share, 100 - share]
    return [{"project_id": project_id, "goal_id": ctx.ids.goal + g, "weight": Decimal(w)}
            for g, w in zip(goals, weights, strict=True)]


def _milestones(ctx: _Context, rng: random.Random, project_id: int, row: Row) -> list[Row]:
    count = rng.choices((3, 4, 5, 6), (1, 2, 3, 4))[0]
    plan_s, plan_f = row["planned_start"].toordinal(), row["planned_finish"].toordinal()
    fore_s = (row["actual_start"] or row["forecast_start"]).toordinal()
    fore_f = row["forecast_finish"].toordinal()
    upcoming = True
    rows = []
    for position in sorted(rng.sample(range(len(catalog.MILESTONES)), count)):
        share = (position + 1) / len(catalog.MILESTONES)
        planned = plan_s + round(share * (plan_f - plan_s))
        forecast = fore_s + round(share * (fore_f - fore_s))
        status, actual = _milestone_status(ctx, rng, row, forecast, upcoming)
        upcoming = upcoming and status != "in_progress"
        rows.append({
            "id": ctx.next_milestone, "project_id": project_id,
            "name": catalog.MILESTONES[position], "description": "", "status": status,
            "planned_date": _day(planned),
            "baseline_date": _day(planned) if row["baseline_start"] else None,
            "forecast_date": _day(forecast), "actual_date": _day(actual), **_stamp(ctx.now),
        })
        ctx.next_milestone += 1
    return rows


def _milestone_status(ctx: _Context, rng: random.Random, row: Row, forecast: int,
                      upcoming: bool) -> tuple[str, int | None]:
    """Status consistent with the project's stage and with today; achieved ones are dated."""
    stage = row["stage"]
    if stage not in STARTED:
        return "planned", None
    if stage == "closed":
        return "achieved", forecast
    if stage == "cancelled":
        stopped = row["actual_finish"].toordinal()
        return ("achieved", forecast) if forecast <= stopped else ("cancelled", None)
    if forecast <= ctx.today:
        missed = row["health"] == "red" and rng.random() < 0.25
        return ("missed", None) if missed else ("achieved", forecast)
    if upcoming and stage != "on_hold":
        return "in_progress", None
    return "planned", None
