"""Pages of the overview: the enterprise first screen and its department and goal drill-downs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request, Response

from epmo.auth.policy import Actor
from epmo.overview import mywork, service
from epmo.overview.schemas import OverviewRead, RatingName, StatusFilter, TreeRollup
from epmo.web.deps import DB, CurrentActor
from epmo.web.pages import query_string, render

router = APIRouter(include_in_schema=False)
RATINGS: tuple[RatingName, ...] = ("green", "amber", "red", "unknown")
MONEY = ("planned", "actual", "forecast")
TOP_PROGRAMMES = 10


@router.get("/")
def overview_page(request: Request, session: DB, actor: CurrentActor,
                  status: StatusFilter = "active") -> Response:
    """The enterprise overview: KPI cards, charts and breakdowns."""
    view = service.get_overview(session, actor, programmes=TOP_PROGRAMMES, status=status)
    return _render(request, actor, view, {})


@router.get("/my-work")
def my_work_page(request: Request, session: DB, actor: CurrentActor) -> Response:
    """My work: what is mine to do today, with a link to where each is done."""
    return render(request, "overview/my_work.html", actor,
                  work=mywork.my_work(session, actor, date.today()))


@router.get("/overview/departments/{department_id}")
def department_page(request: Request, session: DB, actor: CurrentActor,
                    department_id: int, status: StatusFilter = "active") -> Response:
    """The overview of one department and its sub-departments."""
    view = service.get_overview(session, actor, department_id=department_id,
                                programmes=TOP_PROGRAMMES, status=status)
    return _render(request, actor, view, {"department_id": department_id})


@router.get("/overview/goals/{goal_id}")
def goal_page(request: Request, session: DB, actor: CurrentActor, goal_id: int,
              status: StatusFilter = "active") -> Response:
    """The overview of the projects serving one goal or its sub-goals."""
    view = service.get_overview(session, actor, goal_id=goal_id, programmes=TOP_PROGRAMMES,
                                status=status)
    return _render(request, actor, view, {"goal_id": goal_id})


@router.get("/overview/programmes/{programme_id}")
def programme_page(request: Request, session: DB, actor: CurrentActor,
                   programme_id: int, status: StatusFilter = "active") -> Response:
    """The overview of one programme's projects, across the departments they belong to."""
    view = service.get_overview(session, actor, programme_id=programme_id,
                                programmes=TOP_PROGRAMMES, status=status)
    return _render(request, actor, view, {"programme_id": programme_id})


def _render(request: Request, actor: Actor, view: OverviewRead, focus: dict[str, int]) -> Response:
    """Render the overview template for the whole enterprise or one drill-down."""
    node = view.filters.department or view.filters.goal or view.filters.programme
    return render(
        request, "overview/index.html", actor, view=view, focus=focus,
        heading=node.name if node else "Enterprise overview",
        kpis=_kpis(view), charts=_charts(view), **_programmes(view),
        status_links={s: "?" + query_string(status=s) for s in ("active", "closed", "all")},
        projects_url="/projects" + (f"?{query_string(**focus)}" if focus else ""),
        list_query=lambda **extra: query_string(**(focus | extra)),
    )


def _kpis(view: OverviewRead) -> dict[str, Decimal]:
    """Share of projects per health rating, in percent with one decimal."""
    count = view.totals.count
    return {
        rating: (Decimal(100 * n) / count).quantize(Decimal("0.1")) if count else Decimal(0)
        for rating, n in view.totals.health_counts.items()
    }


def _programmes(view: OverviewRead) -> dict[str, Any]:
    """The largest programmes by planned budget, then the projects in no programme."""
    named = [p for p in view.by_programme if p.id is not None]
    unnamed = [p for p in view.by_programme if p.id is None]
    return {"programmes": named + unnamed, "more_programmes": view.programme_count - len(named)}


def _charts(view: OverviewRead) -> dict[str, Any]:
    """The data the page's charts draw, embedded in the page as JSON."""
    stages = view.by_stage
    return {
        "health": [{"name": r, "value": view.totals.health_counts.get(r, 0)} for r in RATINGS],
        "department": _budget_bars(_bars(view.by_department, view.filters.department),
                                   "/overview/departments/"),
        "goal": _budget_bars(_bars(view.by_goal, view.filters.goal), "/overview/goals/"),
        "stage": {
            "labels": [s.stage.replace("_", " ") for s in stages],
            "series": {r: [s.health_counts.get(r, 0) for s in stages] for r in RATINGS},
        },
    }


def _bars(rows: list[TreeRollup], focus: object) -> list[tuple[TreeRollup, bool]]:
    """Top of the tree shown: the focused node's own projects and its children, else roots."""
    if focus is None:
        picked = [(row, False) for row in rows if row.depth == 0]
    else:
        picked = [(rows[0], True)] + [(row, False) for row in rows if row.depth == 1]
    return [(row, own) for row, own in picked if (row.own if own else row.rolled).count]


def _budget_bars(bars: list[tuple[TreeRollup, bool]], link: str) -> dict[str, Any]:
    """Planned, actual and forecast per bar (strings: exact decimals), with drill-down links."""
    totals = [row.own if own else row.rolled for row, own in bars]
    return {
        "labels": [f"{row.code} (own)" if own else row.code for row, own in bars],
        "links": [None if own else f"{link}{row.id}" for row, own in bars],
        **{key: [str(getattr(t, key)) for t in totals] for key in MONEY},
    }
