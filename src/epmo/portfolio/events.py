"""The portfolio's domain events: a project write about to happen, a node about to go.

Reactions are wired in ``epmo.wiring``: the tier rules and the charter's enforcement react to
``ProjectProposed``, the network to ``ProjectRemoving``. The portfolio does not know them.
``DemandPlaced`` marks where a project's demand stands, for the demand shift.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from epmo.auth.policy import Actor
from epmo.events import DomainEvent
from epmo.portfolio.models import KEPT_BY_DATABASE, Project

_WRITTEN = [c for c in Project.__table__.columns if c.key not in KEPT_BY_DATABASE]
COLUMNS = tuple(c.key for c in _WRITTEN)
NEW_PROJECT: dict[str, Any] = {
    c.key: c.default.arg if c.default is not None and c.default.is_scalar else None
    for c in _WRITTEN}


def columns_of(project: Project) -> dict[str, Any]:
    """Every column of a stored project."""
    return {name: getattr(project, name) for name in COLUMNS}


def new_project(values: Mapping[str, Any]) -> dict[str, Any]:
    """A new project's columns: ``values`` over the defaults its INSERT would give."""
    return NEW_PROJECT | {k: v for k, v in values.items() if v is not None or k not in NEW_PROJECT}


@dataclass(frozen=True, slots=True)
class ProjectProposed(DomainEvent):
    """A project create, update or stage change about to be written.

    ``values`` holds every column as the write would leave it; reactions complete it (the
    tier the tier rules give) before others judge it (the charter may refuse by raising).
    ``before`` is the stored row (None: a new project); ``touched`` the fields the write sends.
    """

    actor: Actor
    values: dict[str, Any]
    before: Project | None = None
    touched: frozenset[str] = field(default_factory=frozenset)
    from_intake: bool = False


@dataclass(frozen=True, slots=True)
class ProjectRemoving(DomainEvent):
    """A project (``milestone_id`` None) or one of its milestones is about to be deleted."""

    project_id: int
    milestone_id: int | None = None


@dataclass(frozen=True, slots=True)
class DemandPlaced(DomainEvent):
    """The project's role demand now stands for its effective ``start``: a writer stated it,
    or it was moved with the start (``portfolio.demand_shift``); later start moves count
    from here."""

    project_id: int
    start: date | None
