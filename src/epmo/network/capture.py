"""Catch forecast changes from every source and turn them into change events.

A session listener notes, at each flush, every milestone or project whose own dates (forecast,
else planned) moved; ``events.process_changes`` turns the notes into change events. Routes
that want the event back (the milestone PATCH) call it themselves; a before-commit hook
processes whatever is left (status reports, imports, forms) in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, UOWTransaction

from epmo.engines.propagation import Dates
from epmo.network import nodes
from epmo.portfolio.models import Milestone, Project
from epmo.reporting.models import StatusReport

NOTES = "network_notes"
STALE = "network_links_stale"
SOURCE = "network_source"
MILESTONE_FIELDS = ("forecast_date", "planned_date")
PROJECT_FIELDS = ("forecast_start", "forecast_finish", "planned_start", "planned_finish")


@dataclass(frozen=True, slots=True)
class Note:
    """One noted change of a node's own dates (the dates are the effective ones: a forecast,
    else the plan)."""

    node: int
    project_id: int
    milestone_id: int | None
    field: str
    old_date: date | None
    new_date: date | None
    old: Dates
    new: Dates


def mark_source(session: Session, source: str, reason: str) -> None:
    """Say where this transaction's date changes come from (``import``, ``report``...)."""
    session.info[SOURCE] = (source, reason)


def _values(obj: Any, fields: tuple[str, ...]) -> tuple[dict[str, Any], dict[str, Any], str]:
    """Old and new values of ``fields`` and the first one that changed ("" if none)."""
    state = inspect(obj)
    old, new, first = {}, {}, ""
    for name in fields:
        hist = state.attrs[name].history
        new[name] = getattr(obj, name)
        old[name] = hist.deleted[0] if hist.has_changes() and hist.deleted else new[name]
        if hist.has_changes() and old[name] != new[name] and not first:
            first = name
    return old, new, first


def _note_milestone(obj: Milestone) -> Note | None:
    old, new, field = _values(obj, MILESTONE_FIELDS)
    if not field:
        return None
    before = nodes.milestone_dates(old["forecast_date"], old["planned_date"])
    after = nodes.milestone_dates(new["forecast_date"], new["planned_date"])
    if before == after:
        return None
    return _made(nodes.milestone_node(obj.id), obj.project_id, obj.id, field, before, after)


def _note_project(obj: Project) -> Note | None:
    old, new, field = _values(obj, PROJECT_FIELDS)
    if not field:
        return None
    before = nodes.project_dates(old["forecast_start"] or old["planned_start"],
                                 old["forecast_finish"] or old["planned_finish"])
    after = nodes.project_dates(new["forecast_start"] or new["planned_start"],
                                new["forecast_finish"] or new["planned_finish"])
    if before == after:
        return None
    return _made(nodes.project_node(obj.id), obj.id, None, field, before, after)


def _made(node: int, project_id: int, milestone_id: int | None, field: str, before: Dates,
          after: Dates) -> Note:
    """A note with the effective dates of the end that moved (start or finish)."""
    start = field.endswith("_start")
    old, new = (before.start, after.start) if start else (before.finish, after.finish)
    return Note(node, project_id, milestone_id, field, nodes.to_date(old), nodes.to_date(new),
                before, after)


def _capture(session: Session, _ctx: UOWTransaction) -> None:
    notes: list[Note] = session.info.setdefault(NOTES, [])
    for obj in session.dirty:
        note = (_note_milestone(obj) if isinstance(obj, Milestone)
                else _note_project(obj) if isinstance(obj, Project) else None)
        if note is not None:
            notes.append(note)
    if any(isinstance(obj, Milestone | Project) for obj in session.deleted):
        session.info[STALE] = True
    if SOURCE not in session.info:
        report = next((o for o in session.new if isinstance(o, StatusReport)), None)
        if report is not None:
            session.info[SOURCE] = ("report", f"status report {report.period_start:%Y-%m}")


def _before_commit(session: Session) -> None:
    from epmo.network import events

    if session.info.get(NOTES) or session.info.get(STALE):
        session.flush()
        events.process_changes(session)
    session.info.pop(SOURCE, None)


def _forget(session: Session, _previous: Any) -> None:
    for key in (NOTES, STALE, SOURCE):
        session.info.pop(key, None)


def install() -> None:
    """Attach the listeners to every session (idempotent); runs before the audit chaining so
    the events' own rows are audited too."""
    if not event.contains(Session, "after_flush", _capture):
        event.listen(Session, "after_flush", _capture)
        event.listen(Session, "before_commit", _before_commit, insert=True)
        event.listen(Session, "after_soft_rollback", _forget)


install()
