"""API shapes of the roll-up: status by level and month, and the executive pack's parts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

from epmo.engines.rollup import Rule, Trend
from epmo.schema_kit import MAX_ID

Level = Literal["programme", "portfolio", "department", "goal"]
LEVELS: tuple[Level, ...] = ("programme", "portfolio", "department", "goal")
Colour = Literal["green", "amber", "red", "unknown"]
PackFormat = Literal["pdf", "xlsx"]
StatusFilter = Literal["active", "closed", "all"]
# A calendar month; years 1900-2999 so every month and the one before it is a valid date.
PERIOD_PATTERN = r"^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])$"
DIMENSIONS = ("schedule", "cost", "scope", "risk", "resources")
_CENT = Decimal("0.01")
NodeKey = Annotated[int, Field(ge=1, le=MAX_ID)]


def _money_text(value: Decimal) -> str:
    return str(value.quantize(_CENT))


MoneyOut = Annotated[Decimal, PlainSerializer(_money_text, return_type=str, when_used="json")]


class ColourCounts(BaseModel):
    """How many projects have each colour (unknown: no report yet, or no recognised colour)."""

    green: int = 0
    amber: int = 0
    red: int = 0
    unknown: int = 0


class RollupRow(BaseModel):
    """One node (programme, portfolio, department or goal) in one month."""

    id: int
    code: str
    name: str
    parent_id: int | None = None
    depth: int = 0
    rule: Rule
    colour: Colour
    score: Decimal | None = Field(
        description="Budget-weighted mean of green=0, amber=1, red=2 (null: nothing reported)")
    count: int = Field(description="Projects counted this month (each once), including those "
                                   "with no report yet (unknown)")
    counts: ColourCounts
    carried_forward: int = Field(
        description="Of those, projects whose latest report is from an earlier month")
    planned: MoneyOut
    forecast: MoneyOut
    previous_colour: Colour
    trend: Trend | None = Field(
        description="improved, worsened, unchanged, or new (no colour last month); "
                    "null when there is no colour this month")
    disagreements: int = Field(default=0, description=(
        "Projects (subtree included) whose reported colour differs from the derived one"))


class RollupRead(BaseModel):
    """The roll-up of one level for one month, with the trend against the month before."""

    level: Level
    period: str
    previous_period: str
    rule: Rule | None = Field(
        description="The rule asked for; null on the portfolio level means each "
                    "portfolio's own rule")
    carried_forward: int = Field(
        description="Projects counted with a report from an earlier month")
    unreported: int = Field(0, description="Projects counted with no report yet (unknown)")
    note: str
    rows: list[RollupRow]
    status: StatusFilter = Field(default="active", description=(
        "Which work counts: active (not closed or cancelled, or finished after the month), "
        "closed (closed or cancelled by the month's end) or all"))
    closed: int | None = Field(default=None, description=(
        "Closed and cancelled projects with a status in the month, left out (status active)"))
    health_basis: str = Field(default="auto", description=(
        "The charter's choice of the colour that counts: auto, reported, derived or worse"))
    disagreements: int = Field(default=0, description=(
        "Projects counted whose reported colour differs from the derived one"))


class MatrixRow(BaseModel):
    """A project's overall and per-dimension colours from its latest report."""

    project_id: int
    code: str
    name: str
    department: str
    overall: str = Field(description="The colour that counts (see health_basis)")
    reported: str = Field(default="", description="The colour the report gives")
    derived: str | None = Field(default=None, description=(
        "The colour derived from the report's forecasts (null: not derivable)"))
    dimensions: dict[str, str | None]
    reported_for: date = Field(description="Start of the period the report is for")
    carried_forward: bool
    planned: MoneyOut


class RiskRow(BaseModel):
    """An open risk in a project's register."""

    id: int
    project_code: str
    project_name: str
    title: str
    probability: int | None
    impact: int | None
    score: int | None
    owner: str | None
    response: str
    due_on: date | None


class ComplianceRow(BaseModel):
    """The last compliance snapshot of the month for a department (or the enterprise)."""

    department_id: int | None
    code: str
    name: str
    taken_on: date
    score: Decimal
    projects: int
    blocking: int
    warnings: int


class TrendPoint(BaseModel):
    """The subject's projects per colour in one month (the pack's health trend)."""

    period: str
    counts: ColourCounts


class SlipRow(BaseModel):
    """A project whose latest report forecasts a finish after its baseline finish."""

    project_id: int
    code: str
    name: str
    department: str
    baseline_finish: date
    forecast_finish: date
    days: int = Field(description="Forecast finish minus baseline finish, in days")


class NarrativeRow(BaseModel):
    """A red or amber project's latest report in words (long texts trimmed with "…")."""

    project_id: int
    code: str
    name: str
    department: str
    health: Colour = Field(description="The colour that counts")
    reported_for: date = Field(description="Start of the period the report is for")
    achievements: str
    decisions_needed: str


class Subject(BaseModel):
    """What the pack is about: a department (with its subtree) or a portfolio."""

    kind: Literal["department", "portfolio"]
    id: int
    code: str
    name: str


class Pack(BaseModel):
    """Everything the executive status pack shows."""

    subject: Subject
    period: str
    previous_period: str
    rule: Rule | None
    generated_on: date
    rollup: list[RollupRow]
    programmes: list[RollupRow]
    programme_total: int
    matrix: list[MatrixRow]
    matrix_total: int
    risks: list[RiskRow]
    compliance: list[ComplianceRow]
    compliance_note: str
    status: StatusFilter = "active"
    health_basis: str = "auto"
    disagreements: int = Field(default=0, description=(
        "Projects in the pack whose reported colour differs from the derived one"))
    departments: list[RollupRow] = Field(default_factory=list, description=(
        "Departments with projects in the pack (a department counts its sub-departments)"))
    trend: list[TrendPoint] = Field(default_factory=list, description=(
        "The subject's projects per colour in the months up to the period, oldest first"))
    slips: list[SlipRow] = Field(default_factory=list, description="Latest finishes first")
    narrative: list[NarrativeRow] = Field(default_factory=list, description=(
        "Red, then amber projects' latest achievements and decisions needed"))


class PageQuery(BaseModel):
    """The roll-up page's query string; an empty picker means "not chosen"."""

    model_config = ConfigDict(extra="ignore")

    level: Level = "department"
    period: Annotated[str, Field(pattern=PERIOD_PATTERN)] | None = None
    rule: Rule | None = None
    department_id: NodeKey | None = None
    portfolio_id: NodeKey | None = None
    status: StatusFilter = "active"
