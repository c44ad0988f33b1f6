"""Writes of the value ledger: entries, proposals from the hub, confirmation and validation.

The life cycle: ``proposed`` (by the hub's scan or an EPMO administrator), ``confirmed`` by
the EPMO, then for hard savings only ``validated`` by finance (only validated hard savings
count as realised); or ``rejected`` with a reason, by the EPMO before it is counted or by
finance instead of validating. Who and when is kept at each step; every write is audited.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.db import utcnow
from epmo.editing import check_version
from epmo.errors import Conflict, FieldError, Forbidden, Invalid
from epmo.ledger import policy, proposals, repository
from epmo.ledger.models import LedgerEntry, quarter_of
from epmo.ledger.schemas import EntryCreate, EntryDecision, EntryUpdate, ProposalRun
from epmo.portfolio.models import Project


def cents(amount: Decimal | None) -> Decimal | None:
    """A sum as stored: two decimals (None stays None: unknown)."""
    return None if amount is None else amount.quantize(Decimal("0.01"))


def _require_department(session: Session, department_id: int) -> None:
    if department_id not in repository.departments(session):
        raise Invalid("The entry names no department",
                      [FieldError("department_id", f"no department {department_id}")])


def create_entry(session: Session, actor: Actor, data: EntryCreate) -> LedgerEntry:
    """Write an entry by hand (EPMO administrators); it starts proposed."""
    policy.require_keep(actor)
    _require_department(session, data.department_id)
    errors = []
    if data.project_id is not None and session.get(Project, data.project_id) is None:
        errors.append(FieldError("project_id", f"no project {data.project_id}"))
    if data.evidence_kind is not None and data.evidence_id is not None and not (
            repository.evidence_exists(session, data.evidence_kind, data.evidence_id)):
        errors.append(FieldError("evidence_id", f"no {data.evidence_kind.replace('_', ' ')} "
                                                f"{data.evidence_id} in the hub"))
    if errors:
        raise Invalid("The entry's references are unknown; nothing was written", errors)
    entry = LedgerEntry(
        category=data.category, amount=cents(data.amount), days=data.days,
        department_id=data.department_id, project_id=data.project_id,
        occurred_on=data.occurred_on, quarter=quarter_of(data.occurred_on),
        description=data.description, source="manual", evidence_kind=data.evidence_kind,
        evidence_id=data.evidence_id, links=list(data.links), status="proposed",
        proposed_by_id=actor.id or None)
    session.add(entry)
    session.flush()
    return entry


def update_entry(session: Session, actor: Actor, entry_id: int,
                 data: EntryUpdate) -> LedgerEntry:
    """Correct a proposed entry before it is confirmed (EPMO administrators)."""
    entry = policy.access_entry_or_404(session, actor, entry_id)
    policy.require_keep(actor)
    check_version(entry, data.version)
    if entry.status != "proposed":
        raise Conflict(f"A {entry.status} entry is no longer corrected; reject it and write "
                       "a new one")
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    if changes.get("department_id") is not None:
        _require_department(session, changes["department_id"])
    for name, value in changes.items():
        if value is not None or name in ("amount", "days"):
            setattr(entry, name, value)
    if entry.category != "risk_reduced" and entry.amount is None and entry.days is None:
        raise Invalid("The entry needs a figure",
                      [FieldError("amount", "give an amount, a number of days, or both")])
    entry.quarter = quarter_of(entry.occurred_on)
    entry.amount = cents(entry.amount)
    session.flush()
    return entry


def decide_entry(session: Session, actor: Actor, entry_id: int,
                 data: EntryDecision) -> LedgerEntry:
    """Confirm, validate or reject an entry, as the actor's part allows."""
    entry = policy.access_entry_or_404(session, actor, entry_id)
    _require_action(session, actor, entry, data.action)
    check_version(entry, data.version)
    now, who = utcnow(), actor.id or None
    if data.action == "confirm":
        entry.status, entry.confirmed_by_id, entry.confirmed_at = "confirmed", who, now
    elif data.action == "validate":
        entry.status, entry.validated_by_id, entry.validated_at = "validated", who, now
    else:
        if not data.reason.strip():
            raise Invalid("Say why the entry is rejected",
                          [FieldError("reason", "a rejection needs a reason")])
        entry.status, entry.rejected_by_id, entry.rejected_at = "rejected", who, now
        entry.rejection_reason = data.reason
    session.flush()
    return entry


def _require_action(session: Session, actor: Actor, entry: LedgerEntry, action: str) -> None:
    if action in policy.actions(session, actor, entry):
        return
    if action == "validate" and entry.status == "confirmed" and entry.category == "hard_saving":
        raise Forbidden(policy.validation_refusal(session, actor, entry))
    if action == "validate" and entry.category != "hard_saving":
        raise Conflict("Only hard savings are validated by finance; this entry counts once "
                       "confirmed")
    if entry.status in ("validated", "rejected") or (
            action == "confirm" and entry.status != "proposed"):
        raise Conflict(f"A {entry.status} entry cannot be given {action!r}")
    raise Forbidden("The value ledger is kept by EPMO administrators; finance validates "
                    "hard savings")


def propose(session: Session, actor: Actor) -> ProposalRun:
    """Propose an entry for every hub event no entry names yet (idempotent)."""
    policy.require_keep(actor)
    found = proposals.scan(session)
    by_source: dict[str, int] = dict.fromkeys(proposals.SOURCES, 0)
    for item in found.proposals:
        session.add(LedgerEntry(
            category=item.category, amount=item.amount, days=item.days,
            department_id=item.department_id, project_id=item.project_id,
            occurred_on=item.occurred_on, quarter=quarter_of(item.occurred_on),
            description=item.basis, source="hub", evidence_kind=item.evidence_kind,
            evidence_id=item.evidence_id, evidence_key=item.key, figures=item.figures,
            basis=item.basis, links=item.links, status="proposed",
            proposed_by_id=actor.id or None))
        by_source[item.evidence_kind] += 1
    session.flush()
    return ProposalRun(proposed=len(found.proposals), by_source=by_source,
                       skipped=found.skipped)
