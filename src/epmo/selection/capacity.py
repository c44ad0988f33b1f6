"""Capacity supply per role and quarter: people's hours minus committed work, or overrides.

An active person's ``weekly_capacity_hours`` / 40 is their FTE; a quarter holds 3 FTE-months
per FTE. The demand of approved requests whose projects are still open is committed and taken
off (a request that is itself a candidate is not counted twice). Overrides replace the
computed figure for one role and quarter. Supply never goes below zero.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from sqlalchemy.orm import Session

from epmo.errors import FieldError, Invalid
from epmo.selection import repository
from epmo.selection.repository import role_key

MONTHS_PER_QUARTER = 3.0
HOURS_PER_FTE = 40.0


def quarters(years: Iterable[str]) -> list[str]:
    """Every quarter of the fiscal years, in order: 2027-Q1 .. 2027-Q4, 2028-Q1, ..."""
    return [f"{year}-Q{q}" for year in sorted(years) for q in range(1, 5)]


def check_overrides(session: Session, overrides: Mapping[str, Mapping[str, float]],
                    years: Collection[str]) -> None:
    """Refuse overrides in roles nobody has or asks for, or outside the scenario's years."""
    known = repository.known_roles(session)
    errors = [FieldError(f"capacity_overrides.{role}",
                         "unknown role: no active person has it and no request asks for it")
              for role in overrides if role_key(role) not in known]
    errors += [FieldError(f"capacity_overrides.{role}.{quarter}",
                          f"{quarter} is not in the scenario's fiscal years")
               for role, periods in overrides.items() for quarter in periods
               if quarter[:4] not in years]
    if errors:
        raise Invalid("Capacity overrides refer to unknown roles or quarters", errors)


def supply(session: Session, roles: Iterable[str], years: Collection[str],
           candidate_requests: Collection[int],
           overrides: Mapping[str, Mapping[str, float]]) -> dict[tuple[str, str], float]:
    """Capacity per (role key, quarter) of the ``roles`` candidates ask for and overrides name."""
    hours = repository.people_hours_by_role(session)
    committed = repository.committed_demand(session, candidate_requests)
    wanted = {role_key(r) for r in overrides}
    found = {}
    for role in sorted({role_key(r) for r in roles} | wanted):
        per_quarter = hours.get(role, 0.0) / HOURS_PER_FTE * MONTHS_PER_QUARTER
        for quarter in quarters(years):
            found[(role, quarter)] = max(0.0, per_quarter - committed.get((role, quarter), 0.0))
    for role, periods in overrides.items():
        for quarter, fte in periods.items():
            found[(role_key(role), quarter)] = float(fte)
    return found
