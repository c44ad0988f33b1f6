"""The dependency network built once: dense indices, flat adjacency, topological order."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from epmo.engines.propagation.model import TYPE_RANK, CycleError, Link


@dataclass(frozen=True, slots=True, eq=False)
class Network:
    """Nodes and links in flat tuples indexed by a dense node index (ids in ascending order).

    Incoming links of node ``v`` are ``links[in_ptr[v]:in_ptr[v + 1]]``, by predecessor id;
    link ``k`` reads slot ``in_src[k]`` of the implied dates (``2 * pred`` its start,
    ``2 * pred + 1`` its finish), adds ``in_lag[k]`` and constrains the successor's finish
    when ``in_fin[k]``, else its start. Outgoing links of ``v`` are
    ``out_dst/out_link[out_ptr[v]:out_ptr[v + 1]]``.
    """

    ids: tuple[int, ...]
    index: Mapping[int, int]
    links: tuple[Link, ...]
    in_ptr: tuple[int, ...]
    in_src: tuple[int, ...]
    in_lag: tuple[int, ...]
    in_fin: tuple[bool, ...]
    out_ptr: tuple[int, ...]
    out_dst: tuple[int, ...]
    out_link: tuple[int, ...]
    order: tuple[int, ...]  # dense indices, predecessors first
    position: tuple[int, ...]  # dense index -> place in order

    def __len__(self) -> int:
        return len(self.ids)

    def dense(self, node: int) -> int:
        """The dense index of a node id; ValueError naming an unknown id."""
        try:
            return self.index[node]
        except KeyError:
            raise ValueError(f"node {node} is not in the network") from None


def build_network(nodes: Iterable[int], links: Iterable[Link]) -> Network:
    """Index the nodes and links; CycleError naming a cycle when the links close one."""
    ids = tuple(sorted(set(nodes)))
    index = {node: i for i, node in enumerate(ids)}
    rows = _rows(index, links)
    ordered = tuple([row[5] for row in rows])
    succs, preds = [row[0] for row in rows], [row[1] for row in rows]
    in_ptr = _pointers(len(ids), succs)
    in_src = tuple([2 * row[1] + row[5].from_finish for row in rows])
    out_ptr, out_dst, out_link = _outgoing(len(ids), succs, preds)
    order = _topological(in_ptr, out_ptr, out_dst)
    if len(order) < len(ids):
        raise CycleError(_cycle_among(ids, in_ptr, in_src, set(order)))
    position = [0] * len(ids)
    for place, v in enumerate(order):
        position[v] = place
    return Network(
        ids=ids, index=index, links=ordered, in_ptr=in_ptr, in_src=in_src,
        in_lag=tuple([link.lag for link in ordered]),
        in_fin=tuple([link.to_finish for link in ordered]),
        out_ptr=out_ptr, out_dst=out_dst, out_link=out_link,
        order=tuple(order), position=tuple(position),
    )


_Row = tuple[int, int, int, int, int, Link]


def _rows(index: Mapping[int, int], links: Iterable[Link]) -> list[_Row]:
    """Links as (succ, pred, type rank, lag, input place, link), sorted: the order of drivers."""
    listed = list(links)
    try:
        rows = [(index[ln.succ], index[ln.pred], TYPE_RANK[ln.type], ln.lag, k, ln)
                for k, ln in enumerate(listed)]
    except KeyError:
        bad = next(ln for ln in listed if ln.pred not in index or ln.succ not in index)
        end = bad.pred if bad.pred not in index else bad.succ
        message = f"link {bad.pred} -> {bad.succ}: node {end} is not in the network"
        raise ValueError(message) from None
    rows.sort()
    return rows


def _outgoing(size: int, succs: list[int], preds: list[int]) -> tuple[tuple[int, ...], ...]:
    """Outgoing offsets, successors and link numbers, grouped by predecessor (a counting sort:
    the links are in successor order already, so each group comes out by successor)."""
    ptr = _pointers(size, preds)
    fill = list(ptr[:-1])
    dst, numbers = [0] * len(preds), [0] * len(preds)
    for k, (succ, pred) in enumerate(zip(succs, preds, strict=True)):
        j = fill[pred]
        fill[pred] = j + 1
        dst[j], numbers[j] = succ, k
    return ptr, tuple(dst), tuple(numbers)


def _pointers(size: int, owners: list[int]) -> tuple[int, ...]:
    """Start offsets per node (plus the end) of a list grouped by owner."""
    ptr = [0] * (size + 1)
    for owner in owners:
        ptr[owner + 1] += 1
    for i in range(size):
        ptr[i + 1] += ptr[i]
    return tuple(ptr)


def _topological(in_ptr: tuple[int, ...], out_ptr: tuple[int, ...],
                 out_dst: tuple[int, ...]) -> list[int]:
    """Kahn's order, sources and successors by id so it is the same for the same network;
    shorter than the network when there is a cycle."""
    waiting = [in_ptr[v + 1] - in_ptr[v] for v in range(len(in_ptr) - 1)]
    order = [v for v, count in enumerate(waiting) if count == 0]
    for v in order:  # appending while iterating is the queue
        for k in range(out_ptr[v], out_ptr[v + 1]):
            w = out_dst[k]
            waiting[w] -= 1
            if waiting[w] == 0:
                order.append(w)
    return order


def _cycle_among(ids: tuple[int, ...], in_ptr: tuple[int, ...], in_src: tuple[int, ...],
                 ordered: set[int]) -> tuple[int, ...]:
    """One cycle among the nodes Kahn's algorithm could not order, from its smallest id."""
    # Every such node still waits for a predecessor that is also unordered, so walking
    # back through those (smallest id first) must come round to a node already seen.
    v = next(i for i in range(len(ids)) if i not in ordered)
    seen: dict[int, int] = {}
    while v not in seen:
        seen[v] = len(seen)
        v = next(in_src[k] >> 1 for k in range(in_ptr[v], in_ptr[v + 1])
                 if in_src[k] >> 1 not in ordered)
    backwards = list(seen)[seen[v]:]
    ring = [ids[i] for i in reversed(backwards)]
    first = ring.index(min(ring))
    ring = ring[first:] + ring[:first]
    return (*ring, ring[0])


def closes_cycle(network: Network, pred: int, succ: int) -> tuple[int, ...] | None:
    """The cycle a new link ``pred -> succ`` would close (``pred, succ, ..., pred``), else None."""
    p, s = network.dense(pred), network.dense(succ)
    if p == s:
        return (pred, pred)
    limit = network.position[p]
    if network.position[s] > limit:  # s comes after p, so nothing from s leads back to p
        return None
    came_from = {s: s}
    queue = deque([s])
    while queue:
        v = queue.popleft()
        for k in range(network.out_ptr[v], network.out_ptr[v + 1]):
            w = network.out_dst[k]
            if w not in came_from and network.position[w] <= limit:
                came_from[w] = v
                if w == p:
                    return _closed(network, came_from, p, s)
                queue.append(w)
    return None


def _closed(network: Network, came_from: dict[int, int], p: int, s: int) -> tuple[int, ...]:
    """The path found from s back to p, as ids ``p, s, ..., p``."""
    path = [p]
    while path[-1] != s:
        path.append(came_from[path[-1]])
    return (network.ids[p], *(network.ids[v] for v in reversed(path)))
