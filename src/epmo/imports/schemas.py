"""Row shapes of import files (one per entity) and the report of an import.

Each row model uses the same field types as the domain's API schemas (code pattern, lengths,
money >= 0, weights 0..100, stages, health colours), but reads spreadsheet cells
(``epmo.files.cells``): text or numbers, ISO dates or Excel date cells, and codes where the API
takes ids. Every field is optional here: whether a value is required depends on whether the
row creates or updates.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, Field

from epmo.files.cells import (
    LIST_SPLIT,
    CodeCell,
    Codes,
    DayCell,
    Flag,
    NameCell,
    RowModel,
    TextCell,
    as_choice,
    as_text,
)
from epmo.portfolio.demand_schemas import FteMonths, Period
from epmo.portfolio.schemas import (
    Headcount,
    Health,
    Methodology,
    RiskRating,
    Stage,
)
from epmo.schema_kit import ChangeCaused, Code, Email, Hours, Money, Weight


def as_goal_weights(value: Any) -> Any:
    """Split "G1:60;G2:40" into {code: weight}; a code without a weight counts 100."""
    if not isinstance(value, str):
        return value
    weights: dict[str, str] = {}
    value = re.sub(r"\s*:\s*", ":", value)
    for part in (p for p in LIST_SPLIT.split(value) if p):
        code, _, weight = part.partition(":")
        if code in weights:
            raise ValueError(f"goal {code} is listed twice")
        weights[code] = weight or "100"
    return weights


GoalWeights = Annotated[dict[Code, Weight], BeforeValidator(as_goal_weights),
                        Field(max_length=200)]
Role = Annotated[str, Field(max_length=100), BeforeValidator(as_text)]


class DepartmentRow(RowModel):
    """A row of a departments file."""

    code: CodeCell | None = None
    name: NameCell | None = None
    description: TextCell | None = None
    parent_code: CodeCell | None = None


class PersonRow(RowModel):
    """A row of a people file."""

    code: CodeCell | None = None
    name: NameCell | None = None
    email: Email | None = None
    department_code: CodeCell | None = None
    role: Role | None = None
    weekly_capacity_hours: Hours | None = None
    active: Flag | None = None
    placeholder: Flag | None = None


class GoalRow(RowModel):
    """A row of a goals file."""

    code: CodeCell | None = None
    name: NameCell | None = None
    description: TextCell | None = None
    parent_code: CodeCell | None = None
    weight: Weight | None = None
    owner_code: CodeCell | None = None


class ProgrammeRow(RowModel):
    """A row of a programmes file."""

    code: CodeCell | None = None
    name: NameCell | None = None
    description: TextCell | None = None
    department_code: CodeCell | None = None
    manager_code: CodeCell | None = None
    participating_department_codes: Codes | None = None


class ProjectRow(RowModel):
    """A row of a projects file."""

    code: CodeCell | None = None
    name: NameCell | None = None
    description: TextCell | None = None
    department_code: CodeCell | None = None
    sponsor_code: CodeCell | None = None
    manager_code: CodeCell | None = None
    programme_code: CodeCell | None = None
    stage: Annotated[Stage, BeforeValidator(as_choice)] | None = None
    methodology: Annotated[Methodology, BeforeValidator(as_text)] | None = None
    headcount: Headcount | None = None
    risk_rating: RiskRating | None = None
    health: Annotated[Health, BeforeValidator(as_choice)] | None = None
    planned_start: DayCell | None = None
    planned_finish: DayCell | None = None
    baseline_start: DayCell | None = None
    baseline_finish: DayCell | None = None
    forecast_start: DayCell | None = None
    forecast_finish: DayCell | None = None
    actual_start: DayCell | None = None
    actual_finish: DayCell | None = None
    budget_planned: Money | None = None
    budget_actual: Money | None = None
    budget_forecast: Money | None = None
    goal_codes: GoalWeights | None = None
    portfolio_codes: Codes | None = None
    participating_department_codes: Codes | None = None


def as_quarter(value: Any) -> Any:
    """Read "2027-Q1", "2027 Q1", "2027q1" and "Q1 2027" as 2027-Q1."""
    if not isinstance(value, str):
        return value
    text = re.sub(r"[\s\-_/]+", "", value.strip().upper())
    match = re.fullmatch(r"(\d{4})Q([1-4])|Q([1-4])(\d{4})", text)
    if match is None:
        return value.strip()
    year, quarter = (match[1], match[2]) if match[1] else (match[4], match[3])
    return f"{year}-Q{quarter}"


def as_period(value: Any) -> Any:
    """A month ("2027-03", "2027-3", "2027/03", a spreadsheet date: its month) or a quarter
    (as ``as_quarter`` reads it)."""
    if isinstance(value, date):
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, str):
        match = re.fullmatch(r"\s*(\d{4})\s*[-/.]\s*(\d{1,2})\s*", value)
        if match is not None and 1 <= int(match[2]) <= 12:
            return f"{match[1]}-{int(match[2]):02d}"
    return as_quarter(value)


class ProjectDemandRow(RowModel):
    """A row of a project role demand file: one project, role and month (or quarter)."""

    project_code: CodeCell | None = None
    role: Role | None = None
    period: Annotated[Period, BeforeValidator(as_period)] | None = None
    fte_months: FteMonths | None = None
    person_code: CodeCell | None = None


class ImportWarning(BaseModel):
    """A shortfall the charter lets through (supportive authority): the row is written."""

    row: int
    field: str
    message: str


class RowChange(BaseModel):
    """What one row will do (or did): the record it creates or the columns it changes."""

    row: int
    code: str
    action: Literal["create", "update", "create report", "update report"]
    columns: list[str] = Field(description="The file's columns whose values are written")


class ImportReport(BaseModel):
    """What an accepted file created and updated (or would have, on a dry run)."""

    entity: str
    filename: str
    rows: int = Field(description="Data rows read from the file")
    created: int
    updated: int
    unchanged: int
    dry_run: bool
    created_codes: list[str] = []
    updated_codes: list[str] = []
    warnings: list[ImportWarning] = Field(
        [], description="Contract shortfalls the charter let through, by row and column")
    reports_created: int = Field(0, description="Status reports created (snapshot mode)")
    reports_updated: int = Field(0, description="Status reports changed (snapshot mode)")
    reports_unchanged: int = Field(0, description="Rows whose report is already on file")
    departments_created: list[str] = Field(
        [], description="Departments created because the profile asked for it")
    changes: list[RowChange] = Field(
        [], description="By row: what is created and which columns change (the preview)")
    change_events: list[ChangeCaused] = Field(
        [], description="The change events the write caused (dates moved through the network)")


class ColumnInfo(BaseModel):
    """One column an import file may have."""

    name: str
    required: bool
    meaning: str
    example: str


class EntityInfo(BaseModel):
    """An entity that can be imported, its columns and its template links."""

    entity: str
    label: str
    who: str
    columns: list[ColumnInfo]
    templates: dict[str, str]
