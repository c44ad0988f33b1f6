"""The demo's schedules: two of the IT project manager's projects get a plan from "MS Project".

Each plan is built as a ``ScheduleFile`` (phases, tasks, four kinds of links, milestones, the
project manager and two generic roles assigned), dated by the hub's own CPM from the project's
planned start, marked done up to the demo's today, written as MS Project XML by the hub's
writer and imported through ``schedule.service`` like a department's file: so the Schedule
tab, the Gantt, the milestones in the network and the role demand are real from a fresh
clone. Nothing is written when the demo has no IT project manager or no fitting project.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from typing import Final

from sqlalchemy.orm import Session

from epmo.auth import service as auth_service
from epmo.demo import repository
from epmo.portfolio.models import Project
from epmo.schedule import mspdi_write, parsed, planning, reading, service

PM_EMAIL: Final = "pm.it@demo.epmo"
PROJECTS: Final = 2
OPEN_STAGES: Final = ("approved", "planning", "executing", "closing")
DAY: Final = 8.0  # hours of a working day
# phase, [(task, days, predecessors as (task, type, lag days)), milestones have 0 days]
PLAN: Final = (
    ("Initiation", (("Project charter", 5, ()), ("Kick-off", 0, (("Project charter", "FS", 0),)))),
    ("Design", (("Requirements", 10, (("Kick-off", "FS", 0),)),
                ("Solution design", 15, (("Requirements", "SS", 5),)),
                ("Design approved", 0, (("Solution design", "FS", 0),
                                        ("Requirements", "FS", 0))))),
    ("Build", (("Build sprint 1", 10, (("Design approved", "FS", 0),)),
               ("Build sprint 2", 10, (("Build sprint 1", "FS", 0),)),
               ("Build sprint 3", 10, (("Build sprint 2", "FS", 0),)),
               ("Integration", 10, (("Build sprint 3", "FF", 5),)))),
    ("Test", (("System test", 10, (("Integration", "FS", 0),)),
              ("User acceptance test", 10, (("System test", "SS", 5),)),
              ("Training", 5, (("User acceptance test", "FF", 0),)),
              ("Go/no-go", 0, (("User acceptance test", "FS", 0),)))),
    ("Deploy", (("Cutover", 5, (("Go/no-go", "FS", 0),)),
                ("Go-live", 0, (("Cutover", "FS", 0),)),
                ("Hypercare", 10, (("Go-live", "FS", 0),)))),
)
WORK: Final = {"Requirements": "analyst", "Solution design": "analyst",
               "Build sprint 1": "engineer", "Build sprint 2": "engineer",
               "Build sprint 3": "engineer", "Integration": "engineer", "Cutover": "pm",
               "Project charter": "pm", "User acceptance test": "analyst"}


def _calendar() -> parsed.Calendar:
    day = (parsed.Shift(time(8), time(12)), parsed.Shift(time(13), time(17)))
    return parsed.Calendar("1", "Standard", {weekday: day for weekday in range(5)})


def _activities(scale: float) -> tuple[list[parsed.Activity], list[parsed.Link]]:
    items: list[parsed.Activity] = []
    links: list[parsed.Link] = []
    uid = {name: str(n) for n, name in enumerate(
        (name for phase, tasks in PLAN for name in (phase, *(t[0] for t in tasks))), start=1)}
    for p, (phase, tasks) in enumerate(PLAN, start=1):
        items.append(parsed.Activity(uid[phase], uid[phase], phase, wbs=str(p), summary=True))
        for t, (name, days, preds) in enumerate(tasks, start=1):
            items.append(parsed.Activity(uid[name], uid[name], name, wbs=f"{p}.{t}",
                                         parent_uid=uid[phase], outline_level=2,
                                         milestone=days == 0,
                                         duration_hours=_days(days, scale) * DAY))
            links += [parsed.Link(uid[pred], uid[name], kind,  # type: ignore[arg-type]
                                  _days(lag, scale) * DAY) for pred, kind, lag in preds]
    return items, links


def _days(days: int, scale: float) -> int:
    """``days`` scaled to the project's window, a task never shorter than a day."""
    return max(1, round(days * scale)) if days else 0


def _resources(pm_email: str) -> tuple[parsed.Resource, ...]:
    return (parsed.Resource("1", "Project manager of record", email=pm_email),
            parsed.Resource("2", "Analyst", group="Business analyst"),
            parsed.Resource("3", "Engineer", group="Data engineer"))


def _start(project: Project, today: date) -> datetime:
    """The plan starts at the planned start, or at the actual start when that is later."""
    planned = project.planned_start or today
    return datetime.combine(max(planned, project.actual_start or planned), time(8))


def plan_for(project: Project, pm_email: str, today: date) -> parsed.ScheduleFile | None:
    """The project's plan, fitted into its planned window and done up to ``today``; None when
    the window is too short for it."""
    start = _start(project, today)
    scale = 1.0
    if project.planned_finish is not None:
        nominal = _draft(project, pm_email, start, 1.0)
        span = (planning.plan(nominal).finish or start) - start
        scale = min(1.0, (project.planned_finish - start.date()).days / max(span.days, 1))
    draft = _draft(project, pm_email, start, scale)
    timing = planning.plan(draft)
    if project.planned_finish and timing.finish and timing.finish.date() > project.planned_finish:
        return None
    now = datetime.combine(today, time(8))
    dated = tuple(_dated(a, timing.timings[a.uid], now) for a in draft.activities)
    who = {"pm": "1", "analyst": "2", "engineer": "3"}
    work = tuple(parsed.Assignment(a.uid, who[WORK[a.name]], a.duration_hours, a.start, a.finish)
                 for a in dated if a.name in WORK)
    return replace(draft, activities=dated, assignments=work, status_date=now)


def _draft(project: Project, pm_email: str, start: datetime,
           scale: float) -> parsed.ScheduleFile:
    items, links = _activities(scale)
    return parsed.ScheduleFile("mspdi", project.name, start=start, calendar_uid="1",
                               activities=tuple(items), links=tuple(links),
                               calendars=(_calendar(),), resources=_resources(pm_email))


def _dated(item: parsed.Activity, timing: planning.Timing, now: datetime) -> parsed.Activity:
    done = timing.early_finish <= now and not item.summary
    return replace(item, start=timing.early_start, finish=timing.early_finish,
                   baseline_start=timing.early_start, baseline_finish=timing.early_finish,
                   actual_start=timing.early_start if done else None,
                   actual_finish=timing.early_finish if done else None,
                   percent_complete=100.0 if done else 0.0)


def build_schedules(session: Session, today: date) -> dict[str, int]:
    """Import a plan for the IT project manager's first open projects whose planned window
    holds it; how many schedules were made."""
    user = repository.user_by_email(session, PM_EMAIL)
    if user is None or user.person_id is None:
        return {}
    actor = auth_service.actor_for(session, user)
    email = repository.person_email(session, user.person_id)
    made = 0
    for project in repository.managed_projects(session, user.person_id, OPEN_STAGES, 20):
        file = plan_for(project, email, today)
        if file is None:
            continue
        upload = service.Upload(f"{project.code}-plan.xml", mspdi_write.write(file))
        service.import_for(session, actor, project, reading.read_schedule(upload.data)[0], upload,
                           dry_run=False)
        made += 1
        if made == PROJECTS:
            break
    return {"schedule": made}
