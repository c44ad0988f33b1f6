"""The roll-up page: status by level and month, trends, a RAG heatmap and the pack downloads."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from epmo.engines.rollup import SCORES
from epmo.rollup import pack, service
from epmo.rollup.schemas import DIMENSIONS, LEVELS, MatrixRow, PageQuery
from epmo.web.deps import DB, CurrentActor
from epmo.web.pages import parse_form, query_string, render

router = APIRouter(include_in_schema=False)


@router.get("/rollup")
def rollup_page(request: Request, session: DB, actor: CurrentActor) -> Response:
    """The roll-up table for a level and month, and the heatmap of one department or portfolio."""
    values = {key: value.strip() or None for key, value in request.query_params.items()}
    asked: PageQuery = parse_form(PageQuery, values)
    view = service.get_rollup(session, actor, asked.level, asked.period, asked.rule,
                              status=asked.status)
    departments, portfolios = service.subject_choices(session, actor)
    focus: dict[str, Any] = {}
    if asked.department_id is not None or asked.portfolio_id is not None:
        subject, matrix, total = pack.get_matrix(session, actor, asked.department_id,
                                                 asked.portfolio_id, view.period,
                                                 status=asked.status)
        focus = {"subject": subject, "matrix": matrix, "total": total,
                 "heatmap": _heatmap(matrix)}
    pack_query = query_string(department_id=asked.department_id,
                              portfolio_id=asked.portfolio_id, period=view.period,
                              rule=asked.rule, status=_shown(asked.status))
    return render(
        request, "rollup/index.html", actor, view=view, levels=LEVELS, level=asked.level,
        rule=asked.rule or "", departments=departments, portfolios=portfolios,
        department_id=asked.department_id, portfolio_id=asked.portfolio_id, focus=focus,
        pack_query=pack_query,
        row_link=lambda **extra: query_string(level=asked.level, period=view.period,
                                              rule=asked.rule, status=_shown(asked.status),
                                              **extra),
    )


def _shown(status: str) -> str | None:
    """The status filter for links: left out when it is the default (active)."""
    return None if status == "active" else status


def _heatmap(matrix: list[MatrixRow]) -> dict[str, Any]:
    """The heatmap's axes and cells: [dimension, project, score] with -1 for no colour."""
    columns = ["overall", *DIMENSIONS]
    cells = []
    for y, row in enumerate(matrix):
        colours = [row.overall, *(row.dimensions.get(d) for d in DIMENSIONS)]
        for x, colour in enumerate(colours):
            cells.append([x, y, SCORES.get(colour or "", -1)])
    return {"x": columns, "y": [f"{row.code} {row.name}"[:48] for row in matrix],
            "cells": cells}
