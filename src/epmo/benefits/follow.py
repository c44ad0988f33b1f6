"""Benefits follow the network: a slip moves the plan, a push by a dependency puts it at risk,
an approved request's expected benefits become the project's.

Reactions wired in ``epmo.wiring`` (the benefits domain installs nothing itself):

- ``follow_anchor`` (before the commit, the batch of ``DatesMoved``): a benefit anchored on a
  milestone whose own date moved (or, without a milestone, on a project whose finish moved)
  has its plan moved by the whole calendar months between ``anchor_date``, the date the plan
  stands for, and the anchor's date now; then ``anchor_date`` is the new date. Counting from
  the stored date, not from the events, makes the move once per net move whatever the number
  of writes (and a second settle in the same unit of work moves nothing more); a rollback
  takes the move with it. Actuals stay in the months they were realised in. An anchor moved
  to (or past) the day a dependency pushed it to is no longer at risk.
- ``flag_at_risk`` (before the commit, the batch of ``ChangeRecorded``): the network moved the
  implied date of the anchors named in the change events' impacts. A benefit whose anchor is
  now implied later than its own date is at risk by those days, with the change event and its
  cause in words; one implied at or before its own date is no longer at risk. The plan does
  not move: the owner of the anchor decides whether to move their date (which then moves it).
- ``on_removing`` (at once, ``ProjectRemoving`` of a milestone): the benefits anchored on a
  milestone about to be deleted fall back to their project's finish, from where they stand
  (the plan does not move; a later move of the finish moves it from there), and no longer
  carry the milestone's risk.
- ``carry_request`` (at once, ``RequestApproved``): the request's benefit figure becomes a
  benefit of the new project, owned by the request's sponsor, anchored on the project's
  finish, its total spread evenly over the twelve months after it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy.orm import Session

from epmo.benefits import repository, schedule, service
from epmo.benefits.models import MONEY_UNIT, Benefit
from epmo.events import ChangeRecorded, DatesMoved
from epmo.intake.events import RequestApproved
from epmo.intake.models import IntakeRequest
from epmo.network.models import ChangeEvent, ChangeImpact
from epmo.portfolio.events import ProjectRemoving
from epmo.portfolio.models import Project

CARRIED_MONTHS = 12  # a request's benefit figure is planned over a year after the finish
CARRIED_OFFSET = 1  # starting the month after the project's finish


def follow_anchor(session: Session, batch: Sequence[DatesMoved]) -> None:
    """Before the commit: move the plans of the benefits whose anchor's own date moved."""
    milestone_ids = {e.milestone_id for e in batch if e.milestone_id is not None}
    project_ids = {e.project_id for e in batch if e.milestone_id is None}
    benefits = repository.anchored(session, milestone_ids, project_ids)
    if not benefits:
        return
    milestones = repository.milestones(session, {b.anchor_milestone_id for b in benefits
                                                 if b.anchor_milestone_id is not None})
    projects = repository.projects(session, {b.project_id for b in benefits if b.project_id})
    for benefit in benefits:
        milestone = milestones.get(benefit.anchor_milestone_id or 0)
        now = schedule.anchor_day(benefit, milestone, projects.get(benefit.project_id or 0))
        _moved(session, benefit, now)
    session.flush()


def _moved(session: Session, benefit: Benefit, now: date | None) -> None:
    if now is None or now == benefit.anchor_date:
        return
    months = schedule.months_between(benefit.anchor_date, now)
    benefit.anchor_date = now
    if benefit.at_risk_until is not None:
        if now >= benefit.at_risk_until:
            _clear(benefit)
        else:
            benefit.at_risk_days = (benefit.at_risk_until - now).days
    if months:
        service.shift_plan(session, benefit.id, months)


def _clear(benefit: Benefit) -> None:
    benefit.at_risk_until = benefit.at_risk_days = benefit.at_risk_event_id = None
    benefit.at_risk_cause = ""


def flag_at_risk(session: Session, batch: Sequence[ChangeRecorded]) -> None:
    """Before the commit: flag (or clear) the benefits whose anchor a dependency moved."""
    judge_events(session, {e.change_event_id for e in batch})


def judge_events(session: Session, event_ids: set[int]) -> None:
    """Flag (or clear) the benefits anchored where these change events moved implied dates."""
    impacts = repository.impacts_of(session, event_ids)
    if not impacts:
        return
    milestone_ids = {i.milestone_id for i, _ in impacts if i.milestone_id is not None}
    finish_of = {i.project_id for i, _ in impacts if i.node_kind == "project"}
    benefits = repository.anchored(session, milestone_ids, finish_of)
    if not benefits:
        return
    causes = _causes(session, [event for _, event in impacts])
    for impact, event in impacts:  # in event order: the last change holds
        for benefit in benefits:
            if _anchored_on(benefit, impact):
                _judge(benefit, impact, event, causes[event.id])
    session.flush()


def _anchored_on(benefit: Benefit, impact: ChangeImpact) -> bool:
    if impact.node_kind == "milestone":
        return benefit.anchor_milestone_id == impact.milestone_id
    return benefit.anchor_milestone_id is None and benefit.project_id == impact.project_id


def _judge(benefit: Benefit, impact: ChangeImpact, event: ChangeEvent, cause: str) -> None:
    own, implied = benefit.anchor_date, impact.new_date
    if own is None or implied is None or implied <= own:
        if benefit.at_risk_until is not None:
            _clear(benefit)
        return
    benefit.at_risk_until, benefit.at_risk_days = implied, (implied - own).days
    benefit.at_risk_event_id = event.id
    benefit.at_risk_cause = (f"{cause}; the network now implies {implied.isoformat()} for "
                             f"this benefit's anchor ({(implied - own).days} days past "
                             f"{own.isoformat()})")[:500]


def _causes(session: Session, found: Sequence[ChangeEvent]) -> dict[int, str]:
    """Each change event in words: what moved, from when to when, why."""
    subjects = repository.project_subjects(session, {e.project_id for e in found})
    milestones = repository.milestones(session, {e.milestone_id for e in found
                                                 if e.milestone_id is not None})
    words = {}
    for event in found:
        code = subjects[event.project_id].code if event.project_id in subjects else "a project"
        what = (f"{code} milestone {milestones[event.milestone_id].name!r}"
                if event.milestone_id in milestones else code)
        words[event.id] = (f"Change event {event.id}: {what} moved from {event.old_date} to "
                           f"{event.new_date} ({event.reason or event.source})")
    return words


def on_removing(session: Session, event: ProjectRemoving) -> None:
    """At once: benefits anchored on a milestone being deleted anchor on the project's finish."""
    if event.milestone_id is None:
        return
    benefits = repository.anchored(session, {event.milestone_id}, ())
    project = session.get(Project, event.project_id)
    for benefit in benefits:
        benefit.anchor_milestone_id = None
        benefit.anchor_date = schedule.anchor_day(benefit, None, project)
        _clear(benefit)
    if benefits:
        session.flush()


def carry_request(session: Session, event: RequestApproved) -> None:
    """At once: an approved request's benefit figure becomes a benefit of its new project."""
    request = session.get(IntakeRequest, event.request_id)
    project = session.get(Project, event.project_id)
    if request is None or project is None or (request.benefit_value is None
                                               and not request.benefits.strip()):
        return
    finish = project.forecast_finish or project.planned_finish
    benefit = Benefit(
        name=f"Expected benefits of {request.code}"[:200], description=request.benefits,
        project_id=project.id, owner_id=request.sponsor_id, unit=MONEY_UNIT,
        measure="Value the request expected", target=request.benefit_value, kind="non_cash",
        status="planned" if request.benefit_value is not None else "identified",
        offset_months=CARRIED_OFFSET, anchor_date=finish, source_request_id=request.id,
        evidence=[])
    session.add(benefit)
    session.flush()
    if request.benefit_value is not None:
        first = schedule.first_month(finish, CARRIED_OFFSET, schedule.today())
        service.write_plan(session, benefit.id, schedule.spread(request.benefit_value, first,
                                                                CARRIED_MONTHS))
