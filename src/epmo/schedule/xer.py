"""Read a Primavera P6 XER export into one ScheduleFile per project it holds.

Tables read: PROJECT, CALENDAR, PROJWBS, TASK, TASKPRED, RSRC, TASKRSRC (others are ignored).
Rules, which the tests count by too:

- each WBS element below the project's root becomes a summary activity with uid
  ``wbs:<wbs_id>`` and ``wbs_only=True`` so the tree exists; ``ScheduleFile.tasks`` (the
  TASK rows) is what "activities" means in a summary, WBS elements are not counted;
- a task's start/finish are its actual dates, else early dates, else planned (target) dates;
  target dates also fill the baseline, P6 keeping real baselines as separate projects;
- a link whose predecessor is in another project of the file is left out of both (a warning
  says so); a link naming a task that is nowhere in the file refuses the file;
- every named resource is in every project (P6's pool is global); assignments without a
  resource (role only) or to an unknown resource are left out;
- calendars: the global and resource ones plus the project's own (the default: the
  project's ``clndr_id``, else the one flagged default); a calendar with a base
  takes the base's exceptions (holidays) too, as P6 applies them.
"""

from __future__ import annotations

from collections import defaultdict

from epmo.schedule import formats
from epmo.schedule.mspdi_calendar import with_bases
from epmo.schedule.parsed import Activity, Assignment, Calendar, Link, Resource, ScheduleFile
from epmo.schedule.xer_calendar import read_calendar
from epmo.schedule.xer_tables import XerRow, XerTables, read_tables
from epmo.schedule.xer_tasks import assignment, link, resource, task_activity, wbs_activities


def read(data: bytes) -> list[ScheduleFile]:
    """Every project of an XER file, refusing anything malformed or over the limits."""
    if formats.detect(data) != "xer":
        raise formats.refuse("This is MS Project XML, not a Primavera XER export")
    tables = read_tables(data)
    projects = tables.rows("PROJECT")
    if not projects:
        raise formats.refuse("The XER file has no PROJECT table (or it is empty): there is no "
                             "project to read", field="PROJECT")
    if len(tables.rows("TASK")) > formats.max_activities():
        raise formats.too_many(len(tables.rows("TASK")))
    _check_links(tables)
    calendars = with_bases([read_calendar(row) for row in tables.rows("CALENDAR")])
    resources = [found for row in tables.rows("RSRC") if (found := resource(row))]
    return [_project(row, tables, calendars, resources) for row in projects]


def _by_project(rows: list[XerRow]) -> dict[str, list[XerRow]]:
    grouped: dict[str, list[XerRow]] = defaultdict(list)
    for row in rows:
        grouped[row.get("proj_id")].append(row)
    return grouped


def _check_links(tables: XerTables) -> None:
    task_ids: set[str] = set()
    for row in tables.rows("TASK"):
        if row.get("task_id") in task_ids or not row.get("task_id"):
            raise formats.refuse(f"{row.where('task_id')}: task id '{row.get('task_id')}' is "
                                 "empty or used twice", field="task_id", row=row.line)
        task_ids.add(row.get("task_id"))
    for row in tables.rows("TASKPRED"):
        for field in ("task_id", "pred_task_id"):
            if row.get(field) not in task_ids:
                raise formats.refuse(f"{row.where(field)}: task {row.get(field) or '(empty)'} "
                                     "is not in the TASK table", field=field, row=row.line)


def _project(row: XerRow, tables: XerTables, calendars: list[Calendar],
             resources: list[Resource]) -> ScheduleFile:
    proj_id = row.get("proj_id")
    wbs, root_id, root_name = wbs_activities(_by_project(tables.rows("PROJWBS"))[proj_id])
    by_uid = {activity.uid: activity for activity in wbs}
    tasks = [task_activity(task, by_uid, root_id)
             for task in _by_project(tables.rows("TASK"))[proj_id]]
    links, outside = _links(tables, {task.uid for task in tasks})
    own = [c for c, r in zip(calendars, tables.rows("CALENDAR"), strict=True)
           if r.get("proj_id") in ("", proj_id)]
    default = row.get("clndr_id") or next(
        (r.get("clndr_id") for r in tables.rows("CALENDAR") if r.get("default_flag") == "Y"), None)
    return ScheduleFile(
        format="xer", name=root_name or row.get("proj_short_name") or f"Project {proj_id}",
        code=row.get("proj_short_name"), start=row.date("plan_start_date"),
        status_date=row.date("last_recalc_date") or row.date("next_data_date"),
        calendar_uid=default, minutes_per_day=_minutes_per_day(own, default),
        activities=tuple(wbs + tasks), links=tuple(links), calendars=tuple(own),
        resources=tuple(resources),
        assignments=tuple(_assignments(tables, tasks, resources)),
        warnings=_warnings(outside),
    )


def _links(tables: XerTables, tasks: set[str]) -> tuple[list[Link], int]:
    links: list[Link] = []
    outside = 0
    for row in tables.rows("TASKPRED"):
        if row.get("task_id") not in tasks:
            continue
        if row.get("pred_task_id") in tasks:
            links.append(link(row))
        else:
            outside += 1
    return links, outside


def _assignments(tables: XerTables, tasks: list[Activity],
                 resources: list[Resource]) -> list[Assignment]:
    task_ids = {task.uid for task in tasks}
    resource_ids = {found.uid for found in resources}
    return [assignment(row) for row in tables.rows("TASKRSRC")
            if row.get("task_id") in task_ids and row.get("rsrc_id") in resource_ids]


def _minutes_per_day(calendars: list[Calendar], default: str | None) -> int:
    found = next((c for c in calendars if c.uid == default), None)
    return round((found.hours_per_day if found else 8.0) * 60)


def _warnings(outside: int) -> tuple[str, ...]:
    if not outside:
        return ()
    return (f"{outside} link(s) from a task of another project in the file were left out",)
