"""The demo's benefits register: a year of planned and realised benefits for a dozen projects.

Nine projects that finished in the last thirteen months get a benefit (money, hours, emissions or
complaints avoided; one a dis-benefit, the licences a new system costs to run) planned over the
twelve months after their finish, and what each realised in every month that has passed:
most on track, some behind. Then three IT milestones that a dependency's slip pushed
(``demo.network``) get a benefit anchored on them, judged by the same reaction that judges a
change event as it happens (``benefits.follow.judge_events``), so they show at risk with the
days and the cause. Written through the benefits service as the EPMO administrator; seeded;
nothing is written without an administrator.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Final, Literal

from sqlalchemy.orm import Session

from epmo.auth import service as auth_service
from epmo.auth.policy import Actor
from epmo.benefits import follow, repository, schedule, service
from epmo.benefits.schemas import ActualRecord, BenefitCreate, Evidence, PlanLine
from epmo.demo import repository as demo_repository
from epmo.portfolio.models import Milestone, Project
from epmo.resources.months import month_index, month_name, month_of

FINISHED: Final = 9  # projects finished in the last year with benefits realising
AT_RISK: Final = 3  # benefits anchored on milestones a dependency pushed
MONTHS: Final = 12
BEHIND_SHARE: Final = 0.35


@dataclass(frozen=True, slots=True)
class Kind:
    """A kind of benefit the demo plans, with its monthly amount range."""

    name: str
    measure: str
    unit: str
    kind: Literal["cash_releasing", "non_cash", "societal"]
    hard: bool
    dis_benefit: bool
    low: int
    high: int


KINDS: Final = (
    Kind("Processing staff released", "Cost of the work no longer done by hand", "money",
         "cash_releasing", True, False, 4_000, 15_000),
    Kind("Overtime avoided", "Overtime hours a month", "hours", "non_cash", True, False, 80, 300),
    Kind("Procurement savings", "Lower unit prices under the new contracts", "money",
         "cash_releasing", True, False, 6_000, 20_000),
    Kind("Lower travel emissions", "Tonnes of CO2e a month", "tCO2e", "societal", False, False,
         2, 12),
    Kind("Customer complaints avoided", "Complaints a month below the baseline", "complaints",
         "non_cash", False, False, 10, 60),
    Kind("Licence running costs", "What the new system costs to run", "money", "cash_releasing",
         True, True, 800, 2_500),
)


def build_benefits(session: Session, today: date, seed: int) -> dict[str, int]:
    """Benefits, their plans and actuals; how many of each were made."""
    user = demo_repository.first_admin(session)
    if user is None:
        return {}
    admin = auth_service.actor_for(session, user)
    rng = random.Random(f"benefits-{seed}")
    found = repository.projects_finishing(session, today - timedelta(days=400),
                                          today - timedelta(days=40), 2_000)
    # spread over the year: some have realised for a year, some for a month or two
    finished = [found[k * len(found) // FINISHED] for k in range(FINISHED)] if found else []
    counts = {"benefit": 0, "benefit_plan": 0, "benefit_actual": 0}
    for number, project in enumerate(finished):
        kind = KINDS[0] if number % 3 == 0 else KINDS[number % len(KINDS)]
        _realised(session, admin, rng, project, kind, today, counts)
    _at_risk(session, admin, rng, counts)
    return counts


def _evidence(project: Project) -> list[Evidence]:
    return [Evidence(url=f"https://intranet.demo.epmo/benefits/{project.code}",
                     label="Benefits realisation report")]


def _plan(rng: random.Random, first: str, low: int, high: int) -> list[PlanLine]:
    """Twelve months, ramping up over the first three."""
    level = Decimal(rng.randint(low, high))
    return [PlanLine(period=month_name(month_index(first) + k),
                     amount=(level * min(k + 1, 3) / 3).quantize(Decimal("1")))
            for k in range(MONTHS)]


def _realised(session: Session, admin: Actor, rng: random.Random, project: Project,
              kind: Kind, today: date, counts: dict[str, int]) -> None:
    finish = project.actual_finish or project.forecast_finish or project.planned_finish
    first = schedule.first_month(finish, 1, today)
    plan = _plan(rng, first, kind.low, kind.high)
    made = service.create_benefit(session, admin, BenefitCreate(
        name=kind.name, project_id=project.id, owner_id=project.sponsor_id or project.manager_id,
        responsible_id=project.manager_id, measure=kind.measure, unit=kind.unit,
        kind=kind.kind, hard=kind.hard, dis_benefit=kind.dis_benefit,
        confidence=rng.choice((60, 70, 80, 90)), status="realising",
        target=sum((line.amount for line in plan), Decimal(0)), evidence=_evidence(project),
        offset_months=1, plan=plan))
    counts["benefit"] += 1
    counts["benefit_plan"] += len(plan)
    behind = rng.random() < BEHIND_SHARE
    for line in plan:
        if line.period >= min(month_of(today), month_of(schedule.today())):
            break
        share = rng.uniform(0.4, 0.75) if behind else rng.uniform(0.9, 1.1)
        service.record_actual(session, admin, made.id, ActualRecord(
            period=line.period, amount=(line.amount * Decimal(str(round(share, 2))))
            .quantize(Decimal("0.01")), note="From the finance ledger" if kind.unit == "money"
            else "From the operations dashboard"))
        counts["benefit_actual"] += 1


def _at_risk(session: Session, admin: Actor, rng: random.Random,
             counts: dict[str, int]) -> None:
    """Benefits anchored on milestones a dependency pushed, judged on those change events."""
    chosen: dict[int, int] = {}
    for event_id, milestone_id in repository.pushed_milestones(session):
        if milestone_id not in chosen and len(chosen) < AT_RISK:
            chosen[milestone_id] = event_id
    for milestone_id in chosen:
        milestone = session.get(Milestone, milestone_id)
        if milestone is None:
            continue
        day = milestone.forecast_date or milestone.planned_date
        plan = _plan(rng, schedule.first_month(day, 1, day or date.today()), 3_000, 9_000)
        service.create_benefit(session, admin, BenefitCreate(
            name=f"Savings once {milestone.name[:150]} is done", project_id=milestone.project_id,
            measure="Running cost released", unit="money", kind="cash_releasing", hard=True,
            confidence=70, status="planned", anchor_milestone_id=milestone.id, offset_months=1,
            target=sum((line.amount for line in plan), Decimal(0)), plan=plan))
        counts["benefit"] += 1
        counts["benefit_plan"] += len(plan)
    follow.judge_events(session, set(chosen.values()))
