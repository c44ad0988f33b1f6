"""API shapes of the charter domain: the charter's content, its versions and comparisons."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from epmo.schema_kit import MAX_ID, Code, Id, ReadModel, StrictModel

Practice = Literal["portfolio_governance", "project_leadership", "ppm_administration"]
Level = Literal["none", "supportive", "controlling", "directive"]
HealthBasis = Literal["auto", "reported", "derived", "worse"]
# Ids fit the databases' 32-bit keys; a department key is its id written as JSON keys are.
DepartmentKey = Annotated[str, Field(pattern=r"^[1-9][0-9]{0,9}$")]
# A NUL character cannot be stored in PostgreSQL text; refuse it up front, naming the field.
PLAIN = r"^[^\x00]*$"
Statement = Annotated[str, Field(min_length=1, max_length=20_000, pattern=PLAIN)]
Reason = Annotated[str, Field(min_length=1, max_length=2_000, pattern=PLAIN)]
ServiceName = Annotated[str, Field(min_length=1, max_length=200, pattern=PLAIN)]
Description = Annotated[str, Field(max_length=20_000, pattern=PLAIN)]


class Defaults(StrictModel):
    """The EPMO's authority in each practice wherever no department says otherwise."""

    portfolio_governance: Level
    project_leadership: Level
    ppm_administration: Level


class Overrides(StrictModel):
    """One department's own levels; a practice left out is inherited."""

    portfolio_governance: Level | None = None
    project_leadership: Level | None = None
    ppm_administration: Level | None = None


class Service(StrictModel):
    """One EPMO service in the catalogue, filed under a practice."""

    code: Code
    name: ServiceName
    practice: Practice
    description: Description = ""
    department_ids: Annotated[list[Id], Field(max_length=10_000)] = Field(
        default_factory=list, description="Departments it reaches; empty means every department"
    )


class CharterContent(StrictModel):
    """Default authority per practice, department overrides and the services catalogue."""

    defaults: Defaults
    departments: Annotated[dict[DepartmentKey, Overrides], Field(max_length=10_000)] = Field(
        default_factory=dict, description="Department id -> its own levels (partial)"
    )
    services: Annotated[list[Service], Field(max_length=500)] = Field(default_factory=list)
    health_basis: HealthBasis = Field(default="auto", description=(
        "The health that counts in the overview, roll-ups and packs: reported, derived (from "
        "schedule and cost variance), worse (of the two), or auto: worse where the EPMO has "
        "controlling or directive authority in PPM administration, else reported"))


class CharterCreate(StrictModel):
    """A new charter version: the whole charter plus why it changes."""

    statement: Statement
    content: CharterContent
    reason: Reason = Field(description="Why the charter changes (kept in its history)")
    based_on: Annotated[int, Field(ge=0, le=MAX_ID)] | None = Field(
        default=None, description="Number of the version you edited (0: none yet); a newer "
        "one answers 409 instead of being overwritten",
    )


class ServiceRead(ReadModel):
    """A catalogue entry as stored."""

    code: str
    name: str
    practice: str
    description: str = ""
    department_ids: list[int] = Field(default_factory=list)


class ContentRead(ReadModel):
    """The stored content of a version."""

    defaults: dict[str, str] = Field(default_factory=dict)
    departments: dict[str, dict[str, str]] = Field(default_factory=dict)
    services: list[ServiceRead] = Field(default_factory=list)
    health_basis: str = "auto"


class DepartmentAuthority(ReadModel):
    """The resolved authority in one department, and which levels it sets itself."""

    department_id: int
    code: str
    name: str
    parent_id: int | None
    depth: int
    levels: dict[str, str]
    own: list[str] = Field(description="Practices this department sets itself (not inherited)")


class CharterSummary(ReadModel):
    """A version in the history: who changed the charter, when and why."""

    number: int
    statement: str
    reason: str
    author_name: str
    created_at: datetime


class CharterRead(CharterSummary):
    """A charter version with its content and the authority it gives in every department."""

    content: ContentRead
    authority: list[DepartmentAuthority]


class LevelChange(ReadModel):
    """A practice's resolved level before and after, in one department (or the defaults)."""

    department_id: int | None
    code: str
    name: str
    practice: str
    before: str
    after: str


class ServiceChange(ReadModel):
    """A catalogue entry whose fields changed between two versions."""

    code: str
    fields: list[str]
    before: ServiceRead
    after: ServiceRead


class CharterDiff(ReadModel):
    """What changed from one charter version to another."""

    from_number: int
    to_number: int
    statement_changed: bool
    statement_diff: list[str] = Field(description="Unified diff of the statement, line by line")
    reason_to: str
    default_changes: list[LevelChange]
    authority_changes: list[LevelChange]
    services_added: list[ServiceRead]
    services_removed: list[ServiceRead]
    services_changed: list[ServiceChange]
    health_basis_before: str = "auto"
    health_basis_after: str = "auto"
