"""The demo's living network, written through the network domain's own services.

The IT department takes part in a few projects of other departments, and its lead proposes
dependencies of IT projects on their milestones; the EPMO administrator accepts two thirds
of them, the rest stay proposed. Then some upstream milestones slip through the same
service and change processing as a user's edit (``update_milestone`` +
``process_changes``), so the change events, their impacts and the
notifications are real; the IT lead answers the older events and leaves the newer ones open.
Seeded like the rest of the demo; nothing is written when the demo has no IT lead, no
administrator or no fitting milestones.
"""

from __future__ import annotations

import random
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from sqlalchemy.orm import Session

from epmo.auth import service as auth_service
from epmo.auth.models import User
from epmo.auth.policy import Actor
from epmo.demo import repository
from epmo.network import events, service
from epmo.network.models import ChangeEvent, Dependency
from epmo.network.schemas import Acknowledge, DependencyAnswer, DependencyCreate, Respond
from epmo.portfolio import service as portfolio_service
from epmo.portfolio.models import Milestone, ProjectDepartment
from epmo.portfolio.schemas import MilestoneUpdate

LEAD_EMAIL: Final = "lead.it@demo.epmo"
PM_EMAIL: Final = "pm.it@demo.epmo"  # their projects are linked first, so they hear of it
LINKS: Final = 12  # dependencies proposed; a third of them stay proposed
SLIPS: Final = 5  # accepted dependencies whose upstream milestone slips
ANSWERED: Final = 2  # of the slips, the IT lead answers the oldest; one more is acknowledged
OPEN_STAGES: Final = ("planning", "executing")
GAP: Final = (5, 45)  # days between an upstream milestone and the IT milestone after it
REASONS: Final = ("Supplier delivered the hardware late", "Test environment was unavailable",
                  "Key specialist on sick leave", "Scope added by the sponsor",
                  "Regulator asked for another review")
NOTES: Final = ("IT needs this before its cut-over", "Data must be ready for migration",
                "Training depends on the new process", "Go-live waits for the sign-off")


@dataclass(frozen=True, slots=True)
class End:
    """A milestone that can take part in a dependency."""

    milestone_id: int
    project_id: int
    day: date
    department_id: int
    manager_id: int | None


def _ends(session: Session, today: date, inside: bool, it: frozenset[int],
          limit: int) -> list[End]:
    """Future milestones of open projects inside (or outside) the IT subtree, by date."""
    rows = repository.future_milestones(session, today, OPEN_STAGES, sorted(it), inside, limit)
    return [End(m, p, d, dep, manager) for m, p, d, dep, manager in rows if d is not None]


def _actor(session: Session, user: User | None) -> Actor | None:
    return None if user is None else auth_service.actor_for(session, user)


def _pairs(rng: random.Random, ours: list[End], theirs: list[End], wanted: int,
           first: int | None) -> list[tuple[End, End]]:
    """(upstream, IT) milestone pairs of different projects, the upstream one GAP days before."""
    days = [end.day for end in theirs]
    pairs: list[tuple[End, End]] = []
    used: set[int] = set()
    shuffled = rng.sample(ours, len(ours))
    shuffled.sort(key=lambda end: end.manager_id != first)  # stable: first's projects first
    for succ in shuffled:
        if len(pairs) == wanted:
            break
        low = bisect_left(days, succ.day - timedelta(days=GAP[1]))
        high = bisect_left(days, succ.day - timedelta(days=GAP[0]))
        fits = [e for e in theirs[low:high] if e.project_id not in used]
        if fits and succ.project_id not in used:
            pred = rng.choice(fits)
            used.update((pred.project_id, succ.project_id))
            pairs.append((pred, succ))
    return pairs


def build_network(session: Session, today: date, seed: int) -> dict[str, int]:
    """Propose, accept, slip and answer; return how many rows of each kind were made."""
    lead = _actor(session, repository.user_by_email(session, LEAD_EMAIL))
    admin = _actor(session, repository.first_admin(session))
    if lead is None or admin is None or not lead.scope:
        return {}
    rng = random.Random(f"network-{seed}")
    ours = _ends(session, today, True, lead.scope, 2_000)
    theirs = _ends(session, today, False, lead.scope, 20_000)
    pm = repository.person_of(session, PM_EMAIL)
    pairs = _pairs(rng, ours, theirs, LINKS, pm)
    _take_part(session, lead, [pred.project_id for pred, _ in pairs])
    made = [_propose(session, lead, rng, pred, succ) for pred, succ in pairs]
    accepted = made[:len(made) - len(made) // 3]
    for dependency in accepted:
        service.accept_dependency(session, admin, dependency.id,
                                  DependencyAnswer(comment="Agreed; we will keep IT posted"))
    slipped = [_slip(session, admin, rng, dependency, today) for dependency in accepted[:SLIPS]]
    changes = [event for found in slipped for event in found]
    _answer(session, lead, changes)
    return {"dependency": len(made), "change_event": len(changes)}


def _take_part(session: Session, lead: Actor, project_ids: list[int]) -> None:
    """The lead's department joins the upstream projects (so the lead may see and link them)."""
    department = min(lead.department_ids)
    for project_id in project_ids:
        if session.get(ProjectDepartment, (project_id, department)) is None:
            session.add(ProjectDepartment(project_id=project_id, department_id=department))
    session.flush()


def _propose(session: Session, lead: Actor, rng: random.Random, pred: End,
             succ: End) -> Dependency:
    return service.create_dependency(session, lead, DependencyCreate(
        predecessor_milestone_id=pred.milestone_id, successor_milestone_id=succ.milestone_id,
        type="FS", lag_days=0, note=rng.choice(NOTES),
        criticality=rng.choice(("medium", "high", "critical"))))


def _slip(session: Session, admin: Actor, rng: random.Random, dependency: Dependency,
          today: date) -> list[ChangeEvent]:
    """Move the upstream milestone past the IT one, as its owner would in the form."""
    pred = session.get(Milestone, dependency.pred_milestone_id)
    succ = session.get(Milestone, dependency.succ_milestone_id)
    assert pred is not None and succ is not None
    assert pred.forecast_date is not None and succ.forecast_date is not None
    gap = (succ.forecast_date - pred.forecast_date).days
    new = max(today + timedelta(days=1), pred.forecast_date + timedelta(
        days=gap + rng.randint(5, 30)))
    portfolio_service.update_milestone(session, admin, pred.project_id, pred.id, MilestoneUpdate(
        version=pred.version, forecast_date=new))
    return events.settle_changes(session, "form", rng.choice(REASONS))


def _answer(session: Session, lead: Actor, changes: list[ChangeEvent]) -> None:
    """The IT lead replans for the oldest events and acknowledges one more; the rest wait."""
    waiting = [e for e in changes if e.status == "open"]
    for event in waiting[:ANSWERED]:
        service.respond_to_event(session, lead, event.id, Respond(
            response="replan", comment="Replanned our cut-over around the new date"))
    for event in waiting[ANSWERED:ANSWERED + 1]:
        service.acknowledge_event(session, lead, event.id, Acknowledge())
