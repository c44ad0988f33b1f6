"""The stored derived colour (``derived_health``) of projects and status reports.

``reporting.health`` holds the rule; this module keeps the stored colours equal to it, as
``epmo.wiring`` connects it: a flush listener (``capture``) notes every project and status
report whose inputs were written (whatever wrote them: forms, API, imports, reports) as
``HealthInputsChanged``, and before the commit ``refresh_changed`` recomputes those projects
in one batch; a contract's thresholds changed (``ThresholdsChanged``) recomputes everything,
tiers reclassified in bulk (``TiersChanged``) the projects moved. Bulk loads past the ORM (the
demo) call ``refresh_all``. The charter's ``health_basis`` and authority are not stored: the
colour that counts is chosen when read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, inspect
from sqlalchemy.orm import Session, UOWTransaction

from epmo import events
from epmo.contracts.events import ThresholdsChanged, TiersChanged
from epmo.engines.rag import Thresholds
from epmo.portfolio.models import Project
from epmo.reporting import repository
from epmo.reporting.events import HealthInputsChanged
from epmo.reporting.health import Columns, derived_colour, load_thresholds
from epmo.reporting.models import StatusReport
from epmo.sql import chunks

PROJECT_INPUTS = ("tier", "baseline_finish", "forecast_finish", "budget_planned",
                  "budget_forecast")
REPORT_INPUTS = ("forecast_finish", "forecast_cost", "project_id")


def _written(obj: object, names: tuple[str, ...]) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def capture(session: Session, _ctx: UOWTransaction) -> None:
    """After each flush: note the projects whose derived colour may have changed."""
    ids = {obj.id for obj in session.new if isinstance(obj, Project)}
    ids |= {obj.project_id for obj in session.new if isinstance(obj, StatusReport)}
    ids |= {obj.id for obj in session.dirty
            if isinstance(obj, Project) and _written(obj, PROJECT_INPUTS)}
    ids |= {obj.project_id for obj in session.dirty
            if isinstance(obj, StatusReport) and _written(obj, REPORT_INPUTS)}
    if ids:
        events.record(session, HealthInputsChanged(tuple(sorted(ids))))


def refresh_changed(session: Session,
                    batch: Sequence[HealthInputsChanged | TiersChanged]) -> None:
    """Before the commit: recompute the colours of the projects the batch names."""
    refresh_projects(session, {i for event in batch for i in event.project_ids})


def refresh_everything(session: Session, _batch: Sequence[ThresholdsChanged]) -> None:
    """Before the commit: a contract's thresholds changed, every colour may have."""
    refresh_all(session)


def refresh_projects(session: Session, project_ids: Iterable[int]) -> None:
    """Recompute and store the derived colour of these projects and of their reports."""
    ids = sorted(set(project_ids))
    if not ids:
        return
    session.flush()  # the UPDATEs read the columns as the session left them
    project_colour, report_colour = colours(load_thresholds(session))
    for chunk in chunks(ids):
        repository.store_derived_health(session, project_colour, report_colour, chunk)
    _expire(session, set(ids))


def refresh_all(session: Session) -> None:
    """Recompute and store the derived colour of every project and status report."""
    session.flush()
    project_colour, report_colour = colours(load_thresholds(session))
    repository.store_derived_health(session, project_colour, report_colour, None)
    _expire(session, None)


def colours(thresholds: Mapping[int, Thresholds]
            ) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    """The derived colour of a project, and of a status report with its project, as SQL."""
    return _colours(tuple(sorted(thresholds.items())))


@lru_cache(maxsize=8)
def _colours(thresholds: tuple[tuple[int, Thresholds], ...]
             ) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    """Built once per set of thresholds: building the expressions costs more than running
    the UPDATEs for one project."""
    rule = dict(thresholds)
    own = Columns(tier=Project.tier, baseline_finish=Project.baseline_finish,
                  forecast_finish=Project.forecast_finish,
                  baseline_budget=Project.budget_planned, forecast_cost=Project.budget_forecast)
    reported = Columns(tier=Project.tier, baseline_finish=Project.baseline_finish,
                       forecast_finish=StatusReport.forecast_finish,
                       baseline_budget=Project.budget_planned,
                       forecast_cost=StatusReport.forecast_cost)
    return derived_colour(rule, own), derived_colour(rule, reported)


def _expire(session: Session, project_ids: set[int] | None) -> None:
    """Loaded projects and reports read their stored colour again when next used."""
    for obj in list(session.identity_map.values()):
        owner = (obj.id if isinstance(obj, Project)
                 else obj.project_id if isinstance(obj, StatusReport) else None)
        if owner is not None and (project_ids is None or owner in project_ids):
            session.expire(obj, ["derived_health"])
