"""Network views and measures: the graph for cytoscape, the department matrix, network health
and critical chains."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.db import utcnow
from epmo.engines.propagation import critical_chain
from epmo.network import cache, nodes, policy, repository
from epmo.network.models import Dependency
from epmo.network.repository import NodeInfo
from epmo.network.schemas import ChainRead, GraphRead, HealthRead, MatrixCell

GRAPH_LIMIT = 2000  # edges drawn at most; filter to see the rest


def graph(session: Session, actor: Actor, department_id: int | None = None,
          programme_id: int | None = None, goal_id: int | None = None) -> GraphRead:
    """Nodes (projects, milestones, hidden departments) and edges of the filtered network."""
    deps = repository.graph_dependencies(
        session, policy.graph_projects(actor, department_id, programme_id, goal_id), GRAPH_LIMIT)
    ends = [(d.pred_kind, d.pred_milestone_id or d.pred_project_id, d.pred_project_id)
            for d in deps] + [(d.succ_kind, d.succ_milestone_id or d.succ_project_id,
                               d.succ_project_id) for d in deps]
    readable = policy.readable_among(session, actor, {e[2] for e in ends})
    infos = repository.node_infos(session, [i for k, i, _ in ends if k == "milestone"],
                                  [p for _, _, p in ends])
    names = repository.department_names(session)
    slips = slips_of(session, [nodes.node_of(k, i) for k, i, p in ends if p in readable])
    found: dict[str, dict[str, Any]] = {}
    for kind, ident, pid in ends:
        _add_node(found, kind, ident, infos, names, slips, pid in readable)
    edges = [_edge(d, found, infos, readable) for d in deps]
    return GraphRead(nodes=[{"data": n} for n in found.values()],
                     edges=[{"data": e} for e in edges])


def _key(kind: str, ident: int, infos: dict[tuple[str, int], NodeInfo], shown: bool) -> str:
    return nodes.label(nodes.node_of(kind, ident)) if shown else \
        f"D{infos[(kind, ident)].department_id}"


def _add_node(found: dict[str, dict[str, Any]], kind: str, ident: int,
              infos: dict[tuple[str, int], NodeInfo], names: dict[int, str],
              slips: dict[int, int], shown: bool) -> None:
    info = infos[(kind, ident)]
    dept = names.get(info.department_id, "")
    if not shown:  # another department's private node: only its department shows
        found.setdefault(f"D{info.department_id}", {
            "id": f"D{info.department_id}", "label": f"{dept} (not visible)", "kind": "hidden",
            "department": dept, "department_id": info.department_id, "slip": 0})
        return
    parent = f"P{info.project_id}"
    if kind == "milestone":
        found.setdefault(parent, {"id": parent, "label": info.project_code, "kind": "project",
                                  "department": dept, "department_id": info.department_id,
                                  "slip": slips.get(nodes.project_node(info.project_id), 0)})
    key = nodes.label(nodes.node_of(kind, ident))
    node: dict[str, Any] = {"id": key, "label": info.name if kind == "milestone"
                            else info.project_code, "kind": kind, "department": dept,
                            "department_id": info.department_id,
                            "slip": slips.get(nodes.node_of(kind, ident), 0)}
    if kind == "milestone":
        node["parent"] = parent
    found.setdefault(key, {}).update(node)


def _edge(d: Dependency, found: dict[str, dict[str, Any]],
          infos: dict[tuple[str, int], NodeInfo], readable: set[int]) -> dict[str, Any]:
    source = _key(d.pred_kind, d.pred_milestone_id or d.pred_project_id, infos,
                  d.pred_project_id in readable)
    target = _key(d.succ_kind, d.succ_milestone_id or d.succ_project_id, infos,
                  d.succ_project_id in readable)
    return {"id": f"E{d.id}", "source": source, "target": target, "type": d.type,
            "lag": d.lag_days, "status": d.status, "criticality": d.criticality}


def slips_of(session: Session, node_ids: Iterable[int]) -> dict[int, int]:
    """Days each node's implied finish lies after its own (0 when not pushed)."""
    wanted = set(node_ids)
    rows = repository.implied_rows(session, wanted)
    state = cache.state_for(session, cache.network_for(session)) if rows else None
    found = {}
    for node, (_start, finish) in rows.items():
        if state is not None and node in state.network.index:
            found[node] = finish.toordinal() - state.base(node).finish
    return found


# --- matrix and health ------------------------------------------------------------------


def _hours(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 3600


def matrix(session: Session) -> list[MatrixCell]:
    """Department x department: dependencies, proposed vs accepted, open slip, median ack."""
    cells: dict[tuple[int, int], dict[str, Any]] = defaultdict(
        lambda: {"total": 0, "proposed": 0, "accepted": 0, "slip": 0, "acks": []})
    for a, b, status, count in repository.dependency_pairs(session):
        cell = cells[(a, b)]
        cell["total"] += count
        cell[status] += count
    for a, b, slip in repository.open_slips(session):
        cells[(a, b)]["slip"] += max(slip, 0)
    for a, b, notified, acknowledged in repository.acknowledgements(session):
        cells[(a, b)]["acks"].append(_hours(notified, acknowledged))
    return [MatrixCell(from_department_id=a, to_department_id=b, total=c["total"],
                       proposed=c["proposed"], accepted=c["accepted"],
                       slip_days_in_flight=c["slip"],
                       median_ack_hours=round(statistics.median(c["acks"]), 2)
                       if c["acks"] else None)
            for (a, b), c in sorted(cells.items())]


def _age_bucket(days: int) -> str:
    return "under 1 day" if days < 1 else "1-7 days" if days <= 7 else \
        "8-30 days" if days <= 30 else "over 30 days"


def health(session: Session) -> HealthRead:
    """Declared and acknowledged cross-department work, open events by age, response times."""
    total, declared = repository.cross_department_projects(session)
    cross = acknowledged = 0
    for a, b, status, count in repository.dependency_pairs(session):
        if a != b:
            cross += count
            acknowledged += count if status == "accepted" else 0
    today = utcnow().date()
    ages = {bucket: 0 for bucket in ("under 1 day", "1-7 days", "8-30 days", "over 30 days")}
    for day in repository.open_event_dates(session):
        ages[_age_bucket((today - day).days)] += 1
    names = repository.department_names(session)
    per: dict[str, list[float]] = defaultdict(list)
    for _a, b, notified, ack in repository.acknowledgements(session):
        per[names.get(b, str(b))].append(_hours(notified, ack))
    return HealthRead(
        cross_department_projects=total, with_declared_dependencies=declared,
        share_declared=round(declared / total, 3) if total else None,
        cross_dependencies=cross, acknowledged=acknowledged,
        share_acknowledged=round(acknowledged / cross, 3) if cross else None,
        open_events_by_age=ages,
        median_response_hours={d: round(statistics.median(v), 2) for d, v in sorted(per.items())})


# --- critical chains --------------------------------------------------------------------


def chain(session: Session, actor: Actor, project_ids: list[int]) -> ChainRead:
    """The longest path through the network within these projects, and each node's float."""
    loaded = cache.network_for(session)
    milestones = repository.milestones_of_projects(session, project_ids) if project_ids else []
    group = [n for n in [*map(nodes.milestone_node, milestones),
                         *map(nodes.project_node, project_ids)] if n in loaded.network.index]
    if not group:
        return ChainRead(nodes=[], names=[], finish=None, floats={})
    state = cache.state_for(session, loaded)
    found = critical_chain(loaded.network, state, group)
    split = [nodes.split(n) for n in found.nodes]
    infos = repository.node_infos(session, [i for k, i in split if k == "milestone"],
                                  [i for k, i in split if k == "project"])
    readable = policy.readable_among(session, actor, {i.project_id for i in infos.values()})
    names = [infos[s].name if infos[s].project_id in readable else "(not visible)"
             for s in split]
    return ChainRead(nodes=[nodes.label(n) for n in found.nodes], names=names,
                     finish=nodes.to_date(found.finish),
                     floats={nodes.label(n): f for n, f in found.floats.items()})

