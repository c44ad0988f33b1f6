"""The stored implied dates (``network_date``): kept in step with the engine state."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from epmo.engines.propagation import State
from epmo.network import cache, nodes, repository
from epmo.network.models import NetworkDate


def write_implied(session: Session, state: State, changed: Iterable[int] | None = None) -> None:
    """Store the implied dates of ``changed`` nodes (None: every node, dropping stale rows);
    a node on its own dates keeps no row. A node named twice is written once."""
    network = state.network
    # Each node once: its row is popped on the first visit, so a second visit would add a
    # new row beside the persistent one (UNIQUE network_date.node).
    targets = list(dict.fromkeys(network.ids if changed is None else changed))
    rows = repository.implied_rows(session, None if changed is None else targets)
    for node in targets:
        row = rows.pop(node, None)
        implied = state.dates(node)
        if implied == state.base(node):
            if row is not None:
                session.delete(row)
            continue
        start, finish = nodes.to_date(implied.start), nodes.to_date(implied.finish)
        if start is None or finish is None:
            continue  # a dateless node pushed by nothing dated: nothing to show
        if row is None:
            session.add(NetworkDate(node=node, implied_start=start, implied_finish=finish))
        elif (row.implied_start, row.implied_finish) != (start, finish):
            row.implied_start, row.implied_finish = start, finish
    if changed is None:
        for row in rows.values():
            session.delete(row)
    session.flush()


def refresh(session: Session) -> State:
    """After a dependency write: rebuild the network, recompute and store every implied date."""
    cache.bump_links(session)
    loaded = cache.network_for(session)
    state = cache.state_for(session, loaded)
    write_implied(session, state)
    cache.store(session, loaded, state)
    return state


def current_state(session: Session) -> State:
    """The implied dates of the stored network, from the cache when still valid."""
    return cache.state_for(session, cache.network_for(session))
