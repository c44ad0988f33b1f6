"""The overview: aggregate rows mapped to roll-up engine figures and back to API shapes.

Enterprise roles see the enterprise-wide summary: counts, budget sums and health per
department, goal, stage and programme. Everybody else sees the same summary of the projects
they may open, plus at most one anonymous total of the rest (see ``overview.policy``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from operator import add
from typing import Any, Final

from sqlalchemy.orm import Session

from epmo.audit.caching import HeadCache, gc_paused
from epmo.auth.policy import Actor
from epmo.config import get_settings
from epmo.editing import depth_first
from epmo.engines.rollup import HEALTH_ORDER, Figures, Health, Totals, summarise, total, tree_totals
from epmo.errors import FieldError, NotFound
from epmo.overview import policy, repository
from epmo.overview.policy import Visibility
from epmo.overview.repository import Group, Node, Scope
from epmo.overview.schemas import (
    DisagreementRead,
    HealthRollup,
    NodeRef,
    OverviewFilters,
    OverviewRead,
    ProgrammeRollup,
    StageRollup,
    TotalsRead,
    TreeRollup,
)
from epmo.portfolio.models import STAGES, Project
from epmo.reporting import health

_HEALTH: Final[Mapping[str, Health]] = {h: h for h in HEALTH_ORDER}
_EMPTY: Final = total(())
CACHE: HeadCache[OverviewRead] = HeadCache(256)  # per worker, see epmo.audit.caching
TOP_PROGRAMMES: Final = 20  # programme rows the overview lists unless asked for more
_NO_PROGRAMME: Final = 0  # node id of the projects in no programme; real ids start at 1
_CLOSED: Final = -1  # node id of open projects in programmes the reader may not open


@dataclass(frozen=True, slots=True)
class _Focus:
    """The validated filters: the projects in scope and the department/goal nodes shown."""

    scope: Scope
    departments: list[int]
    goals: list[int]
    filters: OverviewFilters


def get_overview(
    session: Session, actor: Actor, department_id: int | None = None,
    goal_id: int | None = None, programme_id: int | None = None,
    programmes: int = TOP_PROGRAMMES, status: str = "active",
) -> OverviewRead:
    """The overview of the enterprise, or of a department subtree, goal subtree or programme.

    ``status`` picks the work covered: active (the default), closed (closed or cancelled) or
    all; the active view also totals the closed work of the same scope apart. Health is the
    one the charter says counts (``reporting.health``).
    ``programmes`` caps the programme rows: the largest by planned budget are listed. A worker
    reuses an overview it computed while the audit log's head (which every write advances) is
    unchanged and the result is younger than ``EPMO_OVERVIEW_CACHE_SECONDS``.
    """
    policy.check_programme_filter(session, actor, programme_id)
    # The key holds what the reader may see, so one reader's overview never serves another.
    key = (*policy.cache_key(actor), department_id, goal_id, programme_id, programmes, status)
    visibility = policy.visibility_of(actor)
    def compute() -> OverviewRead:
        with gc_paused():  # thousands of small groups and sums, none in cycles
            return _compute(session, visibility, department_id, goal_id, programme_id,
                            programmes, status)
    return CACHE.get(session, key, compute)


def _compute(
    session: Session, visibility: Visibility | None, department_id: int | None,
    goal_id: int | None, programme_id: int | None, programmes: int, status: str,
) -> OverviewRead:
    """Aggregate the figures afresh."""
    departments = {n.id: n for n in repository.list_departments(session)}
    goals = {n.id: n for n in repository.list_goals(session)}
    focus = _focus(session, departments, goals, department_id, goal_id, programme_id)
    rule = health.load_rule(session)
    counting = health.expressions(rule, _project_columns())
    focus = replace(focus, scope=replace(focus.scope, status=status, health=counting.counted,
                                         colour=health.counted_colour(rule)))
    if visibility is not None:
        focus = replace(focus, scope=replace(focus.scope, projects=visibility.projects,
                                             programmes=visibility.programmes))
    groups, closed, pairs = repository.figures_and_closed(session, focus.scope)
    figures = _figures(groups, lambda key: int(key[0]))
    by_department, everything = _departments(departments, focus.departments, figures)
    by_programme, programme_count = _programmes(session, focus.scope, programmes)
    unfiltered = department_id is None and goal_id is None and programme_id is None
    return OverviewRead(
        filters=focus.filters,
        totals=TotalsRead.of(everything),
        by_department=by_department,
        by_goal=_goals(session, goals, focus),
        by_stage=_stages(groups),
        by_health=_health_rollups(figures),
        by_programme=by_programme,
        programme_count=programme_count,
        **_others(session, visibility, unfiltered, focus.scope),
        **_closed(focus.scope, closed),
        **_disagreements(pairs, rule),
    )


def _project_columns() -> health.Stored:
    """A project's reported health, its stored derived one and its department."""
    return health.Stored(reported=Project.health, derived=Project.derived_health,
                         department_id=Project.department_id)


def _closed(scope: Scope, groups: Sequence[Group] | None) -> dict[str, Any]:
    """The active view's closed and cancelled work of the same scope, as one total."""
    fields: dict[str, Any] = {"status": scope.status}
    if groups is None:
        return fields
    return fields | {"closed": TotalsRead.of(total(_figures(groups, lambda _key: 0)))}


def _disagreements(pairs: Mapping[tuple[Any, Any], int],
                   rule: health.HealthRule) -> dict[str, Any]:
    """Where reported and derived health differ, per pair, and how many projects in all."""
    rows = [(str(r), str(d), n) for (r, d), n in pairs.items() if health.disagree(r, d)]
    found = [DisagreementRead(reported=r, derived=d, count=n) for r, d, n in sorted(rows)]
    return {"health_basis": rule.basis, "disagreements": found,
            "disagreement_count": sum(p.count for p in found)}


def _others(session: Session, visibility: Visibility | None, unfiltered: bool,
            scope: Scope) -> dict[str, Any]:
    """The projects a restricted reader may not open: one anonymous total, or withheld."""
    minimum = get_settings().overview_min_group
    fields: dict[str, Any] = {"restricted": visibility is not None, "min_group": minimum}
    if visibility is None:
        return fields
    hidden = total(_figures(repository.figures_hidden(session, visibility.projects, scope),
                            lambda _key: 0))
    shown = unfiltered and hidden.count >= minimum
    return fields | {"others": TotalsRead.of(hidden) if shown else None,
                     "others_withheld": hidden.count > 0 and not shown}


def _focus(
    session: Session, departments: Mapping[int, Node], goals: Mapping[int, Node],
    department_id: int | None, goal_id: int | None, programme_id: int | None,
) -> _Focus:
    """Check the filters exist and turn them into a Scope and the nodes to show."""
    filters = OverviewFilters()
    dept_ids, goal_ids = list(departments), list(goals)
    if department_id is not None:
        filters.department = _ref(_pick(departments, department_id, "department_id"))
        filters.department_path = _path(departments, department_id)
        dept_ids = _subtree(departments, department_id)
    if goal_id is not None:
        filters.goal = _ref(_pick(goals, goal_id, "goal_id"))
        filters.goal_path = _path(goals, goal_id)
        goal_ids = _subtree(goals, goal_id)
    if programme_id is not None:
        filters.programme = _programme_ref(session, programme_id)
    scope = Scope(
        department_ids=frozenset(dept_ids) if department_id is not None else None,
        goal_ids=frozenset(goal_ids) if goal_id is not None else None,
        programme_id=programme_id,
    )
    return _Focus(scope, dept_ids, goal_ids, filters)


def _pick(nodes: Mapping[int, Node], node_id: int, field: str) -> Node:
    """The node with that id, or NotFound naming the filter."""
    node = nodes.get(node_id)
    if node is None:
        what = field.removesuffix("_id").capitalize()
        raise NotFound(f"{what} {node_id} not found", [FieldError(field, "not found")])
    return node


def _programme_ref(session: Session, programme_id: int) -> NodeRef:
    """The programme filtered on, or NotFound."""
    found = repository.list_programmes(session, [programme_id])
    if not found:
        raise NotFound(f"Programme {programme_id} not found",
                       [FieldError("programme_id", "not found")])
    return NodeRef(id=found[0].id, code=found[0].code, name=found[0].name)


def _ref(node: Node) -> NodeRef:
    return NodeRef(id=node.id, code=node.code, name=node.name)


def _children(nodes: Mapping[int, Node], members: Iterable[int]) -> dict[int | None, list[int]]:
    """Children of each member among the members (roots under None), in the nodes' order."""
    keep = set(members)
    children: dict[int | None, list[int]] = {}
    for node in nodes.values():
        if node.id in keep:
            parent = node.parent_id if node.parent_id in keep else None
            children.setdefault(parent, []).append(node.id)
    return children


def _subtree(nodes: Mapping[int, Node], root: int) -> list[int]:
    """The root and all its descendants, parents before children."""
    children = _children(nodes, nodes)
    found, seen = [root], {root}
    for node_id in found:  # appending while iterating walks the tree breadth-first
        fresh = [c for c in children.get(node_id, ()) if c not in seen]
        found.extend(fresh)
        seen.update(fresh)
    return found


def _path(nodes: Mapping[int, Node], node_id: int) -> list[NodeRef]:
    """The ancestors of a node, root first."""
    path: list[NodeRef] = []
    parent = nodes[node_id].parent_id
    while parent is not None and parent in nodes and len(path) < len(nodes):
        path.insert(0, _ref(nodes[parent]))
        parent = nodes[parent].parent_id
    return path


def _preorder(nodes: Mapping[int, Node], members: Sequence[int]) -> list[tuple[int, int]]:
    """(id, depth) of the members as an indented tree: each node followed by its subtree."""
    keep = set(members)
    tree = depth_first((n for n in nodes.values() if n.id in keep), lambda n: n.id,
                       lambda n: n.parent_id)
    return [(node.id, depth) for node, depth in tree]


def _figures(
    groups: Iterable[Group], node_of: Callable[[tuple[Any, ...]], int]
) -> list[Figures]:
    """Engine figures from aggregate rows; an unrecognised health counts as unknown."""
    return [_figure(node_of(g.key), g.health, _sums(g)) for g in groups]


def _sums(group: Group) -> list[Any]:
    """A group's count, money sums and known-figure counts as one list (see _figure)."""
    return [group.count, group.planned, group.actual, group.forecast, *group.known,
            group.compared, group.variance]


def _figure(node: int, health: str | None, sums: Sequence[Any]) -> Figures:
    """Engine figures of a node and health from a _sums list."""
    count, planned, actual, forecast, k_planned, k_actual, k_forecast, compared, gap = sums
    return Figures(node_id=node, count=count, planned=planned, actual=actual,
                   forecast=forecast, health=_HEALTH.get(health or ""),
                   missing_planned=count - k_planned, missing_actual=count - k_actual,
                   missing_forecast=count - k_forecast, compared=compared,
                   compared_variance=gap)


def _tree_rows(
    nodes: Mapping[int, Node], members: Sequence[int],
    own: Mapping[int, Totals], rolled: Mapping[int, Totals],
) -> list[TreeRollup]:
    """One row per member in tree order with its own and subtree totals."""
    return [
        TreeRollup(
            id=node_id, code=nodes[node_id].code, name=nodes[node_id].name,
            parent_id=nodes[node_id].parent_id, depth=depth,
            own=TotalsRead.of(own.get(node_id, _EMPTY)),
            rolled=TotalsRead.of(rolled.get(node_id, _EMPTY)),
        )
        for node_id, depth in _preorder(nodes, members)
    ]


def _departments(
    nodes: Mapping[int, Node], members: Sequence[int], figures: Sequence[Figures]
) -> tuple[list[TreeRollup], Totals]:
    """Departments with their own projects and those of every sub-department; and the total
    of all the figures (one pass of the engine over them)."""
    keep = set(members)
    parents = {n: (p if (p := nodes[n].parent_id) in keep else None) for n in members}
    own, rolled, everything = tree_totals(figures, parents)
    return _tree_rows(nodes, members, own, rolled), everything


def _goals(session: Session, nodes: Mapping[int, Node], focus: _Focus) -> list[TreeRollup]:
    """Goals with the projects serving them directly and those serving the goal's subtree."""
    # The engine's rollup() would count a project serving two sub-goals twice in their parent,
    # so each group of projects serving the same goals is added once to every goal it reaches.
    groups = repository.figures_by_goal_set(session, focus.scope)
    own, rolled = _goal_sums(groups, _lineages(nodes))
    return _tree_rows(nodes, focus.goals, summarise(own), summarise(rolled))


_Key = tuple[int, str | None]


def _goal_sums(
    groups: Sequence[Group], lineage: Mapping[int, frozenset[int]]
) -> tuple[list[Figures], list[Figures]]:
    """Figures per (goal, health) of the projects serving it, and serving it or a sub-goal."""
    own: dict[_Key, list[Any]] = {}
    rolled: dict[_Key, list[Any]] = {}
    reach: dict[str, tuple[set[int], set[int]]] = {}
    for group in groups:  # one per distinct goal set and health, not one per project
        key = str(group.key[0])
        if key not in reach:
            served = {int(g) for g in key.split(",")} & lineage.keys()
            reach[key] = served, set().union(*(lineage[g] for g in served))
        served, reached = reach[key]
        _add(own, served, group)
        _add(rolled, reached, group)
    return _as_figures(own), _as_figures(rolled)


def _add(sums: dict[_Key, list[Any]], nodes: Iterable[int], group: Group) -> None:
    """Add one group's count and money to each node's running sums for its health."""
    values = _sums(group)
    health = group.health
    for node in nodes:
        acc = sums.get((node, health))
        if acc is None:
            sums[node, health] = list(values)
        else:
            acc[:] = map(add, acc, values)  # element-wise, in C


def _as_figures(sums: Mapping[_Key, list[Any]]) -> list[Figures]:
    """Engine figures from running sums keyed by (node, health)."""
    return [_figure(node, health, acc) for (node, health), acc in sums.items()]


def _lineages(nodes: Mapping[int, Node]) -> dict[int, frozenset[int]]:
    """Each node with all its ancestors (a cycle in bad data stops the walk)."""
    lineage: dict[int, frozenset[int]] = {}
    for node_id in nodes:
        chain: list[int] = []
        current: int | None = node_id
        while current is not None and current in nodes and current not in chain:
            chain.append(current)
            current = nodes[current].parent_id
        lineage[node_id] = frozenset(chain)
    return lineage


def _stages(groups: Sequence[Group]) -> list[StageRollup]:
    """Every lifecycle stage in order (empty ones too), then any unexpected stage found."""
    names = list(STAGES) + sorted({str(g.key[1]) for g in groups} - set(STAGES))
    index = {name: i for i, name in enumerate(names)}
    sums = summarise(_figures(groups, lambda key: index[str(key[1])]))
    return [StageRollup(stage=name, **_fields(sums.get(i, _EMPTY))) for i, name in enumerate(names)]


def _health_rollups(figures: Sequence[Figures]) -> dict[str, HealthRollup]:
    """Count and budgets per health rating (unknown: no recognised rating)."""
    # Summed here, not by the engine through a copy of each Figures keyed by its health.
    zero = _EMPTY.planned
    sums: dict[str, list[Any]] = {h: [0, zero, zero, zero, 0] for h in (*HEALTH_ORDER, "unknown")}
    for f in figures:
        acc = sums[f.health or "unknown"]
        for i, value in enumerate((f.count, f.planned, f.actual, f.forecast, f.missing_planned)):
            acc[i] += value
    return {
        name: HealthRollup(count=c, planned=p, actual=a, forecast=fc, missing_planned=m)
        for name, (c, p, a, fc, m) in sums.items()
    }


def _programmes(session: Session, scope: Scope, limit: int) -> tuple[list[ProgrammeRollup], int]:
    """The largest programmes in scope by planned budget (then code), then the projects in
    no programme; and how many programmes have projects in scope."""
    ids, count = repository.largest_programmes(session, scope, limit)
    groups = repository.figures_by_programme(session, scope, ids)
    sums = summarise(_figures(groups, lambda key: key[0] or _NO_PROGRAMME))
    refs = repository.list_programmes(session, [k for k in sums if k != _NO_PROGRAMME])
    rows = sorted((ProgrammeRollup(id=p.id, code=p.code, name=p.name, **_fields(sums[p.id]))
                   for p in refs), key=lambda row: (-row.planned, row.code or ""))
    closed = total(_figures(repository.figures_in_closed_programmes(session, scope),
                            lambda _key: _CLOSED))
    if closed.count:
        rows.append(ProgrammeRollup(id=None, code=None, name="Other programmes",
                                    **_fields(closed)))
    if _NO_PROGRAMME in sums:
        rows.append(ProgrammeRollup(id=None, code=None, name="No programme",
                                    **_fields(sums[_NO_PROGRAMME])))
    return rows, count


def _fields(totals: Totals) -> dict[str, Any]:
    """The TotalsRead fields of an engine Totals, for models that extend TotalsRead."""
    return TotalsRead.of(totals).model_dump()
