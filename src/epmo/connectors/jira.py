"""A small Jira Cloud client: the issue search of REST API v3 (``/rest/api/3/search/jql``).

Only the current search endpoint is used (``POST /rest/api/3/search/jql`` with ``jql``,
``fields``, ``maxResults`` and ``nextPageToken``; the answer carries ``issues``,
``nextPageToken`` and ``isLast``); the old ``/rest/api/3/search`` answers 410 Gone. Basic auth
with the user's e-mail and API token. Failure modes, each a ``JiraError`` whose message is safe
to show (it never holds the token):

- 429, or 503 with ``Retry-After``: wait as told (at most ``max_wait`` seconds a time; the
  ``sleep`` function is injectable) and retry, at most ``retries`` times;
- 401/403: the credentials were refused; 400: the query was refused (Jira's words);
- other 4xx/5xx, a timeout or an unreachable site: the status or the kind of failure.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import httpx

SEARCH_PATH = "/rest/api/3/search/jql"
FIELDS = ("summary", "status", "duedate")
CATEGORIES = ("new", "indeterminate", "done")
MAX_PAGES = 1000  # 100,000 issues at the default page size: a runaway paging guard


class JiraError(Exception):
    """Jira could not be asked or refused; the message is safe to show and store."""


@dataclass(frozen=True, slots=True)
class Issue:
    """What the sync reads of one issue."""

    key: str
    summary: str
    category: str  # statusCategory.key: new, indeterminate or done
    due: date | None


@dataclass(frozen=True, slots=True)
class Limits:
    """Timeouts and retry bounds of one client."""

    timeout: float = 20.0
    retries: int = 3
    max_wait: float = 60.0
    page_size: int = 100


@dataclass
class JiraClient:
    """Searches one Jira site as one user (e-mail and API token)."""

    site: str
    email: str
    token: str = field(repr=False)
    limits: Limits = field(default_factory=Limits)
    sleep: Callable[[float], None] = time.sleep

    def search(self, jql: str) -> list[Issue]:
        """Every issue the query finds, following ``nextPageToken`` until ``isLast``."""
        found: list[Issue] = []
        token: str | None = None
        with httpx.Client(base_url=self.site, auth=(self.email, self.token),
                          timeout=self.limits.timeout, follow_redirects=False) as client:
            for _ in range(MAX_PAGES):
                page = self._page(client, self._body(jql, token))
                found += [parse_issue(raw) for raw in page.get("issues") or []]
                following = page.get("nextPageToken")
                if page.get("isLast") is True or not following:
                    return found
                if following == token:
                    raise JiraError("Jira answered the same nextPageToken twice; stopped paging")
                token = following
        raise JiraError(f"Jira kept paging past {MAX_PAGES} pages; narrow the query")

    def _body(self, jql: str, token: str | None) -> dict[str, Any]:
        body: dict[str, Any] = {"jql": jql, "fields": list(FIELDS),
                                "maxResults": self.limits.page_size}
        if token:
            body["nextPageToken"] = token
        return body

    def _page(self, client: httpx.Client, body: dict[str, Any]) -> dict[str, Any]:
        """One page, after the waits Jira asks for."""
        for attempt in range(self.limits.retries + 1):
            answer = _post(client, body)
            wait = retry_after(answer)
            if wait is None:
                return _json(answer)
            if attempt < self.limits.retries:
                self.sleep(min(wait, self.limits.max_wait))
        raise JiraError(f"Jira still answered {answer.status_code} (too many requests) after "
                        f"{self.limits.retries} retries; the next sync tries again")


def _post(client: httpx.Client, body: dict[str, Any]) -> httpx.Response:
    try:
        return client.post(SEARCH_PATH, json=body, headers={"Accept": "application/json"})
    except httpx.TimeoutException as exc:
        raise JiraError(f"Jira did not answer in time ({type(exc).__name__})") from exc
    except httpx.HTTPError as exc:
        raise JiraError(f"Could not reach Jira ({type(exc).__name__}: {exc})") from exc


def retry_after(answer: httpx.Response) -> float | None:
    """Seconds to wait before retrying (429, or 503 with Retry-After), else None."""
    header = answer.headers.get("retry-after")
    if answer.status_code == 429 or (answer.status_code == 503 and header):
        return _seconds(header) if header else 5.0
    return None


def _seconds(header: str) -> float:
    """``Retry-After`` as seconds: a number or an HTTP date (never negative)."""
    try:
        return max(0.0, float(header.strip()))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return 5.0
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _json(answer: httpx.Response) -> dict[str, Any]:
    """The answer's JSON object, or the JiraError its status means."""
    code = answer.status_code
    if code in (401, 403):
        raise JiraError(f"Jira refused the credentials (HTTP {code}): check the user e-mail and "
                        "API token, and that this user may browse the projects")
    if code == 400:
        raise JiraError(f"Jira refused the query (HTTP 400): {_messages(answer)}")
    if code == 410:
        raise JiraError("Jira answered 410 Gone: this site no longer offers the search API asked")
    if code != 200:
        raise JiraError(f"Jira answered HTTP {code}; nothing was changed, the next sync retries")
    try:
        data = answer.json()
    except ValueError as exc:
        raise JiraError("Jira answered something that is not JSON (is the site URL right?)") \
            from exc
    if not isinstance(data, dict):
        raise JiraError("Jira answered an unexpected shape (no issues object)")
    return data


def _messages(answer: httpx.Response) -> str:
    try:
        data = answer.json()
    except ValueError:
        return answer.text[:300]
    words = list(data.get("errorMessages") or []) + list((data.get("errors") or {}).values())
    return "; ".join(str(w) for w in words)[:500] or "no reason given"


def parse_issue(raw: dict[str, Any]) -> Issue:
    """One issue of a search answer (missing fields read as empty)."""
    fields = raw.get("fields") or {}
    status = fields.get("status") or {}
    category = str((status.get("statusCategory") or {}).get("key") or "new")
    due = fields.get("duedate")
    try:
        day = date.fromisoformat(due) if due else None
    except ValueError as exc:
        raise JiraError(f"Issue {raw.get('key')} has a due date Jira spelled {due!r}") from exc
    return Issue(str(raw.get("key") or ""), str(fields.get("summary") or ""),
                 category if category in CATEGORIES else "new", day)
