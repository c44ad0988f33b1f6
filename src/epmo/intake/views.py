"""Read models of the intake domain: requests with their lines, names, next stages and who
decides them, as the API and the pages show them.

The rows come from ``repository`` in a fixed number of batch queries per page (never one per
row); this module only turns them into read schemas.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from epmo.intake import policy, repository
from epmo.intake.models import PIPELINE, IntakeRequest
from epmo.intake.schemas import CostRead, DependencyRead, GoalRead, RequestRead
from epmo.intake.service import MOVES, earliest_starts
from epmo.portfolio.demand_schemas import DemandRead


def _columns(obj: Any) -> dict[str, Any]:
    return {c.key: getattr(obj, c.key) for c in obj.__table__.columns}


def _read_lines(lines: dict[str, dict[int, list[Any]]], ident: int) -> dict[str, Any]:
    costs = [CostRead(period=r[1], amount=r[2]) for r in lines["costs"][ident]]
    return {
        "costs": costs,
        "cost_total": sum((c.amount for c in costs), Decimal("0.00")),
        "demand": [DemandRead(role=r[1], period=r[2], fte_months=r[3])
                   for r in lines["demand"][ident]],
        "goals": [GoalRead(goal_id=r[1], contribution=r[2], code=r[3], name=r[4])
                  for r in lines["goals"][ident]],
        "dependencies": [DependencyRead(on_request_id=r[1], on_project_id=r[2], note=r[3],
                                        code=r[4] or "") for r in lines["dependencies"][ident]],
    }


QUEUED = (*PIPELINE, "not_yet")  # the requests the resources queue places


def _describe(requests: list[IntakeRequest], names: repository.RequestNames,
              routes: Mapping[int, repository.Route],
              starts: Mapping[int, str | None]) -> list[RequestRead]:
    out = []
    for request in requests:
        dept = names.departments.get(request.department_id)
        route = routes.get(request.id)
        out.append(RequestRead.model_validate(
            _columns(request) | _read_lines(names.lines, request.id) | {
                "department_code": dept.code if dept else "",
                "department_name": dept.name if dept else "",
                "sponsor_name": names.people.get(request.sponsor_id or 0),
                "requester_name": names.users.get(request.requester_id or 0),
                "decided_by_name": names.users.get(request.decided_by_id or 0),
                "project_code": names.projects.get(request.project_id or 0),
                "next_stages": list(MOVES.get(request.stage, ())),
                "decider": route.decider if route else "department_lead",
                "reviewers": route.words if route else "",
                "earliest_start": starts.get(request.id),
            }))
    return out


def describe_requests(session: Session, requests: Iterable[IntakeRequest],
                      starts: bool = True) -> list[RequestRead]:
    """Read models of requests with their lines, next stages and who decides them, in a fixed
    number of queries, and the resources queue's earliest starts, live, for those it holds
    (``starts=False``: left null, for a page that does not show them: the queue is a whole
    enterprise's computation after any write)."""
    found = list(requests)
    if not found:
        return []
    wanted = [r.id for r in found if r.stage in QUEUED] if starts else []
    answers = earliest_starts(session, wanted)
    return _describe(found, repository.request_names(session, found),
                     policy.routes(session, found), answers)
