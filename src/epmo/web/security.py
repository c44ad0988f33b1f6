"""Security headers on every response: a strict Content-Security-Policy and its companions.

Pages run no inline script: every script is a static file of ours (``/static``), data reaches
it in ``<script type="application/json">`` blocks (never executed), behaviour is wired by
``data-*`` attributes, and htmx is configured not to evaluate anything. So the policy can
refuse inline script, ``eval`` and every foreign origin outright.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable

from fastapi import FastAPI
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# style-src keeps 'unsafe-inline': ECharts writes its tooltips as HTML with style attributes
# and templates size chart boxes with style="height: ...". Styles cannot run script, and
# markup that could carry a hostile style is escaped before it reaches the page.
POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}
# The Swagger UI page (/api/docs) is FastAPI's, pointed at the vendored Swagger UI
# (static/vendor), so it works without a network; one inline script starts it, allowed by its
# hash (taken from the page itself), never by 'unsafe-inline'.
DOCS_POLICY = POLICY
DOCS_PATH = "/api/docs"
FIXED = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"
INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.S)


def policy_text(directives: dict[str, str]) -> str:
    """The Content-Security-Policy header value of ``directives``."""
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def docs_policy(body: bytes) -> str:
    """The docs page's policy: the hash of each inline script it carries."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode() + "'"
        for script in INLINE_SCRIPT.findall(body)
    )
    return policy_text(DOCS_POLICY | {"script-src": f"'self' {hashes}".strip()})


def headers_for(scope: Scope, csp: str) -> dict[str, str]:
    """Every security header for a response to ``scope`` (HSTS only when it came over TLS)."""
    found = {"Content-Security-Policy": csp, **FIXED}
    if scope.get("scheme") == "https":
        # A proxy terminating TLS says so with X-Forwarded-Proto; `epmo serve` runs uvicorn
        # with proxy_headers, which trusts it from the allowed proxy addresses only.
        found["Strict-Transport-Security"] = HSTS
    return found


class SecurityHeaders:
    """ASGI middleware adding the security headers (a route may set its own stricter ones)."""

    def __init__(self, app: ASGIApp, docs_path: str | None = None) -> None:
        """Wrap ``app``; ``docs_path`` is the Swagger UI page, which gets its own policy."""
        self.app = app
        self.docs_path = docs_path
        self.csp = policy_text(POLICY)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Add the headers to the response's start message."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
        elif self.docs_path and scope["path"] == self.docs_path:
            await self._docs(scope, receive, send)
        else:
            await self.app(scope, receive, self._sender(scope, send, self.csp))

    def _sender(self, scope: Scope, send: Send, csp: str) -> Send:
        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in headers_for(scope, csp).items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        return sending

    async def _docs(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Hold the (small) docs page back until its body is known, to hash its script."""
        held: list[Message] = []

        async def holding(message: Message) -> None:
            held.append(message)

        await self.app(scope, receive, holding)
        body = b"".join(m.get("body", b"") for m in held if m["type"] == "http.response.body")
        sender = self._sender(scope, send, docs_policy(body))
        for message in held:
            await sender(message)


def install(app: FastAPI) -> None:
    """Put the security headers outermost, so even a crash's 500 page carries them."""
    build: Callable[[], ASGIApp] = app.build_middleware_stack

    def outermost() -> ASGIApp:
        return SecurityHeaders(build(), docs_path=DOCS_PATH)

    # Starlette puts its ServerErrorMiddleware outside every middleware added with
    # add_middleware; wrapping the built stack is the only way to reach its responses too.
    app.build_middleware_stack = outermost  # type: ignore[method-assign]
