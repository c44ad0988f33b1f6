"""Read models of the network domain: dependencies, change events and what-if impacts, each
showing in full only what the actor may read."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.engines.propagation import Dates, Impact, propagate
from epmo.errors import FieldError, NotFound
from epmo.network import cache, events, nodes, policy, repository
from epmo.network.models import ChangeEvent, ChangeImpact, Dependency
from epmo.network.schemas import (
    ChangeEventRead,
    DependencyRead,
    EndRead,
    HiddenImpact,
    ImpactChange,
    ImpactRead,
    ImpactResult,
    ResponseRead,
)
from epmo.portfolio import policy as portfolio_policy
from epmo.portfolio.models import Milestone, Project


def describe_dependencies(session: Session, rows: Sequence[Dependency]) -> list[DependencyRead]:
    """Dependencies with both ends named (batch queries)."""
    infos = repository.node_infos(
        session, [m for r in rows for m in (r.pred_milestone_id, r.succ_milestone_id) if m],
        [p for r in rows for p in (r.pred_project_id, r.succ_project_id)])

    def end(kind: str, pid: int, mid: int | None) -> EndRead:
        info = infos[(kind, mid if mid is not None else pid)]
        return EndRead(kind=kind, id=mid if mid is not None else pid, project_id=pid,
                       project_code=info.project_code, name=info.name,
                       department_id=info.department_id)

    found = []
    for r in rows:
        pred = end(r.pred_kind, r.pred_project_id, r.pred_milestone_id)
        succ = end(r.succ_kind, r.succ_project_id, r.succ_milestone_id)
        found.append(DependencyRead.model_validate({
            **{c: getattr(r, c) for c in DependencyRead.model_fields if hasattr(r, c)},
            "predecessor": pred, "successor": succ,
            "cross_department": pred.department_id != succ.department_id}))
    return found


def _split(session: Session, actor: Actor, rows: Sequence[ChangeImpact]
           ) -> tuple[list[ImpactRead], list[HiddenImpact]]:
    """Impacts on readable projects in full; the others counted per department."""
    readable = policy.readable_among(session, actor, (r.project_id for r in rows))
    shown = [r for r in rows if r.project_id in readable]
    infos = repository.node_infos(session, [r.milestone_id for r in shown if r.milestone_id],
                                  [r.project_id for r in shown])
    names = _path_names(session, actor, {n for r in shown for n in r.path})
    full = []
    for r in shown:
        info = infos[(r.node_kind, r.milestone_id or r.project_id)]
        full.append(ImpactRead(node_kind=r.node_kind, project_id=r.project_id,
                               project_code=info.project_code, milestone_id=r.milestone_id,
                               name=info.name, department_id=r.department_id,
                               old_date=r.old_date, new_date=r.new_date,
                               slip_days=r.slip_days, path=[names[n] for n in r.path]))
    return full, _hidden([r for r in rows if r.project_id not in readable])


def _path_names(session: Session, actor: Actor, path: set[int]) -> dict[int, str]:
    """Each node of the paths in words: its project's code and its name where the actor may
    read the project, else only its department ("an item of FIN")."""
    split = {node: nodes.split(node) for node in path}
    infos = repository.node_infos(session, [i for k, i in split.values() if k == "milestone"],
                                  [i for k, i in split.values() if k == "project"])
    readable = policy.readable_among(session, actor, (i.project_id for i in infos.values()))
    departments = repository.department_names(session) if infos else {}
    found = {}
    for node, key in split.items():
        info = infos.get(key)
        if info is None:  # deleted since
            found[node] = nodes.label(node)
        elif info.project_id in readable:
            found[node] = (f"{info.project_code} {info.name}" if key[0] == "milestone"
                           else f"{info.project_code} (finish)")
        else:
            found[node] = f"an item of {departments.get(info.department_id, '?')}"
    return found


def event_subject(session: Session, actor: Actor, event: ChangeEvent) -> str:
    """What moved, in words, for a reader of the event's project; else its department."""
    key = ("milestone", event.milestone_id) if event.milestone_id else ("project", event.project_id)
    info = repository.node_infos(session, [event.milestone_id] if event.milestone_id else [],
                                 [] if event.milestone_id else [event.project_id]).get(key)
    if info is None:
        return event.field.replace("_", " ")
    if info.project_id in policy.readable_among(session, actor, [info.project_id]):
        thing = f"milestone “{info.name}”" if event.milestone_id else f"“{info.name}”"
        return f"{info.project_code} {thing} ({event.field.replace('_', ' ')})"
    department = repository.department_names(session).get(info.department_id, "?")
    return f"an item of {department} ({event.field.replace('_', ' ')})"


def _hidden(rows: Sequence[ChangeImpact]) -> list[HiddenImpact]:
    per: dict[int, list[int]] = {}
    for r in rows:
        per.setdefault(r.department_id, []).append(r.slip_days)
    return [HiddenImpact(department_id=d, count=len(s), max_slip=max(s))
            for d, s in sorted(per.items())]


def describe_event(session: Session, actor: Actor, event: ChangeEvent,
                   detail: bool = True) -> ChangeEventRead:
    """A change event with the impacts the actor may see (and the responses)."""
    data: dict[str, Any] = {c: getattr(event, c) for c in ChangeEventRead.model_fields
                            if hasattr(event, c)}
    data["summary"] = event.impact or {}
    if detail:
        data["subject"] = event_subject(session, actor, event)
        full, hidden = _split(session, actor, repository.impacts_of(session, event.id))
        data |= {"impacts": full, "hidden": hidden,
                 "responses": [ResponseRead.model_validate(r)
                               for r in repository.responses_of(session, event.id)]}
    return ChangeEventRead.model_validate(data)


# --- what-if ----------------------------------------------------------------------------


def _milestone(session: Session, actor: Actor, index: int, milestone_id: int) -> Milestone:
    milestone = session.get(Milestone, milestone_id)
    project = session.get(Project, milestone.project_id) if milestone else None
    if milestone is None or project is None or not portfolio_policy.can_read_project(
            session, actor, project):
        raise NotFound(f"Milestone {milestone_id} not found",
                       [FieldError(f"changes.{index}.milestone_id",
                                   f"no such milestone: {milestone_id}")])
    return milestone


def simulate(session: Session, actor: Actor, changes: Sequence[ImpactChange]) -> ImpactResult:
    """The impact of moving milestones (a new date or a slip from the implied date); nothing
    is saved."""
    loaded = cache.network_for(session)
    state = cache.state_for(session, loaded)
    moves: dict[int, Dates] = {}
    for index, change in enumerate(changes):
        milestone = _milestone(session, actor, index, change.milestone_id)
        node = nodes.milestone_node(milestone.id)
        if node not in loaded.network.index:
            continue  # linked by no accepted dependency: nothing downstream moves
        if change.new_date is not None:
            day = change.new_date.toordinal()
            moves[node] = Dates(day, day)
        else:
            moves[node] = state.dates(node).moved(change.slip_days or 0)
    impact = propagate(loaded.network, state, moves) if moves else None
    return _result(session, actor, [nodes.label(n) for n in sorted(moves)], impact)


def _result(session: Session, actor: Actor, sources: list[str],
            impact: Impact | None) -> ImpactResult:
    if impact is None:
        return ImpactResult(sources=sources, moved=0, max_slip=0, impacts=[], hidden=[])
    moved = {n: s for n, s in impact.shifts.items() if n not in impact.bases}
    split = [nodes.split(n) for n in moved]
    infos = repository.node_infos(session, [i for k, i in split if k == "milestone"],
                                  [i for k, i in split if k == "project"])
    rows = []
    for node, shift in moved.items():
        info = infos.get(nodes.split(node))
        if info is None:
            continue
        kind, ident = nodes.split(node)
        rows.append(ChangeImpact(node_kind=kind, project_id=info.project_id,
                                 milestone_id=ident if kind == "milestone" else None,
                                 department_id=info.department_id,
                                 old_date=nodes.to_date(shift.old_finish),
                                 new_date=nodes.to_date(shift.new_finish),
                                 slip_days=events.slip_of(shift),
                                 path=list(impact.path_to(node))))
    full, hidden = _split(session, actor, sorted(rows, key=lambda r: -r.slip_days))
    return ImpactResult(sources=sources, moved=len(rows), impacts=full, hidden=hidden,
                        max_slip=max((r.slip_days for r in rows), default=0))

