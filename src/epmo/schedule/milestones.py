"""Milestones from the schedule: flagged (or chosen) activities feed project milestones.

An activity tied to a milestone keeps it across re-imports (by the file's uid); when the
activity's date moves, the milestone's forecast moves through the portfolio's own service, so
the network records the change event with the file as its source, exactly like a form edit.
A tie whose activity left the file is kept as a plain milestone (other departments may
depend on it) and the import says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.portfolio import service as portfolio
from epmo.portfolio.schemas import MilestoneCreate, MilestoneUpdate
from epmo.schedule import repository


@dataclass
class Outcome:
    """Milestone ties after an import and what changed."""

    ties: dict[str, int] = field(default_factory=dict)
    created: int = 0
    moved: int = 0
    warnings: list[str] = field(default_factory=list)


def _day(value: datetime | None) -> date | None:
    return value.date() if value else None


def due_of(row: Mapping[str, Any]) -> date | None:
    """The date an activity gives its milestone: the file's finish, else the hub's early finish."""
    return _day(row["finish"]) or _day(row["early_finish"])


def _create(session: Session, actor: Actor, project_id: int, row: Mapping[str, Any]) -> int:
    data = MilestoneCreate(
        name=row["name"][:200] or row["code"], status=_status(row),
        description=f"From the project schedule (activity {row['code']}).",
        planned_date=_day(row["baseline_finish"]) or due_of(row),
        baseline_date=_day(row["baseline_finish"]), forecast_date=due_of(row),
        actual_date=_day(row["actual_finish"]))
    return portfolio.create_milestone(session, actor, project_id, data).id


def _status(row: Mapping[str, Any]) -> str:
    if row["actual_finish"]:
        return "achieved"
    return "in_progress" if row["actual_start"] else "planned"


def sync(session: Session, actor: Actor, project_id: int, rows: Iterable[Mapping[str, Any]],
         ties: Mapping[str, int], reason: str) -> Outcome:
    """Create milestones for newly flagged activities, move tied ones whose date moved."""
    rows = list(rows)
    known = repository.milestones_by_id(session, sorted(set(ties.values())))
    out = Outcome()
    for row in rows:
        tied = known.get(ties.get(row["uid"], 0))
        if tied is not None:
            out.ties[row["uid"]] = tied.id
            out.moved += _move(session, actor, tied, row, reason)
        elif row["milestone"] and not row["summary"]:
            out.ties[row["uid"]] = _create(session, actor, project_id, row)
            out.created += 1
    seen = {row["uid"] for row in rows}
    out.warnings += [f"Activity {uid} left the schedule; its milestone {known[m].name!r} is kept."
                     for uid, m in ties.items() if uid not in seen and m in known]
    return out


def _move(session: Session, actor: Actor, milestone: Any, row: Mapping[str, Any],
          reason: str) -> int:
    due, done = due_of(row), _day(row["actual_finish"])
    if (milestone.forecast_date, milestone.actual_date) == (due, done) or due is None:
        return 0
    data = MilestoneUpdate(version=milestone.version, forecast_date=due, actual_date=done,
                           change_reason=reason)
    portfolio.update_milestone(session, actor, milestone.project_id, milestone.id, data)
    return 1


def choose(session: Session, actor: Actor, project_id: int,
           rows: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """Tie chosen activities (not yet tied) to new milestones; their uid -> milestone id."""
    return {row["uid"]: _create(session, actor, project_id, row) for row in rows
            if not row.get("milestone_id")}
