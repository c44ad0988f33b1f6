"""The demo's hot spot and its lending between departments, through the lending service.

Next quarter (the calendar quarter after the demo's today) one IT department's role is asked
for more than it has: the pool of the IT subtree whose running projects ask most beyond its
capacity, in a role other departments hold too, so it can be borrowed. Should no pool be over
(a rare draw), its people are on parental leave that quarter. The IT lead asks the department
with the most of that role free for help (left open: the lender has not answered); the IT
project manager asks for four more, which the lenders counter, accept, confirm or decline (the
EPMO administrator answers for them: the demo has no other leads); and two projects of other
departments ask IT, one left for the IT lead to answer, one the lead accepted.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Final

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.demo import repository
from epmo.resources import months as m
from epmo.resources import repository as resources_repository
from epmo.resources.heatmap import build_sheet
from epmo.resources.lending import answer_lending, create_lending
from epmo.resources.models import Lending
from epmo.resources.repository import Key, role_key
from epmo.resources.schemas import LendingAnswer, LendingCreate

RUNNING: Final = ("approved", "planning", "executing", "closing", "on_hold")
TOLERANCE: Final = 0.005
STEP: Final = 0.25  # FTE are asked in quarters
# What the IT project manager's four requests get, in turn.
SCRIPTS: Final = (("counter",), ("accept",), ("accept", "confirm"), ("decline",))
HOT_NOTE: Final = ("We are short of {role} time for {name} next quarter; could {lender} spare "
                   "{fte} FTE from {starts}?")
NOTES: Final = ("{name} goes into build next quarter and needs more {role} time than we have.",
                "Cover for {name} while our own {role} is on leave.",
                "{name} needs a {role} for its testing phase.",
                "Short-term help for the {name} cut-over, then we manage alone.")
ANSWERS: Final = {
    "counter": "We can give {fte} FTE from {starts}, not before: our own quarter-end comes first.",
    "accept": "Agreed: one of our {role}s joins you for the period.",
    "confirm": "Confirmed and booked in our plan.",
    "decline": "Sorry, nobody is free then: our own go-live takes every {role} we have."}
INCOMING_NOTE: Final = "{name} needs a {role} from IT for a few weeks of {month}."
LEAD_ANSWER: Final = "Fine by IT: we have room in that period."


@dataclass(frozen=True, slots=True)
class Line:
    """A running project's demand for a role in the quarter (FTE-months)."""

    project_id: int
    code: str
    name: str
    department_id: int
    role: str
    fte_months: float
    starts: date | None
    ends: date | None

    @property
    def key(self) -> Key:
        """The pool it draws on: its department's role."""
        return (self.department_id, role_key(self.role))


def next_quarter(today: date) -> list[str]:
    """The months of the calendar quarter after ``today``'s."""
    index = m.month_index(m.month_of(today))
    return m.months_from(m.month_name(index - index % 3 + 3), 3)


def _day(day: date) -> str:
    """A day as a note says it: "1 February"."""
    return f"{day.day} {day:%B}"


def _quarter_fte(value: float) -> Decimal:
    """FTE rounded down to a quarter, at least a quarter."""
    return Decimal(str(max(STEP, math.floor(value / STEP) * STEP)))


class Planner:
    """The capacity left per pool next quarter and the lendings that follow from it."""

    def __init__(self, session: Session, today: date, it_scope: frozenset[int]) -> None:
        self.session, self.it = session, it_scope
        self.months = next_quarter(today)
        self.first = m.bounds(self.months[0])[0]
        self.last = m.bounds(self.months[-1])[1] - timedelta(days=1)
        rows = repository.demand_lines(session, self.months, RUNNING)
        self.lines = [Line(*row[:5], float(row[5]), row[6], row[7]) for row in rows]
        self.names = {d.id: d.name for d in resources_repository.departments(session).values()}
        self.refresh()
        self.hot = self._choose()

    def refresh(self) -> None:
        """Read capacity and demand again (after calendars changed)."""
        sheet = build_sheet(self.session, self.months)
        self.free = {key: min(c - d for c, d in zip(sheet.capacity(key),
                                                      sheet.series("demand", key), strict=True))
                     for key in sheet.pools()}
        self.supplied = {key for key, series in sheet.supply.items() if max(series) > 0}

    def _outside(self, role: str) -> list[Key]:
        """Pools of the role outside IT, the most free first."""
        pools = [key for key in self.supplied if key[1] == role and key[0] not in self.it]
        return sorted(pools, key=lambda key: (-self.free.get(key, 0.0), key[0]))

    def _choose(self) -> Line | None:
        """The IT pool short the most next quarter that others could lend to; its largest line."""
        ours = [line for line in self.lines if line.department_id in self.it
                and self._outside(line.key[1]) and self._span(line) is not None]
        if not ours:
            return None
        return max(ours, key=lambda line: (-self.free.get(line.key, 0.0), line.fte_months,
                                           -line.project_id))

    def ensure_overload(self, taken: dict[int, list[tuple[date, date]]]) -> list[dict[str, Any]]:
        """Parental leave next quarter for the hot pool's people when it is not over already."""
        if self.hot is None or self.free.get(self.hot.key, 0.0) < -TOLERANCE:
            return []
        rows = []
        for person, department, role, _hours in repository.people_hours(self.session):
            if (department, role_key(role)) == self.hot.key:
                taken.setdefault(person, []).append((self.first, self.last))
                rows.append({"person_id": person, "starts": self.first, "ends": self.last,
                             "kind": "parental", "note": "Parental leave"})
        return rows

    def _span(self, line: Line) -> tuple[date, date] | None:
        """The part of next quarter inside the project's dates."""
        starts = max(self.first, line.starts or self.first)
        ends = min(self.last, line.ends or self.last)
        return (starts, ends) if starts <= ends else None

    def send(self, rng: random.Random, admin: Actor, lead: Actor, pm: Actor) -> list[Lending]:
        """Every lending of the demo, in the order they were asked."""
        made: list[Lending] = []
        if self.hot is not None:
            made += self._borrow(self.hot, lead, admin, (), HOT_NOTE)
        others = self._others()
        for line, script in zip(others, SCRIPTS, strict=False):
            made += self._borrow(line, pm, admin, script, rng.choice(NOTES))
        return made + self._incoming(rng, admin, lead)

    def _others(self) -> list[Line]:
        """IT lines of other pools than the hot one, one per project, the largest first."""
        seen, found = {self.hot.project_id} if self.hot else set(), []
        hot_key = self.hot.key if self.hot else None
        for line in sorted(self.lines, key=lambda line: (-line.fte_months, line.project_id)):
            if (line.department_id in self.it and line.key != hot_key
                    and line.project_id not in seen and self._span(line) is not None
                    and any(self.free.get(key, 0.0) >= STEP
                            for key in self._outside(line.key[1]))):
                seen.add(line.project_id)
                found.append(line)
        return found

    def _borrow(self, line: Line, asker: Actor, answerer: Actor, script: Sequence[str],
                note: str) -> list[Lending]:
        """Ask the pool with the most of the role free, then answer as ``script`` says."""
        lenders = self._outside(line.key[1])
        span = self._span(line)
        if not lenders or span is None:
            return []
        lender = lenders[0]
        fte = _quarter_fte(min(line.fte_months / 3, max(self.free.get(lender, 0.0), STEP)))
        words = {"role": line.role.lower(), "name": line.name, "lender": self.names[lender[0]],
                 "fte": fte, "starts": _day(span[0])}
        lending = create_lending(self.session, asker, LendingCreate(
            project_id=line.project_id, lender_department_id=lender[0], role=line.role, fte=fte,
            starts=span[0], ends=span[1], note=note.format(**words)))
        for action in script:
            self._answer(answerer, lending, action, words)
        if lending.status in ("soft", "hard"):
            self.free[lender] = self.free.get(lender, 0.0) - float(lending.fte)
        return [lending]

    def _answer(self, answerer: Actor, lending: Lending, action: str,
                words: dict[str, Any]) -> None:
        offer: dict[str, Any] = {}
        if action == "counter":
            later = min(lending.ends, max(m.bounds(self.months[1])[0],
                                          lending.starts + timedelta(days=14)))
            offer = {"fte": _quarter_fte(float(lending.fte) / 2), "starts": later}
            if (offer["fte"], later) == (lending.fte, lending.starts):
                return  # nothing less to offer: the request stays open
            words = words | {"fte": offer["fte"], "starts": _day(later)}
        answer_lending(self.session, answerer, lending.id, LendingAnswer(
            action=action, version=lending.version, comment=ANSWERS[action].format(**words),
            **offer))

    def _incoming(self, rng: random.Random, admin: Actor, lead: Actor) -> list[Lending]:
        """Two projects of other departments ask IT's freest pool; the lead accepts one."""
        ours = self._freest_it_pool()
        theirs = sorted({line.project_id: line for line in self.lines
                         if line.department_id not in self.it
                         and self._span(line) == (self.first, self.last)}.values(),
                        key=lambda line: line.project_id)
        if ours is None or len(theirs) < 2:
            return []
        role, fte = self._spelling(ours), _quarter_fte(min(0.5, self.free[ours]))
        made = []
        for line, answer in zip(rng.sample(theirs, 2), (None, "accept"), strict=True):
            starts = m.bounds(self.months[1])[0]
            lending = create_lending(self.session, admin, LendingCreate(
                project_id=line.project_id, lender_department_id=ours[0], role=role,
                fte=fte, starts=starts, ends=starts + timedelta(days=27),
                note=INCOMING_NOTE.format(name=line.name, role=role.lower(),
                                          month=f"{starts:%B}")))
            if answer is not None:
                answer_lending(self.session, lead, lending.id, LendingAnswer(
                    action=answer, version=lending.version, comment=LEAD_ANSWER))
            made.append(lending)
        return made

    def _freest_it_pool(self) -> Key | None:
        """The IT pool (not the hot one) with the most free, in a role projects ask for."""
        asked = {line.key[1] for line in self.lines}
        hot_key = self.hot.key if self.hot else None
        ours = [key for key in self.supplied if key[0] in self.it and key != hot_key
                and key[1] in asked and self.free.get(key, 0.0) >= STEP]
        return min(ours, key=lambda key: (-self.free[key], key), default=None)

    def _spelling(self, key: Key) -> str:
        """How the pool's people spell their role."""
        return next(role for _p, department, role, _h in repository.people_hours(self.session)
                    if (department, role_key(role)) == key)
