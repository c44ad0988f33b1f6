"""A slip moves the demand: when a project's start moves, its role demand moves with it.

A commit-time reaction (``epmo.wiring``) to the batch of ``DatesMoved`` events of a unit of
work, whatever wrote the dates (the project form or API, the register import, a schedule
import). It runs at ``events.settle``, not at flush: a request that moves the start twice
moves the demand once, by the net move, and a write rolled back (or a rolled-back SAVEPOINT)
has its events forgotten, so nothing moves. The move counts from where the demand stands
(``DemandPlaced``: the last write of the demand, or the last shift, in this unit of work),
else from the start before the first move; so demand written after the move, for the new
dates, is not moved again.

The start is the effective one (forecast, else plan), as the network sees it: a plan moved
under a forecast moves nothing. Only the start moves the demand: when only the end moves the
project gets longer or shorter, and how its work spreads over the new length is a planning
decision no rule can guess, so the demand stays where it is (months left past a new end show
on the project page and must be placed again with the next edit). The shift writes through the
ORM (audited like every write) and touches only ``project_demand``: the project's version was
already stepped by the move itself, so the writer's next edit with the version it was given
does not conflict.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy.orm import Session

from epmo import events
from epmo.db import work_of
from epmo.events import DatesMoved
from epmo.portfolio import demand, repository
from epmo.portfolio.demand_window import months_between, shift_lines
from epmo.portfolio.events import DemandPlaced
from epmo.portfolio.models import Project, ProjectDemand
from epmo.sql import chunks


def follow_start(session: Session, batch: Sequence[DatesMoved]) -> None:
    """Before the commit: move the demand of each project whose start moved by as many
    whole calendar months (each month's FTE-months as they are, named lines with their
    person)."""
    moved = list(dict.fromkeys(e.project_id for e in batch if e.milestone_id is None))
    if not moved:
        return
    since = placed_starts(session, set(moved))
    for chunk in chunks(moved, 500):
        projects = repository.projects_by_id(session, chunk)  # removed ones: their demand went
        stored = repository.demand_lines(session, chunk)
        for project in projects.values():
            _follow(session, project, since.get(project.id), stored.get(project.id, []))
        session.flush()


def _follow(session: Session, project: Project, since: date | None,
            rows: list[ProjectDemand]) -> None:
    start = demand.window_of(project).start
    events.record(session, DemandPlaced(project.id, start))
    months = months_between(since, start)
    if months and rows:
        lines = shift_lines(((r.role, r.person_id, r.period, r.fte_months) for r in rows),
                            months)
        demand.write_lines(session, project.id, rows, lines, flush=False)


def placed_starts(session: Session, project_ids: set[int]) -> dict[int, date | None]:
    """The start each project's demand stands for: the last ``DemandPlaced`` of this unit of
    work, else the start before its first move."""
    placed: dict[int, date | None] = {}
    first: dict[int, date | None] = {}
    for event in work_of(session).events:
        if isinstance(event, DemandPlaced) and event.project_id in project_ids:
            placed[event.project_id] = event.start
        elif (isinstance(event, DatesMoved) and event.milestone_id is None
              and event.project_id in project_ids and event.project_id not in first):
            first[event.project_id] = event.old_start
    return first | placed
