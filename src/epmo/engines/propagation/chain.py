"""Critical chains: the path that sets a group's end date, and every node's total float."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from epmo.engines.propagation.engine import State
from epmo.engines.propagation.model import Link
from epmo.engines.propagation.network import Network


@dataclass(frozen=True, slots=True)
class Chain:
    """The chain of binding links ending at a group's latest finish, and each node's float."""

    nodes: tuple[int, ...]  # first to last; the last finishes at ``finish``
    links: tuple[Link, ...]  # links[i] joins nodes[i] to nodes[i + 1]
    finish: int
    floats: Mapping[int, int]  # every node of the group: days it may slip without moving finish


def critical_chain(network: Network, state: State, nodes: Iterable[int]) -> Chain:
    """The longest path within ``nodes`` (by implied dates) and each node's total float."""
    if state.network is not network:
        raise ValueError("the state was computed for another network")
    group = sorted({network.dense(node) for node in nodes}, key=network.position.__getitem__)
    if not group:
        raise ValueError("a critical chain needs at least one node")
    implied = state.implied
    # Latest finish; on a tie the smallest id (dense order is id order).
    end = max(group, key=lambda v: (implied[2 * v + 1], -v))
    finish = implied[2 * end + 1]
    late = _late_starts(network, state, group, finish)
    floats = {network.ids[v]: late[v] - implied[2 * v] for v in sorted(group)}
    path, links = _walk_back(network, state, set(group), end)
    return Chain(path, links, finish, floats)


def _late_starts(network: Network, state: State, group: list[int], finish: int) -> dict[int, int]:
    """Latest start of each group node that keeps every group link and ``finish``."""
    in_src, in_lag, in_fin = network.in_src, network.in_lag, network.in_fin
    out_ptr, out_dst, out_link = network.out_ptr, network.out_dst, network.out_link
    duration = state.duration
    late: dict[int, int] = {}
    for v in reversed(group):  # successors first
        best = finish - duration[v]
        for j in range(out_ptr[v], out_ptr[v + 1]):
            w = out_dst[j]
            if w not in late:
                continue
            k = out_link[j]
            # succ.start >= pred slot + lag (- succ duration for a finish link), solved for v.
            bound = late[w] + (duration[w] if in_fin[k] else 0) - in_lag[k]
            bound -= duration[v] if in_src[k] & 1 else 0
            best = min(best, bound)
        late[v] = best
    return late


def _walk_back(network: Network, state: State, group: set[int],
               end: int) -> tuple[tuple[int, ...], tuple[Link, ...]]:
    """From ``end`` back along binding links within the group (smallest predecessor id first)."""
    implied, duration = state.implied, state.duration
    path, links = [end], []
    v = end
    while True:
        dv, start = duration[v], implied[2 * v]
        for k in range(network.in_ptr[v], network.in_ptr[v + 1]):
            src = network.in_src[k]
            value = implied[src] + network.in_lag[k] - (dv if network.in_fin[k] else 0)
            if src >> 1 in group and value == start:
                links.append(network.links[k])
                v = src >> 1
                path.append(v)
                break
        else:
            break
    ids = network.ids
    return tuple(ids[u] for u in reversed(path)), tuple(reversed(links))
