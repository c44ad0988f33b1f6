"""The queue placed on the capacity left: a rank-preserving auto-schedule (Meisterplan's way).

Capacity left is the heatmap's: people's FTE per department, role and month, with booked
lendings moved, less the committed demand (running projects, approved requests without a
project). The queue is the proposed projects with role demand (by planned start, then code;
they are in the register already, so they go first) and then the requests still in the
pipeline or told "not yet", by their combined score (best first; unscored last, oldest first).
Each is placed in turn at the earliest month, from the month it wants on, at which every role
it asks of its own department fits in every month it needs; what it takes is gone for those
after it. A request's wanted month is its desired start, its first demand month or this month,
whichever is latest. The engine (``engines.autoschedule``) explains each move.

A request's earliest feasible start, wherever intake shows or records it (the request page,
the API, a not-yet decision), is this queue's answer: ``answer_starts`` fills intake's
``StartsWanted`` (``epmo.wiring``), so the figure moves as capacity does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from epmo.audit.caching import HeadCache, gc_paused
from epmo.engines.autoschedule import Need, Placement, Work, auto_schedule
from epmo.intake.events import StartsWanted
from epmo.resources import months as m
from epmo.resources import repository
from epmo.resources.heatmap import build_sheet
from epmo.resources.repository import role_key
from epmo.resources.schemas import QueueItem, QueueRead
from epmo.resources.supply import Sheet
from epmo.scoring.service import combined_scores

HORIZON_MONTHS = 36
CACHE: HeadCache[QueueRead] = HeadCache(16)  # per worker, see epmo.audit.caching


@dataclass(frozen=True)
class Entry:
    """One queued piece of work before placing."""

    kind: str
    ident: int
    code: str
    title: str
    department_id: int
    score: float | None
    lines: tuple[tuple[str, str, float], ...]  # role, month or quarter, FTE-months
    not_before: date | None


def pool_name(department: str, role: str) -> str:
    """The pool of a department's role, as the explanations name it."""
    return f"{department} · {role}"


def _needs(entry: Entry, department: str, spelling: dict[str, str],
           ) -> tuple[int | None, tuple[Need, ...]]:
    """The first demand month (running number) and the monthly needs from it."""
    monthly: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for role, period, fte_months in entry.lines:
        name = pool_name(department, spelling.get(role_key(role), role))
        months = m.period_months(period)  # a project's month, a request's quarter
        for month in months:
            monthly[name][m.month_index(month)] += fte_months / len(months)
    if not monthly:
        return None, ()
    first = min(i for series in monthly.values() for i in series)
    last = max(i for series in monthly.values() for i in series)
    needs = tuple(Need(pool, tuple(series.get(first + k, 0.0) for k in range(last - first + 1)))
                  for pool, series in sorted(monthly.items()))
    return first, needs


def entries(session: Session) -> list[Entry]:
    """The queue in priority order."""
    found = [Entry("project", p.id, p.code, p.name, p.department_id, None,
                   tuple((d.role, d.period, float(d.fte_months)) for d in lines),
                   p.forecast_start or p.planned_start)
             for p, lines in repository.proposed_projects(session)]
    requests = repository.queued_requests(session)
    demand = repository.request_demand(session, [r.id for r in requests])
    scores = combined_scores(session, [r.id for r in requests])
    ranked = sorted(requests, key=lambda r: (r.id not in scores, -scores.get(r.id, 0.0), r.id))
    found += [Entry("request", r.id, r.code, r.title, r.department_id, scores.get(r.id),
                    tuple((d.role, d.period, float(d.fte_months)) for d in demand.get(r.id, [])),
                    r.desired_start)
              for r in ranked]
    return found


def _work(entry: Entry, rank: int, months: Sequence[str], department: str,
          spelling: dict[str, str]) -> Work | str:
    """The engine's work, or the month it wants when that lies beyond the months planned."""
    first, needs = _needs(entry, department, spelling)
    base = m.month_index(months[0])
    wanted = max(first if first is not None else base, base,
                 m.month_index(m.month_of(entry.not_before)) if entry.not_before else base)
    if wanted - base >= len(months):
        return m.month_name(wanted)
    if first is not None and first < wanted:  # a profile starting in the past starts now
        needs = tuple(Need(n.pool, n.amounts[wanted - first:] or (0.0,)) for n in needs)
    return Work(id=rank, label=entry.code, start=wanted - base, needs=needs)


def plan_queue(session: Session, today: date, months: int = HORIZON_MONTHS,
               scenario_id: int | None = None) -> QueueRead:
    """Place the queue on the capacity left (as it is, or as a what-if scenario would have
    it) and say where each piece of work fits."""
    names = m.months_from(m.month_of(today), months)
    with gc_paused():  # as the heatmap: tens of thousands of small objects, none in cycles
        return CACHE.get(session, (tuple(names), scenario_id), lambda: place(
            session, build_sheet(session, names, scenario_id)))


def answer_starts(session: Session, wanted: StartsWanted) -> None:
    """Fill ``wanted`` with the earliest month the queue (as it is, from this month) gives each
    request it holds; the figure the queue page shows."""
    plan = plan_queue(session, date.today())
    found = {i.id: i.earliest for i in plan.items if i.kind == "request"}
    wanted.starts.update({r: found[r] for r in wanted.request_ids if r in found})


def place(session: Session, sheet: Sheet, queued: list[Entry] | None = None) -> QueueRead:
    """Place the queue (``queued``: read once by a caller placing it on several sheets) on a
    sheet's capacity less its demand, over the sheet's months."""
    names = sheet.months
    departments = {d.id: d.code for d in repository.departments(session).values()}
    capacity = {pool_name(departments.get(k[0], str(k[0])), sheet.spelling.get(k[1], k[1])):
                [c - d for c, d in zip(sheet.capacity(k), sheet.series("demand", k), strict=True)]
                for k in sheet.pools()}
    queue = entries(session) if queued is None else queued
    works = [_work(e, rank, names, departments.get(e.department_id, "?"), sheet.spelling)
             for rank, e in enumerate(queue, start=1)]
    plan = auto_schedule(capacity, [w for w in works if isinstance(w, Work)], names)
    placed = {p.id: p for p in plan.placements}
    items = [_item(e, rank, placed[w.id], names, departments) if isinstance(w, Work)
             else _beyond(e, rank, w, names, departments)
             for rank, (e, w) in enumerate(zip(queue, works, strict=True), start=1)]
    return QueueRead(months=names, items=items)


def _beyond(entry: Entry, rank: int, wanted: str, months: Sequence[str],
            departments: dict[int, str]) -> QueueItem:
    return _queued(entry, rank, departments, wanted=wanted, earliest=None, moved_by=None,
                   reason=f"{entry.code} wants to start in {wanted}, after the "
                          f"{len(months)} months planned ({months[0]} to {months[-1]})")


def _item(entry: Entry, rank: int, placement: Placement, months: Sequence[str],
          departments: dict[int, str]) -> QueueItem:
    reason = placement.reason or ("no role demand given: nothing to wait for"
                                  if not entry.lines else "")
    return _queued(entry, rank, departments, wanted=months[placement.wanted],
                   earliest=None if placement.start is None else months[placement.start],
                   moved_by=placement.moved_by, reason=reason)


def _queued(entry: Entry, rank: int, departments: dict[int, str], **placed: Any) -> QueueItem:
    """The queue item of an entry, with where it was placed (``placed``)."""
    return QueueItem(kind=entry.kind, id=entry.ident, code=entry.code, title=entry.title,
                     department=departments.get(entry.department_id, "?"), rank=rank,
                     score=None if entry.score is None else round(entry.score, 1), **placed)
