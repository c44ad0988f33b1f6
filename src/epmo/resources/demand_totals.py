"""The kept committed demand (``resource_demand_total``): per department, role and period (a
month for projects' demand, a quarter for approved requests').

The heatmap, the queue, the what-if comparison and the capacity left read these totals
instead of summing every running project's demand lines each time (230,000 lines in a large
enterprise's year). This module keeps them equal to the lines, as ``epmo.wiring`` connects it
and as ``reporting.health_store`` keeps the derived colours: a flush listener (``capture``)
notes, whatever wrote them (grids, API, imports, the intake's copy at approval, the demand
shift of a slip), the demand lines written and the projects and requests whose department,
stage or link changed or that were deleted, as ``DemandInputsChanged``; before the commit
``refresh_changed`` sums the lines of the departments named again, in one batch (a
department's totals are dropped and stored anew: a few thousand lines at most). Rows written
behind epmo's back (raw SQL, the demo's bulk load) need ``refresh_all`` (``epmo resources
refresh-demand``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import inspect
from sqlalchemy.orm import Session, UOWTransaction

from epmo import events
from epmo.intake.models import IntakeRequest, RequestDemand
from epmo.portfolio.models import Project, ProjectDemand
from epmo.resources import repository_totals as repository
from epmo.resources.events import DemandInputsChanged

CHUNK = 500  # departments per refresh statement
LINE_INPUTS = ("role", "period", "fte_months")
PROJECT_INPUTS = ("department_id", "stage")
REQUEST_INPUTS = ("department_id", "stage", "project_id")


def _values(obj: object, name: str) -> set[int] | None:
    """An attribute's value before and after the flush (None: not loaded, unknown)."""
    history = inspect(obj).attrs[name].history
    found = {*history.added, *history.unchanged, *history.deleted} - {None}
    return found if found or history.deleted else None


def _written(obj: object, names: Sequence[str]) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _moved(obj: object) -> bool:
    """A project's department or stage, or a request's department, stage or project, was
    written."""
    if isinstance(obj, Project):
        return _written(obj, PROJECT_INPUTS)
    return isinstance(obj, IntakeRequest) and _written(obj, REQUEST_INPUTS)


class _Noted:
    """What one flush wrote that the totals are summed from."""

    def __init__(self) -> None:
        self.departments: set[int] = set()
        self.projects: set[int] = set()
        self.requests: set[int] = set()
        self.orphans = False
        self.unknown = False

    def add(self, into: set[int], obj: object, name: str) -> None:
        values = _values(obj, name)
        if values is None:
            self.unknown = True  # a deleted row never loaded: sum everything again
        else:
            into |= values

    def event(self) -> DemandInputsChanged | None:
        if self.unknown:
            return DemandInputsChanged(everything=True)
        if not (self.departments or self.projects or self.requests):
            return None
        return DemandInputsChanged(tuple(sorted(self.departments)), tuple(sorted(self.projects)),
                                   tuple(sorted(self.requests)), self.orphans)


def capture(session: Session, _ctx: UOWTransaction) -> None:
    """After each flush: note the departments whose committed demand may have changed."""
    noted = _Noted()
    for obj in (*session.new, *session.deleted):
        if isinstance(obj, ProjectDemand):
            noted.add(noted.projects, obj, "project_id")
        elif isinstance(obj, RequestDemand):
            noted.add(noted.requests, obj, "request_id")
    for obj in session.dirty:
        if isinstance(obj, ProjectDemand) and _written(obj, (*LINE_INPUTS, "project_id")):
            noted.add(noted.projects, obj, "project_id")
        elif isinstance(obj, RequestDemand) and _written(obj, (*LINE_INPUTS, "request_id")):
            noted.add(noted.requests, obj, "request_id")
        elif _moved(obj):
            noted.add(noted.departments, obj, "department_id")
    for obj in session.deleted:
        if isinstance(obj, (Project, IntakeRequest)):
            noted.add(noted.departments, obj, "department_id")
            noted.orphans |= isinstance(obj, Project)
    event = noted.event()
    if event is not None:
        events.record(session, event)


def refresh_changed(session: Session, batch: Sequence[DemandInputsChanged]) -> None:
    """Before the commit: sum the committed demand of the departments the batch names again."""
    if any(event.everything for event in batch):
        refresh_all(session)
        return
    session.flush()  # the sums read the lines as the session left them
    departments = {d for event in batch for d in event.department_ids}
    departments |= repository.departments_of_projects(
        session, {i for event in batch for i in event.project_ids})
    departments |= repository.departments_of_requests(
        session, {i for event in batch for i in event.request_ids})
    if any(event.orphans for event in batch):
        departments |= repository.departments_with_approved_requests(session)
    refresh_departments(session, departments)


def refresh_departments(session: Session, departments: Iterable[int]) -> None:
    """Store the committed demand of these departments summed from their lines."""
    ids = sorted(set(departments))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        repository.lock_departments(session, chunk)
        repository.replace_totals(session, chunk, repository.line_totals(session, chunk))


def refresh_all(session: Session) -> None:
    """Store every department's committed demand summed from the lines."""
    session.flush()
    repository.replace_totals(session, None, repository.line_totals(session))
