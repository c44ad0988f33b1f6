"""API shapes of the connectors domain: Jira connections and their sync runs."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any, Literal, get_args
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field, SecretStr

from epmo.errors import FieldError
from epmo.portfolio.schemas import MilestoneStatus, Stage
from epmo.schema_kit import Email, Id, Name, ReadModel, StrictModel

Target = Literal["projects", "milestones"]
Category = Literal["new", "indeterminate", "done"]
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
STAGES = frozenset(get_args(Stage))
MILESTONE_STATUSES = frozenset(get_args(MilestoneStatus))
DEFAULT_MAPS: dict[str, dict[str, str]] = {
    "projects": {"new": "planning", "indeterminate": "executing", "done": "closed"},
    "milestones": {"new": "planned", "indeterminate": "in_progress", "done": "achieved"},
}


def check_site(url: str) -> str:
    """A Jira site's root address: https, or http on this machine only (tests, development)."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("https", "http") or not host:
        raise ValueError("must be a web address such as https://example.atlassian.net")
    if parts.scheme == "http" and host not in LOCAL_HOSTS:
        raise ValueError("must start with https:// (plain http only for 127.0.0.1 or localhost)")
    if parts.username or parts.password or parts.query or parts.fragment:
        raise ValueError("must be the site address alone, without login, query or fragment")
    if parts.path.strip("/"):
        raise ValueError("must be the site address alone, e.g. https://example.atlassian.net")
    return f"{parts.scheme}://{parts.netloc.lower()}"


SiteUrl = Annotated[str, Field(min_length=8, max_length=500), AfterValidator(check_site)]
ProjectKey = Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_]{0,49}$")]
Keys = Annotated[list[ProjectKey], Field(max_length=50)]
Jql = Annotated[str, Field(max_length=2000)]
Token = Annotated[SecretStr, Field(min_length=8, max_length=1000)]
Interval = Annotated[int, Field(ge=5, le=7 * 24 * 60)]
StatusMap = dict[Category, Annotated[str, Field(max_length=20)]]


def mapping_errors(values: Mapping[str, Any]) -> list[FieldError]:
    """The rules across fields: what to read, where it goes, which statuses it may take."""
    errors = []
    if not values.get("project_keys") and not values.get("jql"):
        errors.append(FieldError("project_keys", "name at least one Jira project key, or a JQL "
                                                 "filter"))
    target = values.get("target", "projects")
    needed = "target_department_id" if target == "projects" else "target_project_id"
    if not values.get(needed):
        errors.append(FieldError(needed, f"is required when issues become {target}"))
    allowed = STAGES if target == "projects" else MILESTONE_STATUSES
    for category, value in (values.get("status_map") or {}).items():
        if value not in allowed:
            errors.append(FieldError(f"status_map.{category}",
                                     f"must be one of {', '.join(sorted(allowed))}"))
    return errors


class JiraConnectionCreate(StrictModel):
    """A new Jira connection; ``status_map`` defaults by target (see the user guide)."""

    name: Name
    department_id: Id | None = Field(None, description="Owning department (None: EPMO-level)")
    site_url: SiteUrl
    email: Email
    api_token: Token
    project_keys: Keys = []
    jql: Jql = ""
    target: Target = "projects"
    target_department_id: Id | None = None
    target_project_id: Id | None = None
    status_map: StatusMap | None = None
    interval_minutes: Interval = 60
    active: bool = True


class JiraConnectionUpdate(StrictModel):
    """Changes to a connection; ``api_token`` omitted keeps the stored one."""

    version: int
    name: Name | None = None
    department_id: Id | None = None
    site_url: SiteUrl | None = None
    email: Email | None = None
    api_token: Token | None = None
    project_keys: Keys | None = None
    jql: Jql | None = None
    target: Target | None = None
    target_department_id: Id | None = None
    target_project_id: Id | None = None
    status_map: StatusMap | None = None
    interval_minutes: Interval | None = None
    active: bool | None = None


class JiraConnectionRead(ReadModel):
    """A connection as the API returns it: of the token only whether it is set and its end."""

    id: int
    name: str
    department_id: int | None
    site_url: str
    email: str
    api_token: str = Field(description='"set (…abcd)": the token itself is never shown')
    project_keys: list[str]
    jql: str
    target: str
    target_department_id: int | None
    target_project_id: int | None
    status_map: dict[str, str]
    interval_minutes: int
    active: bool
    version: int
    created_at: datetime
    updated_at: datetime


class JiraSyncRunRead(ReadModel):
    """One sync run: when, outcome, counts and the error if it failed."""

    id: int
    connection_id: int
    trigger: str
    started_at: datetime
    finished_at: datetime | None
    outcome: str
    issues: int
    created: int
    updated: int
    unchanged: int
    refused: int
    error: str
    details: list[Any]
