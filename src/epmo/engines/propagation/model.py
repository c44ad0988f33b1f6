"""Inputs and outputs of the change-propagation engine: links, dates, shifts and impacts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal, get_args

LinkType = Literal["FS", "SS", "FF", "SF"]
LINK_TYPES: Final[tuple[LinkType, ...]] = get_args(LinkType)
# Order of the types when several links join the same two nodes (ties between drivers).
TYPE_RANK: Final[Mapping[str, int]] = {kind: rank for rank, kind in enumerate(LINK_TYPES)}


@dataclass(frozen=True, slots=True)
class Link:
    """Successor's start (xS) or finish (xF) no earlier than predecessor's finish (Fx) or
    start (Sx) plus ``lag`` days (negative: a lead)."""

    pred: int
    succ: int
    type: LinkType = "FS"
    lag: int = 0

    def __post_init__(self) -> None:
        # Rows come from a database or a form, so the Literal type alone is not a guarantee.
        if self.type not in TYPE_RANK:
            raise ValueError(f"link {self.pred} -> {self.succ}: unknown type {self.type!r}")

    @property
    def from_finish(self) -> bool:
        """True when the predecessor's finish (FS, FF) is what constrains."""
        return self.type[0] == "F"

    @property
    def to_finish(self) -> bool:
        """True when the successor's finish (FF, SF) is what is constrained."""
        return self.type[1] == "F"


@dataclass(frozen=True, slots=True)
class Dates:
    """Start and finish as day ordinals; a milestone has start == finish."""

    start: int
    finish: int

    def __post_init__(self) -> None:
        if self.finish < self.start:
            raise ValueError(f"finish {self.finish} is before start {self.start}")

    @property
    def duration(self) -> int:
        """Days from start to finish, kept when the node moves."""
        return self.finish - self.start

    def moved(self, days: int) -> Dates:
        """The same dates ``days`` later (earlier when negative)."""
        return Dates(self.start + days, self.finish + days)


class CycleError(ValueError):
    """The links close a cycle; ``cycle`` lists its node ids, first == last."""

    def __init__(self, cycle: tuple[int, ...]) -> None:
        super().__init__(f"cycle: {describe_cycle(cycle)}")
        self.cycle = cycle


def describe_cycle(cycle: tuple[int, ...]) -> str:
    """The cycle in words: ``1 -> 2 -> 3 -> 1``."""
    return " -> ".join(str(node) for node in cycle)


@dataclass(frozen=True, slots=True)
class Shift:
    """One node whose implied dates moved, and why."""

    node: int
    # Plain numbers rather than two Dates: a wide cascade makes one of these per moved node.
    old_start: int
    old_finish: int
    new_start: int
    new_finish: int
    driver: Link | None  # the link now holding the node back; None: its own dates
    cause: Link | None  # the link the change arrived through; None: its own dates changed

    @property
    def old(self) -> Dates:
        """Implied dates before the change."""
        return Dates(self.old_start, self.old_finish)

    @property
    def new(self) -> Dates:
        """Implied dates after the change."""
        return Dates(self.new_start, self.new_finish)

    @property
    def slip(self) -> int:
        """Days the finish moved (negative: pulled in); a milestone's only date."""
        return self.new_finish - self.old_finish

    @property
    def start_slip(self) -> int:
        """Days the start moved."""
        return self.new_start - self.old_start


@dataclass(frozen=True, slots=True)
class Impact:
    """What one set of changes does: every node whose implied dates moved, upstream first."""

    sources: tuple[int, ...]  # the changed nodes, by id
    bases: Mapping[int, Dates]  # their new own (entered) dates
    shifts: Mapping[int, Shift]  # in topological order
    visited: int  # nodes recomputed (the work done; the rest was not touched)

    def path_to(self, node: int) -> tuple[int, ...]:
        """The nodes the change travelled through to reach ``node``, ending with it."""
        if node not in self.shifts:
            raise KeyError(f"node {node} did not move")
        path = [node]
        cause = self.shifts[node].cause
        # A cause comes from a node that moved (only moved nodes pass a change on), or, when a
        # link itself changed (``compare``), from the unmoved predecessor the path starts at.
        while cause is not None and cause.pred not in path:
            path.append(cause.pred)
            shift = self.shifts.get(cause.pred)
            cause = shift.cause if shift is not None else None
        return tuple(reversed(path))
