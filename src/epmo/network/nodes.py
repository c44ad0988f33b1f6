"""Engine node ids of dependency ends, and the engine dates of rows' own dates."""

from __future__ import annotations

from datetime import date
from typing import Literal

from epmo.engines.propagation import Dates

NodeKind = Literal["milestone", "project"]
NO_DAY = 1  # the engine's day for a node without any date: it never holds anything back


def milestone_node(milestone_id: int) -> int:
    """Engine node of a milestone."""
    return 2 * milestone_id


def project_node(project_id: int) -> int:
    """Engine node of a project (its start and finish)."""
    return 2 * project_id + 1


def node_of(kind: str, ident: int) -> int:
    """Engine node of a milestone or project end."""
    return milestone_node(ident) if kind == "milestone" else project_node(ident)


def split(node: int) -> tuple[NodeKind, int]:
    """The kind and row id of an engine node."""
    return ("project", node // 2) if node % 2 else ("milestone", node // 2)


def label(node: int) -> str:
    """A short name of a node for messages: ``M12`` or ``P3``."""
    kind, ident = split(node)
    return f"{'P' if kind == 'project' else 'M'}{ident}"


def day(value: date | None) -> int:
    """A date as an engine day (NO_DAY when there is none)."""
    return value.toordinal() if value is not None else NO_DAY


def to_date(day_number: int) -> date | None:
    """An engine day as a date; None for NO_DAY-based days before year 2."""
    return date.fromordinal(day_number) if day_number > 366 else None


def milestone_dates(forecast: date | None, planned: date | None) -> Dates:
    """A milestone's own engine dates: its forecast, else its planned date."""
    d = day(forecast or planned)
    return Dates(d, d)


def project_dates(start: date | None, finish: date | None) -> Dates:
    """A project's own engine dates; one missing end takes the other's day."""
    s, f = day(start or finish), day(finish or start)
    return Dates(s, max(s, f))
