"""Roll-ups of the register: planned against realised by department, goal, programme or
portfolio, and over time.

Only amounts of one unit are ever added: each group gives its sums per unit, and a headline
unit (asked for, else the unit most benefits use, ``money`` first on a tie) with the number of
the group's benefits left out of it because they are measured in another unit. A dis-benefit
counts against the benefits (net sums). Cancelled benefits are left out of every roll-up. A
benefit counts in each goal and portfolio its project serves or sits in, in full (a goal's row
is what the projects serving it expect, not a share), so those rows may add up to more than
the total; a department's row is the benefits of the projects and programmes it owns (with
``tree``, and those of the departments below it: rows then overlap like the goals').
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.benefits import policy, repository, schedule
from epmo.benefits.models import MONEY_UNIT, Benefit, BenefitActual, BenefitPlan
from epmo.benefits.schemas import GroupRead, RollupRead, SeriesRead, UnitSum
from epmo.resources.months import month_index, month_name, month_of

BY = ("department", "goal", "programme", "portfolio")
ZERO = schedule.ZERO


@dataclass(frozen=True, slots=True)
class Item:
    """One benefit as the roll-up sees it: signed sums and where it counts."""

    benefit_id: int
    unit: str
    sums: schedule.Totals
    at_risk: bool
    behind: bool
    groups: frozenset[int | None]


@dataclass
class _Group:
    items: list[Item] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Loaded:
    """The benefits in scope with their plans and actuals."""

    benefits: list[Benefit]
    plans: dict[int, list[BenefitPlan]]
    actuals: dict[int, list[BenefitActual]]


def load(session: Session, actor: Actor, found: repository.BenefitFilter) -> Loaded:
    """The benefits the actor may read, as filtered, without cancelled ones."""
    query = repository.benefit_query(policy.benefit_scope(actor), found)
    rows = [b for b in repository.list_benefits(session, query) if b.status != "cancelled"]
    ids = [b.id for b in rows]
    return Loaded(rows, repository.plans_of(session, ids), repository.actuals_of(session, ids))


def headline_unit(units: Iterable[str], asked: str | None) -> str:
    """The unit asked for, else the one most benefits use (``money`` first on a tie)."""
    if asked:
        return asked
    counted = Counter(units)
    if not counted:
        return MONEY_UNIT
    return min(counted, key=lambda u: (-counted[u], u != MONEY_UNIT, u))


def _signed(benefit: Benefit, sums: schedule.Totals) -> schedule.Totals:
    if not benefit.dis_benefit:
        return sums
    return schedule.Totals(-sums.planned_total, -sums.planned_to_date, -sums.realised_to_date)


def _up(parents: dict[int, int | None], department: int) -> frozenset[int | None]:
    """The department and every one above it."""
    found: list[int | None] = [department]
    while (parent := parents.get(found[-1] or 0)) is not None and parent not in found:
        found.append(parent)
    return frozenset(found)


def _departments(session: Session, rows: Sequence[Benefit],
                 tree: bool) -> dict[int, frozenset[int | None]]:
    projects = repository.project_subjects(session, {b.project_id for b in rows
                                                     if b.project_id})
    programmes = repository.programme_subjects(session, {b.programme_id for b in rows
                                                         if b.programme_id})
    parents = repository.department_parents(session) if tree else {}
    return {b.id: _up(parents, (projects[b.project_id] if b.project_id
                                else programmes[b.programme_id or 0]).department_id)
            for b in rows}


def _keys(session: Session, by: str, rows: Sequence[Benefit],
          tree: bool = False) -> dict[int, frozenset[int | None]]:
    if by == "department":
        return _departments(session, rows, tree)
    project_ids = {b.project_id for b in rows if b.project_id}
    goals, portfolios, programme = repository.project_groups(session, project_ids)
    keys: dict[int, frozenset[int | None]] = {}
    for b in rows:
        if by == "programme":
            keys[b.id] = frozenset({b.programme_id or programme.get(b.project_id or 0)})
        else:
            found = (goals if by == "goal" else portfolios).get(b.project_id or 0, set())
            keys[b.id] = frozenset(found) if found else frozenset({None})
    return keys


def items(session: Session, by: str, loaded: Loaded, today: date,
          tree: bool = False) -> list[Item]:
    """Each benefit's signed sums and the groups it counts in (``tree``: a department's
    benefits count in every department above it too)."""
    keys = _keys(session, by, loaded.benefits, tree)
    found = []
    for b in loaded.benefits:
        sums = schedule.totals(loaded.plans[b.id], loaded.actuals[b.id], today)
        found.append(Item(b.id, b.unit, _signed(b, sums), b.at_risk_days is not None,
                          schedule.behind(sums, b.dis_benefit), keys[b.id]))
    return found


def _sum(unit: str, found: Sequence[Item]) -> UnitSum:
    return UnitSum(unit=unit, count=len(found),
                   planned_total=sum((i.sums.planned_total for i in found), ZERO),
                   planned_to_date=sum((i.sums.planned_to_date for i in found), ZERO),
                   realised_to_date=sum((i.sums.realised_to_date for i in found), ZERO))


def group(ident: int | None, code: str, name: str, found: Sequence[Item],
          unit: str) -> GroupRead:
    """One row of the roll-up from its benefits."""
    units = sorted({i.unit for i in found})
    sums = [_sum(u, [i for i in found if i.unit == u]) for u in units]
    headline = next((s for s in sums if s.unit == unit), None)
    return GroupRead(id=ident, code=code, name=name, benefits=len(found),
                     at_risk=sum(1 for i in found if i.at_risk),
                     behind=sum(1 for i in found if i.behind), sums=sums,
                     headline=headline, left_out=len(found) - (headline.count if headline else 0))


def rollup(session: Session, actor: Actor, by: str, found: repository.BenefitFilter,
           unit: str | None, today: date, tree: bool = False) -> RollupRead:
    """Planned against realised per group of ``by``; the total counts each benefit once
    (``tree``, by department: each department with those below it)."""
    loaded = load(session, actor, found)
    listed = items(session, by, loaded, today, tree and by == "department")
    chosen = headline_unit((i.unit for i in listed), unit)
    names = repository.names(session, by)
    groups: dict[int | None, list[Item]] = {}
    for item in listed:
        for key in item.groups:
            groups.setdefault(key, []).append(item)
    rows = [group(key, *(names.get(key, ("?", "?")) if key is not None
                         else ("—", f"No {by}")), found=members, unit=chosen)
            for key, members in groups.items()]
    rows.sort(key=lambda g: (g.id is None, g.code))
    return RollupRead(by=by, unit=chosen, today=today, groups=rows,
                      total=group(None, "ALL", "All benefits shown", listed, chosen))


def series(session: Session, actor: Actor, found: repository.BenefitFilter,
           unit: str | None, today: date) -> SeriesRead:
    """Planned and realised per month in the headline unit (net), with running sums; months
    from the current one on show realised only where something was recorded."""
    loaded = load(session, actor, found)
    chosen = headline_unit((b.unit for b in loaded.benefits), unit)
    kept = [b for b in loaded.benefits if b.unit == chosen]
    planned: dict[str, Decimal] = {}
    realised: dict[str, Decimal] = {}
    for b in kept:
        sign = -1 if b.dis_benefit else 1
        for p in loaded.plans[b.id]:
            planned[p.period] = planned.get(p.period, ZERO) + sign * p.amount
        for a in loaded.actuals[b.id]:
            realised[a.period] = realised.get(a.period, ZERO) + sign * a.amount
    return _series(chosen, planned, realised, month_of(today),
                   len(loaded.benefits) - len(kept))


def _series(unit: str, planned: dict[str, Decimal], realised: dict[str, Decimal], now: str,
            left_out: int) -> SeriesRead:
    known = sorted(set(planned) | set(realised))
    months = ([month_name(i) for i in range(month_index(known[0]), month_index(known[-1]) + 1)]
              if known else [])
    plan_sum, real_sum = ZERO, ZERO
    out = SeriesRead(unit=unit, months=months, planned=[], realised=[], planned_cumulative=[],
                     realised_cumulative=[], left_out=left_out)
    for month in months:
        plan_sum += planned.get(month, ZERO)
        out.planned.append(planned.get(month, ZERO))
        out.planned_cumulative.append(plan_sum)
        if month < now or month in realised:
            real_sum += realised.get(month, ZERO)
            out.realised.append(realised.get(month, ZERO))
            out.realised_cumulative.append(real_sum)
        else:
            out.realised.append(None)
            out.realised_cumulative.append(None)
    return out

