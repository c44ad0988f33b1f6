"""Named writes of the benefits register: create, change, remove a benefit, plan it, record
what it realised.

The plan stays tied to its anchor: changing the anchor milestone or the offset moves the plan
by as many months (the months between the old and new anchor's dates, plus the change of
offset), as a slip of the anchor does (``benefits.follow``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.benefits import policy, repository, schedule
from epmo.benefits.models import Benefit, BenefitActual, BenefitPlan
from epmo.benefits.schemas import ActualRecord, BenefitCreate, BenefitUpdate, PlanLine, PlanReplace
from epmo.db import utcnow
from epmo.editing import apply, changes_of, check_version, require
from epmo.errors import FieldError, Invalid, NotFound
from epmo.org.models import Person
from epmo.portfolio.models import Milestone, Project

NULLABLE = frozenset({"owner_id", "responsible_id", "baseline", "target", "confidence",
                      "anchor_milestone_id"})


def _check_people(session: Session, values: Mapping[str, Any]) -> None:
    for field in ("owner_id", "responsible_id"):
        if field in values:
            require(session, Person, values[field], field)


def _check_anchor(session: Session, benefit: Benefit, milestone_id: int | None) -> None:
    """The anchor milestone belongs to the benefit's project (or a project of its programme)."""
    if milestone_id is None:
        return
    milestone = session.get(Milestone, milestone_id)
    if milestone is None:
        raise Invalid("The anchor milestone does not exist", [FieldError(
            "anchor_milestone_id", f"no such milestone (id {milestone_id})")])
    project = session.get(Project, milestone.project_id)
    if benefit.project_id is not None and milestone.project_id != benefit.project_id:
        raise Invalid("The anchor milestone belongs to another project", [FieldError(
            "anchor_milestone_id", "must be a milestone of the benefit's own project")])
    if benefit.programme_id is not None and (project is None
                                             or project.programme_id != benefit.programme_id):
        raise Invalid("The anchor milestone is not in the programme", [FieldError(
            "anchor_milestone_id", "must be a milestone of a project of the benefit's programme")])


def _plan_lines(lines: list[PlanLine]) -> dict[str, Decimal]:
    plan: dict[str, Decimal] = {}
    for line in lines:
        if line.period in plan:
            raise Invalid("A month is planned twice", [FieldError(
                "plan", f"{line.period} appears more than once; give each month one amount")])
        plan[line.period] = line.amount
    return plan


def current_anchor(session: Session, benefit: Benefit) -> date | None:
    """The anchor's own date as it stands now."""
    milestone = (session.get(Milestone, benefit.anchor_milestone_id)
                 if benefit.anchor_milestone_id is not None else None)
    project = session.get(Project, benefit.project_id) if benefit.project_id else None
    return schedule.anchor_day(benefit, milestone, project)


def create_benefit(session: Session, actor: Actor, data: BenefitCreate) -> Benefit:
    """Register a benefit of a project or programme the actor keeps, with its plan."""
    policy.subject_to_keep(session, actor, data.project_id, data.programme_id)
    values = data.model_dump(exclude={"plan", "evidence"})
    _check_people(session, values)
    benefit = Benefit(**values, evidence=[e.model_dump() for e in data.evidence])
    _check_anchor(session, benefit, data.anchor_milestone_id)
    plan = _plan_lines(data.plan)
    benefit.anchor_date = current_anchor(session, benefit)
    session.add(benefit)
    session.flush()
    write_plan(session, benefit.id, plan)
    return benefit


def update_benefit(session: Session, actor: Actor, benefit_id: int,
                   data: BenefitUpdate) -> Benefit:
    """Change a benefit's fields (send the version read); a new anchor or offset moves the
    plan with it."""
    benefit = policy.benefit_to_keep(session, actor, benefit_id)
    check_version(benefit, data.version)
    changes = changes_of(data, NULLABLE)
    if "evidence" in changes:
        changes["evidence"] = [e.model_dump() for e in data.evidence]
    _check_people(session, changes)
    if "anchor_milestone_id" in changes:
        _check_anchor(session, benefit, changes["anchor_milestone_id"])
    old_anchor, old_offset = benefit.anchor_date, benefit.offset_months
    apply(benefit, changes)
    new_anchor = current_anchor(session, benefit)
    months = (schedule.months_between(old_anchor, new_anchor)
              + benefit.offset_months - old_offset)
    benefit.anchor_date = new_anchor
    session.flush()
    if months:
        shift_plan(session, benefit.id, months)
    return benefit


def delete_benefit(session: Session, actor: Actor, benefit_id: int, version: int) -> None:
    """Remove a benefit with its plan and actuals (send the version read)."""
    benefit = policy.benefit_to_keep(session, actor, benefit_id)
    check_version(benefit, version)
    session.delete(benefit)
    session.flush()


def replace_plan(session: Session, actor: Actor, benefit_id: int, data: PlanReplace) -> Benefit:
    """Replace the whole planned schedule (send the benefit's version read)."""
    benefit = policy.benefit_to_keep(session, actor, benefit_id)
    check_version(benefit, data.version)
    write_plan(session, benefit.id, _plan_lines(data.lines))
    benefit.updated_at = utcnow()  # a new plan is a new version of the benefit
    session.flush()
    return benefit


def write_plan(session: Session, benefit_id: int, plan: Mapping[str, Decimal]) -> None:
    """Store the plan lines of a benefit (those of other months go)."""
    stored = repository.plans_of(session, [benefit_id])[benefit_id]
    for row in stored:
        if row.period not in plan:
            session.delete(row)
        elif row.amount != plan[row.period]:
            row.amount = plan[row.period]
    have = {row.period for row in stored}
    session.add_all(BenefitPlan(benefit_id=benefit_id, period=period, amount=amount)
                    for period, amount in sorted(plan.items()) if period not in have)
    session.flush()


def shift_plan(session: Session, benefit_id: int, months: int) -> None:
    """Move a benefit's plan by whole months (actuals stay where they were realised)."""
    stored = repository.plans_of(session, [benefit_id])[benefit_id]
    moved = schedule.shifted(((row.period, row.amount) for row in stored), months)
    for row in stored:
        session.delete(row)
    session.flush()
    session.add_all(BenefitPlan(benefit_id=benefit_id, period=period, amount=amount)
                    for period, amount in sorted(moved.items()))
    session.flush()


def record_actual(session: Session, actor: Actor, benefit_id: int, data: ActualRecord,
                  version: int | None = None) -> BenefitActual:
    """Record what a benefit realised in a month (not a month still to come); replacing a
    figure already recorded takes its version when one is sent."""
    benefit = policy.benefit_to_keep(session, actor, benefit_id)
    if data.period > f"{schedule.today():%Y-%m}":
        raise Invalid("A benefit cannot be realised in a month still to come", [FieldError(
            "period", f"{data.period} has not begun; record it once it has")])
    row = session.get(BenefitActual, (benefit.id, data.period))
    if row is not None and version is not None:
        check_version(row, version)
    if row is None:
        row = BenefitActual(benefit_id=benefit.id, period=data.period)
        session.add(row)
    apply(row, {"amount": data.amount, "note": data.note, "recorded_by_id": actor.id or None,
                "recorded_by": actor.label, "recorded_at": utcnow()})
    session.flush()
    return row


def delete_actual(session: Session, actor: Actor, benefit_id: int, period: str,
                  version: int) -> None:
    """Remove a month's recorded actual (send its version)."""
    benefit = policy.benefit_to_keep(session, actor, benefit_id)
    row = session.get(BenefitActual, (benefit.id, period))
    if row is None:
        raise NotFound(f"No actual recorded for {period}")
    check_version(row, version)
    session.delete(row)
    session.flush()

