"""Domain events: what a unit of work did, as plain dataclasses, and who reacts to them.

A service records an event with ``record(session, event)``; it joins the unit of work's
``events``. Reactions are registered in one place, ``epmo.wiring``, in two phases:

- ``now``: runs inside ``record``, in registration order. A reaction may refuse the write by
  raising (the charter's enforcement) or complete it (the tier a project's fields give).
- ``commit``: runs once for the batch of events of its kind recorded since the last time,
  at ``settle(session)``, which the unit of work calls before it commits (a route that
  wants the effects in its response calls it earlier). Change propagation is one: a batch of
  moved dates is propagated together.

Events that every layer records or reads live here; events that carry a domain's own objects
live in that domain's ``events.py`` module.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from epmo.db import work_of
from epmo.engines.propagation import Dates
from epmo.schema_kit import ChangeCaused


@dataclass(frozen=True, slots=True)
class DomainEvent:
    """Something that happened in a unit of work."""


@dataclass(frozen=True, slots=True)
class NodeEvent(DomainEvent):
    """Something happened to the network's nodes (milestones and projects)."""


@dataclass(frozen=True, slots=True)
class DatesMoved(NodeEvent):
    """A milestone's or project's own dates moved (the dates are the effective ones: a
    forecast, else the plan); noted at flush from any writer. ``old_start``/``new_start``: a
    project's effective start before and after (None where it has none; ``old``/``new`` give
    a missing end the other end's day), whichever end moved."""

    node: int
    project_id: int
    milestone_id: int | None
    field: str
    old_date: date | None
    new_date: date | None
    old: Dates
    new: Dates
    old_start: date | None = None
    new_start: date | None = None


@dataclass(frozen=True, slots=True)
class NodesRemoved(NodeEvent):
    """Milestones or projects were deleted (and the dependencies on them with them)."""


@dataclass(frozen=True, slots=True)
class ReportStored(DomainEvent):
    """A status report was stored for a project's period."""

    report_id: int
    project_id: int
    period_start: date


@dataclass(frozen=True, slots=True)
class ChangeRecorded(DomainEvent):
    """A change event was stored: dates moved and the ripple was told to its owners."""

    change_event_id: int
    project_id: int
    milestone_id: int | None
    field: str
    old_date: date | None
    new_date: date | None
    delta_days: int
    moved: int
    max_slip: int


E = TypeVar("E", bound=DomainEvent)
Now = Callable[[Session, Any], None]
Batch = Callable[[Session, Sequence[Any]], None]


class Reactions:
    """Who reacts to which event; filled once by ``epmo.wiring.install``."""

    def __init__(self) -> None:
        self.now: dict[type[DomainEvent], list[Now]] = {}
        self.commit: list[tuple[type[DomainEvent], Batch]] = []
        self.installed = False

    def on(self, kind: type[E], reaction: Callable[[Session, E], None]) -> None:
        """React to each ``kind`` event as it is recorded."""
        self.now.setdefault(kind, []).append(reaction)

    def on_commit(self, kind: type[E], reaction: Callable[[Session, Sequence[E]], None]) -> None:
        """React to the batch of ``kind`` events of a unit of work before it commits."""
        self.commit.append((kind, reaction))

    def clear(self) -> None:
        """Forget every reaction (``wiring.install`` starts from here)."""
        self.now.clear()
        self.commit.clear()
        self.installed = False


REACTIONS = Reactions()


def record(session: Session, event: DomainEvent) -> None:
    """Add ``event`` to the unit of work and run its immediate reactions."""
    if not REACTIONS.installed:
        raise RuntimeError("epmo.wiring.install() was not called: nothing would react")
    work_of(session).events.append(event)
    for reaction in REACTIONS.now.get(type(event), ()):
        reaction(session, event)


def settle(session: Session) -> None:
    """Run the commit-time reactions of the events recorded since the last settle.

    A reaction may record events of its own (a change event stored); they settle in the
    next round, so the loop ends when a round records nothing new.
    """
    work = work_of(session)
    while work.settled < len(work.events):
        batch, work.settled = work.events[work.settled:], len(work.events)
        for kind, reaction in REACTIONS.commit:
            found = [event for event in batch if isinstance(event, kind)]
            if found:
                reaction(session, found)


def of(session: Session, kind: type[E]) -> list[E]:
    """The events of ``kind`` this unit of work recorded so far."""
    return [event for event in work_of(session).events if isinstance(event, kind)]


def changes_caused(session: Session) -> list[ChangeCaused]:
    """Settle the unit of work now and list the change events it caused (for a response)."""
    settle(session)
    return [ChangeCaused(id=e.change_event_id, **{k: v for k, v in asdict(e).items()
                                                 if k != "change_event_id"})
            for e in of(session, ChangeRecorded)]
