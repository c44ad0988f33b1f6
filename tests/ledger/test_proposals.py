"""Proposals from the hub's real events: figures computed from the evidence, never twice."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from epmo.ledger.models import LedgerEntry
from tests.conftest import Clients
from tests.ledger.events import seed
from tests.world import World


def _by_kind(db: Session) -> dict[str, list[LedgerEntry]]:
    found: dict[str, list[LedgerEntry]] = {}
    for entry in db.scalars(select(LedgerEntry).order_by(LedgerEntry.id)):
        found.setdefault(entry.evidence_kind or "", []).append(entry)
    return found


def test_each_source_proposes_its_figure_in_words(as_: Clients, world: World,
                                                  db: Session) -> None:
    events = seed(db, world)
    run = as_("admin").post("/api/v1/ledger/propose")
    assert run.status_code == 200, run.text
    assert run.json()["proposed"] == 5
    assert run.json()["by_source"] == {"gate_review": 1, "project": 1, "intake_request": 1,
                                       "change_event": 1, "lending": 1, "scenario": 0}
    assert any("no budget left unspent" in s for s in run.json()["skipped"])
    found = _by_kind(db)
    gate = found["gate_review"][0]
    assert (gate.category, gate.amount, gate.evidence_id) == (
        "hard_saving", Decimal("1200000.00"), events.killed)
    assert gate.quarter == "2026-Q1" and gate.department_id == world.departments["IT"]
    assert "cancelled" not in gate.basis and "stopped at gate G2 on 2026-03-04" in gate.basis
    assert "€1.2M of its €2M budget not spent" in gate.basis
    project = found["project"][0]
    assert (project.category, project.amount, project.evidence_id) == (
        "hard_saving", Decimal("150000.00"), events.cancelled)
    assert project.occurred_on.isoformat() == "2026-05-20"
    request = found["intake_request"][0]
    assert (request.category, request.amount, request.quarter) == (
        "cost_avoidance", Decimal("200000.00"), "2026-Q2")
    change = found["change_event"][0]
    assert (change.category, change.days, change.evidence_id) == ("days_saved", 12,
                                                                   events.change)
    assert "before 2026-06-01" in change.basis
    lending = found["lending"][0]
    assert (lending.category, lending.amount, lending.days) == ("risk_reduced", None, None)
    assert all(e.status == "proposed" and e.source == "hub" for v in found.values() for e in v)


def test_a_second_scan_proposes_nothing_even_after_a_rejection(as_: Clients, world: World,
                                                               db: Session) -> None:
    seed(db, world)
    first = as_("admin").post("/api/v1/ledger/propose").json()
    entry = db.scalars(select(LedgerEntry)).first()
    assert entry is not None
    rejected = as_("admin").post(f"/api/v1/ledger/entries/{entry.id}/decision",
                                 json={"action": "reject", "version": entry.version,
                                       "reason": "Not ours"})
    assert rejected.status_code == 200, rejected.text
    again = as_("admin").post("/api/v1/ledger/propose").json()
    assert first["proposed"] == 5 and again["proposed"] == 0
    assert len(db.scalars(select(LedgerEntry)).all()) == 5


def test_only_administrators_propose(as_: Clients, world: World, db: Session) -> None:
    seed(db, world)
    for user in ("exec", "fin_lead", "it_lead", "it_viewer"):
        assert as_(user).post("/api/v1/ledger/propose").status_code == 403, user
    assert db.scalars(select(LedgerEntry)).first() is None
