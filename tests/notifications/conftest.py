"""Real receivers for delivery tests: an HTTP server for webhooks, an SMTP server for e-mail."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from epmo.config import get_settings
from tests.factories import Maker

API = "/api/v1"


@dataclass
class Received:
    """One request the receiver got."""

    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        """The body as JSON."""
        return json.loads(self.body)


@dataclass
class Receiver:
    """A local webhook receiver answering with the scripted status codes (then 200)."""

    url: str
    script: list[int] = field(default_factory=list)
    got: list[Received] = field(default_factory=list)


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            receiver.got.append(Received({k.lower(): v for k, v in self.headers.items()},
                                         self.rfile.read(length)))
            status = receiver.script.pop(0) if receiver.script else 200
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *_args: Any) -> None:
            return None

    return Handler


@pytest.fixture
def receiver(monkeypatch: pytest.MonkeyPatch) -> Iterator[Receiver]:
    """An HTTP server on 127.0.0.1 (free port) in a thread, recording every POST.

    Loopback is no place for webhooks, so the test allows it the way an administrator allows
    an internal receiver: by naming it in EPMO_WEBHOOK_ALLOWED_HOSTS.
    """
    monkeypatch.setenv("EPMO_WEBHOOK_ALLOWED_HOSTS", "127.0.0.1/32")
    get_settings.cache_clear()
    holder = Receiver(url="")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(holder))
    holder.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield holder
    server.shutdown()
    server.server_close()
    monkeypatch.undo()
    get_settings.cache_clear()


def free_port() -> int:
    """A port nothing listens on (bound once, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Inbox:
    """aiosmtpd handler keeping every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[Envelope] = []

    async def handle_DATA(self, _server: SMTP, _session: Session,
                          envelope: Envelope) -> str:
        """Accept the message."""
        self.messages.append(envelope)
        return "250 Message accepted"


@pytest.fixture
def smtp_server() -> Iterator[tuple[int, Inbox]]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 and a free port."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, inbox
    controller.stop()


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Set EPMO_* variables for one test; settings are re-read and restored afterwards."""
    get_settings.cache_clear()
    yield monkeypatch
    monkeypatch.undo()
    get_settings.cache_clear()


def configure(env: pytest.MonkeyPatch, **values: object) -> None:
    """Set settings (by field name) for the rest of the test."""
    for key, value in values.items():
        env.setenv(f"EPMO_{key.upper()}", str(value))
    get_settings.cache_clear()


@pytest.fixture
def it_project(make: Maker) -> int:
    """A project owned by IT, made through the API."""
    return int(make.project("IT", code="NT-1", name="Notified project")["id"])
