"""REST endpoints of the notifications domain: /notifications (your own only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from epmo.editing import paginate
from epmo.notifications import repository, service
from epmo.notifications.schemas import MarkedRead, NotificationRead
from epmo.schema_kit import PageOf
from epmo.web.deps import DB, CurrentActor, PageParams, PathId

router = APIRouter(tags=["notifications"])


@router.get("/notifications", response_model=PageOf[NotificationRead])
def list_notifications(session: DB, actor: CurrentActor, page: PageParams,
                       unread: Annotated[bool, Query(description="Only unread ones")] = False,
                       ) -> object:
    """Your notifications, unread first, newest first."""
    return paginate(session, repository.inbox_query(actor.id, unread), page.limit, page.offset)


@router.post("/notifications/read-all", response_model=MarkedRead)
def read_all(session: DB, actor: CurrentActor) -> object:
    """Mark all your notifications read."""
    marked = service.mark_all_read(session, actor)
    return {"marked": marked, "unread": repository.unread_count(session, actor.id)}


@router.post("/notifications/{notification_id}/read", response_model=NotificationRead)
def read_one(session: DB, actor: CurrentActor, notification_id: PathId) -> object:
    """Mark one of your notifications read."""
    return service.mark_read(session, actor, notification_id)
