"""The schedule page: upload a file, the Gantt with the critical path, choose milestones."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Query, Request, Response, UploadFile

from epmo.errors import EpmoError
from epmo.files.readers import read_upload
from epmo.portfolio import policy as portfolio_policy
from epmo.schedule import levelling, repository, service, views
from epmo.schedule.schemas import LevelledSchedule, LevelRequest, ScheduleSummary
from epmo.web.deps import DB, CurrentActor, PathId, check_csrf_form
from epmo.web.pages import flash, flash_redirect, form_action, redirect, render

router = APIRouter(include_in_schema=False)
CSRF = [Depends(check_csrf_form)]
Show = Literal["all", "critical", "milestones"]
PAGE_ROWS = 200  # activities in the table per page; the Gantt draws the same window


def _page(request: Request, session: DB, actor: CurrentActor, project_id: int, show: str,
          offset: int, status: int = 200, error: EpmoError | None = None,
          resource_map: str | None = None, levelled: LevelledSchedule | None = None,
          time_limit: float | None = None) -> Response:
    project = portfolio_policy.access_project_or_404(session, actor, project_id)
    schedule = repository.get_schedule(session, project.id)
    context: dict[str, Any] = {"project": project, "tab": "schedule", "schedule": schedule,
                               "error": error, "show": show, "offset": offset,
                               "page_rows": PAGE_ROWS, "resource_map": resource_map,
                               "levelled": levelled, "time_limit": time_limit,
                               "can_write": portfolio_policy.can_write_project(actor, project)}
    if schedule is not None:
        context |= views.page_of(session, schedule, show, offset, PAGE_ROWS)
    return render(request, "schedule/schedule.html", actor, status, **context)


@router.get("/projects/{project_id}/schedule")
def schedule_page(request: Request, session: DB, actor: CurrentActor, project_id: PathId,
                  show: Annotated[Show, Query()] = "all",
                  offset: Annotated[int, Query(ge=0, le=10**7)] = 0) -> Response:
    """The schedule: Gantt, activities with the hub's CPM dates, changes, the upload form."""
    return _page(request, session, actor, project_id, show, offset)


def _said(summary: ScheduleSummary) -> str:
    verb = "Dry run: would import" if summary.dry_run else "Imported"
    return (f"{verb} {summary.activities} activities, {summary.milestones} milestones and "
            f"{summary.links} links from {summary.source_name}: {summary.added} added, "
            f"{summary.removed} removed, {summary.moved} moved; {summary.milestones_created} "
            f"milestones created, {summary.milestones_moved} moved"
            + ("; nothing was changed" if summary.dry_run else ""))


@router.post("/projects/{project_id}/schedule", dependencies=CSRF)
def upload_schedule(request: Request, session: DB, actor: CurrentActor, project_id: PathId,
                    file: Annotated[UploadFile, File()],
                    dry_run: Annotated[bool, Form()] = False,
                    resource_map: Annotated[str | None, Form()] = None) -> Response:
    """Import the uploaded file; a file the hub cannot read is shown in words, nothing stored."""
    data = read_upload(file.file)

    def write() -> ScheduleSummary:
        upload = service.Upload(file.filename or "upload", data,
                                service.parse_resource_map(resource_map))
        return service.import_schedule(session, actor, project_id, upload, dry_run)

    def done(summary: ScheduleSummary) -> Response:
        flash(request, _said(summary))
        for warning in summary.warnings[:10]:
            flash(request, f"Warning: {warning}")
        return redirect(f"/projects/{project_id}/schedule")
    return form_action(
        session, write, lambda exc: _page(request, session, actor, project_id, "all", 0,
                                          exc.status, exc, resource_map), done)


@router.post("/projects/{project_id}/schedule/milestones", dependencies=CSRF)
def choose_milestones(request: Request, session: DB, actor: CurrentActor, project_id: PathId,
                      code: Annotated[list[str] | None, Form()] = None) -> Response:
    """Tie the ticked activities to new project milestones."""
    def done(made: int) -> Response:
        return flash_redirect(request, f"{made} milestones created from the schedule; other "
                              "departments can now depend on them.",
                              f"/projects/{project_id}/schedule?show=milestones")
    return form_action(
        session, lambda: service.choose_milestones(session, actor, project_id, code or []),
        lambda exc: _page(request, session, actor, project_id, "all", 0, exc.status, exc), done)


@router.post("/projects/{project_id}/schedule/level", dependencies=CSRF)
def level_schedule(request: Request, session: DB, actor: CurrentActor, project_id: PathId,
                   time_limit: Annotated[float, Form(gt=0, le=60)] = 10,
                   basis: Annotated[Literal["left", "people"], Form()] = "left") -> Response:
    """Level the schedule against role capacity and show the proposal (nothing is written)."""
    def again(exc: EpmoError) -> Response:
        return _page(request, session, actor, project_id, "all", 0, exc.status, exc,
                     time_limit=time_limit)

    def done(result: LevelledSchedule) -> Response:
        return _page(request, session, actor, project_id, "all", 0, levelled=result,
                     time_limit=time_limit)
    return form_action(session, lambda: levelling.level(
        session, actor, project_id, LevelRequest(time_limit=time_limit, basis=basis)), again,
        done)
