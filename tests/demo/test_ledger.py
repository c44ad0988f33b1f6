"""The demo's value ledger: a year of entries in every state, many from the demo's events."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import Engine, select

from epmo.auth.policy import SYSTEM
from epmo.db import UnitOfWork
from epmo.demo.service import LoadResult
from epmo.ledger import report, service
from epmo.ledger.models import LedgerEntry


def test_a_year_of_entries_in_every_state(loaded: tuple[Engine, LoadResult]) -> None:
    engine, result = loaded
    today = result.plan.today
    with UnitOfWork(engine) as session:
        entries = session.scalars(select(LedgerEntry)).all()
        assert result.counts["ledger_entry"] == len(entries) >= 24
        states = Counter(e.status for e in entries)
        assert set(states) == {"proposed", "confirmed", "validated", "rejected"}, states
        hub = [e for e in entries if e.source == "hub"]
        assert hub and all(e.evidence_kind and e.evidence_key and e.basis for e in hub)
        assert {e.evidence_kind for e in hub} >= {"project"}
        year = report.quarters_to(report.parse_quarter(None, today))
        assert {e.quarter for e in entries if e.source == "manual"} >= set(year[1:])
        found = report.value_report(session, SYSTEM, None, None, today)
        assert found.year.hard_realised > 0 and found.year.days_saved > 0
        assert all(e.validated_by_id != e.confirmed_by_id for e in entries
                   if e.status == "validated")
        assert service.propose(session, SYSTEM).proposed == 0  # the demo proposed everything
        session.rollback()
