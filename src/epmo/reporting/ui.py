"""Pages of the reporting domain: a project's reports and RAID register, uploads, top risks."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, Request, Response, UploadFile
from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.editing import paginate
from epmo.errors import EpmoError, FieldError, Invalid
from epmo.files.readers import read_upload
from epmo.portfolio.forms import Form
from epmo.portfolio.models import Project
from epmo.portfolio.views import department_choices
from epmo.reporting import policy, raid_ui, repository, service, upload, views
from epmo.reporting.governance import Governance
from epmo.reporting.models import RAG
from epmo.reporting.periods import period_of
from epmo.reporting.schemas import (
    DIMENSION_FIELDS,
    NARRATIVE_FIELDS,
    StatusReportCreate,
    UploadReport,
)
from epmo.reporting.service import Submission
from epmo.web.deps import DB, CurrentActor, PageParams, PathId, check_csrf_form
from epmo.web.pages import (
    flash,
    flash_redirect,
    form_action,
    form_values,
    parse_form,
    redirect,
    render,
)

router = APIRouter(include_in_schema=False)
router.include_router(raid_ui.router)
CSRF = [Depends(check_csrf_form)]
MAX_FLASHED = 10


# --- a project's status reports ---------------------------------------------------------


def _reports_page(request: Request, session: Session, actor: Actor, project: Project,
                  page: Any, status: int = 200, **extra: Any) -> Response:
    governance = Governance(session)
    rules = governance.rules(project)
    found = paginate(session, repository.report_query(project.id), page.limit, page.offset)
    current = period_of(rules.cadence, date.today())
    context: dict[str, Any] = {"form": {"period_start": current.start.isoformat()},
                               "error": None} | extra
    return render(request, "reporting/reports.html", actor, status, project=project,
                  tab="reports", page=found, base_query="",
                  reports=views.describe_reports(session, found.items, governance), rules=rules,
                  current=current, refusal=policy.submit_refusal(actor, project, rules.authority),
                  dimensions=DIMENSION_FIELDS, narrative=NARRATIVE_FIELDS,
                  rag_options=[(c, c) for c in RAG],
                  **context)


@router.get("/projects/{project_id}/reports")
def reports_page(request: Request, session: DB, actor: CurrentActor, project_id: PathId,
                 page: PageParams) -> Response:
    """A project's status reports with entered and derived RAG, and the submit form."""
    project = policy.access_project_or_404(session, actor, project_id)
    return _reports_page(request, session, actor, project, page)


def _report_values(form: Any) -> dict[str, Any]:
    values = form_values(form)
    return {key: value for key, value in values.items() if value is not None}


@router.post("/projects/{project_id}/reports", dependencies=CSRF)
def submit_report_page(request: Request, session: DB, actor: CurrentActor, project_id: PathId,
                       page: PageParams, form: Form) -> Response:
    """Submit the form's report; warnings are flashed, refusals shown on the form."""
    project = policy.access_project_or_404(session, actor, project_id)
    state = {key: str(value or "") for key, value in form_values(form).items()}

    def stored(result: Submission) -> Response:
        flash(request, f"Status report for the period starting {result.report.period_start} "
                       "stored")
        flash_warnings(request, [(None, w.field, w.message) for w in result.warnings])
        return redirect(f"/projects/{project.id}/reports")
    return form_action(
        session, lambda: service.submit_status_report(
            session, actor, project.id, parse_form(StatusReportCreate, _report_values(form)),
            "form"),
        lambda exc: _reports_page(request, session, actor, project, page, exc.status,
                                  form=state, error=exc), stored)


def flash_warnings(request: Request, warnings: list[tuple[int | None, str, str]]) -> None:
    """Flash the first warnings (the charter let them through) and how many more there are."""
    for row, column, message in warnings[:MAX_FLASHED]:
        where = f"row {row}, {column}" if row is not None else column
        flash(request, f"Warning ({where}): {message}")
    if len(warnings) > MAX_FLASHED:
        flash(request, f"... and {len(warnings) - MAX_FLASHED} more warnings")


@router.post("/status-reports/{report_id}/delete", dependencies=CSRF)
def delete_report_page(request: Request, session: DB, actor: CurrentActor, report_id: PathId,
                       page: PageParams, form: Form) -> Response:
    """Delete a report from its project's page."""
    report = policy.access_report_or_404(session, actor, report_id)
    project = policy.access_project_or_404(session, actor, report.project_id)
    version = str(form.get("version") or "")

    def write() -> None:
        if not version.isdigit():
            raise Invalid("Reload the page and try again",
                          [FieldError("version", "must be a whole number")])
        service.delete_status_report(session, actor, report_id, int(version))
    return form_action(
        session, write,
        lambda exc: _reports_page(request, session, actor, project, page, exc.status,
                                  delete_error=exc),
        lambda _: flash_redirect(request, "Status report deleted",
                                 f"/projects/{project.id}/reports"))


# --- upload -----------------------------------------------------------------------------


def _upload_page(request: Request, actor: Actor, status: int = 200,
                 error: EpmoError | None = None) -> Response:
    return render(request, "reporting/upload.html", actor, status, error=error,
                  columns=upload.ENTITY.columns)


@router.get("/status-reports/upload")
def upload_page(request: Request, actor: CurrentActor) -> Response:
    """Upload a file of status reports; template links and what each column means."""
    return _upload_page(request, actor)


@router.post("/status-reports/upload", dependencies=CSRF)
def upload_file_page(request: Request, session: DB, actor: CurrentActor,
                     file: Annotated[UploadFile, File()]) -> Response:
    """Store the file's reports, or list every problem by row and column."""
    def stored(result: UploadReport) -> Response:
        flash(request, f"Stored {result.stored} status reports for {result.projects} projects "
                       f"from {result.filename}")
        flash_warnings(request, [(w.row, w.column, w.message) for w in result.warnings])
        return redirect("/status-reports/upload")
    return form_action(
        session, lambda: upload.upload_reports(session, actor, file.filename or "upload",
                                               read_upload(file.file)),
        lambda exc: _upload_page(request, actor, exc.status, exc), stored)


# --- top risks --------------------------------------------------------------------------


@router.get("/risks")
def risks_page(request: Request, session: DB, actor: CurrentActor,
               department_id: Annotated[str | None, Query(max_length=12)] = None,
               limit: Annotated[int, Query(ge=1, le=200)] = 25) -> Response:
    """The highest-scored open risks across the projects you may see."""
    department = int(department_id) if department_id and department_id.isdigit() else None
    risks = views.top_risks(session, actor, department, None, limit)
    departments = department_choices(session)
    return render(request, "reporting/risks.html", actor, risks=risks, departments=departments,
                  department_codes={d.id: d.code for d in departments},
                  department_id=department, limit=limit)
