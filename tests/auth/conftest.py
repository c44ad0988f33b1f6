"""Helpers of the auth tests: settings changed for one test, page sign-in attempts."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from epmo.config import get_settings
from tests.web.helpers import csrf_of

Settle = Callable[..., None]


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[Settle]:
    """``settings_env(signin_lock_failures=3)``: set EPMO_* settings for this test only."""
    def apply(**values: object) -> None:
        for name, value in values.items():
            monkeypatch.setenv(f"EPMO_{name.upper()}", str(value))
        get_settings.cache_clear()

    yield apply
    monkeypatch.undo()
    get_settings.cache_clear()


def attempt(client: TestClient, email: str, password: str) -> Response:
    """Post the sign-in form once, the way the page does."""
    token = csrf_of(client.get("/login").text)
    return client.post("/login", data={"csrf_token": token, "email": email,
                                       "password": password}, follow_redirects=False)
