"""Capacity per role and quarter: people's hours minus the demand of running work, or overrides.

Supply is the resources domain's: each active person's FTE per month after their calendar
(capacity periods, time off) and holidays, summed over the quarter's months (a 40-hour person
with no day off gives 3 FTE-months a quarter) and over departments. Committed demand is
taken off that supply: the role demand of every running project (any stage but proposed,
closed and cancelled) and of every approved request that has no project yet. A project or
request that is itself a candidate of the scenario is not committed (the optimiser decides
it). Overrides replace the free figure for one role and quarter. Free capacity never goes
below zero. Running projects that carry no role demand are named, since they consume people
nobody counted.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from epmo.errors import FieldError, Invalid
from epmo.resources.heatmap import supply_by_role
from epmo.selection import repository
from epmo.selection.models import Scenario
from epmo.selection.repository import role_key
from epmo.selection.schemas import CapacityLineRead, ScenarioCapacity

NAMED_UNPLANNED = 20  # running projects without demand named in words; the rest counted


@dataclass(frozen=True)
class Line:
    """One role in one quarter: FTE-months people give, running work takes, and what is free."""

    role: str
    period: str
    supply: float
    committed: float
    override: float | None = None

    @property
    def free(self) -> float:
        """The override when there is one, else supply minus committed (never below zero)."""
        if self.override is not None:
            return self.override
        return max(0.0, self.supply - self.committed)


@dataclass(frozen=True)
class Capacity:
    """Every line of the scenario's years and the running projects that carry no demand."""

    lines: dict[tuple[str, str], Line]
    unplanned: list[str] = field(default_factory=list)  # codes, sorted

    def unplanned_words(self) -> str:
        """'14 running projects have no role demand: IT-001, ...' (empty when none)."""
        if not self.unplanned:
            return ""
        count = len(self.unplanned)
        shown = ", ".join(self.unplanned[:NAMED_UNPLANNED])
        more = f" and {count - NAMED_UNPLANNED} more" if count > NAMED_UNPLANNED else ""
        verb, uses = ("project has", "it uses") if count == 1 else ("projects have", "they use")
        return (f"{count} running {verb} no role demand: {shown}{more}; the capacity {uses} "
                "is not taken off")


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


def capacity(session: Session, years: Collection[str], candidates: tuple[Collection[int],
             Collection[int]], overrides: Mapping[str, Mapping[str, float]],
             roles: Iterable[str] = (), name_unplanned: bool = True) -> Capacity:
    """Every (role, quarter) line of the years for roles running work takes, candidates ask
    for (``roles``) or overrides name; ``candidates`` is (request ids,
    project ids) of the scenario. Four queries (three without ``name_unplanned``)."""
    periods = quarters(years)
    supply = supply_by_role(session, periods)
    committed = repository.committed_demand(session, *candidates)
    wanted = {role_key(r) for r in [*roles, *overrides]}
    wanted |= {role for (role, period), fte in committed.items() if period in periods and fte}
    fixed = {(role_key(r), q): float(v) for r, per in overrides.items() for q, v in per.items()}
    lines = {}
    for role in sorted(wanted):
        for quarter in periods:
            key = (role, quarter)
            lines[key] = Line(role, quarter, supply.get(key, 0.0), committed.get(key, 0.0),
                              fixed.get(key))
    if not name_unplanned:
        return Capacity(lines)
    return Capacity(lines, repository.running_without_demand(session, candidates[1]))


def unplanned_note(session: Session, candidate_projects: Collection[int]) -> str:
    """The running projects (not candidates) without role demand, in words ("" when none)."""
    return Capacity({}, repository.running_without_demand(session, candidate_projects)
                    ).unplanned_words()


def supply(session: Session, roles: Iterable[str], years: Collection[str],
           candidates: tuple[Collection[int], Collection[int]],
           overrides: Mapping[str, Mapping[str, float]]) -> dict[tuple[str, str], float]:
    """Free capacity per (role key, quarter) of the ``roles`` candidates ask for and overrides
    name: the optimiser's capacity lines."""
    found = capacity(session, years, candidates, overrides, roles, name_unplanned=False)
    wanted = {role_key(r) for r in [*roles, *overrides]}
    return {key: line.free for key, line in found.lines.items() if key[0] in wanted}


def scenario_capacity(session: Session, scenario: Scenario) -> ScenarioCapacity:
    """Supply, committed demand and free capacity per role and quarter of the scenario."""
    found = repository.candidates(session, scenario.id)
    own = [c.request_id for c in found if c.request_id is not None]
    projects = [c.project_id for c in found if c.project_id is not None]
    asked = [*repository.demand(session, own).values(),
             *repository.project_demand(session, projects).values()]
    roles = {role for need in asked for role, _ in need}
    view = capacity(session, list(scenario.budgets), (own, projects),
                    scenario.capacity_overrides, roles)
    lines = [CapacityLineRead(role=ln.role, period=ln.period, supply=round(ln.supply, 2),
                              committed=round(ln.committed, 2), override=ln.override,
                              free=round(ln.free, 2)) for ln in view.lines.values()]
    return ScenarioCapacity(scenario_id=scenario.id, lines=lines,
                            running_without_demand=view.unplanned,
                            note=view.unplanned_words())
