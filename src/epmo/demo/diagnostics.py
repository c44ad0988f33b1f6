"""The demo's PPM assessments: two completed enterprise rounds half a year apart (so the trend
shows), the EPMO's completed round of each of the first top-level departments (so they can be
compared), and an open IT round still being scored (its evidence live).

Scores go through the diagnostics service as the demo's administrator and IT lead; each
assessor's score of an item is the capability's profile (an organisation strong in reporting
and assurance, weak in benefits, dependencies and resource management) plus the assessor's
leaning and some noise, seeded. Completed rounds are dated back to their day, and their
evidence is measured as of that day. Nothing is written without an administrator.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final

from sqlalchemy.orm import Session

from epmo.auth import service as auth_service
from epmo.auth.policy import Actor
from epmo.demo import repository
from epmo.diagnostics import repository as diagnostics_repository
from epmo.diagnostics import service
from epmo.diagnostics.instrument import CURRENT, INSTRUMENTS
from epmo.diagnostics.models import DiagnosticRound
from epmo.diagnostics.schemas import RoundCreate, ScoreEntry

LEAD_EMAIL: Final = "lead.it@demo.epmo"
PROFILE: Final = {
    "intake": 2.6, "prioritisation": 2.2, "selection": 1.8, "gates": 2.7, "benefits": 1.2,
    "roles": 2.4, "methods": 2.3, "risk": 2.1, "change": 1.9, "dependencies": 1.4,
    "closure": 1.5, "status_reporting": 3.1, "resource_management": 1.5, "records": 2.2,
    "tools_data": 2.6, "assurance": 3.0,
}
EARLIER_SHIFT: Final = -0.7  # half a year ago the enterprise was weaker
LEANING: Final = {"epmo_admin": -0.3, "department_lead": 0.4}  # the EPMO judges harder
NOTES: Final = {
    "PG-BEN-2": "Benefits are named in business cases, but nobody checks them after closure.",
    "PL-DEP-1": "Most cross-department dependencies are declared by one side only.",
    "PA-RES-1": "Capacity is visible for IT; other departments still plan in spreadsheets.",
    "PA-REP-1": "Reports mostly arrive on time; see the timeliness figure.",
    "PL-CHG-2": "Affected owners acknowledge within a day when they are told by the hub.",
}
DEPARTMENT_ROUNDS: Final = 4


def _actor(session: Session, user: Any) -> Actor | None:
    return None if user is None else auth_service.actor_for(session, user)


def build_diagnostics(session: Session, today: date, seed: int) -> dict[str, int]:
    """Assessment rounds with scores and evidence; return how many of each were made."""
    admin = _actor(session, repository.first_admin(session))
    if admin is None:
        return {}
    lead = _actor(session, repository.user_by_email(session, LEAD_EMAIL))
    rng = random.Random(f"diagnostics-{seed}")
    assessors = [a for a in (admin, lead) if a is not None]
    made = [_completed(session, admin, assessors, rng, "Baseline PPM assessment", None,
                       today - timedelta(days=182), EARLIER_SHIFT),
            _completed(session, admin, assessors, rng, "Annual PPM assessment", None,
                       today - timedelta(days=14), 0.0)]
    for department, code in _tops(session)[:DEPARTMENT_ROUNDS]:
        bias = rng.uniform(-0.6, 0.6)
        mine = [a for a in assessors if a is admin or department in a.scope]
        made.append(_completed(session, admin, mine, rng, f"{code} PPM assessment", department,
                               today - timedelta(days=10), bias))
    if lead is not None and lead.department_ids:
        it = min(lead.department_ids)
        open_round = service.open_round(session, admin, RoundCreate(
            name="IT deep dive", department_id=it,
            note="Scored by the IT lead before the EPMO's review."))
        _score(session, lead, open_round, rng, 0.3, share=0.6)
        made.append(open_round)
    return {"diagnostic_round": len(made),
            "diagnostic_score": sum(diagnostics_repository.count_scores(session, r.id)
                                    for r in made),
            "diagnostic_evidence": sum(len(diagnostics_repository.evidence_of(session, r.id))
                                       for r in made)}


def _tops(session: Session) -> list[tuple[int, str]]:
    """Top-level departments (id, code), by code."""
    labels = diagnostics_repository.department_labels(session)
    parents = diagnostics_repository.department_parents(session)
    return sorted(((d, labels[d][0]) for d, p in parents.items() if p is None),
                  key=lambda d: d[1])


def _completed(session: Session, admin: Actor, assessors: list[Actor], rng: random.Random,
               name: str, department: int | None, day: date, shift: float) -> DiagnosticRound:
    """A round opened two weeks before ``day``, scored, and completed on ``day``."""
    found = service.open_round(session, admin, RoundCreate(name=name, department_id=department))
    for assessor in assessors:
        _score(session, assessor, found, rng, shift)
    service.complete_round(session, admin, found.id, found.version, day)
    completed = datetime.combine(day, time(16), tzinfo=UTC)
    found.created_at = completed - timedelta(days=14)
    found.completed_at = completed
    for figure in diagnostics_repository.evidence_of(session, found.id):
        figure.taken_at = completed
    session.flush()
    return found


def _score(session: Session, assessor: Actor, found: DiagnosticRound, rng: random.Random,
           shift: float, share: float = 1.0) -> None:
    """The assessor's scores of (a share of) the items, with a few notes."""
    entries = []
    for item in INSTRUMENTS[CURRENT].items:
        if rng.random() > share:
            continue
        value = PROFILE[item.capability] + shift + LEANING.get(assessor.role, 0.0) + \
            rng.gauss(0, 0.6)
        note = NOTES.get(item.key, "") if rng.random() < 0.7 else ""
        entries.append(ScoreEntry(item_key=item.key, score=max(0, min(5, round(value))),
                                  note=note))
    if entries:
        service.submit_scores(session, assessor, found.id, entries)
