"""REST endpoints of the compliance domain: findings, scores, snapshots, league, gates."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Response

from epmo.compliance import export, gates, service
from epmo.compliance.schemas import (
    FindingRead,
    GateDecision,
    GateRead,
    Level,
    ReviewCreate,
    ReviewRead,
    Rule,
    ScoreRead,
    SeriesRead,
    Severity,
    SnapshotRead,
)
from epmo.compliance.views import (
    describe_reviews,
    finding_reads,
    gate_reads,
    score_page,
    series_reads,
    snapshot_reads,
)
from epmo.schema_kit import Code, PageOf
from epmo.web.deps import DB, CurrentActor, PageParams, PathId, QueryId

router = APIRouter(tags=["compliance"])
GateCode = Annotated[Code, Path(description="The gate's code, e.g. G2")]


def today() -> date:
    """The day evaluations are made for."""
    return date.today()


@router.get("/compliance", response_model=PageOf[FindingRead])
def list_findings(session: DB, actor: CurrentActor, page: PageParams,
                  department_id: QueryId = None, project_id: QueryId = None,
                  severity: Severity | None = None, rule: Rule | None = None) -> object:
    """Findings of the projects you may read (a department includes its sub-departments)."""
    filters = service.FindingFilter(department_id, project_id, severity, rule)
    found, evaluation = service.list_findings(session, actor, today(), filters, page.limit,
                                              page.offset)
    return _page(found.total, page.limit, page.offset, finding_reads(evaluation, found.items))


@router.get("/compliance/export", response_class=Response, responses={
    200: {"content": {"text/csv": {}, export.XLSX: {}}, "description": "The filtered findings"}})
def export_findings(session: DB, actor: CurrentActor, department_id: QueryId = None,
                    project_id: QueryId = None, severity: Severity | None = None,
                    rule: Rule | None = None,
                    format: Literal["csv", "xlsx"] = "csv") -> Response:
    """Download every finding the filters match (that you may see) as CSV or Excel."""
    filters = service.FindingFilter(department_id, project_id, severity, rule)
    evaluation = service.evaluate_for(session, actor, today(), department_id, project_id)
    content = export.findings_file(evaluation, service.filtered_findings(evaluation, filters),
                                   f".{format}")
    name = f"compliance-{today():%Y%m%d}.{format}"
    return Response(content, media_type=export.XLSX if format == "xlsx" else "text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _page(total: int, limit: int, offset: int, items: list[Any]) -> dict[str, Any]:
    return {"items": items, "total": total, "limit": limit, "offset": offset}


@router.get("/compliance/scores", response_model=PageOf[ScoreRead])
def list_scores(session: DB, actor: CurrentActor, page: PageParams,
                level: Level = "department", department_id: QueryId = None) -> object:
    """Scores: of the projects you may read (lowest first), of every department (with its
    sub-departments), or of the enterprise."""
    return score_page(session, actor, today(), level, department_id, page.limit, page.offset)


@router.post("/compliance/snapshots", response_model=list[SnapshotRead], status_code=201)
def take_snapshot(session: DB, actor: CurrentActor) -> object:
    """Record today's department and enterprise scores (EPMO administrators; replaces
    today's)."""
    return snapshot_reads(service.take_snapshot(session, actor, today()))


@router.get("/compliance/league", response_model=list[SeriesRead])
def league(session: DB, actor: CurrentActor,
           since: Annotated[date | None, Query(description="First day (default: all)")] = None,
           ) -> object:
    """Department scores over time from the snapshots; the enterprise first."""
    del actor  # scores are aggregates every signed-in user may see
    return series_reads(service.league(session, since))


@router.get("/projects/{project_id}/gates", response_model=list[GateRead])
def list_gates(session: DB, actor: CurrentActor, project_id: PathId) -> object:
    """The gates the project's terms require, whether each is passed, and its latest review."""
    return gate_reads(session, gates.gates_of(session, actor, project_id))


@router.post("/projects/{project_id}/gates/{code}/reviews", response_model=ReviewRead,
             status_code=201)
def open_review(session: DB, actor: CurrentActor, project_id: PathId, code: GateCode,
                body: ReviewCreate) -> object:
    """Ask for a review of a gate, with links to the evidence."""
    review = gates.open_review(session, actor, project_id, code, body)
    return describe_reviews(session, [review])[0]


@router.get("/gate-reviews/{review_id}", response_model=ReviewRead)
def get_review(session: DB, actor: CurrentActor, review_id: PathId) -> object:
    """Read one gate review."""
    review = gates.access_review_or_404(session, actor, review_id)
    return describe_reviews(session, [review])[0]


@router.post("/gate-reviews/{review_id}/decision", response_model=ReviewRead)
def decide(session: DB, actor: CurrentActor, review_id: PathId, body: GateDecision) -> object:
    """Decide a pending review: go, hold, recycle or kill, with a rationale (approvers)."""
    review = gates.decide_gate(session, actor, review_id, body.decision, body.rationale,
                               body.version, body.met)
    return describe_reviews(session, [review])[0]
