"""Signed-in browser-like clients for page tests (session cookie + CSRF token)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from fastapi.testclient import TestClient

from tests.world import World, password_for

META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


@dataclass
class Browser:
    """A TestClient holding a session cookie, and the session's CSRF token."""

    client: TestClient
    csrf: str

    def post_form(self, url: str, data: dict[str, object]) -> object:
        """Post a form the way a page would (with the CSRF token, without following redirects)."""
        return self.client.post(url, data={"csrf_token": self.csrf, **data}, follow_redirects=False)


def csrf_of(html: str) -> str:
    """Extract the CSRF token a page carries."""
    found = META.search(html)
    assert found, "page carries no csrf-token meta tag"
    return found.group(1)


def login(app: object, world: World, user: str) -> Browser:
    """Sign ``user`` in through the login form and return the browser."""
    client = TestClient(app)  # type: ignore[arg-type]
    token = csrf_of(client.get("/login").text)
    r = client.post("/login", data={"csrf_token": token, "email": world.email(user),
                                    "password": password_for(user)}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return Browser(client, csrf_of(client.get("/account").text))
