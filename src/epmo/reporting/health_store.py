"""The stored derived colour (``derived_health``) of projects and status reports.

``reporting.health`` holds the rule; this module keeps the stored colours equal to it. Call
``refresh_projects`` after any write that changes what a colour is derived from: a status
report stored or changed, a project's dates, budgets or tier, and ``refresh_all`` after a
contract's RAG thresholds change, tiers are reclassified, or a bulk load. The charter's
``health_basis`` and authority are not stored: the colour that counts is chosen when read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from epmo.engines.rag import Thresholds
from epmo.portfolio.models import Project
from epmo.reporting import repository
from epmo.reporting.health import Columns, derived_colour, load_thresholds
from epmo.reporting.models import StatusReport

CHUNK = 500  # project ids per UPDATE: well under every database's bound-parameter limit


def refresh_projects(session: Session, project_ids: Iterable[int]) -> None:
    """Recompute and store the derived colour of these projects and of their reports."""
    ids = sorted(set(project_ids))
    if not ids:
        return
    session.flush()  # the UPDATEs read the columns as the session left them
    project_colour, report_colour = colours(load_thresholds(session))
    for start in range(0, len(ids), CHUNK):
        repository.store_derived_health(session, project_colour, report_colour,
                                        ids[start:start + CHUNK])
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
