"""The demo's surveys: two closed rounds with results and a trend, one open round the demo's
sign-ins are invited to, all made through the survey service."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from epmo.audit import service as audit_service
from epmo.auth.models import User
from epmo.db import UnitOfWork
from epmo.demo.generator import make_plan
from epmo.surveys import repository, views
from epmo.surveys.models import SurveyAnswer, SurveyInvitation, SurveyRound
from tests.demo.conftest import fresh_engine, load_into

TODAY = date(2026, 11, 16)


def test_demo_surveys(tmp_path: Path) -> None:
    engine = fresh_engine(tmp_path, "surveys")
    result = load_into(engine, make_plan(projects=60, seed=5, today=TODAY))
    assert result.counts["survey_round"] == 3 and result.counts["survey_answer"] >= 10
    with UnitOfWork(engine) as session:
        rounds = session.scalars(select(SurveyRound).order_by(SurveyRound.opens_on)).all()
        assert [r.closed_on is not None for r in rounds] == [True, True, False]
        assert rounds[0].closes_on < rounds[1].opens_on  # half a year apart
        summary = views.satisfaction_summary(session, today=TODAY)
        assert summary is not None and summary.round_id == rounds[1].id
        assert summary.results_shown and len(summary.questions) == 11
        assert summary.answered >= 5 and summary.invited > summary.answered
        assert all(d.answers >= 5 for d in summary.departments)
        # the profile: resource coordination is rated below intake, and matters more
        by_code = {q.code: q for q in summary.questions}
        assert by_code["resource_coordination"].satisfaction < by_code["intake"].satisfaction
        assert by_code["resource_coordination"].importance > by_code["training"].importance
        points = views.trend(session, "epmo-services", TODAY)
        assert [p.round_id for p in points] == [rounds[0].id, rounds[1].id]
        # the open round waits for the demo's own sign-ins
        member = session.scalar(select(User).where(User.email == "member.it@demo.epmo"))
        assert member is not None
        invitation = repository.invitation_of(session, rounds[2].id, member.id)
        assert invitation is not None and not invitation.answered
        assert repository.invitation_link(session, rounds[2].id, member.id)
        answered = session.scalar(select(func.count()).select_from(SurveyInvitation).where(
            SurveyInvitation.answered.is_(True)))
        assert answered == session.scalar(select(func.count()).select_from(SurveyAnswer))
        assert audit_service.verify_log(session).broken_id is None
    engine.dispose()
