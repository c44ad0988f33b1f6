"""Pages of the notifications domain: /notifications, and the unread count in the navbar."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.editing import paginate
from epmo.notifications import repository, service
from epmo.web.deps import DB, CurrentActor, PageParams, PathId, check_csrf_form
from epmo.web.pages import flash, redirect, render
from epmo.web.templating import templates

router = APIRouter(include_in_schema=False)
CSRF = [Depends(check_csrf_form)]


def unread_notifications(request: Request, actor: Actor | None) -> int:
    """The signed-in user's unread count, for the navbar (0 outside a request's session)."""
    session: Session | None = getattr(request.state, "db", None)
    if actor is None or session is None or not session.is_active:
        return 0
    return repository.unread_count(session, actor.id)


templates.env.globals["unread_notifications"] = unread_notifications


@router.get("/notifications")
def notifications_page(request: Request, session: DB, actor: CurrentActor,
                       page: PageParams) -> Response:
    """Your notifications, unread first, with buttons to mark them read."""
    found = paginate(session, repository.inbox_query(actor.id), page.limit, page.offset)
    return render(request, "notifications/list.html", actor, page=found, base_query="",
                  unread=repository.unread_count(session, actor.id))


@router.post("/notifications/read-all", dependencies=CSRF)
def read_all_page(request: Request, session: DB, actor: CurrentActor) -> Response:
    """Mark every notification read."""
    marked = service.mark_all_read(session, actor)
    flash(request, f"{marked} notification{'s' if marked != 1 else ''} marked read")
    return redirect("/notifications")


@router.post("/notifications/{notification_id}/read", dependencies=CSRF)
def read_page(request: Request, session: DB, actor: CurrentActor,
              notification_id: PathId) -> Response:
    """Mark one notification read and go back to the list."""
    service.mark_read(session, actor, notification_id)
    return redirect("/notifications")


@router.post("/notifications/{notification_id}/open", dependencies=CSRF)
def open_page(request: Request, session: DB, actor: CurrentActor,
              notification_id: PathId) -> Response:
    """Mark a notification read and follow its link."""
    notification = service.mark_read(session, actor, notification_id)
    return redirect(notification.link if notification.link.startswith("/") else "/notifications")
