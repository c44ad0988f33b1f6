"""Change events: noted date changes propagated, their impacts stored, their owners told."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from epmo import events
from epmo.audit import service as audit
from epmo.auth.policy import Actor
from epmo.db import utcnow, work_of
from epmo.engines.propagation import Impact, Shift, State, apply, compare, propagate
from epmo.events import ChangeRecorded, DatesMoved, NodeEvent, NodesRemoved
from epmo.network import cache, derived, nodes, repository
from epmo.network.models import ChangeEvent, ChangeResponse
from epmo.network.repository import NodeInfo
from epmo.notifications.publishing import publish

PATH_LIMIT = 60  # nodes of a stored path: the source and the last hops before the node
TARGET_LIMIT = 100  # projects named as targets of one notification event
LINK_SOURCE = "dependency"  # the source of events a dependency write makes

ImpactRow = dict[str, Any]  # a change_impact row's values, written in bulk


@dataclass(frozen=True, slots=True)
class Origin:
    """Who made the changes, through which source and why."""

    actor_id: int | None
    actor_label: str
    source: str
    reason: str


def _origin(session: Session, actor: Actor | None, source: str | None = None,
            reason: str | None = None) -> Origin:
    work = work_of(session)
    source = source or work.source or "form"
    reason = reason or work.reason or source
    if actor is not None:
        return Origin(actor.id or None, actor.label, source, reason)
    return Origin(work.actor_id, work.actor_label, source, reason)


def process_changes(session: Session, batch: Sequence[NodeEvent]) -> None:
    """Turn a unit of work's moved dates into change events (the reaction to ``DatesMoved``
    and ``NodesRemoved`` at ``events.settle``; flushes, never commits)."""
    notes = [event for event in batch if isinstance(event, DatesMoved)]
    if repository.head(session) is None:
        return  # no dependency was ever written: there is no network to move
    if any(isinstance(event, NodesRemoved) for event in batch):
        derived.refresh(session)  # a deleted milestone or project took its links with it
    loaded = cache.network_for(session)
    relevant = [n for n in notes if n.node in loaded.network.index]
    if not relevant:
        return
    cache.ensure_head(session, lock=True)  # one worker at a time moves the implied dates
    first: dict[int, DatesMoved] = {}
    for note in relevant:
        first.setdefault(note.node, note)
    state = cache.state_for(session, loaded, {node: n.old for node, n in first.items()})
    origin = _origin(session, None)
    touched: set[int] = set()
    for note in relevant:
        impact = propagate(loaded.network, state, {note.node: note.new})
        state = apply(state, impact)
        record_event(session, origin, note, impact)
        # The moved node is often among the shifts too (its own implied dates move): a set,
        # so each node's row is written once, from the final state.
        touched.update((note.node, *impact.shifts))
    derived.write_implied(session, state, touched)
    cache.store(session, loaded, state)


def settle_changes(session: Session, source: str, reason: str) -> list[ChangeEvent]:
    """Name the source of this unit of work's date changes, propagate them now (not at the
    commit) and return the change events they made."""
    work_of(session).mark_source(source, reason)
    known = len(events.of(session, ChangeRecorded))
    events.settle(session)
    made = events.of(session, ChangeRecorded)[known:]
    return [row for e in made if (row := session.get(ChangeEvent, e.change_event_id))]


def record_event(session: Session, origin: Origin, note: DatesMoved,
                 impact: Impact) -> ChangeEvent:
    """Store one change event with its impacts and pending responses, and publish it."""
    delta = ((note.new_date - note.old_date).days
             if note.new_date is not None and note.old_date is not None else 0)
    event = _event(origin, note.project_id, note.milestone_id, note.field, note.old_date,
                   note.new_date, delta)
    return _store(session, origin, event, impact, note.node)


def record_link_change(session: Session, actor: Actor, reason: str, successor: int,
                       before: State, after: State) -> ChangeEvent | None:
    """A dependency accepted (or removed) moved implied dates: store it as a change event of
    the successor end, told to the owners of everything that moved (its own too); None when
    nothing moved."""
    impact = compare(before, after, [successor])
    shift = impact.shifts.get(successor)
    if shift is None:
        return None  # the successor had slack (only it is behind the link: nothing moved)
    kind, ident = nodes.split(successor)
    info = repository.node_infos(session, [ident] if kind == "milestone" else [],
                                 [ident] if kind == "project" else []).get((kind, ident))
    if info is None:
        return None  # the end's row is gone: nothing left to tell
    origin = _origin(session, actor, LINK_SOURCE, reason)
    event = _event(origin, info.project_id, ident if kind == "milestone" else None,
                   "implied_finish", nodes.to_date(shift.old_finish),
                   nodes.to_date(shift.new_finish), slip_of(shift))
    return _store(session, origin, event, impact, None)


def _event(origin: Origin, project_id: int, milestone_id: int | None, field: str,
           old_date: date | None, new_date: date | None, delta: int) -> ChangeEvent:
    return ChangeEvent(at=utcnow(), actor_id=origin.actor_id, actor_label=origin.actor_label,
                       source=origin.source, project_id=project_id, milestone_id=milestone_id,
                       field=field, old_date=old_date, new_date=new_date, delta_days=delta,
                       reason=origin.reason[:2000], impact={}, status="open")


def _store(session: Session, origin: Origin, event: ChangeEvent, impact: Impact,
           source: int | None) -> ChangeEvent:
    """Add the event with an impact row per moved node (but ``source``, the node whose own
    dates moved) and a pending response per department hit (but the source's own), and
    publish it."""
    session.add(event)
    session.flush()
    moved = {node: shift for node, shift in impact.shifts.items() if node != source}
    infos = _infos(session, moved)
    impacts = [_impact_row(event.id, node, infos[nodes.split(node)], impact)
               for node in moved if nodes.split(node) in infos]
    _add_impacts(session, event, impacts)
    event.impact = _summary(impacts, impact.visited)
    mover = event.project_id if source is not None else None
    departments = sorted({row["department_id"] for row in impacts if row["project_id"] != mover})
    session.add_all(ChangeResponse(event_id=event.id, department_id=d, notified_at=event.at)
                    for d in departments)
    if not departments:
        event.status, event.closed_at = "closed", event.at
    session.flush()
    if departments:
        _notify(session, event, origin, impacts, mover)
    events.record(session, ChangeRecorded(
        event.id, event.project_id, event.milestone_id, event.field, event.old_date,
        event.new_date, event.delta_days, len(impacts),
        max((row["slip_days"] for row in impacts), default=0)))
    return event


def _add_impacts(session: Session, event: ChangeEvent, impacts: Sequence[ImpactRow]) -> None:
    """Bulk-insert the impact rows and record them in the audit log as one entry: a change
    can move thousands of nodes, and a row each (ORM object, audit entry) was most of its cost."""
    if not impacts:
        return
    repository.add_impacts(session, impacts)
    audit.record(session, "change_impact", f"event-{event.id}", "create", {"rows": [
        {key: value.isoformat() if isinstance(value, date) else value
         for key, value in row.items() if key != "event_id"} for row in impacts]})


def _infos(session: Session, moved: Mapping[int, object]) -> dict[tuple[str, int], NodeInfo]:
    split = [nodes.split(node) for node in moved]
    return repository.node_infos(session, [i for k, i in split if k == "milestone"],
                                 [i for k, i in split if k == "project"])


def _impact_row(event_id: int, node: int, info: NodeInfo, impact: Impact) -> ImpactRow:
    shift = impact.shifts[node]
    kind, ident = nodes.split(node)
    path = list(impact.path_to(node))
    if len(path) > PATH_LIMIT:
        path = [path[0], *path[-(PATH_LIMIT - 1):]]
    return {"event_id": event_id, "node_kind": kind, "project_id": info.project_id,
            "milestone_id": ident if kind == "milestone" else None,
            "department_id": info.department_id, "old_date": nodes.to_date(shift.old_finish),
            "new_date": nodes.to_date(shift.new_finish), "slip_days": slip_of(shift),
            "path": path}


def slip_of(shift: Shift) -> int:
    """Days the finish moved; 0 for a node that had no date of its own before."""
    return shift.slip if nodes.to_date(shift.old_finish) is not None else 0


def _summary(impacts: Sequence[ImpactRow], visited: int) -> dict[str, object]:
    per: dict[int, list[int]] = {}
    for row in impacts:
        per.setdefault(row["department_id"], []).append(row["slip_days"])
    return {"moved": len(impacts), "visited": visited,
            "max_slip": max((r["slip_days"] for r in impacts), default=0),
            "projects": len({r["project_id"] for r in impacts}),
            "departments": [{"department_id": d, "count": len(s), "max_slip": max(s)}
                            for d, s in sorted(per.items())]}


def _named(session: Session, event: ChangeEvent) -> str:
    """What moved, in words: the project's code and name, and the milestone or the field."""
    infos = repository.node_infos(session, [event.milestone_id] if event.milestone_id else [],
                                  [event.project_id])
    project = infos.get(("project", event.project_id))
    words = f"{project.project_code} · {project.name}" if project else "a project"
    milestone = infos.get(("milestone", event.milestone_id or 0))
    if milestone is not None:
        return f"{words}, milestone “{milestone.name}”"
    return f"{words}, its {event.field.replace('_', ' ')}"


def _department_of(session: Session, event: ChangeEvent) -> int:
    info = repository.node_infos(session, [], [event.project_id]).get(("project", event.project_id))
    return info.department_id if info else 0


def _notify(session: Session, event: ChangeEvent, origin: Origin,
            impacts: Sequence[ImpactRow], mover: int | None) -> None:
    """Tell the managers and department leads of every project downstream (but the one
    ``mover`` whose own dates moved)."""
    projects = sorted({row["project_id"] for row in impacts} - {mover})
    infos = repository.node_infos(session, [], projects)
    managers = [i.manager_id for i in infos.values() if i.manager_id is not None]
    recipients = [u for u in repository.owners_of(session, managers,
                                                  {i.department_id for i in infos.values()})
                  if u != origin.actor_id]
    # Departments first: an owner reads their own department, so the audience check stops
    # at once instead of walking every project hit.
    departments = sorted({i.department_id for i in infos.values()})
    targets = [("department", d) for d in departments]
    targets += [("project", p) for p in projects[:TARGET_LIMIT]]
    summary = event.impact
    # the recipients read their own projects, not necessarily the one that moved: the plain
    # title names its department, the field and the dates; those who may read the project
    # get a title that names it and the milestone (``named``), as the event's page does
    department = repository.department_names(session).get(_department_of(session, event), "?")
    what = "a milestone" if event.milestone_id else f"a project's {event.field.replace('_', ' ')}"
    moved = (f"moved {event.old_date or 'no date'} → {event.new_date or 'no date'} "
             f"({event.delta_days:+d} days); {summary['moved']} items downstream, up to "
             f"{summary['max_slip']} days late")
    title = f"Change in {department}: {what} {moved}"
    named = f"Change in {department}: {_named(session, event)} {moved}"
    reason = event.reason if event.reason and event.reason != event.source else "none given"
    publish(session, kind="change.created", title=title,
            body=(f"Moved by {event.actor_label} via {event.source}. Reason: {reason}. "
                  "Please acknowledge and respond."),
            link=f"/change-events/{event.id}", recipients=recipients, targets=targets,
            named=(("project", event.project_id), named),
            payload={"change_event_id": event.id, "project_id": event.project_id,
                     "milestone_id": event.milestone_id, "delta_days": event.delta_days,
                     "impact": summary})
