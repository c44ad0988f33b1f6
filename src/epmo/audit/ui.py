"""The audit log page."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from epmo.audit import policy, repository
from epmo.web.deps import DB, CurrentActor, PageParams
from epmo.web.pages import render

router = APIRouter(include_in_schema=False)


@router.get("/audit")
def audit_page(request: Request, session: DB, actor: CurrentActor, page: PageParams,
               entity: str | None = None, entity_id: str | None = None) -> Response:
    """Newest writes first, filterable by entity."""
    policy.require_read_audit(actor)
    entries = repository.list_entries(session, entity=entity, entity_id=entity_id,
                                      limit=page.limit, offset=page.offset)
    return render(request, "audit/log.html", actor, entries=entries, entity=entity or "",
                  entity_id=entity_id or "", limit=page.limit, offset=page.offset)
