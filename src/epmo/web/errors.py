"""Render errors: RFC 9457 problem+json for the API, a readable page for the UI."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from epmo.auth.policy import Actor
from epmo.db import connection_lost
from epmo.errors import EpmoError, FieldError, Unauthorized, in_words
from epmo.schema_kit import field_errors
from epmo.web.templating import templates

log = logging.getLogger("epmo.web")
Handler = Callable[[Request, Exception], Awaitable[Response]]
PROBLEM = "application/problem+json"
RETRY_AFTER_SECONDS = 5  # what a client should wait before retrying after a database outage

# What to do next, by status, on an error page that is not a form shown again.
NEXT_STEPS = {
    400: "Go back, check what you entered and send it again.",
    403: "You may not do this here. Go back; if you need to, ask an EPMO administrator or "
         "your department lead for the access.",
    404: "It may have been deleted, or you may not have access to it. Go back, or find it "
         "from the menu.",
    409: "Someone changed this meanwhile. Go back (what you typed is kept), reload the page "
         "to see the current version, and apply your change again.",
    413: "The upload is too large. Go back and send a smaller file.",
    422: "Go back (what you typed is kept), correct the value and send it again.",
    429: "Too many attempts. Wait a little, then try again.",
    500: "Go back and try again. If it keeps happening, tell your EPMO administrator: the "
         "error has been logged.",
    503: "Wait a few seconds, then go back and try again.",
}


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def problem(request: Request, status: int, title: str, detail: str,
            errors: list[FieldError] | None = None, *, api: bool | None = None,
            headers: dict[str, str] | None = None, **extra: Any) -> Response:
    """Build the response for an error, API (or ``api=True``) or page."""
    headers = dict(headers or {})
    if api or (api is None and _is_api(request)):
        body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status,
                                "detail": detail, "instance": request.url.path}
        if errors:
            body["errors"] = [e.as_dict() for e in errors]
        body.update(extra)
        if status == 401:
            headers["WWW-Authenticate"] = "Bearer"
        return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)
    if status == 401:
        target = quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
        return RedirectResponse(f"/login?next={target}", status_code=303)
    context = {"status": status, "title": title, "detail": detail, "errors": errors or [],
               "next_step": NEXT_STEPS.get(status, NEXT_STEPS[400 if status < 500 else 500]),
               "actor": _page_actor(request), "csrf": _csrf(request), "flashes": []}
    return templates.TemplateResponse(request, "error.html", context, status_code=status,
                                      headers=headers)


def _csrf(request: Request) -> str:
    if "session" not in request.scope:
        return ""
    from epmo.web.deps import csrf_token  # deps imports the services; errors stays light

    return csrf_token(request)


def _page_actor(request: Request) -> Actor | None:
    known = getattr(request.state, "actor", None)
    return known if isinstance(known, Actor) else None


async def _find_actor(request: Request) -> None:
    """Who is signed in, so an error page keeps the menu.

    The request's own dependencies usually found the actor already; when the error came
    first (an unknown address, a refused form token) it is looked up in a short read of its
    own, off the event loop. Any failure of that read just drops the menu.
    """
    if (_is_api(request) or "session" not in request.scope
            or isinstance(getattr(request.state, "actor", None), Actor)):
        return
    from epmo.web.deps import actor_of_cookie

    try:
        request.state.actor = await run_in_threadpool(actor_of_cookie, request)
    except Exception:  # an error page must render even when the lookup cannot
        log.debug("no actor for the error page of %s", request.url.path, exc_info=True)


def _with_actor(handler: Handler) -> Handler:
    async def handle(request: Request, exc: Exception) -> Response:
        await _find_actor(request)
        return await handler(request, exc)
    return handle


def unavailable(request: Request, exc: Exception, api: bool | None = None) -> Response:
    """503 with Retry-After: the database cannot be reached (the cause is logged, not shown)."""
    log.warning("database unavailable on %s %s: %s", request.method, request.url.path,
                getattr(exc, "orig", exc))
    return problem(request, 503, "Service unavailable",
                   "The database cannot be reached or is busy; try again in a few seconds",
                   api=api, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


async def _epmo_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, EpmoError)
    if isinstance(exc, Unauthorized) and not _is_api(request):
        return problem(request, 401, exc.title, exc.message)
    # a service's message may still name a field by its key: people read it in words
    return problem(request, exc.status, exc.title, in_words(exc.message), exc.errors,
                   **exc.extra)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = field_errors(exc.errors())
    detail = "; ".join(e.message for e in errors)
    return problem(request, 422, "Invalid input", detail, errors)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return problem(request, exc.status_code, str(exc.detail), str(exc.detail))


async def _out_of_range(request: Request, exc: Exception) -> Response:
    log.info("value out of range on %s %s: %s", request.method, request.url.path, exc)
    return problem(request, 422, "Invalid input",
                   "A value in the request cannot be stored: a number out of range or a "
                   "character the database does not accept")


async def _integrity(request: Request, exc: Exception) -> Response:
    # Services check references and uniqueness first; this is the safety net for a race
    # between two workers or a rule a service missed, so it is logged for a fix.
    log.warning("integrity error on %s %s: %s", request.method, request.url.path, exc)
    return problem(request, 409, "Conflict",
                   "The change conflicts with data stored meanwhile or still referring to it")


async def _stale(request: Request, exc: Exception) -> Response:
    # Units of work turn a lost version race into a Conflict naming the current version;
    # this is the net for a session used outside one.
    return problem(request, 409, "Conflict", "The record was changed by someone else; reload "
                   "and apply your change again", [FieldError("version", "stale")])


async def _database(request: Request, exc: Exception) -> Response:
    if connection_lost(exc):
        return unavailable(request, exc)
    return await _unexpected(request, exc)


async def _busy(request: Request, exc: Exception) -> Response:
    # Every pooled connection stayed in use past the pool's timeout: overloaded, not broken.
    return unavailable(request, exc)


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return problem(request, 500, "Internal error", "Something went wrong; it has been logged")


def install(app: FastAPI) -> None:
    """Register every error handler on ``app`` (pages find the actor to keep the menu; a
    database that cannot be reached is not asked)."""
    app.add_exception_handler(EpmoError, _with_actor(_epmo_error))
    app.add_exception_handler(RequestValidationError, _with_actor(_validation_error))
    app.add_exception_handler(HTTPException, _with_actor(_http_error))
    app.add_exception_handler(OverflowError, _with_actor(_out_of_range))
    app.add_exception_handler(DataError, _with_actor(_out_of_range))
    app.add_exception_handler(IntegrityError, _with_actor(_integrity))
    app.add_exception_handler(StaleDataError, _with_actor(_stale))
    app.add_exception_handler(DBAPIError, _database)
    app.add_exception_handler(PoolTimeout, _busy)
    app.add_exception_handler(Exception, _with_actor(_unexpected))
