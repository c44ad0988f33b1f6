"""Import a project's schedule from its own tool's file, keep what each re-import changed.

One import is one unit of work: read the file (``formats``), compute the critical path
(``planning``), compare with the stored schedule (``diffing``), replace the activities and
links, keep milestone ties and move tied milestones (``milestones``), and note the import in
the audit log. A file the hub cannot read raises ``Invalid`` before anything is written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated

from pydantic import Field, TypeAdapter, ValidationError
from sqlalchemy.orm import Session

from epmo.audit.service import record as audit_record
from epmo.auth.policy import Actor
from epmo.db import utcnow, work_of
from epmo.errors import FieldError, Invalid
from epmo.portfolio.models import Project
from epmo.schedule import (
    demand,
    diffing,
    milestones,
    planning,
    projects,
    reading,
    repository,
    store,
)
from epmo.schedule.models import Activity, Link, Part, Schedule, ScheduleChange
from epmo.schedule.parsed import Activity as ParsedActivity
from epmo.schedule.parsed import ScheduleFile
from epmo.schedule.policy import writable_project_or_404
from epmo.schedule.schemas import ScheduleSummary


@dataclass(frozen=True)
class Upload:
    """A file as received: its name and bytes."""

    name: str
    data: bytes
    resource_map: Mapping[str, str] = field(default_factory=dict)  # resource -> e-mail or role

    @property
    def digest(self) -> str:
        """The file's SHA-256, kept with the schedule and in the audit log."""
        return hashlib.sha256(self.data).hexdigest()


RESOURCE_MAP = TypeAdapter(dict[Annotated[str, Field(min_length=1, max_length=200)],
                                Annotated[str, Field(min_length=1, max_length=254)]])
MAP_SHAPE = 'a JSON object like {"Resource name": "person@example.org" or "Role"}'


def parse_resource_map(text: str | None) -> dict[str, str]:
    """The resource mapping sent as JSON text, or a refusal saying what shape it needs."""
    if text is None or not text.strip():
        return {}
    try:
        return RESOURCE_MAP.validate_json(text)
    except ValidationError:
        raise Invalid(f"The resource mapping must be {MAP_SHAPE}",
                      [FieldError("resource_map", f"must be {MAP_SHAPE}")]) from None


def pick_file(files: list[ScheduleFile], project: Project) -> ScheduleFile:
    """The file's schedule for ``project``: the only one, or the XER project with its code."""
    if len(files) == 1:
        return files[0]
    for file in files:
        if file.code == project.code:
            return file
    codes = ", ".join(f.code or f.name for f in files)
    raise Invalid(f"The file holds {len(files)} projects ({codes}) and none has the code "
                  f"{project.code}; import it for a department to create one project each.")


def counts(file: ScheduleFile, upload: Upload, dry_run: bool) -> ScheduleSummary:
    """The summary of what the file holds, counted as the file counts it."""
    return ScheduleSummary(
        format=file.format, source_name=upload.name, dry_run=dry_run,
        activities=len(file.tasks), milestones=sum(1 for a in file.tasks if a.milestone),
        links=len(file.links), resources=len(file.resources),
        assignments=len(file.assignments), calendars=len(file.calendars),
        warnings=list(file.warnings))


def import_schedule(session: Session, actor: Actor, project_id: int, upload: Upload,
                    dry_run: bool = False) -> ScheduleSummary:
    """Import the schedule of one project, all or nothing; ``dry_run`` only reports."""
    project = writable_project_or_404(session, actor, project_id)
    file = pick_file(reading.read_schedule(upload.data), project)
    return import_for(session, actor, project, file, upload, dry_run)


def import_for(session: Session, actor: Actor, project: Project, file: ScheduleFile,
               upload: Upload, dry_run: bool) -> ScheduleSummary:
    """Import ``file`` as ``project``'s schedule (the project is already authorised)."""
    plan = planning.plan(file)
    schedule = repository.get_schedule(session, project.id)
    before = repository.activities_of(session, schedule.id) if schedule else []
    diff = diffing.compare(map(_shown_row, before), map(_shown_file, file.activities))
    summary = counts(file, upload, dry_run).model_copy(update={
        "project_id": project.id, "project_code": project.code, "finish": plan.finish,
        "critical_activities": sum(t.critical for t in plan.timings.values()),
        "added": len(diff.added) if schedule else 0, "removed": len(diff.removed),
        "moved": len(diff.moved), "warnings": [*file.warnings, *plan.warnings]})
    if dry_run:
        demand.chosen(session, upload.resource_map)  # a bad mapping fails the dry run too
        return summary
    work_of(session).mark_source("schedule", f"schedule {upload.name}")
    return _store(session, actor, project, file, plan, upload, schedule, before, diff, summary)


def _store(session: Session, actor: Actor, project: Project, file: ScheduleFile,
           plan: planning.Plan, upload: Upload, schedule: Schedule | None,
           before: list[Activity], diff: diffing.Diff, summary: ScheduleSummary) -> ScheduleSummary:
    fresh = schedule is None
    schedule = _header(session, actor, project, file, plan, upload, schedule)
    rows = store.activity_rows(schedule.id, file, plan)
    ties = {a.uid: a.milestone_id for a in before if a.milestone_id}
    outcome = milestones.sync(session, actor, project.id, rows, ties, f"schedule {upload.name}")
    outcome.warnings += demand.apply(session, project.id, file, upload.resource_map)
    for row in rows:
        row["milestone_id"] = outcome.ties.get(row["uid"])
    repository.clear_contents(session, schedule.id)
    repository.insert_rows(session, Activity, rows)
    repository.insert_rows(session, Link, store.link_rows(schedule.id, file))
    repository.insert_rows(session, Part, store.part_rows(schedule.id, file))
    if not fresh:
        session.add(ScheduleChange(
            schedule_id=schedule.id, imported_by_id=actor.person_id, source_name=upload.name,
            added=diff.added, removed=diff.removed, moved=diff.moved,
            milestones_moved=outcome.moved, note="\n".join(outcome.warnings)))
    audit_record(session, "schedule", str(schedule.id), "import", {
        "project_id": project.id, "file": upload.name, "sha256": upload.digest,
        "activities": len(rows), "added": len(diff.added), "removed": len(diff.removed),
        "moved": len(diff.moved)})
    session.flush()
    return summary.model_copy(update={
        "milestones_created": outcome.created, "milestones_moved": outcome.moved,
        "warnings": [*summary.warnings, *outcome.warnings]})


def _header(session: Session, actor: Actor, project: Project, file: ScheduleFile,
            plan: planning.Plan, upload: Upload, schedule: Schedule | None) -> Schedule:
    """Create or refresh the schedule row (an ORM write: audited and versioned)."""
    if schedule is None:
        schedule = Schedule(project_id=project.id)
        session.add(schedule)
    schedule.format, schedule.source_name = file.format, upload.name[:255]
    schedule.source_sha256, schedule.name = upload.digest, file.name[:255]
    schedule.imported_by_id = actor.person_id
    schedule.status_date, schedule.calendar_uid = file.status_date, file.calendar_uid
    schedule.minutes_per_day, schedule.early_finish = file.minutes_per_day, plan.finish
    schedule.warnings = [*file.warnings, *plan.warnings]
    schedule.imported_at = utcnow()
    session.flush()
    return schedule


def _shown_row(row: Activity) -> diffing.Shown:
    return diffing.Shown(row.uid, row.code, row.name, row.start, row.finish, row.milestone)


def _shown_file(a: ParsedActivity) -> diffing.Shown:
    return diffing.Shown(a.uid, a.code, a.name, a.start, a.finish, a.milestone)


# --- several projects in one XER file --------------------------------------------------


def project_code(file: ScheduleFile) -> str:
    """The hub code for an XER project: its short name with other characters as ``-``."""
    raw = file.code or file.name
    code = "".join(c if c.isalnum() or c in "_.-" else "-" for c in raw).strip("-")[:40]
    if not code:
        raise Invalid(f"A project in the file has no usable code ({raw!r}).")
    return code


def import_department(session: Session, actor: Actor, department_id: int, upload: Upload,
                      dry_run: bool = False) -> list[ScheduleSummary]:
    """One project per schedule in the file, found by code or created in the department."""
    summaries = []
    for file in reading.read_schedule(upload.data):
        project = projects.find_or_create(session, actor, department_id, project_code(file),
                                          file, dry_run)
        if project is None:  # a dry run of a project still to be created
            summary = counts(file, upload, dry_run)
            summaries.append(summary.model_copy(update={"project_code": project_code(file)}))
            continue
        summaries.append(import_for(session, actor, project, file, upload, dry_run))
    return summaries


# --- milestones chosen by hand ---------------------------------------------------------

ROW_FIELDS = ("uid", "code", "name", "summary", "milestone", "milestone_id", "finish",
              "early_finish", "baseline_finish", "actual_start", "actual_finish")


def choose_milestones(session: Session, actor: Actor, project_id: int,
                      codes: list[str]) -> int:
    """Tie the chosen activities (by code) to new project milestones; how many were new."""
    project = writable_project_or_404(session, actor, project_id)
    schedule = repository.get_schedule(session, project.id)
    if schedule is None:
        raise Invalid(f"Project {project.code} has no schedule yet: import one first.")
    if not codes:
        raise Invalid("Choose at least one activity.",
                      [FieldError("codes", "choose at least one activity")])
    by_code = {a.code: a for a in repository.activities_of(session, schedule.id)}
    unknown = [code for code in codes if code not in by_code]
    if unknown:
        raise Invalid("The schedule has no such activity.", [
            FieldError(f"codes.{codes.index(code)}", f"no activity has the code {code!r}")
            for code in unknown])
    rows = [{name: getattr(by_code[code], name) for name in ROW_FIELDS}
            for code in dict.fromkeys(codes)]
    ties = milestones.choose(session, actor, project.id, rows)
    for uid, milestone_id in ties.items():
        repository.tie_milestone(session, schedule.id, uid, milestone_id)
    session.flush()
    return len(ties)
