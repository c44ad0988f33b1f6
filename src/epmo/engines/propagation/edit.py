"""One link added to (or taken from) a built network and its implied dates, without building
either afresh.

``with_link(network, link)`` gives the network ``build_network`` would give for the same nodes
(plus the link's ends) and links (plus this one): the same ids, dense indices, links and
adjacency, and a valid topological order (not necessarily Kahn's: the order is kept where the
link already agrees with it, else only the region between its ends is re-ordered, as in
Pearce and Kelly's dynamic topological sort). ``add_link(state, link, own)`` then recomputes
the implied dates from the link's successor downstream only.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping

from epmo.engines.propagation.engine import State, apply, propagate
from epmo.engines.propagation.model import TYPE_RANK, CycleError, Dates, Impact, Link
from epmo.engines.propagation.network import Network, closes_cycle


def with_link(network: Network, link: Link) -> Network:
    """The network with one more link; CycleError naming the cycle it would close."""
    if link.pred == link.succ:
        raise CycleError((link.pred, link.pred))
    grown = network
    for node in sorted({link.pred, link.succ} - set(network.index)):
        # a new predecessor has no incoming link yet: it can go first; a new successor last
        grown = _with_node(grown, node, first=node == link.pred)
    cycle = closes_cycle(grown, link.pred, link.succ)
    if cycle is not None:
        ring = list(cycle[:-1])
        first = ring.index(min(ring))
        ring = ring[first:] + ring[:first]
        raise CycleError((*ring, ring[0]))
    p, s = grown.index[link.pred], grown.index[link.succ]
    order, position = grown.order, grown.position
    if position[p] > position[s]:
        order, position = _reordered(grown, p, s)
    return _linked(grown, link, p, s, order, position)


def _linked(net: Network, link: Link, p: int, s: int, order: tuple[int, ...],
            position: tuple[int, ...]) -> Network:
    """The adjacency with the link in the place ``build_network``'s sort gives it."""
    key = (p, TYPE_RANK[link.type], link.lag)
    j = net.in_ptr[s + 1]
    for k in range(net.in_ptr[s], net.in_ptr[s + 1]):
        other = net.links[k]
        if (net.in_src[k] >> 1, TYPE_RANK[other.type], other.lag) > key:
            j = k  # after its equals: the new link is the last one given
            break
    start, end = net.out_ptr[p], net.out_ptr[p + 1]
    q = start + sum(1 for k in net.out_link[start:end] if k < j)
    return Network(
        ids=net.ids, index=net.index,
        links=(*net.links[:j], link, *net.links[j:]),
        in_ptr=net.in_ptr[:s + 1] + tuple([x + 1 for x in net.in_ptr[s + 1:]]),
        in_src=(*net.in_src[:j], 2 * p + link.from_finish, *net.in_src[j:]),
        in_lag=(*net.in_lag[:j], link.lag, *net.in_lag[j:]),
        in_fin=(*net.in_fin[:j], link.to_finish, *net.in_fin[j:]),
        out_ptr=net.out_ptr[:p + 1] + tuple([x + 1 for x in net.out_ptr[p + 1:]]),
        out_dst=(*net.out_dst[:q], s, *net.out_dst[q:]),
        out_link=(*[k + 1 if k >= j else k for k in net.out_link[:q]], j,
                  *[k + 1 if k >= j else k for k in net.out_link[q:]]),
        order=order, position=position)


def _reordered(net: Network, p: int, s: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """A topological order with ``p`` before ``s`` (s placed before p now, no path s -> p):
    what follows s up to p's place and what leads to p down to s's place swap their slots,
    each keeping its own relative order; nothing else moves."""
    low, high = net.position[s], net.position[p]
    position = net.position
    out_ptr, out_dst, in_ptr, in_src = net.out_ptr, net.out_dst, net.in_ptr, net.in_src
    ahead = _reach(s, lambda v: out_dst[out_ptr[v]:out_ptr[v + 1]],
                   lambda w: position[w] < high)
    behind = _reach(p, lambda v: [x >> 1 for x in in_src[in_ptr[v]:in_ptr[v + 1]]],
                    lambda w: position[w] > low)
    moved = sorted(behind, key=position.__getitem__) + sorted(ahead, key=position.__getitem__)
    slots = sorted(position[v] for v in moved)
    order, places = list(net.order), list(position)
    for slot, v in zip(slots, moved, strict=True):
        order[slot], places[v] = v, slot
    return tuple(order), tuple(places)


def _reach(start: int, step: Callable[[int], Iterable[int]],
           inside: Callable[[int], bool]) -> set[int]:
    """Nodes reached from ``start`` (itself included) through ``step`` while ``inside``."""
    seen, stack = {start}, [start]
    while stack:
        for w in step(stack.pop()):
            if w not in seen and inside(w):
                seen.add(w)
                stack.append(w)
    return seen


def _with_node(net: Network, node: int, first: bool) -> Network:
    """The network with one more node and no link to it, first or last in the order."""
    i = bisect_left(net.ids, node)
    ids = (*net.ids[:i], node, *net.ids[i:])
    shifted = [v + 1 if v >= i else v for v in net.order]
    order = (i, *shifted) if first else (*shifted, i)
    slot = 2 * i
    return Network(
        ids=ids, index={n: k for k, n in enumerate(ids)}, links=net.links,
        in_ptr=(*net.in_ptr[:i + 1], *net.in_ptr[i:]),
        in_src=tuple([x + 2 if x >= slot else x for x in net.in_src]),
        in_lag=net.in_lag, in_fin=net.in_fin,
        out_ptr=(*net.out_ptr[:i + 1], *net.out_ptr[i:]),
        out_dst=tuple([v + 1 if v >= i else v for v in net.out_dst]),
        out_link=net.out_link, order=order, position=_positions(order))


def _positions(order: tuple[int, ...]) -> tuple[int, ...]:
    """Each node's place in a topological order."""
    position = [0] * len(order)
    for place, v in enumerate(order):
        position[v] = place
    return tuple(position)


def add_link(state: State, link: Link, own: Mapping[int, Dates]) -> tuple[State, Impact]:
    """The implied dates with one more link, recomputed from its successor downstream only;
    ``own``: the own dates of any end not yet in the network. Also the impact (what moved)."""
    before, network = state.network, with_link(state.network, link)
    if network.ids == before.ids:
        grown = State(network, state.base_start, state.duration, state.implied)
    else:
        starts: list[int] = []
        durations: list[int] = []
        implied: list[int] = []
        for node in network.ids:
            b = before.index.get(node)
            if b is None:
                dates = own[node]
                starts.append(dates.start)
                durations.append(dates.duration)
                implied += (dates.start, dates.finish)
            else:
                starts.append(state.base_start[b])
                durations.append(state.duration[b])
                implied += (state.implied[2 * b], state.implied[2 * b + 1])
        grown = State(network, tuple(starts), tuple(durations), tuple(implied))
    impact = propagate(network, grown, {link.succ: grown.base(link.succ)})
    return apply(grown, impact), impact


def without_link(network: Network, link: Link) -> Network:
    """The network without one link (ValueError when it has none such); an end left with no
    link leaves the network, as ``build_network`` over the links left would give. The order
    stays: taking a link away never makes a valid order invalid."""
    p, s = network.dense(link.pred), network.dense(link.succ)
    net = network
    j = next((k for k in range(net.in_ptr[s], net.in_ptr[s + 1]) if net.links[k] == link), -1)
    if j < 0:
        raise ValueError(f"link {link.pred} -> {link.succ} is not in the network")
    q = next(k for k in range(net.out_ptr[p], net.out_ptr[p + 1]) if net.out_link[k] == j)
    cut = Network(
        ids=net.ids, index=net.index, links=(*net.links[:j], *net.links[j + 1:]),
        in_ptr=net.in_ptr[:s + 1] + tuple([x - 1 for x in net.in_ptr[s + 1:]]),
        in_src=(*net.in_src[:j], *net.in_src[j + 1:]),
        in_lag=(*net.in_lag[:j], *net.in_lag[j + 1:]),
        in_fin=(*net.in_fin[:j], *net.in_fin[j + 1:]),
        out_ptr=net.out_ptr[:p + 1] + tuple([x - 1 for x in net.out_ptr[p + 1:]]),
        out_dst=(*net.out_dst[:q], *net.out_dst[q + 1:]),
        out_link=(*[k - 1 if k > j else k for k in net.out_link[:q]],
                  *[k - 1 if k > j else k for k in net.out_link[q + 1:]]),
        order=net.order, position=net.position)
    for node in sorted({link.pred, link.succ}, reverse=True):
        v = cut.index[node]
        if cut.in_ptr[v] == cut.in_ptr[v + 1] and cut.out_ptr[v] == cut.out_ptr[v + 1]:
            cut = _without_node(cut, v)
    return cut


def _without_node(net: Network, i: int) -> Network:
    """The network without node ``i``, which has no link."""
    ids = (*net.ids[:i], *net.ids[i + 1:])
    order = tuple([v - 1 if v > i else v for v in net.order if v != i])
    slot = 2 * i
    return Network(
        ids=ids, index={n: k for k, n in enumerate(ids)}, links=net.links,
        in_ptr=(*net.in_ptr[:i], *net.in_ptr[i + 1:]),
        in_src=tuple([x - 2 if x > slot else x for x in net.in_src]),
        in_lag=net.in_lag, in_fin=net.in_fin,
        out_ptr=(*net.out_ptr[:i], *net.out_ptr[i + 1:]),
        out_dst=tuple([v - 1 if v > i else v for v in net.out_dst]),
        out_link=net.out_link, order=order, position=_positions(order))


def remove_link(state: State, link: Link) -> tuple[State, Impact]:
    """The implied dates without one link, recomputed from its successor downstream only (an
    end that leaves the network goes with its dates); the impact within the network left."""
    before, network = state.network, without_link(state.network, link)
    if network.ids == before.ids:
        kept = State(network, state.base_start, state.duration, state.implied)
    else:
        at = [before.index[node] for node in network.ids]
        kept = State(network, tuple([state.base_start[b] for b in at]),
                     tuple([state.duration[b] for b in at]),
                     tuple([x for b in at for x in (state.implied[2 * b],
                                                    state.implied[2 * b + 1])]))
    if link.succ not in network.index:
        return kept, Impact((), {}, {}, 0)
    impact = propagate(network, kept, {link.succ: kept.base(link.succ)})
    return apply(kept, impact), impact
