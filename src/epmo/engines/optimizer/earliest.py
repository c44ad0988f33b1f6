"""Earliest feasible start: the first quarter from which a shifted profile fits every line.

A request's profile is its cost per fiscal year (``"2027"``) and its demand per (role,
quarter ``"2027-Q1"``). Shifting it by k quarters moves every demand k quarters later; a
yearly cost is spread evenly over its four quarters, each quarter's share moved k quarters,
and the shares summed again per fiscal year (a 400 cost in 2027 shifted by one quarter is
300 in 2027 and 100 in 2028). A shifted amount that lands on a line with no limit (beyond the
planning horizon, or a role with no capacity line) does not fit: nothing is known there.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

TOLERANCE = 1e-6
QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
Line = tuple[str, str]  # ("budget", "2027") or ("capacity", "role|2027-Q1")


@dataclass(frozen=True)
class Profile:
    """What a request needs: cost per fiscal year and demand per (role, quarter)."""

    costs: Mapping[str, float] = field(default_factory=dict)
    demand: Mapping[tuple[str, str], float] = field(default_factory=dict)


@dataclass(frozen=True)
class Limits:
    """Every line's limit and what the committed portfolio already uses of it."""

    budgets: Mapping[str, float] = field(default_factory=dict)
    capacity: Mapping[tuple[str, str], float] = field(default_factory=dict)
    budget_used: Mapping[str, float] = field(default_factory=dict)
    capacity_used: Mapping[tuple[str, str], float] = field(default_factory=dict)


@dataclass(frozen=True)
class Earliest:
    """The first start that fits (and its shift in quarters), or None and the line in the way."""

    start: str | None
    offset: int | None
    blocking: str | None = None


def quarter_index(quarter: str) -> int:
    """``"2027-Q3"`` as a running quarter number (year * 4 + quarter - 1)."""
    match = QUARTER.match(quarter)
    if match is None:
        raise ValueError(f"not a quarter like 2027-Q1: {quarter!r}")
    return int(match.group(1)) * 4 + int(match.group(2)) - 1


def quarter_name(index: int) -> str:
    """The quarter with running number ``index``, e.g. ``"2027-Q3"``."""
    return f"{index // 4}-Q{index % 4 + 1}"


def anchor(profile: Profile) -> int | None:
    """The profile's first quarter: its first demand quarter or its first cost year's Q1."""
    found = [quarter_index(q) for (_, q), need in profile.demand.items() if need > 0]
    found += [int(year) * 4 for year, cost in profile.costs.items() if cost > 0]
    return min(found) if found else None


def shifted(profile: Profile, offset: int) -> Profile:
    """The profile moved ``offset`` quarters later (earlier when negative)."""
    costs: dict[str, float] = {}
    for year, cost in profile.costs.items():
        for q in range(4):
            moved = str((int(year) * 4 + q + offset) // 4)
            costs[moved] = costs.get(moved, 0.0) + cost / 4
    demand = {(role, quarter_name(quarter_index(q) + offset)): need
              for (role, q), need in profile.demand.items()}
    return Profile(costs, demand)


def blocking_lines(profile: Profile, limits: Limits) -> list[str]:
    """The lines the profile, added to the committed use, would exceed (empty: it fits)."""
    found = [f"budget {year}" for year, cost in profile.costs.items()
             if cost > 0 and _over(limits.budget_used.get(year, 0.0) + cost,
                                   limits.budgets.get(year))]
    found += [f"{role} capacity in {q}" for (role, q), need in profile.demand.items()
              if need > 0 and _over(limits.capacity_used.get((role, q), 0.0) + need,
                                    limits.capacity.get((role, q)))]
    return found


def _over(total: float, limit: float | None) -> bool:
    return limit is None or total > limit + TOLERANCE * max(1.0, abs(limit))


def earliest_start(profile: Profile, limits: Limits, starts: Iterable[str]) -> Earliest:
    """The first of ``starts`` (quarters, tried in order) from which the profile fits."""
    first = anchor(profile)
    tried = sorted(set(starts), key=quarter_index)
    if first is None:
        return Earliest(tried[0], 0) if tried else Earliest(None, None, "no quarter to try")
    blocked: Counter[str] = Counter()
    for start in tried:
        offset = quarter_index(start) - first
        lines = blocking_lines(shifted(profile, offset), limits)
        if not lines:
            return Earliest(start, offset)
        blocked[lines[0]] += 1
    worst = blocked.most_common(1)[0][0] if blocked else "no quarter to try"
    return Earliest(None, None, worst)
