"""Role demand of the demo's running projects: FTE-months per role per month. Pure, seeded.

Every running project (any stage but proposed, closed and cancelled) asks for a project
manager, often a business analyst and one or two of its domain's specialists, over the quarters
from its start to its finish, forecast else planned (the dates project demand must lie within;
a slipped project holds its people over its forecast). Its raw need is its headcount shared
among those roles and weighed by how much of each quarter it runs. The raw needs are then
scaled per role and quarter so that the running work together takes a share of the role's
supply (drawn per role between ``SHARE``), never more than a project's headcount could give (3
FTE-months per head a quarter): a quarter where few projects run stays below that share, one
where none needs the role takes none. Each quarter's share is then laid over its months by how
much of each month the project runs (project demand is kept per month). Selection's and the
queue's free capacity is what is left; the demo's requests ask a share of their own
department's supply of a role (``pipeline``), so in the queue some move later or do not fit.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from epmo.demo.catalog import DOMAINS
from epmo.demo.generator import Org, Plan, rng_for
from epmo.demo.rows import Row

RUNNING = frozenset({"approved", "planning", "executing", "closing", "on_hold"})
SHARE = (0.45, 0.65)  # committed demand as a share of a role's quarterly supply
MONTHS_PER_QUARTER = 3.0
HOURS_PER_FTE = 40.0
CHUNK = 20_000  # rows per bulk insert

Need = tuple[int, list[tuple[str, float]], int, int]  # id, (role, heads), start, finish


def quarter_index(day: date) -> int:
    """Quarters counted from year 0: 2027-Q1 is 2027 * 4."""
    return day.year * 4 + (day.month - 1) // 3


def quarter_name(index: int) -> str:
    """2027-Q1 for 2027 * 4."""
    return f"{index // 4}-Q{index % 4 + 1}"


def _quarter_days(index: int) -> tuple[int, int]:
    """First and last day (ordinals) of a quarter."""
    first = date(index // 4, 3 * (index % 4) + 1, 1).toordinal()
    nxt = index + 1
    return first, date(nxt // 4, 3 * (nxt % 4) + 1, 1).toordinal() - 1


def supply(org: Org) -> dict[str, float]:
    """FTE-months a quarter per role of the design, as selection counts them."""
    found: dict[str, float] = {}
    for person in org.people:
        hours = float(person.capacity) / HOURS_PER_FTE * MONTHS_PER_QUARTER
        found[person.role] = found.get(person.role, 0.0) + hours
    return found


@dataclass
class DemandPlanner:
    """Collects the running projects' raw needs while batches are written, then scales them."""

    plan: Plan
    org: Org
    needs: list[Need] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = rng_for(self.plan, "demand")
        self.supply = supply(self.org)
        self.domain_of = {i: d.domain for i, d in enumerate(self.org.departments)}
        self.total: dict[tuple[str, str], float] = {}

    def add(self, projects: Iterable[Row], dept_index: dict[int, int]) -> None:
        """Record the raw needs of the running ``projects`` (``dept_index``: id -> position)
        and add them to each role's and quarter's total."""
        total = self.total
        for row in projects:
            if row["stage"] not in RUNNING:
                continue
            heads = float(row["headcount"])
            roles = [(role, heads * share)
                     for role, share in self._roles(self.domain_of[dept_index[
                         row["department_id"]]])]
            # The project's own dates (forecast, else plan), as demand must lie within them.
            start = row.get("forecast_start") or row["planned_start"]
            finish = row.get("forecast_finish") or row["planned_finish"]
            need = (row["id"], roles, start.toordinal(), max(start, finish).toordinal())
            self.needs.append(need)
            for quarter, part in _split(need[2], need[3]):
                for role, raw in roles:
                    total[(role, quarter)] = total.get((role, quarter), 0.0) + raw * part

    def _roles(self, domain: int) -> list[tuple[str, float]]:
        rng = self.rng
        specialists = [r for r in DOMAINS[domain].specialists if self.supply.get(r)]
        chosen = rng.sample(specialists, k=min(len(specialists), rng.choice((1, 1, 2))))
        roles = [("Project manager", 0.25)]
        if rng.random() < 0.6:
            roles.append(("Business analyst", 0.2))
        rest = 1.0 - sum(share for _, share in roles)
        roles += [(role, rest / len(chosen)) for role in chosen]
        return [(role, share) for role, share in roles if self.supply.get(role)]

    def rows(self) -> Iterator[list[Row]]:
        """``project_demand`` rows, ``CHUNK`` at a time, scaled to each role's share."""
        share = {role: self.rng.uniform(*SHARE) for role in sorted(self.supply)}
        scale = {key: min(MONTHS_PER_QUARTER, share[key[0]] * self.supply[key[0]] / raw)
                 for key, raw in self.total.items()}
        chunk: list[Row] = []
        for project_id, roles, start, finish in self.needs:
            for month, quarter, part in _split_months(start, finish):
                for role, raw in roles:
                    # every running project holds some of each role in every month it runs
                    fte = max(0.01, round(raw * part * scale[(role, quarter)]
                                          / MONTHS_PER_QUARTER, 2))
                    chunk.append({"project_id": project_id, "role": role, "period": month,
                                  "fte_months": fte})
            if len(chunk) >= CHUNK:
                yield chunk
                chunk = []
        if chunk:
            yield chunk


def _split_months(start: int, finish: int) -> Iterator[tuple[str, str, float]]:
    """The months from ``start`` to ``finish`` (day ordinals), each with its quarter and the
    share of the month run."""
    first_day = date.fromordinal(start)
    last_day = date.fromordinal(finish)
    for index in range(first_day.year * 12 + first_day.month - 1,
                       last_day.year * 12 + last_day.month):
        year, month = divmod(index, 12)
        first = date(year, month + 1, 1).toordinal()
        nxt = divmod(index + 1, 12)
        last = date(nxt[0], nxt[1] + 1, 1).toordinal() - 1
        days = min(last, finish) - max(first, start) + 1
        if days > 0:
            yield (f"{year:04d}-{month + 1:02d}", quarter_name(year * 4 + month // 3),
                   days / (last - first + 1))


def _split(start: int, finish: int) -> Iterator[tuple[str, float]]:
    """The quarters from ``start`` to ``finish`` (day ordinals) and the share of each run."""
    for index in range(quarter_index(date.fromordinal(start)),
                       quarter_index(date.fromordinal(finish)) + 1):
        first, last = _quarter_days(index)
        days = min(last, finish) - max(first, start) + 1
        if days > 0:
            yield quarter_name(index), days / (last - first + 1)
