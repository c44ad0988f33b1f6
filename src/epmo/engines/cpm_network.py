"""The CPM engine's indexed network: leaf tasks, their clocks, links expanded to leaves, order."""

from __future__ import annotations

import graphlib
from collections.abc import Iterable
from dataclasses import dataclass

from epmo.engines.cpm_model import CycleError, Network, Relation, Task
from epmo.engines.workcal import Clock, continuous_calendar

# (other leaf, the predecessor's finish counts, the successor's finish is bound, lag, lag clock)
Edge = tuple[int, bool, bool, int, Clock]
ELAPSED: Clock = Clock(continuous_calendar("elapsed"))


@dataclass(frozen=True)
class Plan:
    """Leaves (tasks without children) by index, their links both ways, a topological order."""

    leaves: tuple[Task, ...]
    clocks: tuple[Clock, ...]
    preds: tuple[tuple[Edge, ...], ...]
    succs: tuple[tuple[Edge, ...], ...]
    order: tuple[int, ...]
    summaries: dict[str, tuple[int, ...]]  # summary id -> its leaf descendants


def build_plan(network: Network) -> Plan:
    """Index ``network``; raise ValueError on unknown ids, CycleError on a cycle."""
    tasks = _by_id(network.tasks)
    children = _children(tasks)
    below = _leaves_below(tasks, children)
    leaves = tuple(task for task in network.tasks if task.id not in children)
    index = {task.id: i for i, task in enumerate(leaves)}
    under = {tid: tuple(index[leaf] for leaf in found) for tid, found in below.items()}
    clocks = _clocks(network, leaves)
    preds: list[list[Edge]] = [[] for _ in leaves]
    succs: list[list[Edge]] = [[] for _ in leaves]
    for relation in network.relations:
        _link(relation, tasks, under, clocks, network, preds, succs)
    order = _order(leaves, preds)
    summaries = {sid: under[sid] for sid in children}
    return Plan(leaves, clocks, _freeze(preds), _freeze(succs), order, summaries)


def _by_id(tasks: Iterable[Task]) -> dict[str, Task]:
    found: dict[str, Task] = {}
    for task in tasks:
        if task.id in found:
            raise ValueError(f"task {task.id} appears twice")
        found[task.id] = task
    return found


def _children(tasks: dict[str, Task]) -> dict[str, list[str]]:
    children: dict[str, list[str]] = {}
    for task in tasks.values():
        if task.parent is not None:
            if task.parent not in tasks:
                raise ValueError(f"task {task.id}: unknown parent {task.parent}")
            children.setdefault(task.parent, []).append(task.id)
    return children


def _leaves_below(tasks: dict[str, Task], children: dict[str, list[str]]) -> dict[str, list[str]]:
    """Each task's leaf descendants (a leaf: itself), outline parents checked for cycles."""
    below: dict[str, list[str]] = {}
    for task_id in tasks:
        _check_ancestry(task_id, tasks)
    for task_id in tasks:
        _collect(task_id, children, below)
    return below


def _check_ancestry(task_id: str, tasks: dict[str, Task]) -> None:
    seen = [task_id]
    parent = tasks[task_id].parent
    while parent is not None:
        if parent in seen:
            raise CycleError((*seen[seen.index(parent) :], parent))
        seen.append(parent)
        parent = tasks[parent].parent


def _collect(task_id: str, children: dict[str, list[str]], below: dict[str, list[str]]) -> None:
    stack = [task_id]
    while stack:
        current = stack[-1]
        pending = [c for c in children.get(current, ()) if c not in below]
        if pending:
            stack.extend(pending)
            continue
        stack.pop()
        kids = children.get(current)
        below[current] = [leaf for c in kids for leaf in below[c]] if kids else [current]


def _clocks(network: Network, leaves: tuple[Task, ...]) -> tuple[Clock, ...]:
    compiled = {calendar.id: Clock(calendar) for calendar in network.calendars}
    if network.calendar not in compiled:
        raise ValueError(f"unknown default calendar {network.calendar}")
    chosen = []
    for task in leaves:
        calendar = network.calendar if task.calendar is None else task.calendar
        if calendar not in compiled:
            raise ValueError(f"task {task.id}: unknown calendar {calendar}")
        chosen.append(compiled[calendar])
    return tuple(chosen)


def _link(
    relation: Relation,
    tasks: dict[str, Task],
    under: dict[str, tuple[int, ...]],
    clocks: tuple[Clock, ...],
    network: Network,
    preds: list[list[Edge]],
    succs: list[list[Edge]],
) -> None:
    """Link every leaf under the relation's predecessor to every leaf under its successor."""
    for end in (relation.pred, relation.succ):
        if end not in tasks:
            raise ValueError(f"link {relation.pred} -> {relation.succ}: unknown task {end}")
    lag = _lag_minutes(relation, tasks[relation.pred])
    from_finish, to_finish = relation.type[0] == "F", relation.type[1] == "F"
    for p in under[relation.pred]:
        for s in under[relation.succ]:
            clock = _lag_clock(relation, clocks[p], clocks[s], network)
            preds[s].append((p, from_finish, to_finish, lag, clock))
            succs[p].append((s, from_finish, to_finish, lag, clock))


def _lag_minutes(relation: Relation, pred: Task) -> int:
    if relation.lag_percent is None:
        return relation.lag
    return round(pred.duration * relation.lag_percent / 100)


def _lag_clock(relation: Relation, pred: Clock, succ: Clock, network: Network) -> Clock:
    if relation.elapsed:
        return ELAPSED
    return succ if network.lag_calendar == "successor" else pred


def _order(leaves: tuple[Task, ...], preds: list[list[Edge]]) -> tuple[int, ...]:
    graph = {i: [edge[0] for edge in edges] for i, edges in enumerate(preds)}
    try:
        return tuple(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as error:
        # graphlib lists the cycle in link order: each node is a predecessor of the next.
        cycle = tuple(leaves[i].id for i in error.args[1])
        raise CycleError(cycle) from None


def _freeze(edges: list[list[Edge]]) -> tuple[tuple[Edge, ...], ...]:
    return tuple(tuple(row) for row in edges)
