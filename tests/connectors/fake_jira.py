"""A real HTTP server answering like Jira Cloud's REST API v3 search, for the connector tests.

``POST /rest/api/3/search/jql`` (and GET with query parameters) pages the issues
``page_size`` at a time with an opaque ``nextPageToken`` and ``isLast``; the old
``/rest/api/3/search`` answers 410 Gone as Jira Cloud does. ``script`` queues answers to give
instead of the next pages (a 429 with Retry-After, a 401, a 503...). Basic auth is checked.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

CATEGORY_NAMES = {"new": ("To Do", 2), "indeterminate": ("In Progress", 4), "done": ("Done", 3)}


def issue(key: str, summary: str, category: str, due: str | None) -> dict[str, Any]:
    """An issue as the search answers it (only the fields asked for)."""
    name, category_id = CATEGORY_NAMES[category]
    return {"id": str(10000 + abs(hash(key)) % 10000), "key": key,
            "self": f"https://example.atlassian.net/rest/api/3/issue/{key}",
            "fields": {"summary": summary, "duedate": due,
                       "status": {"name": name, "statusCategory": {
                           "id": category_id, "key": category, "name": name}}}}


@dataclass
class Scripted:
    """One answer to give instead of the next page."""

    status: int
    body: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class FakeJira:
    """The server's state: issues, credentials, scripted answers and what was asked."""

    email: str = "sync@example.org"
    token: str = "ATATT3xFfGF0-fake-jira-token-7731"
    issues: list[dict[str, Any]] = field(default_factory=list)
    page_size: int = 2
    script: deque[Scripted] = field(default_factory=deque)
    requests: list[dict[str, Any]] = field(default_factory=list)
    url: str = ""

    def authorised(self, header: str) -> bool:
        """Whether the Authorization header carries this site's e-mail and token."""
        expected = base64.b64encode(f"{self.email}:{self.token}".encode()).decode()
        return header == f"Basic {expected}"

    def page(self, body: dict[str, Any]) -> dict[str, Any]:
        """One page of the search, from ``nextPageToken`` (an opaque offset)."""
        start = int(base64.b64decode(body["nextPageToken"]).decode()) \
            if body.get("nextPageToken") else 0
        size = min(int(body.get("maxResults") or 50), self.page_size)
        chosen = self.issues[start:start + size]
        end = start + len(chosen)
        answer: dict[str, Any] = {"issues": chosen, "isLast": end >= len(self.issues)}
        if end < len(self.issues):
            answer["nextPageToken"] = base64.b64encode(str(end).encode()).decode()
        return answer


class Handler(BaseHTTPRequestHandler):
    """Answers as Jira Cloud's search would."""

    server: Server

    def log_message(self, *_: Any) -> None:
        """Quiet."""

    def _send(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
              ) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def _answer(self, body: dict[str, Any]) -> None:
        fake = self.server.fake
        path = urlsplit(self.path).path
        fake.requests.append({"method": self.command, "path": path, "body": body,
                              "auth": self.headers.get("Authorization", "")})
        if path == "/rest/api/3/search":
            self._send(410, {"errorMessages": ["The requested API has been removed. Please "
                                               "migrate to the /rest/api/3/search/jql API."]})
            return
        if path != "/rest/api/3/search/jql":
            self._send(404, {"errorMessages": ["not found"]})
            return
        if fake.script:
            scripted = fake.script.popleft()
            time.sleep(scripted.delay)
            self._send(scripted.status, scripted.body, scripted.headers)
            return
        if not fake.authorised(self.headers.get("Authorization", "")):
            self._send(401, {"errorMessages": ["Client must be authenticated to access this "
                                               "resource."]})
            return
        self._send(200, fake.page(body))

    def do_POST(self) -> None:
        """The search with a JSON body."""
        length = int(self.headers.get("Content-Length") or 0)
        self._answer(json.loads(self.rfile.read(length) or b"{}"))

    def do_GET(self) -> None:
        """The search with query parameters."""
        query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
        self._answer(query)


class Server(ThreadingHTTPServer):
    """The HTTP server holding the fake's state."""

    daemon_threads = True

    def __init__(self, fake: FakeJira) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.fake = fake


def start(fake: FakeJira) -> tuple[Server, threading.Thread]:
    """Serve ``fake`` on a free port of 127.0.0.1 in a thread; its ``url`` is set."""
    server = Server(fake)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread
