"""Named writes of the diagnostics domain: open a round, score items, complete a round."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.db import utcnow
from epmo.diagnostics import evidence, policy, repository
from epmo.diagnostics.instrument import MAX_SCORE, MIN_SCORE, Instrument, get_instrument
from epmo.diagnostics.models import DiagnosticEvidence, DiagnosticRound, DiagnosticScore
from epmo.diagnostics.schemas import RoundCreate, ScoreEntry
from epmo.editing import check_version
from epmo.errors import Conflict, FieldError, Forbidden, Invalid


def instrument_of(found: DiagnosticRound) -> Instrument:
    """The round's instrument; a round whose text no longer matches is refused loudly."""
    instrument = get_instrument(found.instrument_version)
    if instrument is None or instrument.fingerprint != found.instrument_fingerprint:
        raise Conflict(f"Instrument {found.instrument_version} of round {found.id} has changed "
                       "since the round opened; published versions must never change")
    return instrument


def open_round(session: Session, actor: Actor, data: RoundCreate) -> DiagnosticRound:
    """Open a round of an instrument version for the enterprise or one department."""
    policy.require_open(actor)
    instrument = get_instrument(data.instrument_version)
    if instrument is None:
        raise Invalid("Unknown instrument version", [FieldError(
            "instrument_version", f"no published instrument {data.instrument_version!r}")])
    if (data.department_id is not None
            and data.department_id not in repository.department_labels(session)):
        raise Invalid("Unknown department", [FieldError(
            "department_id", f"no department with id {data.department_id}")])
    made = DiagnosticRound(name=data.name, instrument_version=instrument.version,
                           instrument_fingerprint=instrument.fingerprint,
                           department_id=data.department_id, note=data.note,
                           opened_by_id=actor.id or None, status="open")
    session.add(made)
    session.flush()
    return made


def _check_entries(instrument: Instrument, entries: list[ScoreEntry]) -> None:
    errors = []
    seen: set[str] = set()
    for entry in entries:
        item = instrument.item(entry.item_key)
        where = f"scores.{entry.item_key}"
        if item is None:
            errors.append(FieldError(where, f"Item {entry.item_key!r} is not in instrument "
                                            f"{instrument.version}"))
        elif not MIN_SCORE <= entry.score <= MAX_SCORE:
            errors.append(FieldError(where, f"Item {item.key} ({item.statement}): score "
                                            f"{entry.score} is outside 0 to 5"))
        elif entry.item_key in seen:
            errors.append(FieldError(where, f"Item {item.key} is scored twice"))
        seen.add(entry.item_key)
    if errors:
        raise Invalid("Some scores cannot be accepted" if len(errors) > 1 else errors[0].message,
                      errors)


def _lock(session: Session, found: DiagnosticRound) -> None:
    """Read the round afresh under a row lock (PostgreSQL), so a score cannot slip in while
    another worker completes the round; SQLite's writers take turns anyway."""
    session.refresh(found, with_for_update=True)


def _require_unlocked(found: DiagnosticRound) -> None:
    if found.status != "open":
        day = found.completed_at.date().isoformat() if found.completed_at else "earlier"
        raise Conflict(f"Round {found.name!r} was completed on {day}; its scores are locked")


def submit_scores(session: Session, actor: Actor, round_id: int,
                  entries: list[ScoreEntry]) -> list[DiagnosticScore]:
    """Record the actor's scores (each replaces the actor's earlier score of that item)."""
    found = policy.access_round_or_404(session, actor, round_id)
    policy.require_assess(actor, found)
    _lock(session, found)
    if not actor.id:
        raise Forbidden("Scores belong to a signed-in assessor, not to the system")
    _require_unlocked(found)
    _check_entries(instrument_of(found), entries)
    mine = repository.scores_by(session, found.id, actor.id)
    speaks_for = repository.first_department(session, actor.id)
    stored = []
    for entry in entries:
        row = mine.get(entry.item_key) or DiagnosticScore(
            round_id=found.id, item_key=entry.item_key, assessor_id=actor.id,
            assessor_department_id=speaks_for)
        if row.score != entry.score:
            row.score = entry.score
        if row.note != entry.note:
            row.note = entry.note
        session.add(row)
        stored.append(row)
    session.flush()
    return stored


def _stored(round_id: int, department: int | None, figure: evidence.Evidence,
            taken: datetime) -> DiagnosticEvidence:
    return DiagnosticEvidence(
        round_id=round_id, department_id=department, key=figure.key,
        capability=figure.capability, label=figure.label, unit=figure.unit, basis=figure.basis,
        detail=figure.detail, value=None if figure.value is None else Decimal(str(figure.value)),
        period_start=figure.period_start, period_end=figure.period_end, method=figure.method,
        taken_at=taken)


def complete_round(session: Session, actor: Actor, round_id: int, version: int,
                   today: date) -> DiagnosticRound:
    """Lock the round and store the hub's evidence as it stands today."""
    found = policy.access_round_or_404(session, actor, round_id)
    policy.require_open(actor)
    _lock(session, found)
    check_version(found, version)
    _require_unlocked(found)
    instrument_of(found)
    if repository.count_scores(session, found.id) == 0:
        raise Conflict(f"Round {found.name!r} has no scores yet; an empty round cannot be "
                       "completed")
    taken = utcnow()
    found_by: dict[int | None, list[evidence.Evidence]] = {
        None: evidence.measure(session, found.department_id, today)}
    if found.department_id is None:
        for top, figures in evidence.by_department(session, today).items():
            found_by[top] = figures
    for scope, figures in found_by.items():
        for figure in figures:
            session.add(_stored(found.id, scope, figure, taken))
    found.status = "completed"
    found.completed_at = taken
    found.completed_by_id = actor.id or None
    session.flush()
    return found
