"""REST endpoints of the audit domain (/api/v1/audit)."""

from __future__ import annotations

from fastapi import APIRouter

from epmo.audit import policy, repository, service
from epmo.audit.schemas import AuditEntryRead, VerdictRead
from epmo.web.deps import DB, CurrentActor, PageParams

router = APIRouter(tags=["audit"])


@router.get("/audit", response_model=list[AuditEntryRead])
def list_entries(session: DB, actor: CurrentActor, page: PageParams,
                 entity: str | None = None, entity_id: str | None = None) -> object:
    """The newest audit entries first (enterprise roles)."""
    policy.require_read_audit(actor)
    return repository.list_entries(session, entity=entity, entity_id=entity_id,
                                   limit=page.limit, offset=page.offset)


@router.get("/audit/verify", response_model=VerdictRead)
def verify(session: DB, actor: CurrentActor) -> object:
    """Recompute the hash chain (enterprise roles)."""
    policy.require_read_audit(actor)
    verdict = service.verify_log(session)
    return VerdictRead(checked=verdict.checked, intact=verdict.broken_id is None,
                       broken_id=verdict.broken_id, reason=verdict.reason)
