"""The demo's value ledger: a year of entries in every state, many proposed from its events.

The hub's proposal scan runs first over the demo's real events (cancelled projects, gates held
on projects still on hold, changes absorbed before the date, lendings declined before they
started); then the EPMO's own entries fill each quarter of the year up to the demo's today:
licences consolidated, tenders reused, environments shared, risks caught. The EPMO
administrator confirms most entries a few days after they happened, rejects a few and leaves
the last month's (and a few more) proposed; Finance's lead (the demo login
``lead.fin@demo.epmo``) validates most confirmed hard savings.
Nothing is written when the demo has no administrator or no FIN department, or the database
has no ledger table yet.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Final

from sqlalchemy.orm import Session

from epmo.auth import service as auth_service
from epmo.auth.policy import Actor
from epmo.demo import repository
from epmo.ledger import repository as ledger_repository
from epmo.ledger import service
from epmo.ledger.models import LedgerEntry
from epmo.ledger.schemas import EntryCreate, EntryDecision

FINANCE_EMAIL: Final = "lead.fin@demo.epmo"
YEAR_DAYS: Final = 365
RECENT_DAYS: Final = 30  # younger entries are still proposed
# category, description, amount range (thousands), days range
KINDS: Final = (
    ("hard_saving", "Software licences consolidated in {dept}: {n} duplicate subscriptions "
                    "ended", (20, 180), None),
    ("hard_saving", "Contractor rates renegotiated through the EPMO's framework for {dept}",
     (15, 90), None),
    ("cost_avoidance", "{dept} reused {other}'s vendor tender instead of running a new RFP",
     (10, 90), None),
    ("days_saved", "{dept} borrowed {other}'s test environment: {n} weeks of set-up avoided",
     None, (5, 30)),
    ("days_saved", "Shared status-report template: {dept}'s monthly pack in hours, not days",
     None, (3, 12)),
    ("risk_reduced", "A regulatory dependency of {dept} on {other} caught at intake", None,
     None),
)


def build_ledger(session: Session, today: date, seed: int) -> dict[str, int]:
    """Propose from the demo's events, write a year of EPMO entries, and decide them."""
    admin_user = repository.first_admin(session)
    departments = repository.department_ids_by_code(session, ["FIN"])
    if admin_user is None or "FIN" not in departments:
        return {"ledger_entry": 0}
    admin = auth_service.actor_for(session, admin_user)
    finance = _finance_lead(session)
    rng = random.Random(f"{seed}-ledger")
    service.propose(session, admin)
    for entry in _written(session, rng, admin, today):
        session.add(entry)
    session.flush()
    entries = ledger_repository.all_entries(session)
    for turn, entry in enumerate(entries):
        _decide(session, rng, admin, finance, entry, today, turn)
    return {"ledger_entry": len(entries)}


def _finance_lead(session: Session) -> Actor | None:
    user = repository.user_by_email(session, FINANCE_EMAIL)
    return None if user is None else auth_service.actor_for(session, user)


def _written(session: Session, rng: random.Random, admin: Actor,
             today: date) -> list[LedgerEntry]:
    """Two to four entries a month over the year, in the top departments."""
    tops = sorted((d.code, d.id) for d in ledger_repository.departments(session).values()
                  if d.parent_id is None)
    made = []
    for month in range(12):
        for _ in range(rng.randint(2, 4)):
            day = today - timedelta(days=month * 30 + rng.randrange(30))
            (code, dept), (other, _) = rng.sample(tops, 2)
            category, text, money, days = rng.choice(KINDS)
            data = EntryCreate(
                category=category,
                amount=Decimal(rng.randint(*money) * 1000) if money else None,
                days=rng.randint(*days) if days else None, department_id=dept,
                occurred_on=day,
                description=text.format(dept=code, other=other, n=rng.randint(2, 9)))
            made.append(service.create_entry(session, admin, data))
    return made


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=UTC)


def _decide(session: Session, rng: random.Random, admin: Actor, finance: Actor | None,
            entry: LedgerEntry, today: date, turn: int) -> None:
    """Confirm most entries a few days after they happened (every 13th is rejected, every
    17th left proposed); finance validates four confirmed hard savings in five."""
    if (today - entry.occurred_on).days < RECENT_DAYS or turn % 17 == 3:
        return  # still proposed
    if turn % 13 == 5:
        service.decide_entry(session, admin, entry.id, EntryDecision(
            action="reject", version=entry.version,
            reason="Would have happened without the EPMO"))
        entry.rejected_at = _at(min(today, entry.occurred_on + timedelta(days=7)))
        return
    service.decide_entry(session, admin, entry.id, EntryDecision(action="confirm",
                                                                 version=entry.version))
    confirmed = min(today, entry.occurred_on + timedelta(days=rng.randint(3, 20)))
    entry.confirmed_at = _at(confirmed)
    session.flush()
    if finance is not None and entry.category == "hard_saving" and turn % 5 != 0:
        service.decide_entry(session, finance, entry.id, EntryDecision(
            action="validate", version=entry.version))
        entry.validated_at = _at(min(today, confirmed + timedelta(days=rng.randint(2, 15))))
    session.flush()
