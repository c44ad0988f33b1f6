"""The impact grouped by project, programme, department, goal or any other key."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from epmo.engines.propagation.model import Impact

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class GroupImpact(Generic[K]):
    """How one group is hit: nodes moved, the largest slip and the node that has it."""

    key: K
    count: int
    max_slip: int  # negative when every moved node was pulled in
    worst: int  # the node with max_slip (smallest id on a tie)


def summarise(impact: Impact, groups: Mapping[int, Iterable[K]]) -> dict[K, GroupImpact[K]]:
    """Per group key of each moved node (``groups``: node -> its keys), in first-hit order."""
    found: dict[K, GroupImpact[K]] = {}
    for node, shift in impact.shifts.items():
        for key in groups.get(node, ()):
            seen = found.get(key)
            if seen is None:
                found[key] = GroupImpact(key, 1, shift.slip, node)
                continue
            better = (shift.slip, -node) > (seen.max_slip, -seen.worst)
            found[key] = GroupImpact(key, seen.count + 1, shift.slip if better else seen.max_slip,
                                     node if better else seen.worst)
    return found
