"""Request body limits, enforced before anything parses the body.

JSON and form posts are small (EPMO_JSON_MAX_BYTES); multipart uploads to the routes that take
files may be as large as their own limit (imports and status reports: EPMO_IMPORT_MAX_BYTES,
artefacts: EPMO_ARTEFACT_MAX_BYTES) plus room for the form's other parts. A declared
Content-Length over the limit is refused at once; a body without one (chunked) is counted as
it streams and cut off at the limit. Either way the answer is 413 (problem+json under /api).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import FastAPI
from starlette.requests import Request

from epmo.config import get_settings
from epmo.errors import FieldError
from epmo.web.errors import problem

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[MutableMapping[str, Any], Receive, Send], Awaitable[None]]

FORM_ROOM = 64 * 1024  # boundaries, part headers and the small fields beside the file
UPLOADS = (
    (re.compile(r"^(/api/v1)?/imports(/[^/]+)?$"), "import_max_bytes"),
    (re.compile(r"^(/api/v1)?/status-reports/upload$"), "import_max_bytes"),
    (re.compile(r"^(/api/v1)?/projects/\d+/artefacts(/upload)?$"), "artefact_max_bytes"),
)


def limit_for(path: str, content_type: str) -> int:
    """The most body bytes a request to ``path`` with this content type may send."""
    settings = get_settings()
    if content_type.lower().startswith("multipart/form-data"):
        for pattern, setting in UPLOADS:
            if pattern.match(path):
                return int(getattr(settings, setting)) + FORM_ROOM
    return settings.json_max_bytes


def _header(scope: MutableMapping[str, Any], name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


class BodyLimit:
    """ASGI middleware that answers 413 to bodies over the route's limit (see the module)."""

    def __init__(self, app: App) -> None:
        self.app = app

    async def __call__(self, scope: MutableMapping[str, Any], receive: Receive,
                       send: Send) -> None:
        """Check Content-Length, then count the streamed body; refuse past the limit."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = limit_for(scope["path"], _header(scope, b"content-type") or "")
        length = _header(scope, b"content-length")
        if length is not None and length.strip().isdigit() and int(length) > limit:
            await _refuse(scope, send, limit)
            return
        guard = _Guard(limit, receive, send)
        try:
            await self.app(scope, guard.receive, guard.send)
        except Exception:
            if not guard.over:
                raise
        if guard.over and not guard.started:
            await _refuse(scope, send, limit)


class _Guard:
    """Counts the body as the app reads it; past the limit it says the client left."""

    def __init__(self, limit: int, receive: Receive, send: Send) -> None:
        self.limit, self._receive, self._send = limit, receive, send
        self.seen, self.over, self.started = 0, False, False

    async def receive(self) -> Message:
        if self.over:
            return {"type": "http.disconnect"}
        message = await self._receive()
        if message["type"] == "http.request":
            self.seen += len(message.get("body", b""))
            if self.seen > self.limit:
                # The app stops reading at a disconnect; whatever it answers is replaced.
                self.over = True
                return {"type": "http.disconnect"}
        return message

    async def send(self, message: Message) -> None:
        if self.over and not self.started:
            return
        self.started = self.started or message["type"] == "http.response.start"
        await self._send(message)


async def _refuse(scope: MutableMapping[str, Any], send: Send, limit: int) -> None:
    message = f"The request body is larger than the limit of {limit:,} bytes"
    response = problem(Request(scope), 413, "Request body too large", message,
                       [FieldError("body", message)], limit=limit)
    await response(scope, _no_receive, send)


async def _no_receive() -> Message:
    return {"type": "http.disconnect"}


def install(app: FastAPI) -> None:
    """Add the body limit to ``app`` (inside the session middleware, so pages can render)."""
    app.add_middleware(BodyLimit)
