"""The resources domain's own events."""

from __future__ import annotations

from dataclasses import dataclass

from epmo.events import DomainEvent


@dataclass(frozen=True, slots=True)
class DemandInputsChanged(DomainEvent):
    """What the committed demand of some departments is summed from was written: demand
    lines of projects or requests (``project_ids`` / ``request_ids``: their departments, as
    they are at the commit), or a project's or request's department, stage or link
    (``department_ids``: the departments before and after). ``orphans``: a project was
    deleted, which the database answers by unlinking its request. ``everything``: a deleted
    row's department was not loaded, every department is summed again."""

    department_ids: tuple[int, ...] = ()
    project_ids: tuple[int, ...] = ()
    request_ids: tuple[int, ...] = ()
    orphans: bool = False
    everything: bool = False
