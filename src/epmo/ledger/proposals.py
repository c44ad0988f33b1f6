"""Proposals from the hub's own events: each computes its figure from the evidence, in words.

The scan reads every source below and proposes what no entry names yet (its ``evidence_key``),
so it can run any number of times (``epmo ledger propose``, the Propose button) and never
proposes the same evidence twice; a rejected proposal is not proposed again either.

- A gate review decided **kill**: a hard saving, the project's budget not spent (planned less
  actual). Decided **hold** while the project is still on hold: cost avoidance, the same sum.
- A **cancelled** project no gate killed: a hard saving, its budget not spent.
- An intake request **rejected** at its decision: cost avoidance, the total of its cost lines.
- A change event a department **absorbed** (answered "absorb" before the new date it was
  told of): days saved, the largest slip the change would have caused that department.
- A lending **declined**, before its start, or booked on a **counter-offer**'s terms: a risk
  reduced, a capacity conflict caught before booking (the figures say which).
- A selection scenario **committed** whose objective is benefit (money): cost avoidance, the
  benefit its optimised selection delivers beyond what a ranked list (fund down by benefit
  while every year's budget has room) would have delivered within the same budgets,
  recomputed from the scenario's candidates now. A scenario valued in score points is skipped:
  points are no money.

A source whose figure is unknown (no planned or actual budget, no cost lines) is skipped and
said so: unknown is never 0.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from epmo.ledger import repository
from epmo.ledger.ranked import ranked_value
from epmo.money import money_compact
from epmo.selection import mapping
from epmo.selection import repository as selection_repository

SOURCES = ("gate_review", "project", "intake_request", "change_event", "lending", "scenario")


@dataclass
class Proposal:
    """One entry the hub proposes, with its evidence and how its figure was computed."""

    key: str
    category: str
    department_id: int
    occurred_on: date
    evidence_kind: str
    evidence_id: int
    basis: str
    figures: dict[str, Any]
    project_id: int | None = None
    amount: Decimal | None = None
    days: int | None = None
    links: list[str] = field(default_factory=list)


@dataclass
class Found:
    """Proposals and the evidence skipped, in words."""

    proposals: list[Proposal] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def money(value: Decimal) -> str:
    """A sum as the report writes it, compact in the hub's currency and locale: €1.2M."""
    return money_compact(value)


def day_of(moment: datetime | date | None) -> date | None:
    """The day of a timestamp (or the date itself)."""
    return moment.date() if isinstance(moment, datetime) else moment


def unspent(planned: Decimal | None, actual: Decimal | None) -> Decimal | None:
    """The budget not spent: planned less actual; None when either is unknown."""
    if planned is None or actual is None:
        return None
    return max(planned - actual, Decimal(0))


def scan(session: Session) -> Found:
    """Everything the hub's events propose that no entry names yet."""
    known, found = repository.known_keys(session), Found()
    for item in _all(session, found):
        if item.key not in known:
            known.add(item.key)
            found.proposals.append(item)
    return found


def _all(session: Session, found: Found) -> Iterator[Proposal]:
    yield from _gates(session, found)
    yield from _cancelled(session, found)
    yield from _rejected(session, found)
    yield from _absorbed(session)
    yield from _lendings(session)
    yield from _scenarios(session, found)


def _gates(session: Session, found: Found) -> Iterator[Proposal]:
    for review, project in repository.stopped_at_gates(session):
        if review.decision == "hold" and project.stage != "on_hold":
            continue  # held, then let through: nothing avoided
        left = unspent(project.budget_planned, project.budget_actual)
        if not left:
            found.skipped.append(f"{project.code} {review.decision} at gate {review.gate_code}: "
                                 "no budget left unspent (or planned or actual unknown)")
            continue
        day = day_of(review.decided_at) or date.today()
        verb = "stopped" if review.decision == "kill" else "deferred (on hold)"
        assert project.budget_planned is not None
        yield Proposal(
            key=f"gate_review:{review.id}",
            category="hard_saving" if review.decision == "kill" else "cost_avoidance",
            department_id=project.department_id, occurred_on=day, project_id=project.id,
            evidence_kind="gate_review", evidence_id=review.id, amount=left,
            basis=(f"{project.code} {verb} at gate {review.gate_code} on {day}: {money(left)} "
                   f"of its {money(project.budget_planned)} budget not spent"),
            figures={"budget_planned": str(project.budget_planned),
                     "budget_actual": str(project.budget_actual), "unspent": str(left),
                     "decision": review.decision, "gate": review.gate_code})


def _cancelled(session: Session, found: Found) -> Iterator[Proposal]:
    for project in repository.cancelled_projects(session):
        left = unspent(project.budget_planned, project.budget_actual)
        if not left:
            found.skipped.append(f"{project.code} cancelled: no budget left unspent (or "
                                 "planned or actual unknown)")
            continue
        day = project.actual_finish or day_of(project.updated_at) or date.today()
        assert project.budget_planned is not None
        yield Proposal(
            key=f"project:{project.id}:cancelled", category="hard_saving",
            department_id=project.department_id, occurred_on=day, project_id=project.id,
            evidence_kind="project", evidence_id=project.id, amount=left,
            basis=(f"{project.code} cancelled on {day}: {money(left)} of its "
                   f"{money(project.budget_planned)} budget not spent"),
            figures={"budget_planned": str(project.budget_planned),
                     "budget_actual": str(project.budget_actual), "unspent": str(left),
                     "stage": project.stage})


def _rejected(session: Session, found: Found) -> Iterator[Proposal]:
    for request, total in repository.rejected_requests(session):
        if not total:
            found.skipped.append(f"{request.code} rejected: no cost lines, nothing to count")
            continue
        day = day_of(request.decided_at) or date.today()
        cost = Decimal(total)
        yield Proposal(
            key=f"intake_request:{request.id}:r{request.revision}", category="cost_avoidance",
            department_id=request.department_id, occurred_on=day,
            evidence_kind="intake_request", evidence_id=request.id, amount=cost,
            basis=(f"{request.code} rejected at its intake decision on {day}: its "
                   f"{money(cost)} of costed work not started"),
            figures={"cost_total": str(cost), "revision": request.revision,
                     "reason": request.decision_reason[:300]})


def _absorbed(session: Session) -> Iterator[Proposal]:
    for response, event, first_date, slip in repository.absorbed_changes(session):
        answered, by = day_of(response.responded_at), repository.first_day(first_date)
        if answered is None or by is None or answered > by or not slip:
            continue  # answered after the date, or nothing would have slipped
        yield Proposal(
            key=f"change_event:{event.id}:department:{response.department_id}",
            category="days_saved", department_id=response.department_id, occurred_on=answered,
            project_id=event.project_id, evidence_kind="change_event", evidence_id=event.id,
            days=int(slip),
            basis=(f"Change {event.id} ({event.field} moved {event.delta_days:+d} days) "
                   f"acknowledged and absorbed on {answered}, before {by}: {int(slip)} days "
                   "of slip kept off the department's dates"),
            figures={"slip_days": int(slip), "answered_on": answered.isoformat(),
                     "first_new_date": by.isoformat(), "delta_days": event.delta_days})


def _lendings(session: Session) -> Iterator[Proposal]:
    for lending, project in repository.caught_lendings(session):
        answered = day_of(lending.responded_at)
        if answered is None or (lending.status == "declined" and answered >= lending.starts):
            continue  # taken back once running: not caught before booking
        how = ("declined before it started" if lending.status == "declined"
               else "booked on the lender's counter-offer")
        yield Proposal(
            key=f"lending:{lending.id}", category="risk_reduced",
            department_id=lending.borrower_department_id, occurred_on=answered,
            project_id=project.id, evidence_kind="lending", evidence_id=lending.id,
            basis=(f"{project.code}'s request for {lending.fte} FTE {lending.role} "
                   f"({lending.starts} to {lending.ends}) {how} on {answered}: a capacity "
                   "conflict caught before booking"),
            figures={"fte": str(lending.fte), "role": lending.role, "status": lending.status,
                     "starts": lending.starts.isoformat(), "ends": lending.ends.isoformat()})


def _scenarios(session: Session, found: Found) -> Iterator[Proposal]:
    for scenario in repository.committed_scenarios(session):
        if scenario.objective != "benefit":
            found.skipped.append(f"scenario {scenario.name!r}: its value is in score points, "
                                 "not money")
            continue
        candidates = list(selection_repository.candidates(session, scenario.id))
        problem = mapping.build(session, scenario, candidates).problem
        baseline, _ = ranked_value(problem)
        value = float(scenario.result.get("value") or 0)
        gain = Decimal(str(round(value - baseline, 2)))
        if gain <= 0:
            continue
        yield _scenario_proposal(session, scenario, gain, Decimal(str(round(baseline, 2))))


def _scenario_proposal(session: Session, scenario: Any, gain: Decimal,
                       baseline: Decimal) -> Proposal:
    departments = repository.candidate_departments(session, scenario.id)
    selected = [c for c in scenario.result.get("selected", []) if c in departments]
    counts: dict[int, int] = {}
    for candidate in selected:
        counts[departments[candidate]] = counts.get(departments[candidate], 0) + 1
    department = max(sorted(counts), key=lambda d: counts[d]) if counts else min(
        departments.values())
    day = day_of(scenario.committed_at) or date.today()
    total = ", ".join(f"{y}: {money(Decimal(str(v)))}" for y, v in sorted(scenario.budgets.items()))
    return Proposal(
        key=f"scenario:{scenario.id}", category="cost_avoidance", department_id=department,
        occurred_on=day, evidence_kind="scenario", evidence_id=scenario.id, amount=gain,
        basis=(f"Scenario {scenario.name!r} committed on {day}: its selection delivers "
               f"{money(gain)} more benefit than a ranked list ({money(baseline)}) within the "
               f"same budgets ({total})"),
        figures={"optimised_value": str(scenario.result.get("value")),
                 "ranked_value": str(baseline), "gain": str(gain),
                 "budgets": {k: str(v) for k, v in scenario.budgets.items()}})
