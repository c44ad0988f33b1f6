"""Implied dates: a full forward pass, and incremental propagation of changed dates."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from heapq import heappop, heappush

from epmo.engines.propagation.model import Dates, Impact, Link, Shift
from epmo.engines.propagation.network import Network


@dataclass(frozen=True, slots=True, eq=False)
class State:
    """Own (entered) dates and implied dates of every node of one network, by dense index.

    ``implied`` interleaves start and finish: ``implied[2 * v]`` and ``implied[2 * v + 1]``.
    """

    network: Network
    base_start: tuple[int, ...]
    duration: tuple[int, ...]
    implied: tuple[int, ...]

    def base(self, node: int) -> Dates:
        """A node's own (entered) dates."""
        v = self.network.dense(node)
        return Dates(self.base_start[v], self.base_start[v] + self.duration[v])

    def dates(self, node: int) -> Dates:
        """A node's implied dates: its own, pushed later by its predecessors where they must."""
        v = self.network.dense(node)
        return Dates(self.implied[2 * v], self.implied[2 * v + 1])


def full_recompute(network: Network, base: Mapping[int, Dates]) -> State:
    """Implied dates of every node from every node's own dates, in one topological pass."""
    starts, durations = _bases(network, base)
    implied = [0] * (2 * len(network))
    in_ptr, in_src, in_lag, in_fin = network.in_ptr, network.in_src, network.in_lag, network.in_fin
    for v in network.order:
        best, dv = starts[v], durations[v]
        for k in range(in_ptr[v], in_ptr[v + 1]):
            value = implied[in_src[k]] + in_lag[k]
            if in_fin[k]:
                value -= dv
            if value > best:
                best = value
        implied[2 * v] = best
        implied[2 * v + 1] = best + dv
    return State(network, tuple(starts), tuple(durations), tuple(implied))


def _bases(network: Network, base: Mapping[int, Dates]) -> tuple[list[int], list[int]]:
    """Own start and duration per dense index; every node needs dates, and only nodes."""
    if len(base) != len(network) or any(node not in base for node in network.ids):
        missing = [node for node in network.ids if node not in base][:5]
        extra = [node for node in base if node not in network.index][:5]
        raise ValueError(f"dates are needed for exactly the network's nodes; "
                         f"missing {missing}, unknown {extra}")
    dates = [base[node] for node in network.ids]
    return [d.start for d in dates], [d.finish - d.start for d in dates]


def propagate(network: Network, state: State, changes: Mapping[int, Dates]) -> Impact:
    """What changing some nodes' own dates does downstream; ``state`` is left as it was."""
    if state.network is not network:
        raise ValueError("the state was computed for another network")
    own = {network.dense(node): (d.start, d.duration) for node, d in changes.items()}
    found, visited, over = _drain(network, state, own)
    shifts = _shifts(network, state, found, over, own)
    return Impact(tuple(sorted(changes)), dict(sorted(changes.items())), shifts, visited)


def what_if(network: Network, state: State, slips: Mapping[int, int]) -> Impact:
    """The impact of moving nodes by a number of days from their implied dates, not saved."""
    changes = {node: state.dates(node).moved(days) for node, days in slips.items()}
    return propagate(network, state, changes)


def compare(before: State, after: State, sources: Iterable[int] = ()) -> Impact:
    """What a change of the network itself (a link added or removed) did: every node whose
    implied dates differ between the two states, upstream first, each with the link that holds
    it now (moved later) or held it before (pulled in). A node in only one network sat (or
    sits) on its own dates in the other."""
    network, position = after.network, after.network.position
    moved = sorted(_moved(before, after), key=lambda v: position[v])
    shifts: dict[int, Shift] = {}
    for node in [network.ids[v] for v in moved] + _left(before, after):
        old = before.dates(node) if node in before.network.index else after.base(node)
        new = after.dates(node) if node in network.index else before.base(node)
        shifts[node] = Shift(node, old.start, old.finish, new.start, new.finish,
                             _held_by(after, node), _cause(before, after, node, old, new))
    return Impact(tuple(sorted(sources)), {}, shifts, len(network))


def _moved(before: State, after: State) -> list[int]:
    """Dense indices (in ``after``) of the nodes whose implied dates differ; plain integer
    comparisons, since this runs over every node of a large network."""
    found, index = [], before.network.index
    now, was, base = after.implied, before.implied, after.base_start
    if before.network.ids == after.network.ids:  # the same nodes (a link between two ends)
        return sorted({i >> 1 for i, (x, y) in enumerate(zip(was, now, strict=True)) if x != y})
    for v, node in enumerate(after.network.ids):
        b = index.get(node)
        if b is None:
            if now[2 * v] != base[v]:  # new to the network and already pushed
                found.append(v)
        elif now[2 * v] != was[2 * b] or now[2 * v + 1] != was[2 * b + 1]:
            found.append(v)
    return found


def _left(before: State, after: State) -> list[int]:
    """Nodes that left the network while pushed: back on their own dates."""
    index, was, base = after.network.index, before.implied, before.base_start
    return [node for b, node in enumerate(before.network.ids)
            if node not in index and was[2 * b] != base[b]]


def _held_by(state: State, node: int) -> Link | None:
    """The link holding a node later than its own dates in ``state`` (None: not in it)."""
    if node not in state.network.index:
        return None
    k = _driver(state.network, state, state.network.index[node])
    return None if k < 0 else state.network.links[k]


def _cause(before: State, after: State, node: int, old: Dates, new: Dates) -> Link | None:
    """The link a network change reached ``node`` through: the one holding it now when it was
    pushed later, else the one that held it before."""
    later = new.start > old.start or new.finish > old.finish
    return _held_by(after, node) if later else _held_by(before, node)


def apply(state: State, impact: Impact) -> State:
    """A new state with the impact's changed own dates and moved implied dates."""
    network = state.network
    for shift in impact.shifts.values():  # cheap guard against applying to the wrong state
        if state.dates(shift.node) != shift.old:
            raise ValueError(f"the impact was not computed from this state (node {shift.node})")
    starts, durations = list(state.base_start), list(state.duration)
    for node, dates in impact.bases.items():
        v = network.dense(node)
        starts[v], durations[v] = dates.start, dates.duration
    implied = list(state.implied)
    for node, shift in impact.shifts.items():
        v = network.index[node]
        implied[2 * v], implied[2 * v + 1] = shift.new_start, shift.new_finish
    return State(network, tuple(starts), tuple(durations), tuple(implied))


def driver_of(network: Network, state: State, node: int) -> Link | None:
    """The link holding a node's implied dates later than its own, or None."""
    v = network.dense(node)
    k = _driver(network, state, v)
    return None if k < 0 else network.links[k]


def _driver(network: Network, state: State, v: int) -> int:
    """The link setting v's implied start in ``state`` (-1: its own start); the first of
    equals, by predecessor id (the same rule as ``_drain``)."""
    in_src, in_lag, in_fin, implied = network.in_src, network.in_lag, network.in_fin, state.implied
    best, driver, dv = state.base_start[v], -1, state.duration[v]
    for k in range(network.in_ptr[v], network.in_ptr[v + 1]):
        value = implied[in_src[k]] + in_lag[k] - (dv if in_fin[k] else 0)
        if value > best:
            best, driver = value, k
    return driver


def _drain(network: Network, state: State, own: Mapping[int, tuple[int, int]]
           ) -> tuple[list[tuple[int, int]], int, dict[int, int]]:
    """Recompute the changed nodes and, upstream first (a heap of topological places), the
    successors of every node that moves; (node, driving link) of those that moved, the count
    of nodes recomputed, and their new implied dates by slot."""
    order, position = network.order, network.position
    out_ptr, out_dst = network.out_ptr, network.out_dst
    in_ptr, in_src, in_lag, in_fin = network.in_ptr, network.in_src, network.in_lag, network.in_fin
    implied, base_start, duration = state.implied, state.base_start, state.duration
    over: dict[int, int] = {}
    get, found, queued = over.get, [], set(own)
    heap = sorted(position[v] for v in own)
    visited = 0
    while heap:
        v = order[heappop(heap)]
        visited += 1
        if v in own:
            best, dv = own[v]
        else:
            best, dv = base_start[v], duration[v]
        driver = -1
        for k in range(in_ptr[v], in_ptr[v + 1]):
            src = in_src[k]
            value = get(src, implied[src]) + in_lag[k]
            if in_fin[k]:
                value -= dv
            if value > best:
                best, driver = value, k
        if best == implied[2 * v] and best + dv == implied[2 * v + 1]:
            continue  # unchanged: nothing to pass on
        over[2 * v], over[2 * v + 1] = best, best + dv
        found.append((v, driver))
        for k in range(out_ptr[v], out_ptr[v + 1]):
            w = out_dst[k]
            if w not in queued:
                queued.add(w)
                heappush(heap, position[w])
    return found, visited, over


def _shifts(network: Network, state: State, found: list[tuple[int, int]], over: dict[int, int],
            own: Mapping[int, tuple[int, int]]) -> dict[int, Shift]:
    """Shift records of the nodes that moved, each with the link its change came through."""
    ids, links, implied, in_src = network.ids, network.links, state.implied, network.in_src
    moved = {v for v, _ in found}
    shifts: dict[int, Shift] = {}
    for v, driver in found:
        if driver >= 0 and in_src[driver] >> 1 in moved:
            cause = driver
        elif v in own:
            cause = -1  # its own dates changed
        else:  # a pull-in: the change came through the link that held it before
            cause = _driver(network, state, v)
        shifts[ids[v]] = Shift(ids[v], implied[2 * v], implied[2 * v + 1], over[2 * v],
                               over[2 * v + 1], links[driver] if driver >= 0 else None,
                               links[cause] if cause >= 0 else None)
    return shifts
