"""A benefit's schedule: its anchor's date, plans spread or shifted by months, running sums.

Months are ``"2027-03"`` (``epmo.resources.months``). "To date" means the complete months,
those before the month of ``today``: a month's actual is recorded after it ends, so the
current month would otherwise always look behind.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from epmo.benefits.models import Benefit, BenefitActual, BenefitPlan
from epmo.portfolio.models import Milestone, Project
from epmo.resources.months import month_index, month_name, month_of

ZERO = Decimal("0.00")
BEHIND_AT = Decimal("0.95")  # realised below this share of the plan to date: behind


def today() -> date:
    """Today, for what counts as "to date" (one place, so tests can fix it)."""
    return date.today()


def anchor_day(benefit: Benefit, milestone: Milestone | None,
               project: Project | None) -> date | None:
    """The anchor's own date: the milestone's forecast else plan; else the project's finish."""
    if benefit.anchor_milestone_id is not None:
        return None if milestone is None else milestone.forecast_date or milestone.planned_date
    if project is None:
        return None
    return project.forecast_finish or project.planned_finish


def months_between(old: date | None, new: date | None) -> int:
    """Whole calendar months from ``old`` to ``new`` (0 when either is unknown)."""
    if old is None or new is None:
        return 0
    return (new.year * 12 + new.month) - (old.year * 12 + old.month)


def shifted(lines: Iterable[tuple[str, Decimal]], months: int) -> dict[str, Decimal]:
    """The plan moved by ``months`` calendar months (amounts of a month kept together)."""
    moved: dict[str, Decimal] = {}
    for period, amount in lines:
        key = month_name(month_index(period) + months)
        moved[key] = moved.get(key, ZERO) + amount
    return moved


def spread(total: Decimal, first: str, months: int) -> dict[str, Decimal]:
    """``total`` spread evenly over ``months`` months from ``first``, cents kept exact (the
    last month takes the rounding)."""
    if months <= 0:
        return {}
    each = (total / months).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    plan = {month_name(month_index(first) + k): each for k in range(months)}
    last = month_name(month_index(first) + months - 1)
    plan[last] = total - each * (months - 1)
    return plan


def first_month(anchor: date | None, offset: int, today: date) -> str:
    """Where a spread plan starts: the anchor's month plus the offset (no anchor: next month)."""
    base = month_index(month_of(anchor)) if anchor else month_index(month_of(today)) + 1
    return month_name(base + offset)


@dataclass(frozen=True, slots=True)
class Totals:
    """A benefit's planned total, planned and realised to date, as signed by the benefit."""

    planned_total: Decimal
    planned_to_date: Decimal
    realised_to_date: Decimal


def behind(sums: Totals, dis_benefit: bool) -> bool:
    """Off plan so far (a plan for complete months exists): a benefit that realised less than
    95 % of what was planned to date, a dis-benefit that cost more than 105 % of it. A month a
    little off its plan is noise, not a finding."""
    if sums.planned_to_date <= 0:
        return False
    if dis_benefit:
        return sums.realised_to_date > sums.planned_to_date * (2 - BEHIND_AT)
    return sums.realised_to_date < sums.planned_to_date * BEHIND_AT


def totals(plan: Sequence[BenefitPlan], actuals: Sequence[BenefitActual],
           today: date) -> Totals:
    """The benefit's sums; "to date" is the months before ``today``'s."""
    now = month_of(today)
    return Totals(sum((p.amount for p in plan), ZERO),
                  sum((p.amount for p in plan if p.period < now), ZERO),
                  sum((a.amount for a in actuals if a.period < now), ZERO))


@dataclass(frozen=True, slots=True)
class Period:
    """One month: planned, realised (None: nothing recorded) and the running sums."""

    period: str
    planned: Decimal
    actual: Decimal | None
    planned_to_date: Decimal
    realised_to_date: Decimal


def periods(plan: Mapping[str, Decimal], actual: Mapping[str, Decimal]) -> list[Period]:
    """Every month from the first planned or realised to the last, with running sums."""
    known = sorted(set(plan) | set(actual))
    if not known:
        return []
    rows, planned, realised = [], ZERO, ZERO
    for index in range(month_index(known[0]), month_index(known[-1]) + 1):
        month = month_name(index)
        planned += plan.get(month, ZERO)
        realised += actual.get(month, ZERO)
        rows.append(Period(month, plan.get(month, ZERO), actual.get(month), planned, realised))
    return rows
