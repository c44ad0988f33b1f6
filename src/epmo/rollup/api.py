"""REST endpoints of the roll-up: status by level and month, and the executive pack."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from epmo.engines.rollup import Rule
from epmo.rollup import pack, render, service
from epmo.rollup.schemas import PERIOD_PATTERN, Level, PackFormat, RollupRead, StatusFilter
from epmo.schema_kit import MAX_ID
from epmo.web.deps import DB, CurrentActor

router = APIRouter(tags=["rollup"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Period = Annotated[str | None, Query(
    pattern=PERIOD_PATTERN, description="Calendar month YYYY-MM [default: the latest month "
                                        "any project reported for]")]
RuleOverride = Annotated[Rule | None, Query(
    description="worst or weighted for every node [default: worst; portfolios: their own]")]
NodeId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
Status = Annotated[StatusFilter, Query(
    description="active: not closed or cancelled (the default); closed: closed or cancelled; "
                "all")]


@router.get("/rollup", response_model=RollupRead)
def get_rollup(session: DB, actor: CurrentActor, level: Level, period: Period = None,
               rule: RuleOverride = None, status: Status = "active") -> object:
    """Status of every programme, portfolio, department or goal you may see in a month.

    Each row has the rolled-up colour, the counts per colour, planned and forecast budget, and
    the trend against the month before. A project's status in a month is its latest report
    for a period starting in that month, else carried forward from an earlier month
    (``carried_forward`` counts those). Departments include their sub-departments; a goal
    counts a project serving several of its sub-goals once.
    ``status`` picks active work (default; ``closed`` says how many closed projects are left
    out), closed and cancelled work, or all. Colours are the ones the charter's
    ``health_basis`` says count; ``disagreements`` counts reported vs derived differences.
    """
    return service.get_rollup(session, actor, level, period, rule, status=status)


@router.get("/rollup/pack", response_class=Response, responses={
    200: {"content": {"application/pdf": {}, XLSX: {}},
          "description": "The executive status pack"}})
def get_pack(session: DB, actor: CurrentActor, department_id: NodeId = None,
             portfolio_id: NodeId = None, period: Period = None, rule: RuleOverride = None,
             format: PackFormat = "pdf", status: Status = "active") -> Response:
    """The executive status pack of one department (with its sub-departments) or portfolio.

    Give exactly one of ``department_id`` and ``portfolio_id``. The pack holds the roll-up,
    the programmes, a RAG matrix of the projects' latest reports, the top open risks and the
    month's last compliance snapshot ("not measured" when there is none), charts (health by
    department, the six months' health trend, top slips, budget variance; in Excel their
    numbers) and the red and amber projects' achievements and decisions needed.
    """
    if format == "xlsx":
        data = pack.get_pack(session, actor, department_id, portfolio_id, period, rule,
                             matrix_rows=pack.MATRIX_ROWS_XLSX,
                             programme_rows=pack.PROGRAMME_ROWS_XLSX, status=status)
        body, media = render.to_xlsx(data), XLSX
    else:
        data = pack.get_pack(session, actor, department_id, portfolio_id, period, rule,
                             status=status)
        body, media = render.to_pdf(data), "application/pdf"
    name = render.file_name(data, format)
    return Response(body, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
