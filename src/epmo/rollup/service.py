"""The roll-up: status rows of one level and month mapped to the engine, and back with trends.

Reads only; no writes. Every figure comes from a few GROUP BY queries per month (see the
repository), then the pure engine rolls the groups up the node tree under each node's rule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Final

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from epmo.audit.caching import gc_paused
from epmo.auth.policy import Actor
from epmo.editing import depth_first
from epmo.engines.rollup import HEALTH_ORDER, Health, NodeStatus, Rule, StatusGroup, rollup_status
from epmo.engines.rollup import trend as trend_of
from epmo.reporting import health
from epmo.reporting.health import HealthRule
from epmo.rollup import policy, repository, repository_level
from epmo.rollup.months import Month, month_of, parse_month
from epmo.rollup.repository import Node, StatusRow
from epmo.rollup.repository_level import LevelRead
from epmo.rollup.schemas import ColourCounts, Level, RollupRead, RollupRow

_COLOURS: Final[Mapping[str, Health]] = {c: c for c in HEALTH_ORDER}
_TREES: Final = frozenset({"department", "goal"})


def resolve_month(session: Session, period: str | None, today: date) -> Month:
    """The month asked for; by default the latest month anyone reported for (else today's)."""
    if period is not None:
        return parse_month(period)
    return month_of(repository.latest_report_start(session) or today)


def get_rollup(session: Session, actor: Actor, level: Level, period: str | None = None,
               rule: Rule | None = None, today: date | None = None,
               status: str = "active") -> RollupRead:
    """Every node of ``level`` the actor may see, with its status in the month and its trend.

    ``status``: active work (the default), closed (closed or cancelled) or all; colours are
    the ones the charter says count (``reporting.health``)."""
    month = resolve_month(session, period, today or date.today())
    nodes = repository.list_nodes(session, level, policy.node_scope(actor, level))
    projects = policy.readable_projects(actor)
    counts = health.load_rule(session)
    with gc_paused():  # thousands of small rows and sums, none in cycles (audit.caching)
        read = repository_level.read_level(session, level, month, projects, counts, status)
        rows = _level_rows(level, nodes, rule, read)
    seen = read.seen
    closed = read.closed if status == "active" else None
    return RollupRead(
        level=level, period=month.label, previous_period=month.previous().label,
        rule=shown_rule(level, rule), carried_forward=seen.carried,
        unreported=seen.unreported,
        note=note(month, seen.total, seen.carried, seen.unreported), rows=rows, status=status,
        closed=closed, health_basis=counts.basis, disagreements=seen.differing,
    )


def subject_choices(session: Session, actor: Actor) -> tuple[list[Node], list[Node]]:
    """The departments and portfolios the actor may build a pack or heatmap for."""
    departments = repository.list_nodes(session, "department",
                                        policy.node_scope(actor, "department"))
    ordered = [node for node, _ in depth_first(departments, lambda n: n.id,
                                               lambda n: n.parent_id)]
    portfolios = repository.list_nodes(session, "portfolio", policy.node_scope(actor, "portfolio"))
    return ordered, portfolios


def shown_rule(level: str, rule: Rule | None) -> Rule | None:
    """The rule the response states: the override, else worst (portfolios: their own)."""
    if rule is not None or level == "portfolio":
        return rule
    return "worst"


def note(month: Month, total: int, carried: int, unknown: int = 0) -> str:
    """How the month's statuses were found, in one sentence for people."""
    base = (f"{total} projects have a status for {month.label}: their latest report for a "
            f"period starting in or before that month.")
    if carried:
        base += (f" For {carried} of them the status is carried forward from an earlier "
                 f"month (no report for {month.label}).")
    if unknown:
        base += (f" {unknown} more have never reported: their health is unknown (grey), "
                 "not green, and no rule counts them as green.")
    return base


def level_rows(session: Session, level: str, month: Month, nodes: Sequence[Node],
               projects: ColumnElement[bool], rule: Rule | None,
               counts: HealthRule | None = None, status: str = "active") -> list[RollupRow]:
    """Rows of the nodes (as a tree for departments and goals) for a month and the one before."""
    counts = counts or health.load_rule(session)
    read = repository_level.read_level(session, level, month, projects, counts, status)
    return _level_rows(level, nodes, rule, read)


def _level_rows(level: str, nodes: Sequence[Node], rule: Rule | None,
                read: LevelRead) -> list[RollupRow]:
    """The rows of the nodes from a level's read of both months."""
    ids = {node.id for node in nodes}
    tree = level in _TREES
    parents = {n.id: (n.parent_id if tree and n.parent_id in ids else None) for n in nodes}
    rules = {n.id: rule or _own_rule(n) for n in nodes}
    now = _statuses(read.now, parents, rules)
    differing = _differing(read.now, parents)
    before = _statuses(read.before, parents, rules)
    ordered = depth_first(nodes, lambda n: n.id, lambda n: parents[n.id])
    return [_row(node, depth, parents[node.id], now[node.id], before[node.id],
                 differing.get(node.id, 0))
            for node, depth in ordered]


def _own_rule(node: Node) -> Rule:
    """A portfolio's own rule; worst for every other node."""
    return "weighted" if node.rule == "weighted" else "worst"


def _statuses(rows: Sequence[StatusRow], parents: Mapping[int, int | None],
              rules: Mapping[int, Rule]) -> dict[int, NodeStatus]:
    """The engine's status of every node in one month."""
    groups = [group for row in rows if (group := _group(row, parents)) is not None]
    return rollup_status(groups, parents, rules)


def _differing(rows: Sequence[StatusRow], parents: Mapping[int, int | None]) -> dict[int, int]:
    """Projects per node (its subtree included, each once) whose reported and derived colours
    differ."""
    found: dict[int, int] = {}
    for row in rows:
        if not row.differs:
            continue
        reached: set[int] = set()
        for node in {int(k) for k in str(row.key).split(",")} & parents.keys():
            current: int | None = node
            while current is not None and current not in reached:
                reached.add(current)
                current = parents.get(current)
        for node in reached:
            found[node] = found.get(node, 0) + row.differs
    return found


def _group(row: StatusRow, parents: Mapping[int, int | None]) -> StatusGroup | None:
    """An engine group from a status row, on the nodes the actor sees (None: on none)."""
    keys = {int(k) for k in str(row.key).split(",")}
    nodes = frozenset(keys & parents.keys())
    if not nodes:
        return None
    return StatusGroup(nodes, _COLOURS.get(row.colour or ""), row.count, row.planned,
                       row.forecast, row.unbudgeted, row.carried)


def _row(node: Node, depth: int, parent: int | None, now: NodeStatus,
         before: NodeStatus, differing: int = 0) -> RollupRow:
    """One response row."""
    return RollupRow(
        id=node.id, code=node.code, name=node.name, parent_id=parent, depth=depth,
        rule=now.rule, colour=now.colour, score=_score(now), count=now.count,
        counts=ColourCounts(**now.counts), carried_forward=now.carried,
        planned=now.planned, forecast=now.forecast, previous_colour=before.colour,
        trend=trend_of(now.colour, before.colour), disagreements=differing,
    )


def _score(status: NodeStatus) -> Decimal | None:
    """The weighted mean score with two decimals."""
    if status.score is None:
        return None
    exact = Decimal(status.score.numerator) / Decimal(status.score.denominator)
    return exact.quantize(Decimal("0.01"))
