"""Accepting a dependency adds it to the worker's cached network and recomputes downstream of
its successor only; what is stored and recorded is what a full rebuild gives."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from epmo.engines.propagation import (
    Impact,
    Link,
    State,
    build_network,
    compare,
    full_recompute,
)
from epmo.network import cache, nodes, repository
from epmo.network.events import slip_of
from epmo.network.models import ChangeEvent, ChangeImpact
from tests.network.conftest import API, Net
from tests.network.test_replan import assert_stored_is_recomputed


def _full_state(db: Session) -> State:
    """The implied dates of the stored dependencies, built afresh (the worker's cache untouched)."""
    db.expire_all()
    links = [Link(*row) for row in repository.accepted_links(db)]
    network = build_network({n for ln in links for n in (ln.pred, ln.succ)}, links)
    return full_recompute(network, cache.own_dates(db, network))


def _recorded(db: Session, event: ChangeEvent) -> dict[int, tuple[Any, ...]]:
    rows = db.scalars(select(ChangeImpact).where(ChangeImpact.event_id == event.id))
    return {nodes.node_of(row.node_kind, row.milestone_id or row.project_id):
            (row.old_date, row.new_date, row.slip_days, row.path) for row in rows}


def _expected(impact: Impact) -> dict[int, tuple[Any, ...]]:
    return {node: (nodes.to_date(s.old_finish), nodes.to_date(s.new_finish), slip_of(s),
                   list(impact.path_to(node))) for node, s in impact.shifts.items()}


def _events(db: Session) -> list[ChangeEvent]:
    db.expire_all()
    return list(db.scalars(select(ChangeEvent).order_by(ChangeEvent.id)))


def test_accepting_against_the_order_matches_a_full_rebuild(net: Net, db: Session) -> None:
    # A1 -> B1 and C1 -> C2; Kahn's order A1, C1, B1, C2 puts C1 before B1, so B1 -> C1
    # re-orders; lag 25 pushes C1 (15 Jan) to 6 Feb and C2 (1 Feb) behind it.
    net.milestone("C2", "C", "2027-02-01")
    net.accepted("A1", "B1")
    net.accepted("C1", "C2")
    cached = cache.network_for(db)
    assert cached.state is not None  # this worker's network and dates are the stored ones
    before = _full_state(db)
    assert before.implied == cached.state.implied
    r = net.link("fin_pm", "B1", "C1", lag_days=25)
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "accepted"  # Finance owns both ends
    now = cache.network_for(db)
    # the incremental path: the same dense indices (one tuple, not rebuilt), one more link
    assert now.network is not cached.network and now.network.ids is cached.network.ids
    assert len(now.network.links) == len(cached.network.links) + 1
    after = _full_state(db)
    assert now.state is not None and now.state.implied == after.implied
    b1, c1, c2 = (nodes.milestone_node(net.m(k)) for k in ("B1", "C1", "C2"))
    assert now.network.position[now.network.index[b1]] < now.network.position[now.network.index[c1]]
    [event] = _events(db)
    expected = compare(before, after, [c1])
    assert set(expected.shifts) == {c1, c2}
    assert (event.source, event.field, event.old_date, event.new_date, event.delta_days) == (
        "dependency", "implied_finish", nodes.to_date(expected.shifts[c1].old_finish),
        nodes.to_date(expected.shifts[c1].new_finish), 22)
    assert _recorded(db, event) == _expected(expected)
    assert event.impact["moved"] == 2
    assert_stored_is_recomputed(db)


def test_accepting_to_a_new_end_matches_a_full_rebuild(net: Net, db: Session) -> None:
    # A1 -> B1 -> C1 is known; A's new milestone A0 (20 Jan) joins the network with A0 -> B1,
    # pushing B1 (12 Jan) and C1 (15 Jan), through the proposal and the other side's answer.
    net.accepted("A1", "B1")
    net.accepted("B1", "C1")
    net.milestone("A0", "A", "2027-01-20")
    before = _full_state(db)
    dep = net.link("it_pm", "A0", "B1")
    assert dep.status_code == 201 and dep.json()["status"] == "proposed", dep.text
    ids = cache.network_for(db).network.ids
    r = net.as_("fin_pm").post(f"{API}/dependencies/{dep.json()['id']}/accept", json={})
    assert r.status_code == 200, r.text
    now = cache.network_for(db)
    a0, b1 = nodes.milestone_node(net.m("A0")), nodes.milestone_node(net.m("B1"))
    assert now.network.ids == tuple(sorted({*ids, a0}))
    after = _full_state(db)
    assert now.state is not None and now.state.implied == after.implied
    [event] = _events(db)
    expected = compare(before, after, [b1])
    assert len(expected.shifts) == 2 and _recorded(db, event) == _expected(expected)
    assert_stored_is_recomputed(db)


def test_a_closing_link_is_still_refused_in_words(net: Net) -> None:
    net.accepted("A1", "B1")
    net.accepted("B1", "C1")
    r = net.link("admin", "C1", "A1")
    assert r.status_code == 409, r.text
    assert "would close a cycle" in r.json()["detail"]


def _remove(net: Net, dep: dict[str, Any]) -> None:
    r = net.as_("admin").delete(f"{API}/dependencies/{dep['id']}",
                                params={"version": dep["version"]})
    assert r.status_code == 204, r.text


def test_removing_matches_a_full_rebuild_and_a_lone_end_leaves(net: Net, db: Session) -> None:
    # A1 -> B1 (lag 20 pushes B1 to 30 Jan) -> C1 (pushed behind it); C2 hangs off C1.
    net.milestone("C2", "C", "2027-01-16")
    first = net.link("admin", "A1", "B1", lag_days=20).json()
    net.accepted("B1", "C1")
    net.accepted("C1", "C2")
    before = _full_state(db)
    ids = cache.network_for(db).network.ids
    a1, b1 = nodes.milestone_node(net.m("A1")), nodes.milestone_node(net.m("B1"))
    made = len(_events(db))
    _remove(net, first)
    now = cache.network_for(db)
    assert now.network.ids == tuple(n for n in ids if n != a1)  # A1 has no link left
    after = _full_state(db)
    assert now.state is not None and now.state.implied == after.implied
    [event] = _events(db)[made:]
    expected = compare(before, after, [b1])
    assert len(expected.shifts) == 3  # B1, C1 and C2 pulled back in
    assert _recorded(db, event) == _expected(expected)
    shift = expected.shifts[b1]
    assert (event.old_date, event.new_date, event.delta_days) == (
        nodes.to_date(shift.old_finish), nodes.to_date(shift.new_finish), -18)
    assert_stored_is_recomputed(db)
