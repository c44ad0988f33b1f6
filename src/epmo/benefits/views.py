"""Read models of the benefits register: rows to ``BenefitRead`` (the repository runs the
queries, in batches: six in all for a page of benefits)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy.orm import Session

from epmo.benefits import repository, schedule
from epmo.benefits.models import Benefit
from epmo.benefits.schemas import ActualRead, BenefitDetail, BenefitRead, Evidence, PeriodRead


def describe_benefits(session: Session, rows: Sequence[Benefit], today: date,
                      ) -> list[BenefitRead]:
    """The benefits with their subjects, people, anchors and totals."""
    ids = [b.id for b in rows]
    plans, actuals = repository.plans_of(session, ids), repository.actuals_of(session, ids)
    projects = repository.project_subjects(session, {b.project_id for b in rows
                                                     if b.project_id})
    programmes = repository.programme_subjects(session, {b.programme_id for b in rows
                                                         if b.programme_id})
    people = repository.person_names(session, {p for b in rows
                                               for p in (b.owner_id, b.responsible_id) if p})
    anchors = repository.milestones(session, {b.anchor_milestone_id for b in rows
                                              if b.anchor_milestone_id})
    found = []
    for b in rows:
        subject = (projects.get(b.project_id) if b.project_id
                   else programmes.get(b.programme_id or 0))
        sums = schedule.totals(plans[b.id], actuals[b.id], today)
        anchor = anchors.get(b.anchor_milestone_id or 0)
        found.append(BenefitRead(
            id=b.id, name=b.name, description=b.description, project_id=b.project_id,
            project_code=subject.code if b.project_id and subject else None,
            programme_id=b.programme_id,
            programme_code=subject.code if b.programme_id and subject else None,
            department_id=subject.department_id if subject else None,
            owner_id=b.owner_id, owner_name=people.get(b.owner_id or 0),
            responsible_id=b.responsible_id, responsible_name=people.get(b.responsible_id or 0),
            measure=b.measure, unit=b.unit, baseline=b.baseline, target=b.target, kind=b.kind,
            hard=b.hard, dis_benefit=b.dis_benefit, confidence=b.confidence, status=b.status,
            evidence=[Evidence.model_validate(e) for e in b.evidence or []],
            anchor_milestone_id=b.anchor_milestone_id,
            anchor_name=(anchor.name if anchor else "") if b.anchor_milestone_id
            else ("project finish" if b.project_id else ""),
            offset_months=b.offset_months, anchor_date=b.anchor_date,
            source_request_id=b.source_request_id, at_risk=b.at_risk_days is not None,
            at_risk_days=b.at_risk_days, at_risk_until=b.at_risk_until,
            at_risk_cause=b.at_risk_cause, at_risk_event_id=b.at_risk_event_id,
            planned_total=sums.planned_total, planned_to_date=sums.planned_to_date,
            realised_to_date=sums.realised_to_date,
            behind=schedule.behind(sums, b.dis_benefit), version=b.version))
    return found


def describe_benefit(session: Session, benefit: Benefit, today: date) -> BenefitDetail:
    """One benefit with every month of its schedule and its actuals."""
    read = describe_benefits(session, [benefit], today)[0]
    plan = repository.plans_of(session, [benefit.id])[benefit.id]
    actuals = repository.actuals_of(session, [benefit.id])[benefit.id]
    months = schedule.periods({p.period: p.amount for p in plan},
                              {a.period: a.amount for a in actuals})
    return BenefitDetail(
        **read.model_dump(), periods=[PeriodRead.model_validate(p, from_attributes=True)
                                      for p in months],
        actuals=[ActualRead.model_validate(a) for a in actuals])
