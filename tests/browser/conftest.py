"""A real server on a real SQLite file with the demo enterprise, and Debian's Chromium."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Response

CHROMIUM = Path("/usr/bin/chromium")
ADMIN = ("admin@browser.test", "browser-admin-pw")
ASSETS = frozenset({"script", "stylesheet", "fetch", "xhr", "font"})  # must load
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _epmo(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "epmo", *args], env=env, check=True,
                   capture_output=True, timeout=300)


def demo_env(folder: Path) -> dict[str, str]:
    """The environment of a fresh SQLite file in ``folder`` loaded with the small demo."""
    env = os.environ | {"EPMO_DATABASE_URL": f"sqlite:///{folder / 'epmo.db'}",
                        "EPMO_ENV": "development"}
    _epmo(env, "init", "--admin-email", ADMIN[0], "--admin-password", ADMIN[1])
    _epmo(env, "demo", "--size", "small", "--seed", "7")
    return env


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start ``epmo serve`` on a fresh SQLite file loaded with the small demo."""
    env = demo_env(tmp_path_factory.mktemp("server"))
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "epmo", "serve", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    _wait_until_up(url, proc)
    yield url
    proc.terminate()
    proc.wait(timeout=20)


def _wait_until_up(url: str, proc: subprocess.Popen[bytes]) -> None:
    for _ in range(300):  # a busy machine may need a while to import the app
        if proc.poll() is not None:
            raise RuntimeError(f"epmo serve exited with {proc.returncode}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("epmo serve did not come up within 60 s")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian Chromium driven by Playwright."""
    if not CHROMIUM.exists():
        if os.environ.get("EPMO_REQUIRE_BROWSER"):
            pytest.fail("EPMO_REQUIRE_BROWSER is set but /usr/bin/chromium is missing")
        pytest.skip("browser tests skipped: Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def watch(page: Page, errors: list[str]) -> None:
    """Record script errors, errors logged to the console and scripts or styles that fail to
    load. (A refused form is answered 422 on purpose and Chromium's own favicon request may
    404: neither is a script's error, so failed page loads are left to the assertions.)"""
    def console(msg: ConsoleMessage) -> None:
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            errors.append(f"{page.url}: console: {msg.text}")

    def response(found: Response) -> None:
        if found.status >= 400 and found.request.resource_type in ASSETS:
            errors.append(f"{page.url}: {found.status} for {found.url}")

    page.on("pageerror", lambda exc: errors.append(f"{page.url}: {exc}"))
    page.on("console", console)
    page.on("response", response)


def sign_in_watched(browser: Browser, server: str, email: str, password: str,
             errors: list[str]) -> tuple[BrowserContext, Page]:
    """A signed-in context and its page, every JavaScript or console error recorded."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    watch(page, errors)
    page.goto(f"{server}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button[type=submit]")
    expect(page).not_to_have_url(re.compile(r"/login"))
    return context, page


def fits_a_phone(page: Page, server: str, paths: list[str], phone: int = 390) -> None:
    """At ``phone`` px each page never scrolls sideways (wide tables scroll in their own box)."""
    page.set_viewport_size({"width": phone, "height": 844})
    for path in paths:
        page.goto(f"{server}{path}")
        widths = page.evaluate("() => [document.documentElement.scrollWidth, "
                               "document.body.scrollWidth, window.innerWidth]")
        assert max(widths[:2]) <= widths[2] == phone, f"{path} is {widths} px wide"


class Api:
    """The API as a signed-in browser context sees it (cookie and CSRF header)."""

    def __init__(self, context: BrowserContext, page: Page, server: str) -> None:
        self.context, self.base = context, f"{server}/api/v1"
        page.goto(f"{server}/")
        token = page.locator("meta[name=csrf-token]").get_attribute("content") or ""
        self.headers = {"X-CSRF-Token": token}

    def get(self, path: str) -> Any:
        """GET a resource; fail with the problem if it is refused."""
        response = self.context.request.get(f"{self.base}{path}")
        assert response.ok, f"GET {path}: {response.status} {response.text()}"
        return response.json()

    def send(self, method: str, path: str, body: dict[str, Any]) -> Any:
        """POST, PUT or PATCH a JSON body; fail with the problem if it is refused."""
        response = self.context.request.fetch(f"{self.base}{path}", method=method,
                                              headers=self.headers, data=body)
        assert response.ok, f"{method} {path}: {response.status} {response.text()}"
        return response.json()
