"""The engine's network and implied dates, kept per worker while the stored ones match.

Building the network of 100,000 nodes takes about a second, so a worker builds it once and
reuses it until a dependency write changes ``network_head.links_token``; the implied dates
(the engine ``State``) are reused while ``network_head.dates_token`` is the one this worker
wrote or loaded. A rolled-back transaction leaves the stored tokens as they were, so the
next read sees the mismatch and loads afresh: the cache never outlives the data behind it.
"""

from __future__ import annotations

import gc
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from epmo.engines.propagation import Dates, Link, Network, State, build_network, full_recompute
from epmo.network import nodes, repository
from epmo.network.models import NetworkHead

FREEZE_AT = 10_000  # nodes; gc.freeze() keeps a big cached network out of GC passes


@dataclass
class Loaded:
    """A built network, and the implied dates computed for it (when known)."""

    links_token: str | None
    network: Network
    dates_token: str | None = None
    state: State | None = None


class _Slot:
    current: Loaded | None = None


def clear() -> None:
    """Forget the cached network (tests, benchmarks)."""
    _Slot.current = None


def _token() -> str:
    return uuid.uuid4().hex


def ensure_head(session: Session, lock: bool = False) -> NetworkHead:
    """The head row, created on first use (locked for update when asked)."""
    head = repository.head(session, lock=lock)
    if head is None:
        head = NetworkHead(id=1, links_token=_token(), dates_token=_token())
        session.add(head)
        session.flush()
    return head


def bump_links(session: Session) -> None:
    """Record that the dependencies changed: every worker rebuilds its network."""
    head = ensure_head(session, lock=True)
    head.links_token, head.dates_token = _token(), _token()
    session.flush()


def network_for(session: Session) -> Loaded:
    """The engine network of the accepted dependencies, from the cache when still valid."""
    head = repository.head(session)
    token = head.links_token if head is not None else None
    cached = _Slot.current
    if cached is not None and token is not None and cached.links_token == token:
        return cached
    rows = repository.accepted_links(session)
    links = [Link(pred, succ, kind, lag) for pred, succ, kind, lag in rows]
    ends = {link.pred for link in links} | {link.succ for link in links}
    loaded = Loaded(token, build_network(ends, links))
    if len(loaded.network) >= FREEZE_AT:
        gc.freeze()
    if token is not None:
        _Slot.current = loaded
    return loaded


def own_dates(session: Session, network: Network) -> dict[int, Dates]:
    """Every network node's own dates as stored now."""
    found = {nodes.milestone_node(mid): nodes.milestone_dates(forecast, planned)
             for mid, forecast, planned in repository.network_milestone_dates(session)}
    for pid, start, finish in repository.network_project_dates(session):
        found[nodes.project_node(pid)] = nodes.project_dates(start, finish)
    # A node whose row vanished in this transaction keeps a neutral date until the rebuild.
    for node in network.ids:
        found.setdefault(node, Dates(nodes.NO_DAY, nodes.NO_DAY))
    return found


def own_dates_of(session: Session, ends: Iterable[int]) -> dict[int, Dates]:
    """The own dates of some nodes as stored now (as ``own_dates`` reads them)."""
    split = [nodes.split(node) for node in ends]
    found = {nodes.milestone_node(mid): nodes.milestone_dates(forecast, planned)
             for mid, forecast, planned in repository.milestone_dates_of(
                 session, [i for kind, i in split if kind == "milestone"])}
    for pid, start, finish in repository.project_dates_of(
            session, [i for kind, i in split if kind == "project"]):
        found[nodes.project_node(pid)] = nodes.project_dates(start, finish)
    for kind, ident in split:
        found.setdefault(nodes.node_of(kind, ident), Dates(nodes.NO_DAY, nodes.NO_DAY))
    return found


def state_for(session: Session, loaded: Loaded,
              overrides: Mapping[int, Dates] | None = None) -> State:
    """Implied dates of the stored dates token; ``overrides``: own dates to use instead of the
    stored ones (the values before this transaction's unprocessed changes)."""
    head = repository.head(session)
    token = head.dates_token if head is not None else None
    if loaded.state is not None and token is not None and loaded.dates_token == token:
        return loaded.state
    base = own_dates(session, loaded.network)
    base.update({node: d for node, d in (overrides or {}).items() if node in base})
    state = full_recompute(loaded.network, base)
    if token is not None and loaded is _Slot.current:
        loaded.state, loaded.dates_token = state, token
    return state


def fresh(session: Session) -> Loaded | None:
    """This worker's network and implied dates when both are the stored ones (the head locked
    for update, so no other worker writes between this read and ``replace``), else None."""
    head = ensure_head(session, lock=True)
    cached = _Slot.current
    if (cached is None or cached.state is None or cached.links_token != head.links_token
            or cached.dates_token != head.dates_token):
        return None
    return cached


def replace(session: Session, state: State) -> None:
    """Keep ``state`` (and its network) as those of new links and dates tokens, written to the
    head: the network changed here without a rebuild, so other workers rebuild theirs."""
    head = ensure_head(session, lock=True)
    head.links_token, head.dates_token = _token(), _token()
    session.flush()
    _Slot.current = Loaded(head.links_token, state.network, head.dates_token, state)
    if len(state.network) >= FREEZE_AT:
        gc.freeze()


def store(session: Session, loaded: Loaded, state: State) -> None:
    """Keep ``state`` as the implied dates of a new dates token, written to the head."""
    head = ensure_head(session, lock=True)
    head.dates_token = _token()
    session.flush()
    if loaded is _Slot.current:
        loaded.state, loaded.dates_token = state, head.dates_token
