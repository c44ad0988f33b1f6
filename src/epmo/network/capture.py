"""Notice date changes from every writer and record them as domain events.

A flush listener (installed by ``epmo.wiring``) records a ``DatesMoved`` event for every
milestone or project whose own dates (forecast, else planned) moved, and ``NodesRemoved`` when
one was deleted; ``events.process_changes`` turns them into change events before the unit of
work commits (``epmo.events.settle``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session, UOWTransaction

from epmo import events
from epmo.db import work_of
from epmo.engines.propagation import Dates
from epmo.events import DatesMoved, NodesRemoved, ReportStored
from epmo.network import nodes
from epmo.portfolio.models import Milestone, Project

MILESTONE_FIELDS = ("forecast_date", "planned_date")
PROJECT_FIELDS = ("forecast_start", "forecast_finish", "planned_start", "planned_finish")


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


def _note_milestone(obj: Milestone) -> DatesMoved | None:
    old, new, field = _values(obj, MILESTONE_FIELDS)
    if not field:
        return None
    before = nodes.milestone_dates(old["forecast_date"], old["planned_date"])
    after = nodes.milestone_dates(new["forecast_date"], new["planned_date"])
    if before == after:
        return None
    return _made(nodes.milestone_node(obj.id), obj.project_id, obj.id, field, before, after)


def _note_project(obj: Project) -> DatesMoved | None:
    old, new, field = _values(obj, PROJECT_FIELDS)
    if not field:
        return None
    before = nodes.project_dates(old["forecast_start"] or old["planned_start"],
                                 old["forecast_finish"] or old["planned_finish"])
    after = nodes.project_dates(new["forecast_start"] or new["planned_start"],
                                new["forecast_finish"] or new["planned_finish"])
    if before == after:
        return None
    starts = (old["forecast_start"] or old["planned_start"],
              new["forecast_start"] or new["planned_start"])
    return _made(nodes.project_node(obj.id), obj.id, None, field, before, after, starts)


def _made(node: int, project_id: int, milestone_id: int | None, field: str, before: Dates,
          after: Dates, starts: tuple[date | None, date | None] = (None, None)) -> DatesMoved:
    """The event with the effective dates of the end that moved (start or finish)."""
    start = field.endswith("_start")
    old, new = (before.start, after.start) if start else (before.finish, after.finish)
    return DatesMoved(node, project_id, milestone_id, field, nodes.to_date(old), nodes.to_date(new),
                      before, after, *starts)


def capture(session: Session, _ctx: UOWTransaction) -> None:
    """After each flush: record the dates that moved and the nodes that went."""
    for obj in list(session.dirty):
        note = (_note_milestone(obj) if isinstance(obj, Milestone)
                else _note_project(obj) if isinstance(obj, Project) else None)
        if note is not None:
            events.record(session, note)
    if any(isinstance(obj, Milestone | Project) for obj in session.deleted):
        events.record(session, NodesRemoved())


def name_report(session: Session, event: ReportStored) -> None:
    """A status report names the source of the change events it causes (unless the writer,
    an import, already did)."""
    work = work_of(session)
    if not work.source:
        work.mark_source("report", f"status report {event.period_start:%Y-%m}")
