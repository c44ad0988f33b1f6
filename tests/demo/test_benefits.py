"""The demo's benefits register: a dozen projects with a year of planned and realised benefits,
some behind, some at risk through a dependency the demo's network pushed."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from epmo.auth.policy import SYSTEM
from epmo.benefits import rollup
from epmo.benefits.models import Benefit, BenefitActual, BenefitPlan
from epmo.benefits.repository import BenefitFilter
from epmo.demo.generator import make_plan
from epmo.demo.service import load_demo

TODAY = date(2026, 11, 16)


def test_a_year_of_benefits(db: Session) -> None:
    result = load_demo(db, make_plan("small", seed=5, today=TODAY))
    benefits = list(db.scalars(select(Benefit)))
    projects = {b.project_id for b in benefits}
    assert result.counts["benefit"] == len(benefits) and 10 <= len(projects) <= 12
    assert result.counts["benefit_plan"] == db.scalar(
        select(func.count()).select_from(BenefitPlan))
    assert result.counts["benefit_actual"] == db.scalar(
        select(func.count()).select_from(BenefitActual)) > 30
    plans = {b.id: db.scalar(select(func.count()).select_from(BenefitPlan)
                             .where(BenefitPlan.benefit_id == b.id)) for b in benefits}
    assert set(plans.values()) == {12}  # every benefit is planned over a year
    assert {b.unit for b in benefits} >= {"money", "hours"}
    assert any(b.dis_benefit for b in benefits)
    at_risk = [b for b in benefits if b.at_risk_days is not None]
    assert at_risk and all(b.at_risk_days and b.at_risk_days > 0 and "Change event" in
                           b.at_risk_cause for b in at_risk)
    summary = rollup.rollup(db, SYSTEM, "department", BenefitFilter(), None, TODAY)
    assert summary.unit == "money" and summary.total.at_risk == len(at_risk)
    assert summary.total.behind >= 1  # some are behind their plan
    assert summary.total.headline is not None
    assert summary.total.headline.realised_to_date > 0
    assert summary.total.left_out == sum(1 for b in benefits if b.unit != "money")
