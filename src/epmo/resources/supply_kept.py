"""The supply kept per worker (``heatmap.SUPPLY``), patched after a write to its tables.

The supply is counted from people, capacity periods, time off, holidays and the department
tree. ``count`` counts it all and keeps, beside the sheet, what each person gave it (their
department, role, weekly hours, calendar and time off spans), who makes up each (department,
role) row and the holidays each department keeps. When the newest audit entries of those
tables moved since, ``patch`` reads the entries in between: people, capacity periods and
time off of at most ``MAX_PEOPLE`` people are read again (their old and their new row: a
person may have moved department or role, or left); holidays and the department tree are
read again whole (a few rows) and the departments whose holidays changed are found. Each row
touched is counted again whole from its people, with the same functions in the same order as
``count`` (or, when most rows are touched, everyone is added up again from the people kept),
so the figures are the very floats a fresh count gives, not a running sum. The demo's bulk
load, more people or entries, an entry whose person cannot be told: None, count everything.

Why it is right under concurrency: appenders commit in id order, so every entry up to the
head read is committed and read here; the rows read afterwards are at least as new; a person
counted from newer rows than the head says is counted again after the next write to them, and
counting a person again is idempotent.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
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
PER_PERSON = ("person", "capacity_period", "time_off")  # the writes a patch can follow:
CALENDARS = ("holiday", "department")  # ... and these, which move the holidays each keeps
MAX_PEOPLE = 50  # more people written since: count everything again
MAX_ENTRIES = 500  # more entries to read: count everything again
ROWS_AT_ONCE = 64  # more rows touched, and a quarter of them: add everyone up at once


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
    people = _members(repository.active_people(session, departments), periods, off)
    return _assembled(session, months, None if departments is None else frozenset(departments),
                      holidays, people)


def _assembled(session: Session, months: list[str], departments: frozenset[int] | None,
               holidays: Mapping[int | None, list[date]],
               people: Mapping[int, Member]) -> KeptSupply:
    """Everyone's share added up (people in id order), and what a patch needs kept."""
    people = {i: people[i] for i in sorted(people)}
    sheet = Sheet(list(months))
    if departments is not None:  # roles spelt as the whole enterprise's heatmap spells them
        sheet.spelling.update(repository.role_spellings(session))
    add_supply(sheet, [(i, p.department, p.role, p.calendar) for i, p in people.items()],
               holidays)
    subtract_time_off(sheet, [span for p in people.values() for span in p.away], holidays)
    rows: dict[Key, list[int]] = {}
    for i, person in people.items():
        rows.setdefault(person.key, []).append(i)
    return KeptSupply(sheet, departments, holidays, people,
                      {key: tuple(ids) for key, ids in rows.items()},
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
    spans = {table: (low, high) for table, low, high in zip(SUPPLY_TABLES, was, now,
                                                              strict=True) if low != high}
    if any(table not in PER_PERSON + CALENDARS for table in spans):
        return None
    changed = changed_people(session, spans)
    if changed is None:
        return None
    first, end = m.bounds(months[0])[0], m.bounds(months[-1])[1]
    holidays, touched = kept.holidays, set[Key]()
    if any(table in CALENDARS for table in spans):
        holidays, touched = _holidays_moved(session, kept, first, end)
    if not changed and not touched:  # the holidays kept with it must be the new ones still
        return replace(kept, holidays=holidays)
    people, rows = dict(kept.people), dict(kept.rows)
    if changed:
        fresh = _members(repository.active_people(session, kept.departments, changed),
                         repository.periods_by_person(session, first, end, changed),
                         repository.time_off_spans(session, first, end, kept.departments,
                                                   changed))
        touched |= _moved(people, rows, changed, fresh)
    return _recounted(session, kept, holidays, people, rows, touched)


def _holidays_moved(session: Session, kept: KeptSupply, first: date,
                    end: date) -> tuple[dict[int | None, list[date]], set[Key]]:
    """The holidays each department keeps now (holidays or the department tree were
    written), and the rows of the departments whose holidays changed."""
    holidays = holidays_by_department(repository.holidays(session, first, end),
                                      org_repository.department_parents(session))

    def kept_by(found: Mapping[int | None, list[date]], department: int) -> list[date]:
        return found.get(department, found.get(None, []))

    moved = {department for department, _ in kept.rows
             if kept_by(holidays, department) != kept_by(kept.holidays, department)}
    return holidays, {key for key in kept.rows if key[0] in moved}


def _moved(people: dict[int, Member], rows: dict[Key, tuple[int, ...]], changed: set[int],
           fresh: Mapping[int, Member]) -> set[Key]:
    """Each changed person taken out of their old row and put in their new one (if still
    active with a role there): the rows touched."""
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
    return touched


def _recounted(session: Session, kept: KeptSupply, holidays: Mapping[int | None, list[date]],
               people: dict[int, Member], rows: dict[Key, tuple[int, ...]],
               touched: set[Key]) -> KeptSupply:
    """The rows touched counted again whole, in the order ``count`` would put them, and the
    role spellings again (a person of another department may have changed the one kept).
    Many rows (a holiday for everyone): all at once from the people kept, as ``count`` adds
    them up (row by row, each row's own numpy counts would cost more than that)."""
    if len(touched) > ROWS_AT_ONCE and len(touched) * 4 > len(rows):
        return _assembled(session, kept.sheet.months, kept.departments, holidays, people)
    supply, ranks = dict(kept.sheet.supply), dict(kept.ranks)
    for key in touched:
        if rows.get(key):
            supply[key] = _row(kept.sheet.months, holidays, people, rows[key], key)
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
    return KeptSupply(sheet, kept.departments, holidays, people, rows, ranks)


def _row(months: list[str], holidays: Mapping[int | None, list[date]],
         people: Mapping[int, Member], ids: Sequence[int], key: Key) -> Series:
    """One row counted from its people alone: what ``count`` adds and takes off for it, in
    the same order (the other rows play no part in a row's figures)."""
    sheet = Sheet(list(months))
    add_supply(sheet, [(i, people[i].department, people[i].role, people[i].calendar)
                       for i in ids], holidays)
    subtract_time_off(sheet, [span for i in ids for span in people[i].away], holidays)
    return sheet.supply[key]


def changed_people(session: Session,
                   spans: Mapping[str, tuple[int | None, int | None]]) -> set[int] | None:
    """The people whose supply the audit entries in ``spans`` (per table, after the first id
    up to the second) may have changed; None when there are too many, or an entry whose
    person cannot be told."""
    spans = {table: span for table, span in spans.items() if table in PER_PERSON}
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
