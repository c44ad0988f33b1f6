"""The demo's PPM assessments: two completed enterprise rounds half a year apart (a trend),
completed department rounds to compare, an open IT round, and the evidence stored."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from epmo.auth.policy import SYSTEM
from epmo.demo.generator import make_plan
from epmo.demo.service import load_demo
from epmo.diagnostics import views
from epmo.diagnostics.models import DiagnosticRound
from tests.conftest import Clients

TODAY = date(2026, 11, 16)


def test_the_demo_has_completed_rounds_with_a_trend(db: Session, as_: Clients) -> None:
    result = load_demo(db, make_plan("small", seed=5, today=TODAY))
    rounds = db.scalars(select(DiagnosticRound).order_by(DiagnosticRound.id)).all()
    assert result.counts["diagnostic_round"] == len(rounds) >= 4
    assert result.counts["diagnostic_score"] > 60
    enterprise = [r for r in rounds if r.department_id is None]
    assert [r.status for r in enterprise] == ["completed", "completed"]
    assert enterprise[0].completed_at is not None and enterprise[1].completed_at is not None
    assert enterprise[0].completed_at.date() == date(2026, 5, 18)
    annual = views.results(db, SYSTEM, enterprise[1], TODAY)
    assert [t.name for t in annual.trend] == ["Baseline PPM assessment", "Annual PPM assessment"]
    before, after = annual.trend[0].practices, annual.trend[1].practices
    assert all(after[p] is not None and before[p] is not None and after[p] > before[p]
               for p in after), (before, after)
    assert not annual.evidence_live and len(annual.evidence) == 4
    figures = {e.key: e for e in annual.evidence}
    assert figures["reporting_timeliness"].value is not None
    assert figures["compliance_score"].value is not None
    assert figures["reporting_timeliness"].period_end == date(2026, 11, 2)
    means = [c.mean for c in annual.weakest if c.mean is not None]
    assert means == sorted(means) and len(means) == 16  # every capability scored, weakest first
    assert len(annual.departments) == 2  # the IT lead and the EPMO office
    open_rounds = [r for r in rounds if r.status == "open"]
    assert [r.name for r in open_rounds] == ["IT deep dive"]
    live = views.results(db, SYSTEM, open_rounds[0], TODAY)
    assert live.evidence_live and live.round.scores > 0
    compared = as_("exec").get("/api/v1/diagnostics/departments").json()
    assert len(compared["departments"]) >= 2
    page = as_("exec").get(f"/api/v1/diagnostics/rounds/{enterprise[1].id}/results")
    assert page.status_code == 200 and page.json()["trend_note"] == ""
