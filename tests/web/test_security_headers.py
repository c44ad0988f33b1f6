"""Issue 9, items 1 and 12: security headers on every response, and no inline script anywhere.

The Content-Security-Policy refuses inline script, so every template must do without: a test
reads every template and fails on an inline ``<script>`` with code, an ``on...=`` handler,
a ``javascript:`` URL or an htmx attribute that evaluates code.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy.orm import Session
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from epmo.web.app import create_app
from tests.conftest import Clients
from tests.web.helpers import login
from tests.world import World

SRC = Path(__file__).resolve().parents[2] / "src" / "epmo"
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; "
       "form-action 'self'")
ALWAYS = {"x-content-type-options": "nosniff", "referrer-policy": "same-origin",
          "x-frame-options": "DENY"}
# Each kind of response the hub gives: (what it is, how to get it, status, content type).
KINDS: dict[str, tuple[Callable[[Clients, object, World], Response], int, str]] = {
    "page": (lambda as_, app, world: login(app, world, "admin").client.get("/"),
             200, "text/html"),
    "login page": (lambda as_, app, world: as_.anon.get("/login"), 200, "text/html"),
    "redirect": (lambda as_, app, world: as_.anon.get("/account", follow_redirects=False),
                 303, ""),
    "API JSON": (lambda as_, app, world: as_("admin").get("/api/v1/projects"),
                 200, "application/json"),
    "problem": (lambda as_, app, world: as_("admin").get("/api/v1/projects/999999"),
                404, "application/problem+json"),
    "refused": (lambda as_, app, world: as_.anon.get("/api/v1/projects"),
                401, "application/problem+json"),
    "static": (lambda as_, app, world: as_.anon.get("/static/epmo.css"), 200, "text/css"),
    "vendored": (lambda as_, app, world: as_.anon.get("/static/vendor/htmx.min.js"),
                 200, "javascript"),
    "missing static": (lambda as_, app, world: as_.anon.get("/static/nothing.js"), 404, ""),
    "health": (lambda as_, app, world: as_.anon.get("/healthz"), 200, "application/json"),
}


def assert_secure(response: Response, csp: str = CSP) -> None:
    """The response carries the policy and every companion header, and no HSTS over http."""
    headers = response.headers
    assert headers.get("content-security-policy") == csp
    for name, value in ALWAYS.items():
        assert headers.get(name) == value, f"{name}: {headers.get(name)!r}"
    assert "strict-transport-security" not in headers


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_of_response_carries_the_headers(
        kind: str, as_: Clients, app: object, world: World, db: Session) -> None:
    """Pages, the login page, redirects, API JSON, problems, static files: all of them."""
    fetch, status, content_type = KINDS[kind]
    response = fetch(as_, app, world)
    assert response.status_code == status, response.text
    assert content_type in response.headers.get("content-type", "")
    assert_secure(response)


def test_a_crash_answers_500_with_the_headers_too() -> None:
    """Even the page of an unexpected error (made outside every middleware) carries them."""
    crashing = create_app()

    @crashing.get("/crash")
    def crash() -> None:
        raise RuntimeError("boom")

    response = TestClient(crashing, raise_server_exceptions=False).get("/crash")
    assert response.status_code == 500
    assert_secure(response)


def test_hsts_only_when_the_request_came_over_tls(as_: Clients, app: object, db: Session) -> None:
    """Over https HSTS is on; over http not, whatever a client claims in X-Forwarded-Proto."""
    secure = TestClient(app, base_url="https://testserver")  # type: ignore[arg-type]
    response = secure.get("/login")
    assert response.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
    forged = as_.anon.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "strict-transport-security" not in forged.headers


@pytest.mark.parametrize(("proxy", "hsts"), [("testclient", True), ("10.9.9.9", False)])
def test_hsts_behind_a_tls_proxy_only_when_uvicorn_trusts_it(
        proxy: str, hsts: bool, app: object, db: Session) -> None:
    """`epmo serve` runs uvicorn with proxy_headers: X-Forwarded-Proto counts from a trusted
    proxy address (FORWARDED_ALLOW_IPS) and from nobody else."""
    behind = ProxyHeadersMiddleware(app, trusted_hosts=[proxy])  # type: ignore[arg-type]
    client = TestClient(behind)  # type: ignore[arg-type]
    response = client.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    assert ("strict-transport-security" in response.headers) is hsts


def test_api_docs_allow_only_their_own_inline_script(app: object) -> None:
    """Swagger UI's page keeps working from the vendored files: its one inline script, by hash,
    and nothing from another host."""
    response = TestClient(app).get("/api/docs")  # type: ignore[arg-type]
    assert response.status_code == 200
    scripts = re.findall(r"<script>(.*?)</script>", response.text, re.S)
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    policy = response.headers["content-security-policy"]
    script_src = next(d for d in policy.split("; ") if d.startswith("script-src "))
    assert script_src == f"script-src 'self' 'sha256-{digest}'"
    assert "https://" not in policy and "/static/vendor/swagger-ui-bundle.js" in response.text
    for directive in ("object-src 'none'", "frame-ancestors 'none'", "base-uri 'self'"):
        assert directive in policy
    assert response.headers["x-frame-options"] == "DENY"


def test_a_route_may_set_its_own_policy() -> None:
    """A response that sets a header keeps it (the middleware only fills what is missing)."""
    custom = create_app()

    @custom.get("/own")
    def own() -> object:
        from fastapi.responses import PlainTextResponse

        return PlainTextResponse("x", headers={"Content-Security-Policy": "sandbox"})

    response = TestClient(custom).get("/own")
    assert response.headers["content-security-policy"] == "sandbox"
    assert response.headers["x-content-type-options"] == "nosniff"


class _Scripts(HTMLParser):
    """Collects what the policy would refuse in one template."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.in_inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        line = self.getpos()[0]
        for name, value in found.items():
            if name.startswith("on") or name.startswith(("hx-on", "data-hx-on")) \
                    or name in ("hx-vars", "data-hx-vars"):
                self.problems.append(f"line {line}: {name}= runs code")
            if value.strip().lower().startswith(("javascript:", "js:")):
                self.problems.append(f"line {line}: {name}={value[:30]!r} runs code")
        if tag == "script" and "src" not in found:
            self.in_inline_script = found.get("type") != "application/json"
            if self.in_inline_script:
                self.problems.append(f"line {line}: inline <script> with code")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_inline_script = False


def _templates() -> list[Path]:
    return sorted(SRC.rglob("templates/**/*.html"))


def test_the_scan_finds_what_it_looks_for() -> None:
    """The template scan itself: each kind of inline code is caught."""
    scan = _Scripts()
    scan.feed('<script>alert(1)</script><form onsubmit="x()"><a href="javascript:x()">'
              '<div hx-on:click="x()"><script type="application/json">{}</script>'
              '<script src="/static/epmo.js"></script>')
    assert len(scan.problems) == 4, scan.problems


def test_no_template_runs_inline_code() -> None:
    """No template has an inline script with code, an on...= handler or a javascript: URL."""
    templates = _templates()
    assert len(templates) > 50
    problems = []
    for path in templates:
        scan = _Scripts()
        scan.feed(path.read_text())
        problems += [f"{path.relative_to(SRC)} {p}" for p in scan.problems]
    assert problems == [], "\n".join(problems)


def test_htmx_is_told_not_to_evaluate_code_or_inject_styles(app: object, world: World,
                                                            db: Session) -> None:
    """htmx evaluates nothing (hx-vars, js: values) and adds no inline <style> of its own."""
    page = login(app, world, "admin").client.get("/").text
    config = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", page)
    assert config, "no htmx-config meta"
    assert '"allowEval": false' in config.group(1)
    assert '"includeIndicatorStyles": false' in config.group(1)
    css = (SRC / "web" / "static" / "epmo.css").read_text()
    assert ".htmx-request .htmx-indicator" in css


