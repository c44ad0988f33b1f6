"""REST endpoints of the schedule domain (/api/v1/projects/{id}/schedule...)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Response, UploadFile

from epmo import events
from epmo.files.readers import read_upload
from epmo.schedule import levelling, service, views
from epmo.schedule.schemas import (
    ExportFormat,
    LevelledSchedule,
    LevelRequest,
    MilestonePick,
    ScheduleChangeRead,
    ScheduleRead,
    ScheduleSummary,
)
from epmo.web.deps import DB, CurrentActor, PathId

router = APIRouter(tags=["schedule"])


@router.post("/projects/{project_id}/schedule", response_model=ScheduleSummary)
def import_schedule(
    session: DB, actor: CurrentActor, project_id: PathId,
    file: Annotated[UploadFile, File(description="MS Project XML (MSPDI) or Primavera XER")],
    dry_run: Annotated[bool, Form(description="Read and compare only; change nothing")] = False,
    resource_map: Annotated[str | None, Form(description=(
        'JSON {"Resource name": "person@example.org" or "Role"}: what each resource stands '
        "for in the role demand (otherwise matched by e-mail, name, group)"))] = None,
) -> object:
    """Import (or re-import) the project's schedule: 200 with the counts, what moved and the
    change events it caused, or 422 saying what is wrong with the file (nothing stored)."""
    upload = service.Upload(file.filename or "upload", read_upload(file.file),
                            service.parse_resource_map(resource_map))
    summary = service.import_schedule(session, actor, project_id, upload, dry_run)
    return summary if dry_run else summary.model_copy(
        update={"change_events": events.changes_caused(session)})


@router.get("/projects/{project_id}/schedule", response_model=ScheduleRead)
def read_schedule(session: DB, actor: CurrentActor, project_id: PathId) -> object:
    """The schedule: each activity's CPM dates computed by the hub beside the file's own."""
    return views.schedule_read(session, actor, project_id)


@router.get("/projects/{project_id}/schedule/changes", response_model=list[ScheduleChangeRead])
def list_changes(session: DB, actor: CurrentActor, project_id: PathId) -> object:
    """What each re-import changed (added, removed, moved activities), newest first."""
    return views.changes(session, actor, project_id)


@router.post("/projects/{project_id}/schedule/milestones", response_model=ScheduleRead)
def choose_milestones(session: DB, actor: CurrentActor, project_id: PathId,
                      body: MilestonePick) -> object:
    """Make chosen activities feed project milestones, so other departments can depend on them."""
    service.choose_milestones(session, actor, project_id, body.codes)
    return views.schedule_read(session, actor, project_id)


@router.get("/projects/{project_id}/schedule/export")
def export_schedule(
    session: DB, actor: CurrentActor, project_id: PathId,
    format: Annotated[ExportFormat, Query(description="mspdi (MS Project XML) or xlsx")] = "mspdi",
) -> Response:
    """The schedule as MS Project XML or as an Excel workbook (activities and links)."""
    item = views.export(session, actor, project_id, format)
    return Response(item.content, media_type=item.media_type,
                    headers={"Content-Disposition": f'attachment; filename="{item.filename}"'})


@router.post("/projects/{project_id}/schedule/level", response_model=LevelledSchedule)
def level_schedule(session: DB, actor: CurrentActor, project_id: PathId,
                   body: LevelRequest) -> object:
    """Level the schedule against the people holding each role (CP-SAT): a proposal of
    levelled dates per activity, the finish it costs and the roles that bind; nothing is
    written. 422 names an activity that needs more people of a role than the role has."""
    return levelling.level(session, actor, project_id, body)
