"""Budget and health roll-up over a department/goal tree, in one bottom-up pass."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType
from typing import Final, Literal

Health = Literal["green", "amber", "red"]
Rating = Literal["green", "amber", "red", "unknown"]

HEALTH_ORDER: Final[tuple[Health, Health, Health]] = ("green", "amber", "red")
UNKNOWN: Final = "unknown"
# Index 3 holds the projects with no reported health, after the three real ratings.
_LABELS: Final[tuple[Rating, Rating, Rating, Rating]] = (*HEALTH_ORDER, UNKNOWN)
_INDEX: Final[Mapping[str | None, int]] = {"green": 0, "amber": 1, "red": 2, None: 3}
_ZERO: Final = Decimal(0)


@dataclass(slots=True)  # not frozen: an overview builds 4,440 (19 ms frozen, 7 ms not)
class Figures:
    """One leaf group of projects (same node, same health) with their budget sums.

    A project's unknown money figure is left out of its sum and counted in ``missing_*``.
    ``compared`` projects know both planned and forecast, and ``compared_variance`` is their
    summed forecast - planned; None for both means every project knows both.
    """

    node_id: int
    count: int
    planned: Decimal
    actual: Decimal
    forecast: Decimal
    health: Health | None
    missing_planned: int = 0
    missing_actual: int = 0
    missing_forecast: int = 0
    compared: int | None = None
    compared_variance: Decimal | None = None

    def __post_init__(self) -> None:
        # Rows come from a database, so the Literal type alone cannot be trusted at runtime.
        if self.count < 0:
            raise ValueError(f"node {self.node_id}: count must be >= 0, got {self.count}")
        if self.health not in _INDEX:
            raise ValueError(f"node {self.node_id}: unknown health {self.health!r}")


@dataclass(frozen=True, slots=True)
class Totals:
    """Summed budgets and health of one node (or of everything, with node_id 0)."""

    node_id: int
    count: int
    planned: Decimal
    actual: Decimal
    forecast: Decimal
    health_counts: Mapping[str, int]
    worst: Rating
    weighted: Rating
    variance: Decimal  # forecast - planned over the ``compared`` projects that know both
    missing_planned: int = 0
    missing_actual: int = 0
    missing_forecast: int = 0
    compared: int = 0


class _Acc:
    """Mutable running sums for one node; fixed size so merging is O(1)."""

    __slots__ = ("actual", "compared", "count", "counts", "forecast", "missing", "planned",
                 "variance", "weights")

    def __init__(self) -> None:
        """Start from zero."""
        self.count = 0
        self.planned = _ZERO
        self.actual = _ZERO
        self.forecast = _ZERO
        self.counts = [0, 0, 0, 0]
        self.weights = [_ZERO, _ZERO, _ZERO]
        self.missing = [0, 0, 0]  # projects without a planned, actual, forecast figure
        self.compared = 0
        self.variance = _ZERO

    def add(self, fig: Figures) -> None:
        """Add one leaf group."""
        self.count += fig.count
        self.planned += fig.planned
        self.actual += fig.actual
        self.forecast += fig.forecast
        self.missing[0] += fig.missing_planned
        self.missing[1] += fig.missing_actual
        self.missing[2] += fig.missing_forecast
        self.compared += fig.count if fig.compared is None else fig.compared
        self.variance += (fig.forecast - fig.planned if fig.compared_variance is None
                          else fig.compared_variance)
        # A group of zero projects has money but no projects whose health could contribute.
        if fig.count == 0:
            return
        i = _INDEX[fig.health]
        self.counts[i] += fig.count
        if i < 3:
            # A negative budget must not pull the mean outside the reported ratings.
            self.weights[i] += max(fig.planned, _ZERO)

    def merge(self, other: _Acc) -> None:
        """Add another node's sums (a child's subtree) into this one."""
        self.count += other.count
        self.planned += other.planned
        self.actual += other.actual
        self.forecast += other.forecast
        for i in range(4):
            self.counts[i] += other.counts[i]
        for i in range(3):
            self.weights[i] += other.weights[i]
            self.missing[i] += other.missing[i]
        self.compared += other.compared
        self.variance += other.variance

    def totals(self, node_id: int) -> Totals:
        """Freeze the sums into a Totals for node_id."""
        return Totals(
            node_id=node_id,
            count=self.count,
            planned=self.planned,
            actual=self.actual,
            forecast=self.forecast,
            health_counts=MappingProxyType(dict(zip(_LABELS, self.counts, strict=True))),
            worst=_worst(self.counts),
            weighted=_weighted(self.counts, self.weights),
            variance=self.variance,
            missing_planned=self.missing[0],
            missing_actual=self.missing[1],
            missing_forecast=self.missing[2],
            compared=self.compared,
        )


def _worst(counts: list[int]) -> Rating:
    """Worst reported rating with at least one project, else unknown."""
    for i in (2, 1, 0):
        if counts[i]:
            return HEALTH_ORDER[i]
    return UNKNOWN


def _weighted(counts: list[int], weights: list[Decimal]) -> Rating:
    """Budget-weighted mean rating; count-weighted when every budget is zero."""
    w = weights if sum(weights) > 0 else [Decimal(c) for c in counts[:3]]
    total_w = sum(w, _ZERO)
    if total_w == 0:
        return UNKNOWN
    # Compare 2*score with the weight instead of dividing, so thresholds are exact.
    doubled = 2 * (w[1] + 2 * w[2])
    if doubled < total_w:
        return "green"
    return "amber" if doubled < 3 * total_w else "red"


def summarise(figures: Iterable[Figures]) -> dict[int, Totals]:
    """Totals per node from that node's own figures only."""
    accs: dict[int, _Acc] = {}
    for fig in figures:
        acc = accs.get(fig.node_id)
        if acc is None:
            acc = accs[fig.node_id] = _Acc()
        acc.add(fig)
    return {node: acc.totals(node) for node, acc in accs.items()}


def total(figures: Iterable[Figures]) -> Totals:
    """Totals of all figures together, reported under node_id 0."""
    acc = _Acc()
    for fig in figures:
        acc.add(fig)
    return acc.totals(0)


def rollup(figures: Iterable[Figures], parents: Mapping[int, int | None]) -> dict[int, Totals]:
    """Totals per node over its own figures plus those of every descendant."""
    order = _bottom_up(parents)
    accs = {node: _Acc() for node in parents}
    for fig in figures:
        acc = accs.get(fig.node_id)
        if acc is None:
            raise ValueError(f"figures refer to node {fig.node_id}, which is not in parents")
        acc.add(fig)
    for node in order:
        parent = parents[node]
        if parent is not None:
            accs[parent].merge(accs[node])
    return {node: accs[node].totals(node) for node in parents}


def tree_totals(figures: Iterable[Figures], parents: Mapping[int, int | None]
                ) -> tuple[dict[int, Totals], dict[int, Totals], Totals]:
    """``summarise(figures)``, ``rollup(figures, parents)`` and ``total(figures)`` from one
    pass over the figures: the rolled and grand sums merge the nodes' own sums."""
    order = _bottom_up(parents)
    own: dict[int, _Acc] = {}
    for fig in figures:
        acc = own.get(fig.node_id)
        if acc is None:
            if fig.node_id not in parents:
                raise ValueError(f"figures refer to node {fig.node_id}, which is not in parents")
            acc = own[fig.node_id] = _Acc()
        acc.add(fig)
    rolled = {node: _Acc() for node in parents}
    everything = _Acc()
    for node, acc in own.items():
        rolled[node].merge(acc)
        everything.merge(acc)
    for node in order:
        parent = parents[node]
        if parent is not None:
            rolled[parent].merge(rolled[node])
    return ({node: acc.totals(node) for node, acc in own.items()},
            {node: rolled[node].totals(node) for node in parents}, everything.totals(0))


def _bottom_up(parents: Mapping[int, int | None]) -> list[int]:
    """Nodes ordered children before parents (Kahn's algorithm from the leaves)."""
    pending = dict.fromkeys(parents, 0)
    for node, parent in parents.items():
        if parent is None:
            continue
        if parent not in pending:
            raise ValueError(f"node {node} has parent {parent}, which is not in parents")
        pending[parent] += 1
    order = [node for node, n in pending.items() if n == 0]
    for node in order:  # appending while iterating is the queue
        parent = parents[node]
        if parent is not None:
            pending[parent] -= 1
            if pending[parent] == 0:
                order.append(parent)
    if len(order) < len(parents):
        raise ValueError(f"cycle in parents: {_find_cycle(parents, set(order))}")
    return order


def _find_cycle(parents: Mapping[int, int | None], done: set[int]) -> str:
    """Describe one cycle among the nodes Kahn's algorithm could not order."""
    # In a parent-pointer graph the unordered nodes are exactly the cycle members.
    node: int | None = next(n for n in parents if n not in done)
    position: dict[int, int] = {}
    while node is not None and node not in position:
        position[node] = len(position)
        node = parents[node]
    if node is None:  # unreachable while Kahn's invariant holds; keeps the type checker honest
        raise AssertionError("unordered node reached a root")
    cycle = list(position)[position[node] :]
    start = cycle.index(min(cycle))
    ring = cycle[start:] + cycle[:start]
    return " -> ".join(str(n) for n in [*ring, ring[0]])
