"""REST endpoints of the reporting domain: status reports, their upload, RAID registers."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Query, Response, UploadFile

from epmo import events
from epmo.editing import paginate
from epmo.files.readers import read_upload
from epmo.reporting import policy, repository, service, upload, views
from epmo.reporting.schemas import (
    RaidCreate,
    RaidKind,
    RaidRead,
    RaidStatus,
    RaidUpdate,
    ReportWarning,
    StatusReportCreate,
    StatusReportRead,
    StatusReportSubmitted,
    StatusReportUpdate,
    TopRiskRead,
    UploadReport,
)
from epmo.schema_kit import PageOf
from epmo.web.deps import DB, CurrentActor, PageParams, PathId, QueryId, Version

router = APIRouter(tags=["reporting"])
TemplateFormat = Literal["csv", "xlsx", "notes"]


def submitted(session: DB, result: service.Submission) -> StatusReportSubmitted:
    """A stored report as the API returns it, with the warnings it was accepted with."""
    read = views.describe_reports(session, [result.report])[0]
    warnings = [ReportWarning(field=w.field, message=w.message) for w in result.warnings]
    return StatusReportSubmitted(**read.model_dump(), warnings=warnings,
                                 change_events=events.changes_caused(session))


# --- status reports ---------------------------------------------------------------------


@router.get("/projects/{project_id}/status-reports", response_model=PageOf[StatusReportRead])
def list_status_reports(session: DB, actor: CurrentActor, project_id: PathId,
                        page: PageParams) -> object:
    """A project's status reports, newest period first, with derived RAG."""
    project = policy.access_project_or_404(session, actor, project_id)
    found = paginate(session, repository.report_query(project.id), page.limit, page.offset)
    return {"items": views.describe_reports(session, found.items), "total": found.total,
            "limit": found.limit, "offset": found.offset}


@router.post("/projects/{project_id}/status-reports", response_model=StatusReportSubmitted,
             status_code=201)
def submit_status_report(session: DB, actor: CurrentActor, project_id: PathId,
                         body: StatusReportCreate) -> object:
    """Submit a project's report for one period (``period_start``, or any day as ``period``)."""
    return submitted(session, service.submit_status_report(session, actor, project_id, body))


@router.get("/status-reports/template")
def status_report_template(
    actor: CurrentActor,
    format: Annotated[TemplateFormat, Query(
        description="csv, xlsx (with a notes sheet) or notes (the column notes as CSV)")] = "csv",
) -> Response:
    """The upload template: the header row and one example row."""
    name, media_type, content = upload.template(format)
    return Response(content, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.post("/status-reports/upload", response_model=UploadReport)
def upload_status_reports(
    session: DB, actor: CurrentActor,
    file: Annotated[UploadFile, File(description="A CSV (UTF-8, ';' or ',') or Excel file")],
) -> object:
    """Store the reports of many projects from one file, all or nothing (422 lists each row)."""
    result = upload.upload_reports(session, actor, file.filename or "upload",
                                   read_upload(file.file))
    return result.model_copy(update={"change_events": events.changes_caused(session)})


@router.get("/status-reports/{report_id}", response_model=StatusReportRead)
def get_status_report(session: DB, actor: CurrentActor, report_id: PathId) -> object:
    """Read one status report."""
    report = policy.access_report_or_404(session, actor, report_id)
    return views.describe_reports(session, [report])[0]


@router.patch("/status-reports/{report_id}", response_model=StatusReportSubmitted)
def update_status_report(session: DB, actor: CurrentActor, report_id: PathId,
                         body: StatusReportUpdate) -> object:
    """Change a status report; send the version you read."""
    return submitted(session, service.update_status_report(session, actor, report_id, body))


@router.delete("/status-reports/{report_id}", status_code=204)
def delete_status_report(session: DB, actor: CurrentActor, report_id: PathId,
                         version: Version) -> Response:
    """Delete a status report; pass ``?version=``."""
    service.delete_status_report(session, actor, report_id, version)
    return Response(status_code=204)


# --- RAID -------------------------------------------------------------------------------


@router.get("/raid/top", response_model=list[TopRiskRead])
def top_risks(session: DB, actor: CurrentActor, department_id: QueryId = None,
              programme_id: QueryId = None,
              limit: Annotated[int, Query(ge=1, le=200)] = 10) -> object:
    """Open risks by score across the projects you may see (a department includes those below)."""
    return views.top_risks(session, actor, department_id, programme_id, limit)


@router.get("/projects/{project_id}/raid", response_model=PageOf[RaidRead])
def list_raid(session: DB, actor: CurrentActor, project_id: PathId, page: PageParams,
              kind: RaidKind | None = None, status: RaidStatus | None = None) -> object:
    """A project's RAID register: open first, highest score first."""
    project = policy.access_project_or_404(session, actor, project_id)
    found = paginate(session, repository.raid_query(project.id, kind, status), page.limit,
                     page.offset)
    return {"items": views.describe_raid(session, found.items), "total": found.total,
            "limit": found.limit, "offset": found.offset}


@router.post("/projects/{project_id}/raid", response_model=RaidRead, status_code=201)
def create_raid(session: DB, actor: CurrentActor, project_id: PathId, body: RaidCreate) -> object:
    """Add a risk, issue, decision or change request to a project you may change."""
    item = service.create_raid_item(session, actor, project_id, body)
    return views.describe_raid(session, [item])[0]


@router.get("/projects/{project_id}/raid/{item_id}", response_model=RaidRead)
def get_raid(session: DB, actor: CurrentActor, project_id: PathId, item_id: PathId) -> object:
    """Read one RAID item."""
    item = policy.access_raid_or_404(session, actor, project_id, item_id)
    return views.describe_raid(session, [item])[0]


@router.patch("/projects/{project_id}/raid/{item_id}", response_model=RaidRead)
def update_raid(session: DB, actor: CurrentActor, project_id: PathId, item_id: PathId,
                body: RaidUpdate) -> object:
    """Change a RAID item (``status: closed`` closes it); send the version you read."""
    item = service.update_raid_item(session, actor, project_id, item_id, body)
    return views.describe_raid(session, [item])[0]


@router.delete("/projects/{project_id}/raid/{item_id}", status_code=204)
def delete_raid(session: DB, actor: CurrentActor, project_id: PathId, item_id: PathId,
                version: Version) -> Response:
    """Delete a RAID item; pass ``?version=``."""
    service.delete_raid_item(session, actor, project_id, item_id, version)
    return Response(status_code=204)
