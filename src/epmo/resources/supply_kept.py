"""The supply kept per worker (``heatmap.SUPPLY``), patched person by person after a write.

The supply is counted from people, capacity periods, time off, holidays and the department
tree. ``count`` counts it all and keeps, beside the sheet, what each person gave it (their
department, role, weekly hours, calendar and time off spans) and who makes up each
(department, role) row. When the newest audit entries of those tables moved since, ``patch``
reads the entries in between: if they touch only people, capacity periods and time off of at
most ``MAX_PEOPLE`` people, those people are read again (their old and their new row: a person
may have moved department or role, or left), and each row they were or are in is counted
again whole from its people, with the same functions in the same order as ``count``, so the
figures are the very floats a fresh count gives, not a running sum. Anything else (a holiday,
a department, the demo's bulk load, more people, an entry whose person cannot be told)
returns None: count everything again.

Why it is right under concurrency: appenders commit in id order, so every entry up to the
head read is committed and read here; the rows read afterwards are at least as new; a person
counted from newer rows than the head says is counted again after the next write to them, and
counting a person again is idempotent.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy.orm import Session

from epmo.audit import repository as audit_repository
from epmo.org import repository as org_repository
from epmo.resources import months as m
from epmo.resources import repository
from epmo.resources.repository import Key, role_key
from epmo.resources.supply import (
    Away,
    Calendar,
    Series,
    Sheet,
    add_supply,
    calendar_of,
    holidays_by_department,
    subtract_time_off,
)

# The supply reads only these (the demo's bulk load and clear record "demo" entries).
SUPPLY_TABLES = ("person", "capacity_period", "time_off", "holiday", "department", "demo")
PER_PERSON = ("person", "capacity_period", "time_off")  # the writes a patch can follow
MAX_PEOPLE = 50  # more people written since: count everything again
MAX_ENTRIES = 500  # more entries to read: count everything again


class Member(NamedTuple):
    """What one person gives the supply."""

    department: int
    role: str
    weekly: float
    calendar: Calendar  # with capacity periods: the person's own, time off included
    away: tuple[Away, ...]  # without: their time off, taken off their row's supply

    @property
    def key(self) -> Key:
        """The (department, role key) row they are in."""
        return self.department, role_key(self.role)


@dataclass(frozen=True)
class KeptSupply:
    """A counted supply and what it was counted from, person by person (never changed once
    kept: a patch makes a new one, sharing what it did not touch)."""

    sheet: Sheet  # supply and role spellings
    departments: frozenset[int] | None
    holidays: Mapping[int | None, list[date]]
    people: Mapping[int, Member]
    rows: Mapping[Key, tuple[int, ...]]  # the people of each row, by id
    ranks: Mapping[Key, tuple[int, int]]  # where ``count`` puts each row (see _rank)


def count(session: Session, months: list[str],
          departments: Collection[int] | None = None) -> KeptSupply:
    """People's FTE per department, role and month, after calendars and holidays."""
    first, end = m.bounds(months[0])[0], m.bounds(months[-1])[1]
    periods = repository.periods_by_person(session, first, end)
    off = repository.time_off_spans(session, first, end, departments)
    parents = org_repository.department_parents(session)
    holidays = holidays_by_department(repository.holidays(session, first, end), parents)
    sheet = Sheet(list(months))
    if departments is not None:  # roles spelt as the whole enterprise's heatmap spells them
        sheet.spelling.update(repository.role_spellings(session))
    people = _members(repository.active_people(session, departments), periods, off)
    add_supply(sheet, [(i, p.department, p.role, p.calendar) for i, p in people.items()],
               holidays)
    subtract_time_off(sheet, [span for p in people.values() for span in p.away], holidays)
    rows: dict[Key, list[int]] = {}
    for i, person in people.items():
        rows.setdefault(person.key, []).append(i)
    return KeptSupply(sheet, None if departments is None else frozenset(departments),
                      holidays, people, {key: tuple(ids) for key, ids in rows.items()},
                      {key: _rank(people, ids) for key, ids in rows.items()})


def _members(rows: Iterable[tuple[int, int, str, Any]], periods: Mapping[int, Sequence[Any]],
             off: Mapping[int, Sequence[Any]]) -> dict[int, Member]:
    """Each active person's share, by id: people with capacity periods their own calendar
    (counted day by day), the others one calendar per weekly hours and their time off apart."""
    found: dict[int, Member] = {}
    plain: dict[float, Calendar] = {}
    for i, department, role, hours in rows:
        weekly = float(hours)
        if i in periods:
            found[i] = Member(department, role, weekly,
                              calendar_of(weekly, periods[i], off.get(i, [])), ())
            continue
        if weekly not in plain:
            plain[weekly] = calendar_of(weekly, [], [])
        found[i] = Member(department, role, weekly, plain[weekly],
                          tuple((department, role, weekly, span.starts, span.ends)
                                for span in off.get(i, [])))
    return found


def _rank(people: Mapping[int, Member], ids: Sequence[int]) -> tuple[int, int]:
    """Where ``add_supply`` creates a row: rows with someone counted day by day first, by
    that person's id, then the others by their first person's id (the sheet's order, which
    selection's sums over departments follow)."""
    return min((0 if people[i].calendar.periods else 1, i) for i in ids)


def patch(session: Session, kept: KeptSupply, months: list[str], was: Hashable,
          now: Hashable) -> KeptSupply | None:
    """The kept supply brought from head ``was`` to ``now``, or None when it cannot be."""
    assert isinstance(was, tuple) and isinstance(now, tuple)
    changed = changed_people(session, was, now)
    if changed is None:
        return None
    if not changed:
        return kept
    first, end = m.bounds(months[0])[0], m.bounds(months[-1])[1]
    fresh = _members(repository.active_people(session, kept.departments, changed),
                     repository.periods_by_person(session, first, end, changed),
                     repository.time_off_spans(session, first, end, kept.departments, changed))
    people, rows = dict(kept.people), dict(kept.rows)
    touched: set[Key] = set()
    for i in changed:
        old = people.pop(i, None)
        if old is not None:
            touched.add(old.key)
            rows[old.key] = tuple(j for j in rows[old.key] if j != i)
        new = fresh.get(i)
        if new is not None:
            people[i] = new
            touched.add(new.key)
            rows[new.key] = tuple(sorted((*rows.get(new.key, ()), i)))
    return _recounted(session, kept, people, rows, touched)


def _recounted(session: Session, kept: KeptSupply, people: dict[int, Member],
               rows: dict[Key, tuple[int, ...]], touched: set[Key]) -> KeptSupply:
    """The rows touched counted again whole, in the order ``count`` would put them."""
    supply, ranks = dict(kept.sheet.supply), dict(kept.ranks)
    for key in touched:
        if rows.get(key):
            supply[key] = _row(kept, people, rows[key], key)
            ranks[key] = _rank(people, rows[key])
        else:
            supply.pop(key, None)
            ranks.pop(key, None)
            rows.pop(key, None)
    spelling = (dict(repository.role_spellings(session)) if kept.departments is not None
                else {})
    for i in sorted(people):
        spelling.setdefault(role_key(people[i].role), people[i].role)
    sheet = Sheet(list(kept.sheet.months), spelling=spelling,
                  supply={key: supply[key] for key in sorted(supply, key=ranks.__getitem__)})
    return KeptSupply(sheet, kept.departments, kept.holidays, people, rows, ranks)


def _row(kept: KeptSupply, people: Mapping[int, Member], ids: Sequence[int],
         key: Key) -> Series:
    """One row counted from its people alone: what ``count`` adds and takes off for it, in
    the same order (the other rows play no part in a row's figures)."""
    sheet = Sheet(list(kept.sheet.months))
    add_supply(sheet, [(i, people[i].department, people[i].role, people[i].calendar)
                       for i in ids], kept.holidays)
    subtract_time_off(sheet, [span for i in ids for span in people[i].away], kept.holidays)
    return sheet.supply[key]


def changed_people(session: Session, was: tuple[Any, ...],
                   now: tuple[Any, ...]) -> set[int] | None:
    """The people whose supply the audit entries between heads ``was`` and ``now`` (the
    newest entry of each of ``SUPPLY_TABLES``) may have changed; None when they touch more
    than people and their calendars, or too many, or a row whose person cannot be told."""
    spans = {table: (low, high) for table, low, high in zip(SUPPLY_TABLES, was, now,
                                                              strict=True) if low != high}
    if any(table not in PER_PERSON for table in spans):
        return None
    written = audit_repository.entries_between(session, spans, MAX_ENTRIES + 1)
    if len(written) > MAX_ENTRIES:
        return None
    people: set[int] = set()
    calendars: set[tuple[str, int]] = set()  # capacity periods and time off written
    told: set[tuple[str, int]] = set()  # those an entry names the person of
    for table, ident, before, after in written:
        if not ident.isdigit():
            return None  # a bulk write recorded by hand
        if table == "person":
            people.add(int(ident))
            continue
        calendars.add((table, int(ident)))
        for row in (before, after):  # a create or delete: all of it; an update: what changed
            if row and row.get("person_id") is not None:
                people.add(int(row["person_id"]))
                told.add((table, int(ident)))
    for table in PER_PERSON[1:]:  # updates that kept the person: the row still names them
        ids = {i for kind, i in calendars - told if kind == table}
        owners = repository.owners_of(session, table, ids)
        if set(owners) != ids:
            return None
        people |= set(owners.values())
    return people if len(people) <= MAX_PEOPLE else None
