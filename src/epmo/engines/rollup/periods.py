"""Status roll-up for one reporting period, by a selectable rule, and trends between periods.

Each project has one colour per period. A node's colour is computed over the projects of its
whole subtree, each counted once, by one of two rules:

- ``worst``: the worst colour any counted project has.
- ``weighted``: the budget-weighted mean of the scores green=0, amber=1, red=2, where a
  project weighs its planned budget, and a project without a planned budget weighs 1. The
  mean maps back to a colour by fixed cut-offs: below 0.5 green, below 1.5 amber, else red.

Projects without a recognised colour are counted (as ``unknown``) but carry no weight.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Final, Literal

from epmo.engines.rollup.engine import HEALTH_ORDER, UNKNOWN, Health, Rating, _bottom_up

Rule = Literal["worst", "weighted"]
Trend = Literal["improved", "worsened", "unchanged", "new"]
RULES: Final[tuple[Rule, Rule]] = ("worst", "weighted")
SCORES: Final[Mapping[str, int]] = MappingProxyType({"green": 0, "amber": 1, "red": 2})
GREEN_BELOW: Final = Fraction(1, 2)  # a weighted mean below this is green
AMBER_BELOW: Final = Fraction(3, 2)  # below this (and not green) amber; from here on red
_LABELS: Final[tuple[Rating, ...]] = (*HEALTH_ORDER, UNKNOWN)
_ZERO: Final = Decimal(0)


@dataclass(frozen=True, slots=True)
class StatusGroup:
    """Projects with the same direct nodes and colour in one period, with their sums.

    ``nodes`` are the nodes the projects belong to directly (one department, or every goal
    they serve); the group counts once in each of them and in each of their ancestors.
    ``unbudgeted`` of the ``count`` projects have no planned budget (each weighs 1);
    ``carried`` of them took their status from an earlier period.
    """

    nodes: frozenset[int]
    colour: Health | None
    count: int = 1
    planned: Decimal = _ZERO
    forecast: Decimal = _ZERO
    unbudgeted: int = 0
    carried: int = 0

    def __post_init__(self) -> None:
        # Rows come from a database, so the Literal type alone cannot be trusted at runtime.
        if not self.nodes:
            raise ValueError("a status group needs at least one node")
        if self.colour is not None and self.colour not in SCORES:
            raise ValueError(f"nodes {sorted(self.nodes)}: unknown colour {self.colour!r}")
        if self.count < 0 or not 0 <= self.unbudgeted <= self.count:
            raise ValueError(f"nodes {sorted(self.nodes)}: need 0 <= unbudgeted <= count")
        if not 0 <= self.carried <= self.count:
            raise ValueError(f"nodes {sorted(self.nodes)}: need 0 <= carried <= count")

    @property
    def weight(self) -> Decimal:
        """The group's weight under the weighted rule (0 when it has no colour)."""
        if self.colour is None or self.count == 0:
            return _ZERO
        return max(self.planned, _ZERO) + self.unbudgeted


def project(node: int, colour: Health | None, planned: Decimal = _ZERO,
            forecast: Decimal = _ZERO, carried: bool = False) -> StatusGroup:
    """The group of a single project in a single node."""
    return StatusGroup(frozenset({node}), colour, 1, planned, forecast,
                       unbudgeted=1 if planned <= 0 else 0, carried=1 if carried else 0)


@dataclass(frozen=True, slots=True)
class NodeStatus:
    """A node's rolled-up status for one period under ``rule``."""

    node_id: int
    rule: Rule
    colour: Rating
    score: Fraction | None  # budget-weighted mean score, None when nothing has a colour
    count: int
    counts: Mapping[str, int] = field(default_factory=dict)  # green/amber/red/unknown
    planned: Decimal = _ZERO
    forecast: Decimal = _ZERO
    carried: int = 0


class _Acc:
    """Running sums of one node."""

    __slots__ = ("carried", "counts", "forecast", "planned", "weights")

    def __init__(self) -> None:
        """Start from zero."""
        self.counts = [0, 0, 0, 0]
        self.weights = [_ZERO, _ZERO, _ZERO]
        self.planned = _ZERO
        self.forecast = _ZERO
        self.carried = 0

    def add(self, group: StatusGroup) -> None:
        """Add one group of projects."""
        i = 3 if group.colour is None else SCORES[group.colour]
        self.counts[i] += group.count
        if i < 3:
            self.weights[i] += group.weight
        self.planned += group.planned
        self.forecast += group.forecast
        self.carried += group.carried

    def merge(self, other: _Acc) -> None:
        """Add another node's sums into this one."""
        for i in range(4):
            self.counts[i] += other.counts[i]
        for i in range(3):
            self.weights[i] += other.weights[i]
        self.planned += other.planned
        self.forecast += other.forecast
        self.carried += other.carried

    def status(self, node_id: int, rule: Rule) -> NodeStatus:
        """Freeze the sums into the node's status under ``rule``."""
        score = _mean(self.counts, self.weights)
        colour = _worst(self.counts) if rule == "worst" else _colour_of(score)
        return NodeStatus(
            node_id=node_id, rule=rule, colour=colour, score=score, count=sum(self.counts),
            counts=MappingProxyType(dict(zip(_LABELS, self.counts, strict=True))),
            planned=self.planned, forecast=self.forecast, carried=self.carried,
        )


def _worst(counts: list[int]) -> Rating:
    """The worst colour with at least one project, else unknown."""
    for i in (2, 1, 0):
        if counts[i]:
            return HEALTH_ORDER[i]
    return UNKNOWN


def _mean(counts: list[int], weights: list[Decimal]) -> Fraction | None:
    """Weighted mean score; None when no project has a colour."""
    total = sum(weights, _ZERO)
    if total <= 0:
        # Budgets given as zero without being counted as unbudgeted: count projects instead.
        total, weights = Decimal(sum(counts[:3])), [Decimal(c) for c in counts[:3]]
        if total == 0:
            return None
    return Fraction(weights[1] + 2 * weights[2]) / Fraction(total)


def _colour_of(score: Fraction | None) -> Rating:
    """The colour a weighted mean score maps to by the documented cut-offs."""
    if score is None:
        return UNKNOWN
    if score < GREEN_BELOW:
        return "green"
    return "amber" if score < AMBER_BELOW else "red"


def rate(groups: Iterable[StatusGroup], rule: Rule) -> Rating:
    """The colour of a set of projects under ``rule`` (nodes ignored)."""
    acc = _Acc()
    for group in groups:
        acc.add(group)
    return acc.status(0, rule).colour


def rollup_status(
    groups: Iterable[StatusGroup], parents: Mapping[int, int | None],
    rules: Rule | Mapping[int, Rule] = "worst",
) -> dict[int, NodeStatus]:
    """Every node's status over its subtree's projects, each project counted once per node.

    ``rules`` is one rule for all nodes or a rule per node (missing nodes: worst).
    """
    order = _bottom_up(parents)  # also checks every parent is a node and there is no cycle
    merged = {node: _Acc() for node in parents}  # single-node groups, merged up the tree
    spread: dict[int, _Acc] = {}  # multi-node groups, added once to every node they reach
    reach: dict[frozenset[int], frozenset[int]] = {}
    for group in groups:
        if len(group.nodes) == 1:
            merged[_known(next(iter(group.nodes)), parents)].add(group)
            continue
        if group.nodes not in reach:
            reach[group.nodes] = _reach(group.nodes, parents)
        for node in reach[group.nodes]:
            spread.setdefault(node, _Acc()).add(group)
    for node in order:
        parent = parents[node]
        if parent is not None:
            merged[parent].merge(merged[node])
    for node, acc in spread.items():
        merged[node].merge(acc)
    return {node: merged[node].status(node, _rule(rules, node)) for node in parents}


def _rule(rules: Rule | Mapping[int, Rule], node: int) -> Rule:
    """The rule of one node."""
    if isinstance(rules, str):
        return rules
    return rules.get(node, "worst")


def _known(node: int, parents: Mapping[int, int | None]) -> int:
    """The node, if it is one of ``parents``' nodes."""
    if node not in parents:
        raise ValueError(f"a status group refers to node {node}, which is not in parents")
    return node


def _reach(nodes: frozenset[int], parents: Mapping[int, int | None]) -> frozenset[int]:
    """The nodes and all their ancestors (parents are known to be acyclic)."""
    found: set[int] = set()
    for node in nodes:
        current: int | None = _known(node, parents)
        while current is not None and current not in found:
            found.add(current)
            current = parents[current]
    return frozenset(found)


def trend(current: Rating, previous: Rating | None) -> Trend | None:
    """How a colour moved since the previous period (None: no colour now)."""
    if current == UNKNOWN:
        return None
    if previous is None or previous == UNKNOWN:
        return "new"
    now, before = SCORES[current], SCORES[previous]
    if now == before:
        return "unchanged"
    return "improved" if now < before else "worsened"


def trends(current: Mapping[int, NodeStatus],
           previous: Mapping[int, NodeStatus]) -> dict[int, Trend | None]:
    """The trend of every current node against the same node in the previous period."""
    return {
        node: trend(status.colour, previous[node].colour if node in previous else None)
        for node, status in current.items()
    }
