"""Every page of the hub, found from the app's own routes, and one instance of each per role.

``PAGES`` lists the path of every GET route that serves a page (not the API, not static
files), read from ``create_app().routes``: a new page is covered without editing this file.
``SKIP`` names the routes that are not pages (files, fragments, redirects), each with why.
``instances`` signs nothing in: given a signed-in browser context it follows the links the
role's own pages show, breadth first, until it has one path for every route it can reach, so
a page with an id (a project, a request, a scenario...) is opened on an instance that role may
see. A route no role reaches is reported by the test module, never silently left out.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import product
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from epmo.web.app import create_app

if TYPE_CHECKING:
    from playwright.sync_api import APIRequestContext

# Routes that are not pages a person reads in the browser; each says why it is left out.
SKIP = {
    "/charter.pdf": "a PDF download",
    "/business-case/{case_id}/pdf": "a PDF download",
    "/diagnostics/rounds/{round_id}/report.pdf": "a PDF download",
    "/value/report.{extension}": "a CSV/XLSX/PDF download",
    "/login/oidc": "a redirect to the identity provider (SSO is not configured here)",
    "/login/oidc/callback": "the identity provider's redirect back, not a page",
    "/healthz": "JSON for load balancers",
    "/readyz": "JSON for load balancers",
    "/pick/people": "an htmx fragment (options of a picker), tested inside the forms using it",
    "/pick/projects": "an htmx fragment (options of a picker)",
    "/pick/milestones": "an htmx fragment (options of a picker)",
    "/pick/targets": "an htmx fragment (options of a picker)",
    "/pick/programmes": "an htmx fragment (options of a picker)",
    "/pick/evidence": "an htmx fragment (options of the ledger's evidence picker)",
    "/comments/{segment}/{subject_id}": "an htmx fragment (the comments slot of a change event's "
                                        "page, which is checked)",
    "/resources/cell": "an htmx fragment (one heatmap cell's detail)",
    "/network/health-card": "an htmx fragment (the overview's network card)",
    "/projects/{project_id}/benefits/card": "an htmx fragment (the project page's benefits card)",
    "/surveys/{round_id}/answer/{token}": "reached only by the token mailed to a respondent; "
                                          "tests/browser/test_survey_journey.py answers it",
}
# Pages reached by something other than a link: the path to open, per route.
DIRECT = {
    "/reset/{token}": "/reset/not-a-token",  # a mailed token; a stale one shows the error page
}
HTML = re.compile(r"""href=["'](/[^"'#]*)["']""")


def _walk(routes: list[Any], prefix: str = "") -> list[tuple[str, set[str]]]:
    found: list[tuple[str, set[str]]] = []
    for route in routes:
        if hasattr(route, "original_router"):  # FastAPI keeps an included router whole
            found += _walk(route.original_router.routes, prefix + route.include_context.prefix)
        elif hasattr(route, "path"):
            found.append((prefix + route.path, set(getattr(route, "methods", None) or ())))
    return found


def page_routes() -> list[str]:
    """Every GET route of the app outside the API and static files, in routing order."""
    seen: list[str] = []
    for path, methods in _walk(create_app().routes):
        if "GET" in methods and not path.startswith(("/api/", "/static")) and path not in seen:
            seen.append(path)
    return seen


ROUTES = page_routes()
PAGES = [path for path in ROUTES if path not in SKIP]


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", template)
    body = "".join("[^/]+" if part.startswith("{") else re.escape(part) for part in parts)
    return re.compile(f"^{body}$")


PATTERNS = [(route, _pattern(route)) for route in ROUTES]


def route_of(path: str) -> str | None:
    """The route the server would answer ``path`` with (the first that matches, like Starlette)."""
    bare = path.split("?", 1)[0]
    return next((route for route, pattern in PATTERNS if pattern.match(bare)), None)


@dataclass
class Reach:
    """What one role opens: a path per route, and the routes whose answer was an error."""

    paths: dict[str, str] = field(default_factory=dict)
    broken: dict[str, str] = field(default_factory=dict)


def _is_page(response: Any) -> bool:
    text = response.text()[:200].lower() if "text/html" in response.headers.get(
        "content-type", "") else ""
    return response.status == 200 and text.lstrip().startswith("<!doctype html")


class _GetForms(HTMLParser):
    """The query each ``<form method="get">`` of a page sends as it is, every box ticked (so a
    compare form compares everything listed): the pages behind filters and compare buttons."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, list[tuple[str, str]]]] = []
        self.fields: list[tuple[str, str]] | None = None  # of the GET form being read
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            get = a.get("method", "get").lower() == "get" and a.get("action", "").startswith("/")
            self.fields = [] if get else None
            if get:
                self.forms.append((a["action"], self.fields))
        elif self.fields is not None:
            self._field(self.fields, tag, a)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.fields = None

    def _field(self, fields: list[tuple[str, str]], tag: str, a: dict[str, str]) -> None:
        name, value, kind = a.get("name", ""), a.get("value", ""), a.get("type", "text")
        if tag == "input" and name and value and kind == "radio":
            mine = [f for f in fields if f[0] == name]
            if not mine or "checked" in a:  # the checked one, else the first
                fields[:] = [f for f in fields if f[0] != name] + [(name, value)]
        elif tag == "input" and name and value and kind not in ("submit", "button"):
            fields.append((name, value))
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and value:
            fields.append((self.select, value))
            self.select = None  # the first option with a value


def get_forms(html: str) -> list[str]:
    """The path and query of each GET form of ``html``, submitted as it stands."""
    parser = _GetForms()
    parser.feed(html)
    return [f"{action}?{urlencode(fields)}" for action, fields in parser.forms if fields]


def _fill(route: str, known: dict[str, list[str]]) -> list[str]:
    """Paths of ``route`` with its parameters taken from ids seen in other pages' paths."""
    names = re.findall(r"\{([^}:]+)", route)
    if not all(name in known for name in names):
        return []
    combos = product(*(known[name][:2] for name in names))
    return [re.sub(r"\{[^}]+\}", lambda _, it=iter(combo): next(it), route) for combo in combos]


def _params(route: str, path: str) -> dict[str, str]:
    names = re.findall(r"\{([^}:]+)", route)
    values = re.match(_pattern(route).pattern.replace("[^/]+", "([^/]+)"), path.split("?")[0])
    return dict(zip(names, values.groups(), strict=True)) if values else {}


def instances(request: APIRequestContext, server: str, tries: int = 3) -> Reach:
    """One path per page route this context may open: found by following its pages' links
    and GET forms, breadth first; then routes no link names (an edit page, a print page) with
    the ids seen in other paths filled in."""
    reach = Reach()
    tried: dict[str, list[str]] = {}
    known: dict[str, list[str]] = {}
    queue: deque[str] = deque()

    def offer(path: str) -> None:
        route = route_of(path)
        if route is None or route in SKIP or route in reach.paths:
            return
        listed = tried.setdefault(route, [])
        if path not in listed and len(listed) < tries:
            listed.append(path)
            queue.append(path)

    for route in PAGES:
        if "{" not in route:
            offer(route)
    for path in DIRECT.values():
        offer(path)
    while queue:
        _visit(request, server, queue.popleft(), reach, known, offer)
        if not queue:
            for route in PAGES:
                for path in () if route in reach.paths else _fill(route, known):
                    offer(path)
    return reach


def _visit(request: APIRequestContext, server: str, path: str, reach: Reach,
           known: dict[str, list[str]], offer: Any) -> None:
    route = route_of(path)
    if route is None or route in reach.paths:
        return
    response = request.get(f"{server}{path}", max_redirects=0)
    if response.status >= 500:
        reach.broken[route] = f"{path} answers {response.status}"
    if route in DIRECT and response.status < 500:
        reach.paths[route] = path
    elif _is_page(response):
        reach.paths[route] = path
        for name, value in _params(route, path).items():
            values = known.setdefault(name, [])
            if value not in values:
                values.append(value)
        html = response.text()
        for href in HTML.findall(html) + get_forms(html):
            offer(href.replace("&amp;", "&"))
