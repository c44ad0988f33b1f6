"""The stored implied dates (``network_date``): kept in step with the engine state."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy.orm import Session

from epmo.audit import service as audit
from epmo.engines.propagation import Link, State
from epmo.engines.propagation import add_link as engine_add_link
from epmo.engines.propagation import remove_link as engine_remove_link
from epmo.network import cache, nodes, repository


def write_implied(session: Session, state: State, changed: Iterable[int] | None = None) -> None:
    """Store the implied dates of ``changed`` nodes (None: every node, dropping stale rows);
    a node on its own dates (or no longer in the network) keeps no row. The rows are written
    by bulk statements and recorded in the audit log as one entry (they are derived: the
    engine's answer)."""
    network = state.network
    targets = list(dict.fromkeys(network.ids if changed is None else changed))
    stored = repository.implied_rows(session, None if changed is None else targets)
    written: dict[int, tuple[date, date]] = {}
    cleared: list[int] = []
    for node in targets:
        row = stored.pop(node, None)
        if node not in network.index:  # it left the network: back on its own dates
            if row is not None:
                cleared.append(node)
            continue
        implied = state.dates(node)
        start, finish = nodes.to_date(implied.start), nodes.to_date(implied.finish)
        if implied == state.base(node) or start is None or finish is None:
            # on its own dates, or a dateless node pushed by nothing dated: no row
            if row is not None and implied == state.base(node):
                cleared.append(node)
            continue
        if row != (start, finish):
            written[node] = (start, finish)
    if changed is None:
        cleared.extend(stored)
    if not written and not cleared:
        return
    repository.write_implied_rows(session, written, cleared)
    audit.record(session, "network_date", "implied", "write", {
        "set": {str(node): [start.isoformat(), finish.isoformat()]
                for node, (start, finish) in sorted(written.items())},
        "cleared": sorted(cleared)})


def refresh(session: Session) -> State:
    """After a dependency write: rebuild the network, recompute and store every implied date."""
    cache.bump_links(session)
    loaded = cache.network_for(session)
    state = cache.state_for(session, loaded)
    write_implied(session, state)
    cache.store(session, loaded, state)
    return state


def add_link(session: Session, link: Link) -> State:
    """After accepting a dependency: when this worker's network and implied dates are the
    stored ones, add the link to them and recompute from its successor downstream only,
    writing only the implied dates that moved; else ``refresh``."""
    cached = cache.fresh(session)
    if cached is None or cached.state is None:
        return refresh(session)
    before = cached.state
    new_ends = [node for node in (link.pred, link.succ) if node not in before.network.index]
    after, impact = engine_add_link(before, link, cache.own_dates_of(session, new_ends))
    write_implied(session, after, impact.shifts)
    cache.replace(session, after)
    return after


def remove_link(session: Session, link: Link) -> State:
    """After removing an accepted dependency: as ``add_link``, the link taken away (an end
    left with no link leaves the network, and its stored row with it)."""
    cached = cache.fresh(session)
    if cached is None or cached.state is None:
        return refresh(session)
    before = cached.state
    after, impact = engine_remove_link(before, link)
    gone = [node for node in (link.pred, link.succ) if node not in after.network.index]
    write_implied(session, after, [*impact.shifts, *gone])
    cache.replace(session, after)
    return after


def current_state(session: Session) -> State:
    """The implied dates of the stored network, from the cache when still valid."""
    return cache.state_for(session, cache.network_for(session))
