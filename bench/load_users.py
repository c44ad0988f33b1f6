"""What the simulated users of ``bench.load`` do: locust users, one class per role.

Each user signs in through the login form with its own account (a session cookie, and the
page's CSRF token sent with API writes, as the hub's own pages do), then repeats its role's
tasks with a think time between them. Every request is named by its kind; ``bench.load``
records the outcome of each through locust's request event. A 409 on a write is the expected
answer to a stale version: the user re-reads and retries (up to three times).
"""

from __future__ import annotations

import random
import re
from collections import deque
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, ClassVar

from locust import HttpUser, TaskSet, between
from locust.clients import HttpSession

RETRIES = 3
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
STAGES = ("planning", "executing", "approved", "closing")
HEALTH = ("green", "amber", "red")
DIMENSIONS = ("overall", "schedule", "cost", "scope", "risk", "resources")


class Plan:
    """The load users' accounts (by role) and the rows each department works on."""

    password: ClassVar[str] = ""
    accounts: ClassVar[dict[str, deque[dict[str, Any]]]] = {}
    pools: ClassVar[dict[str, dict[str, list[Any]]]] = {}

    @classmethod
    def load(cls, plan: dict[str, Any], password: str) -> None:
        """Take the plan printed by ``bench.load_setup``."""
        cls.password = password
        cls.pools = plan["pools"]
        cls.accounts = {}
        for user in plan["users"]:
            cls.accounts.setdefault(user["role"], deque()).append(user)


class Visitor(HttpUser):
    """A signed-in user of one role; subclasses choose the role and the task weights."""

    abstract = True
    role: ClassVar[str] = ""
    wait_time = between(0.5, 2.5)
    csrf = ""
    pool: dict[str, list[Any]]
    department: int | None = None

    def on_start(self) -> None:
        """Take an account of the role and sign in with it."""
        account = Plan.accounts[self.role].popleft()
        Plan.accounts[self.role].append(account)  # more users than accounts share them
        self.department = account["department"]
        self.pool = Plan.pools[str(self.department) if self.department else "any"]
        form = self.client.get("/login", name="sign-in (page)")
        self.client.post("/login", name="sign-in", allow_redirects=False, data={
            "email": account["email"], "password": Plan.password, "next": "/",
            "csrf_token": _found(CSRF_FIELD, form.text)})
        self.overview_page()

    @property
    def api(self) -> HttpSession:
        """The HTTP client (cookie session)."""
        return self.client

    def write(self, method: str, url: str, name: str, body: dict[str, Any]) -> Any:
        """An API write carrying the session's CSRF token."""
        return self.api.request(method, url, name=name, json=body,
                                headers={"X-CSRF-Token": self.csrf})

    def project_id(self) -> int:
        """A project of the user's department (any project for enterprise roles)."""
        return int(random.choice(self.pool["projects"]))

    # --- reads ------------------------------------------------------------------------------

    def overview_page(self) -> None:
        """The overview page (the home page); keeps the page's CSRF token."""
        page = self.api.get("/", name="overview (page)")
        self.csrf = _found(CSRF_META, page.text) or self.csrf

    def overview_api(self) -> None:
        """GET /api/v1/overview."""
        self.api.get("/api/v1/overview", name="overview (API)")

    def list_projects(self) -> None:
        """A filtered, sorted page of the project list."""
        params: dict[str, Any] = {"limit": 50, "offset": random.choice((0, 0, 50, 100))}
        if self.department and random.random() < 0.5:
            params["department_id"] = self.department
        if random.random() < 0.5:
            params["health"] = random.choice(HEALTH)
        if random.random() < 0.3:
            params["stage"] = random.choice(STAGES)
        params["sort"] = random.choice(("code", "-finish", "name"))
        self.api.get("/api/v1/projects", params=params, name="projects list (API)")

    def project_page(self) -> None:
        """A project's page."""
        self.api.get(f"/projects/{self.project_id()}", name="project (page)")

    def notifications(self) -> None:
        """The unread count, then the latest notifications."""
        self.api.get("/api/v1/notifications/unread-count", name="notifications count (API)")
        self.api.get("/api/v1/notifications", params={"limit": 20}, name="notifications (API)")

    # --- writes -----------------------------------------------------------------------------

    def patch_project(self) -> None:
        """Edit a project's description with the version just read; on 409 read again."""
        url = f"/api/v1/projects/{self.project_id()}"
        note = f"Updated by the load test on {date.today()} ({random.randrange(10**6)})"
        self.versioned(url, "project", {"description": note})

    def patch_milestone(self) -> None:
        """Move a milestone's forecast by a few days, saying why; on 409 read again."""
        if not self.pool["milestones"]:
            return
        project, milestone = random.choice(self.pool["milestones"])
        url = f"/api/v1/projects/{project}/milestones/{milestone}"
        read = self.api.get(url, name="milestone (API)")
        if read.status_code != 200:
            return
        base = read.json().get("forecast_date") or read.json().get("planned_date")
        moved = date.fromisoformat(base) + timedelta(days=random.randint(-5, 10)) if base else None
        self.versioned(url, "milestone", {"forecast_date": moved and moved.isoformat(),
                                          "change_reason": "load test re-plan"}, first=read)

    def versioned(self, url: str, kind: str, changes: dict[str, Any], first: Any = None) -> None:
        """GET then PATCH with the version read; a 409 (stale) re-reads and retries."""
        read = first
        for _ in range(RETRIES):
            read = read or self.api.get(url, name=f"{kind} (API)")
            if read.status_code != 200:
                return
            sent = self.write("PATCH", url, f"{kind} PATCH",
                              {"version": read.json()["version"], **changes})
            if sent.status_code != 409:
                return
            read = None

    def status_report(self) -> None:
        """Report this period's status; when reported already, update that report."""
        project = self.project_id()
        # every dimension and text: what the strictest reporting contract asks for
        body: dict[str, Any] = {dimension: random.choice(HEALTH) for dimension in DIMENSIONS}
        body.update(period=date.today().isoformat(), achievements="Load test progress",
                    next_steps="Keep going", decisions_needed="None", key_risks="Slippage",
                    key_issues="None")
        sent = self.write("POST", f"/api/v1/projects/{project}/status-reports",
                          "status report POST", body)
        if sent.status_code != 409:
            return
        listed = self.api.get(f"/api/v1/projects/{project}/status-reports",
                              params={"limit": 1}, name="status reports (API)")
        items = listed.json().get("items", []) if listed.status_code == 200 else []
        if items:
            url = f"/api/v1/status-reports/{items[0]['id']}"
            self.versioned(url, "status report", {"overall": body["overall"]}, first=None)

    def intake(self) -> None:
        """Submit an intake request for the user's department."""
        department = self.department or int(random.choice(list(_departments())))
        self.write("POST", "/api/v1/intake/requests", "intake POST", {
            "title": f"Load test request {random.randrange(10**6)}",
            "problem": "Measured under load", "department_id": department,
            "duration_months": random.randint(1, 12), "benefit_value": "10000.00"})


def _found(pattern: re.Pattern[str], html: str) -> str:
    match = pattern.search(html)
    return match.group(1) if match else ""


def _departments() -> list[str]:
    return [key for key in Plan.pools if key != "any"]


def _tasks(**weights: int) -> list[TaskSet | Callable[..., Any]]:
    """locust's task list: each Visitor method named, as many times as its weight."""
    return [getattr(Visitor, name) for name, weight in weights.items() for _ in range(weight)]


READS = {"overview_api": 3, "overview_page": 2, "list_projects": 6, "project_page": 5,
         "notifications": 2}


class Admin(Visitor):
    """An EPMO administrator: reads across the enterprise, edits, reports."""

    role = "epmo_admin"
    tasks = _tasks(**READS, patch_project=2, patch_milestone=2, status_report=1, intake=1)


class Executive(Visitor):
    """An executive: reads the overview and the lists."""

    role = "executive"
    tasks = _tasks(**READS)


class Lead(Visitor):
    """A department lead: reads, re-plans, reports, proposes."""

    role = "department_lead"
    tasks = _tasks(**READS, patch_project=2, patch_milestone=2, status_report=2, intake=1)


class Manager(Visitor):
    """A project manager: edits projects and milestones, reports status."""

    role = "project_manager"
    tasks = _tasks(**READS, patch_project=3, patch_milestone=4, status_report=3, intake=1)


class Member(Visitor):
    """A member: reads, submits intake requests."""

    role = "member"
    tasks = _tasks(**READS, intake=2)


class Viewer(Visitor):
    """A viewer: reads only."""

    role = "viewer"
    tasks = _tasks(**READS)


# role -> (class, share of the users): 50 users give 4, 4, 8, 14, 12 and 8
MIX: dict[str, tuple[type[Visitor], int]] = {
    "epmo_admin": (Admin, 4), "executive": (Executive, 4), "department_lead": (Lead, 8),
    "project_manager": (Manager, 14), "member": (Member, 12), "viewer": (Viewer, 8),
}
