"""Request dependencies: one unit of work per request, the actor, paging, CSRF."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path, Query, Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from epmo.auth import service as auth_service
from epmo.auth import sessions
from epmo.auth.models import User
from epmo.auth.policy import Actor
from epmo.config import get_settings
from epmo.db import unit_of_work, work_of
from epmo.errors import Forbidden, Unauthorized
from epmo.schema_kit import MAX_ID

SESSION_USER = sessions.SESSION_USER
SESSION_CSRF = "csrf"
SAFE = frozenset({"GET", "HEAD", "OPTIONS"})


def db_session(request: Request) -> Iterator[Session]:
    """Open the request's unit of work; it commits only if the handler succeeds."""
    # Reads run beside writers (SQLite WAL); a request that may write waits for its turn.
    with unit_of_work(write=request.method not in SAFE) as session:
        request.state.db = session
        yield session


DB = Annotated[Session, Depends(db_session, scope="function")]


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def _user_from_request(request: Request, session: Session) -> Actor | None:
    token = _bearer(request)
    user: User | None
    if token:
        user = auth_service.user_for_token(session, token)
    else:
        # The cookie names a server-side session row: signed-out, revoked or idle rows fail.
        user = sessions.user_for_cookie(request, session)
        if user is None:
            return None
        # Pages check the form's token; cookie-borne API writes must send it as a header.
        if request.url.path.startswith("/api/") and request.method not in SAFE:
            check_csrf_header(request)
    return auth_service.actor_for(session, user)


def optional_actor(request: Request, session: DB) -> Actor | None:
    """The signed-in actor, or None for an anonymous request."""
    actor = _user_from_request(request, session)
    request.state.actor = actor  # error pages show the menu of whoever is signed in
    if actor is not None:
        work_of(session).act_as(actor.id, actor.label)
    return actor


def actor_of_cookie(request: Request) -> Actor | None:
    """The browser's signed-in actor, read in a unit of work of its own (for error pages)."""
    if request.session.get(SESSION_USER) is None:
        return None
    with unit_of_work(write=False) as session:
        user = sessions.user_for_cookie(request, session)
        return auth_service.actor_for(session, user) if user is not None else None


def current_actor(actor: Annotated[Actor | None, Depends(optional_actor)]) -> Actor:
    """The signed-in actor; anonymous requests get 401."""
    if actor is None:
        raise Unauthorized("Sign in or send a bearer token")
    return actor


CurrentActor = Annotated[Actor, Depends(current_actor)]


def csrf_token(request: Request) -> str:
    """Return (creating once per session) the token forms must echo back."""
    token = request.session.get(SESSION_CSRF)
    if not token:
        token = secrets.token_urlsafe(32)
        request.session[SESSION_CSRF] = token
    return str(token)


def check_csrf_header(request: Request) -> None:
    """Cookie-authenticated API writes must carry the session's CSRF token in a header."""
    sent = request.headers.get("x-csrf-token", "")
    if not sent or not secrets.compare_digest(sent, csrf_token(request)):
        raise Forbidden("Missing or wrong CSRF token (send X-CSRF-Token)")


async def check_csrf_form(request: Request) -> None:
    """Form posts must echo the session's CSRF token (field csrf_token or X-CSRF-Token)."""
    if request.method in SAFE:
        return
    form = await request.form()
    sent = str(form.get("csrf_token") or request.headers.get("x-csrf-token", ""))
    if not sent or not secrets.compare_digest(sent, csrf_token(request)):
        raise Forbidden("The form expired or was not sent from epmo; reload the page and retry")


async def submitted_form(request: Request) -> FormData:
    """The submitted form, read on the event loop so the page route itself can be a plain
    ``def`` (run in the thread pool) and never block the loop with database work."""
    return await request.form()


SubmittedForm = Annotated[FormData, Depends(submitted_form)]


@dataclass(frozen=True, slots=True)
class Paging:
    """Validated ``limit``/``offset`` query parameters."""

    limit: int
    offset: int


def paging(
    limit: Annotated[int, Query(ge=1, description="Page size")] = 50,
    offset: Annotated[int, Query(ge=0, le=10**9, description="Rows to skip")] = 0,
) -> Paging:
    """Read paging parameters, capping ``limit`` at the configured maximum."""
    return Paging(limit=min(limit, get_settings().page_size_max), offset=offset)


PageParams = Annotated[Paging, Depends(paging)]


PathId = Annotated[int, Path(ge=1, le=MAX_ID, description="An id")]
QueryId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
Version = Annotated[int, Query(description="The version you read")]
