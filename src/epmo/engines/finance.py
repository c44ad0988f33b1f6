"""Investment appraisal: NPV, IRR, payback (simple and discounted), ROI and sensitivity.

Conventions (the same everywhere in epmo):

- A cash-flow list is indexed by year: ``flows[0]`` is **year 0**, money spent or received
  now, never discounted; ``flows[t]`` falls at the **end of year t** and is discounted by
  ``(1 + rate) ** t``. Spreadsheet ``NPV()`` discounts its first value by one period instead;
  to reproduce it, put a 0 in year 0.
- Rates are fractions (0.08 for 8 %). Money is a float here (estimates, not ledger entries);
  the caller rounds to cents on the way out.
- Payback is in fractional years, interpolated within the year in which the cumulative cash
  flow turns non-negative *for good* (a later dip below zero pushes it out); None when it
  never does within the flows given.
- ROI is (benefits - costs) / costs over the whole horizon, undiscounted; None without costs.

Pure: no database, no web, no domain; inputs and outputs are numbers and frozen dataclasses.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

# Benefits scaled by these factors in the sensitivity table: -30 % to +30 % in steps of 10.
SENSITIVITY_STEPS = (-0.3, -0.2, -0.1, 0.0, 0.1, 0.2, 0.3)
# The discount rate moved by these amounts (percentage points as fractions) in the table.
RATE_STEPS = (-0.02, 0.0, 0.02)
IRR_LOW, IRR_HIGH = -0.99, 10.0  # IRR is searched between -99 % and +1000 %
_TOLERANCE = 1e-12


def npv(rate: float, flows: Sequence[float]) -> float:
    """Net present value of yearly ``flows`` (year 0 undiscounted) at ``rate``."""
    if rate <= -1:
        raise ValueError("the discount rate must be above -100 %")
    return math.fsum(flow / (1 + rate) ** year for year, flow in enumerate(flows))


def discounted(rate: float, flows: Sequence[float]) -> list[float]:
    """Each year's flow at its present value."""
    return [flow / (1 + rate) ** year for year, flow in enumerate(flows)]


def sign_changes(flows: Sequence[float]) -> int:
    """How many times the non-zero flows change sign (more than one: IRR may not be unique)."""
    signs = [flow > 0 for flow in flows if flow != 0]
    return sum(1 for a, b in pairwise(signs) if a != b)


def irr(flows: Sequence[float], low: float = IRR_LOW, high: float = IRR_HIGH) -> float | None:
    """The internal rate of return: the rate in [low, high] at which the NPV is zero.

    None when the flows never change sign or no root lies in the range. With several roots
    (flows changing sign more than once) the one nearest zero is returned; ``sign_changes``
    tells the caller to say so. The range is scanned on a grid for sign changes of the NPV,
    then the bracket is closed by bisection to ~1e-12.
    """
    if sign_changes(flows) == 0:
        return None
    grid = _grid(low, high)
    values = [npv(rate, flows) for rate in grid]
    roots = [_bisect(flows, a, b) for a, b, fa, fb in
             zip(grid, grid[1:], values, values[1:], strict=False) if fa == 0 or fa * fb < 0]
    if values[-1] == 0:
        roots.append(grid[-1])
    return min(roots, key=abs) if roots else None


def _grid(low: float, high: float) -> list[float]:
    """Rates from ``low`` to ``high``: fine near zero, coarser beyond 100 %."""
    points = [low + i * 0.01 for i in range(round((min(high, 1.0) - low) / 0.01) + 1)]
    rate = points[-1]
    while rate < high:
        rate = min(high, rate + 0.1)
        points.append(rate)
    return points


def _bisect(flows: Sequence[float], a: float, b: float) -> float:
    fa = npv(a, flows)
    if fa == 0:
        return a
    for _ in range(200):
        middle = (a + b) / 2
        fm = npv(middle, flows)
        if fm == 0 or (b - a) / 2 < _TOLERANCE:
            return middle
        if fa * fm < 0:
            b = middle
        else:
            a, fa = middle, fm
    return (a + b) / 2


def payback(flows: Sequence[float]) -> float | None:
    """Years until the cumulative flow turns non-negative for good (interpolated), or None."""
    running = cumulative(flows)
    if not running or running[-1] < 0:
        return None
    last_negative = max((year for year, value in enumerate(running) if value < 0),
                        default=None)
    if last_negative is None:
        return 0.0
    # It turns during the next year: the part of that year's flow needed to reach zero.
    return last_negative + -running[last_negative] / flows[last_negative + 1]


def discounted_payback(rate: float, flows: Sequence[float]) -> float | None:
    """Payback on the flows' present values (the time value of money counted)."""
    return payback(discounted(rate, flows))


def roi(total_benefit: float, total_cost: float) -> float | None:
    """Return on investment as a fraction: (benefit - cost) / cost; None without costs."""
    if total_cost <= 0:
        return None
    return (total_benefit - total_cost) / total_cost


@dataclass(frozen=True, slots=True)
class Appraisal:
    """The figures of one option over its horizon (money in the caller's currency)."""

    rate: float
    total_cost: float
    total_benefit: float
    net: float  # total benefit - total cost, undiscounted
    pv_cost: float
    pv_benefit: float
    npv: float
    irr: float | None
    irr_unique: bool  # False when the flows change sign more than once
    payback: float | None
    discounted_payback: float | None
    roi: float | None
    # The benefits may fall by this fraction before the NPV turns negative (None: no
    # benefits; negative: they must rise).
    benefit_margin: float | None


def net_flows(costs: Sequence[float], benefits: Sequence[float],
              benefit_factor: float = 1.0) -> list[float]:
    """Yearly benefit x factor - cost; the shorter list counts as zeros."""
    years = max(len(costs), len(benefits))
    cost = list(costs) + [0.0] * (years - len(costs))
    gain = list(benefits) + [0.0] * (years - len(benefits))
    return [g * benefit_factor - c for c, g in zip(cost, gain, strict=True)]


def appraise(rate: float, costs: Sequence[float], benefits: Sequence[float]) -> Appraisal:
    """Every figure of one option from its yearly costs and benefits (both >= 0)."""
    flows = net_flows(costs, benefits)
    pv_cost, pv_benefit = npv(rate, costs), npv(rate, benefits)
    total_cost, total_benefit = math.fsum(costs), math.fsum(benefits)
    return Appraisal(
        rate=rate, total_cost=total_cost, total_benefit=total_benefit,
        net=total_benefit - total_cost, pv_cost=pv_cost, pv_benefit=pv_benefit,
        npv=pv_benefit - pv_cost, irr=irr(flows), irr_unique=sign_changes(flows) <= 1,
        payback=payback(flows), discounted_payback=discounted_payback(rate, flows),
        roi=roi(total_benefit, total_cost),
        benefit_margin=1 - pv_cost / pv_benefit if pv_benefit > 0 else None)


@dataclass(frozen=True, slots=True)
class SensitivityRow:
    """One benefit scenario: benefits scaled by ``1 + change``."""

    change: float  # -0.3 .. +0.3
    npv: float
    npv_by_rate: tuple[float, ...]  # NPV at each of the table's rates
    payback: float | None
    roi: float | None


@dataclass(frozen=True, slots=True)
class Sensitivity:
    """NPV, payback and ROI as benefits vary, at the case's rate and rates around it."""

    rates: tuple[float, ...]
    rows: tuple[SensitivityRow, ...]


def sensitivity(rate: float, costs: Sequence[float], benefits: Sequence[float],
                steps: Sequence[float] = SENSITIVITY_STEPS,
                rate_steps: Sequence[float] = RATE_STEPS) -> Sensitivity:
    """The sensitivity table: each benefit change x each discount rate (rates below 0 are
    left out: a negative hurdle rate says nothing an executive can use)."""
    rates = tuple(sorted({round(rate + d, 10) for d in rate_steps if rate + d >= 0}))
    rows = []
    total_cost = math.fsum(costs)
    for change in steps:
        flows = net_flows(costs, benefits, 1 + change)
        rows.append(SensitivityRow(
            change=change, npv=npv(rate, flows),
            npv_by_rate=tuple(npv(r, flows) for r in rates), payback=payback(flows),
            roi=roi(math.fsum(benefits) * (1 + change), total_cost)))
    return Sensitivity(rates=rates, rows=tuple(rows))


def cumulative(flows: Sequence[float]) -> list[float]:
    """The running total of the flows, year by year (for payback charts)."""
    found, running = [], 0.0
    for flow in flows:
        running += flow
        found.append(running)
    return found
