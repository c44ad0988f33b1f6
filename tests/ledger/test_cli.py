"""``epmo ledger propose``: the proposals by source, the evidence skipped, and nothing twice."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from epmo.cli import app
from epmo.ledger.models import LedgerEntry
from tests.ledger.events import seed
from tests.world import World

runner = CliRunner()


def test_propose_says_what_it_proposed_and_skipped(db: Session, world: World) -> None:
    seed(db, world)
    first = runner.invoke(app, ["ledger", "propose"])
    assert first.exit_code == 0, first.output
    assert first.output.startswith("5 new proposal(s) (gate_review 1, project 1, "
                                   "intake_request 1, change_event 1, lending 1)")
    assert "skipped:" in first.output and "no budget left unspent" in first.output
    again = runner.invoke(app, ["ledger", "propose"])
    assert again.exit_code == 0 and again.output.startswith("0 new proposal(s)\n")
    assert db.scalar(select(func.count()).select_from(LedgerEntry)) == 5
