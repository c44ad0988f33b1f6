"""The demo's resource plan: public holidays, people's calendars and lending between departments.

Holidays (a few for everyone, a plant shutdown for one department) go through the resources
service as the EPMO administrator. Calendars are bulk rows like the rest of the demo's register
(the large demo has ten thousand people): about one person in ten works part time (20 to 32
hours) for a stretch of the coming year, and everyone takes two to four weeks of leave in it,
a few a training course too. Then the lending step (``demo.lending``) makes sure the IT lead
has a hot spot next quarter and sends requests between departments. Seeded like the rest of the
demo; nothing is written when the demo has no IT lead or no administrator.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Final

from sqlalchemy.orm import Session

from epmo.auth import service as auth_service
from epmo.auth.policy import Actor
from epmo.db import utcnow
from epmo.demo import lending, repository
from epmo.resources import repository as resources_repository
from epmo.resources import service
from epmo.resources.schemas import HolidayCreate

LEAD_EMAIL: Final = "lead.it@demo.epmo"
PM_EMAIL: Final = "pm.it@demo.epmo"
EVERYONE: Final = (("New Year's Day", 1, 1), ("Labour Day", 5, 1), ("Christmas Day", 12, 25),
                   ("Boxing Day", 12, 26))
SHUTDOWN: Final = "Summer plant shutdown"  # the first Monday and Tuesday of August
SHUTDOWN_DEPARTMENT: Final = "OPS-MFG"  # the plants close; the offices do not
PART_TIME_SHARE: Final = 0.10
PART_TIME_HOURS: Final = (20, 24, 28, 32)
PART_TIME_NOTES: Final = ("Part time while studying for a master's degree",
                          "Phased return after long-term sick leave",
                          "Reduced hours to care for a relative", "Four-day week agreed with HR",
                          "Part-time secondment to the works council")
LEAVE_BLOCKS: Final = (2, 4)  # blocks of leave per person in the coming year
LEAVE_NOTES: Final = ("Summer holiday", "Family visit abroad", "School holidays", "Skiing week",
                      "Moving house", "Winter break", "Long-planned trip")
TRAINING_SHARE: Final = 0.15
TRAINING_NOTES: Final = ("PRINCE2 Practitioner course", "Leadership programme module",
                         "Cloud certification bootcamp", "Negotiation skills workshop")
WEEKS: Final = 52

Span = tuple[date, date]


def build_resources(session: Session, today: date, seed: int) -> dict[str, int]:
    """Holidays, calendars and lendings; return how many rows of each kind were made."""
    admin = _actor(session, repository.first_admin(session))
    lead = _actor(session, repository.user_by_email(session, LEAD_EMAIL))
    if admin is None or lead is None or not lead.scope:
        return {}
    pm = _actor(session, repository.user_by_email(session, PM_EMAIL)) or lead
    rng = random.Random(f"resources-{seed}")
    counts = {"holiday": _holidays(session, admin, today)}
    people = repository.people_hours(session)
    taken: dict[int, list[Span]] = {}
    counts["capacity_period"] = _insert(session, "capacity_period",
                                        _part_time(rng, people, today))
    planner = lending.Planner(session, today, lead.scope)
    counts["time_off"] = _insert(session, "time_off", planner.ensure_overload(taken))
    counts["time_off"] += _insert(session, "time_off", _leave(rng, people, today, taken))
    planner.refresh()  # leave lowered capacity: lenders are chosen on what is left
    counts["lending"] = len(planner.send(rng, admin, lead, pm))
    return counts


def _actor(session: Session, user: Any) -> Actor | None:
    return None if user is None else auth_service.actor_for(session, user)


def next_day(today: date, month: int, day: int) -> date:
    """The next ``month``/``day`` from ``today`` on."""
    found = date(today.year, month, day)
    return found if found >= today else date(today.year + 1, month, day)


def _holidays(session: Session, admin: Actor, today: date) -> int:
    """Everyone's holidays and one department's shutdown (none when holidays exist)."""
    if resources_repository.list_holidays(session):
        return 0
    shutdown = repository.department_ids_by_code(session, [SHUTDOWN_DEPARTMENT])
    wanted: list[tuple[str, date, int | None]] = [
        (name, next_day(today, month, day), None) for name, month, day in EVERYONE]
    august = next_day(today, 8, 1)
    monday = august + timedelta(days=-august.weekday() % 7)
    wanted += [(SHUTDOWN, day, department) for department in shutdown.values()
               for day in (monday, monday + timedelta(days=1))]
    for name, day, department in wanted:
        service.create_holiday(session, admin, HolidayCreate(day=day, name=name,
                                                             department_id=department))
    return len(wanted)


def _monday(today: date, week: int) -> date:
    return today + timedelta(days=7 - today.weekday() + 7 * week)


def _part_time(rng: random.Random, people: Sequence[Any], today: date) -> list[dict[str, Any]]:
    """About one full-timer in ten works 20 to 32 hours for three to nine months."""
    full = [row for row in people if Decimal(row[3]) >= 40 and row[2]]
    rows = []
    for person in rng.sample(full, k=round(len(full) * PART_TIME_SHARE)):
        starts = _monday(today, rng.randrange(30))
        ends = None if rng.random() < 0.2 else starts + timedelta(days=30 * rng.randint(3, 9))
        rows.append({"person_id": person[0], "starts": starts, "ends": ends,
                     "weekly_hours": Decimal(rng.choice(PART_TIME_HOURS)),
                     "note": rng.choice(PART_TIME_NOTES)})
    return rows


def _free(span: Span, spans: list[Span]) -> bool:
    return all(span[1] < first or last < span[0] for first, last in spans)


def _leave(rng: random.Random, people: Sequence[Any], today: date,
           taken: dict[int, list[Span]]) -> list[dict[str, Any]]:
    """Two to four weeks of leave per person (some a fortnight), a few a training course."""
    rows = []
    for person in people:
        spans = taken.setdefault(person[0], [])
        wanted = [("leave", 5 * rng.choice((1, 1, 2)), rng.choice(LEAVE_NOTES))
                  for _ in range(rng.randint(*LEAVE_BLOCKS))]
        if rng.random() < TRAINING_SHARE:
            wanted.append(("training", rng.randint(2, 3), rng.choice(TRAINING_NOTES)))
        for kind, days, note in wanted:
            starts = _monday(today, rng.randrange(WEEKS))
            span = (starts, starts + timedelta(days=days + 2 * ((days - 1) // 5) - 1))
            if _free(span, spans):
                spans.append(span)
                rows.append({"person_id": person[0], "starts": span[0], "ends": span[1],
                             "kind": kind, "note": note})
    return rows


def _insert(session: Session, name: str, rows: list[dict[str, Any]]) -> int:
    """Bulk-insert calendar rows (stamped as the loader stamps its rows)."""
    now = utcnow()
    if rows:
        repository.insert_rows(session, name, [row | {"version": 1, "created_at": now,
                                                      "updated_at": now} for row in rows])
    return len(rows)
