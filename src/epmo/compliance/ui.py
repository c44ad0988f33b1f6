"""Pages of the compliance domain: the EPMO dashboard and a project's gates and compliance."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from epmo.auth.policy import Actor, is_admin
from epmo.compliance import gates, repository, service, views
from epmo.compliance.schemas import GateDecision, ReviewCreate
from epmo.engines.compliance import RULES, SEVERITIES
from epmo.errors import NotFound
from epmo.portfolio import policy as portfolio_policy
from epmo.portfolio import views as portfolio_views
from epmo.schema_kit import MAX_ID
from epmo.web.deps import DB, CurrentActor, PageParams, PathId, SubmittedForm, check_csrf_form
from epmo.web.pages import (
    flash,
    flash_redirect,
    form_action,
    parse_form,
    query_string,
    redirect,
    render,
)

router = APIRouter(include_in_schema=False)
CSRF = [Depends(check_csrf_form)]
LEAGUE_DAYS = 365
CHART_LINES = 5  # departments drawn at first besides the enterprise




class FindingQuery(BaseModel):
    """The dashboard's filters as typed in the page's query string."""

    model_config = {"extra": "ignore"}

    department_id: Annotated[int, Field(ge=1, le=MAX_ID)] | None = None
    project_id: Annotated[int, Field(ge=1, le=MAX_ID)] | None = None
    severity: Annotated[str, Field(pattern="^(blocking|warning)$")] | None = None
    rule: Annotated[str, Field(pattern="^(" + "|".join(RULES) + ")$")] | None = None


def _filters(request: Request) -> service.FindingFilter:
    values = {k: v for k, v in request.query_params.items() if v}
    query: FindingQuery = parse_form(FindingQuery, values)
    return service.FindingFilter(query.department_id, query.project_id, query.severity,
                                 query.rule)


def _chart(series: list[service.Series], lowest: list[str]) -> dict[str, Any]:
    """Days on the x axis and one line per department (null where a day has no snapshot);
    the enterprise and the ``lowest`` departments are shown at first."""
    days = sorted({d for s in series for d, _ in s.points})
    lines = []
    for s in series:
        scores = dict(s.points)
        lines.append({"name": s.code, "data": [scores.get(d) for d in days]})
    shown = {"ENTERPRISE", *lowest}
    return {"days": [d.isoformat() for d in days], "series": lines,
            "selected": {s.code: s.code in shown for s in series}}


@router.get("/compliance")
def dashboard(request: Request, session: DB, actor: CurrentActor, page: PageParams) -> Response:
    """The EPMO dashboard: enterprise score, department league over time, findings."""
    filters = _filters(request)
    today = date.today()
    everything = service.evaluate(session, today)
    found, source = service.visible_findings(session, actor, everything, filters)
    series = service.league(session, today - timedelta(days=LEAGUE_DAYS))
    departments = views.department_scores(everything)
    return render(
        request, "compliance/dashboard.html", actor, today=today,
        enterprise=everything.enterprise, departments=departments,
        last={s.department_id: s.points[-1][1] for s in series if s.points},
        chart=_chart(series, [d.code for d in departments[:CHART_LINES]]), filters=filters,
        total=len(found),
        findings=views.finding_reads(source, found[page.offset:page.offset + page.limit]),
        counts=service.counts_by_rule(found),
        page={"total": len(found), "limit": page.limit, "offset": page.offset},
        base_query=query_string(department_id=filters.department_id,
                                project_id=filters.project_id, severity=filters.severity,
                                rule=filters.rule),
        choices=portfolio_views.department_choices(session), severities=SEVERITIES,
        rules=RULES, can_snapshot=is_admin(actor))


@router.post("/compliance/snapshots", dependencies=CSRF)
def snapshot_page(request: Request, session: DB, actor: CurrentActor) -> Response:
    """Record today's scores for the league table (EPMO administrators)."""
    rows = service.take_snapshot(session, actor, date.today())
    flash(request, f"Snapshot of {len(rows) - 1} departments and the enterprise recorded")
    return redirect("/compliance")


# --- a project's gates ----------------------------------------------------------------------


def _gates_page(request: Request, session: Session, actor: Actor, project_id: int,
                status: int = 200, **extra: Any) -> Response:
    project = portfolio_policy.access_project_or_404(session, actor, project_id)
    statuses = gates.gates_of(session, actor, project.id)
    evaluation = service.evaluate(session, date.today(), project_id=project.id)
    result = next(iter(evaluation.results), None)
    context: dict[str, Any] = {"error": None, "error_gate": None, "form": {}} | extra
    return render(request, "compliance/gates.html", actor, status=status, project=project,
                  gates=views.gate_reads(session, statuses),
                  reviews=views.describe_reviews(session,
                                                 repository.reviews_of(session, project.id)),
                  result=result, findings=views.finding_reads(
                      evaluation, result.findings if result else ()), **context)


@router.get("/projects/{project_id}/gates")
def gates_page(request: Request, session: DB, actor: CurrentActor,
               project_id: PathId) -> Response:
    """The project's gates, their reviews, decision forms, and its compliance."""
    return _gates_page(request, session, actor, project_id)


@router.post("/projects/{project_id}/gates/{code}/reviews", dependencies=CSRF)
def open_review_page(request: Request, session: DB, actor: CurrentActor, project_id: PathId,
                     code: Annotated[str, Path(max_length=40)], form: SubmittedForm) -> Response:
    """Ask for a review of a gate with the evidence links typed one per line."""
    links = [line.strip() for line in str(form.get("evidence") or "").splitlines()
             if line.strip()]
    return form_action(
        session, lambda: gates.open_review(session, actor, project_id, code,
                                           parse_form(ReviewCreate, {"evidence": links})),
        lambda exc: _gates_page(request, session, actor, project_id, exc.status, error=exc,
                                error_gate=code, form={"evidence": form.get("evidence") or ""}),
        lambda _: flash_redirect(request, f"Review of gate {code} opened",
                                 f"/projects/{project_id}/gates"))


def _decision_values(form: FormData, size: int) -> dict[str, Any]:
    version = str(form.get("version") or "")
    return {"decision": form.get("decision") or "", "rationale": form.get("rationale") or "",
            "version": int(version) if version.isdigit() else version,
            "met": [form.get(f"met_{i}") == "on" for i in range(size)]}


@router.post("/projects/{project_id}/gates/reviews/{review_id}/decision", dependencies=CSRF)
def decide_page(request: Request, session: DB, actor: CurrentActor, project_id: PathId,
                review_id: PathId, form: SubmittedForm) -> Response:
    """Record the approver's decision from the gate's form."""
    review = gates.access_review_or_404(session, actor, review_id)
    if review.project_id != project_id:
        raise NotFound(f"Gate review {review_id} not found")
    gate_code = review.gate_code

    def write() -> str:
        data: GateDecision = parse_form(GateDecision,
                                        _decision_values(form, len(review.checklist or [])))
        gates.decide_gate(session, actor, review_id, data.decision, data.rationale,
                          data.version, data.met)
        return data.decision
    return form_action(
        session, write,
        lambda exc: _gates_page(request, session, actor, project_id, exc.status, error=exc,
                                error_gate=gate_code,
                                form={"rationale": form.get("rationale") or "",
                                      "decision": form.get("decision") or ""}),
        lambda decision: flash_redirect(request, f"Gate {gate_code}: {decision}",
                                        f"/projects/{project_id}/gates"))
