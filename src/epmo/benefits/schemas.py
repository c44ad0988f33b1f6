"""API shapes of the benefits register: benefits, their plan and actuals, the roll-ups."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field, model_validator

from epmo.schema_kit import Id, Name, ReadModel, StrictModel, Text


def _cents(value: Decimal) -> Decimal:
    # Two decimals always, so what a write returns equals what a later read returns.
    return value.quantize(Decimal("0.01"))


def _web_address(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValueError("must be a web address starting with http:// or https://")
    if any(c.isspace() or ord(c) < 32 for c in value):
        raise ValueError("must not contain spaces or control characters")
    return value


MONTH = r"^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])$"  # 1900-01 to 2999-12: shifts stay 7 long
Month = Annotated[str, Field(pattern=MONTH, description='A month, e.g. "2027-03"')]
Amount = Annotated[Decimal, Field(strict=False, ge=0, le=Decimal("1e15"), max_digits=18,
                                  decimal_places=2), AfterValidator(_cents)]
Signed = Annotated[Decimal, Field(strict=False, ge=Decimal("-1e15"), le=Decimal("1e15"),
                                  max_digits=18, decimal_places=2), AfterValidator(_cents)]
Unit = Annotated[str, Field(min_length=1, max_length=30)]
Kind = Literal["cash_releasing", "non_cash", "societal"]
Status = Literal["identified", "planned", "realising", "realised", "cancelled"]
Url = Annotated[str, Field(min_length=1, max_length=2000), AfterValidator(_web_address)]
Confidence = Annotated[int, Field(ge=0, le=100)]
Offset = Annotated[int, Field(ge=0, le=120)]


class Evidence(StrictModel):
    """A link to the evidence of a benefit (a report, a ledger, a survey)."""

    url: Url
    label: Annotated[str, Field(max_length=200)] = ""


class PlanLine(StrictModel):
    """The amount planned to be realised in a month."""

    period: Month
    amount: Amount


Lines = Annotated[list[PlanLine], Field(max_length=240)]
Links = Annotated[list[Evidence], Field(max_length=20)]


class _Fields(StrictModel):
    """Fields a benefit is created with or changed by."""

    description: Text = ""
    owner_id: Id | None = None
    responsible_id: Id | None = None
    measure: Annotated[str, Field(max_length=300)] = ""
    unit: Unit = "money"
    baseline: Signed | None = None
    target: Amount | None = None
    kind: Kind = "non_cash"
    hard: bool = False
    dis_benefit: bool = False
    confidence: Confidence | None = None
    status: Status = "planned"
    evidence: Links = []
    anchor_milestone_id: Id | None = None
    offset_months: Offset = 0


class BenefitCreate(_Fields):
    """A new benefit of a project or (``programme_id``) a programme; ``plan``: its schedule."""

    name: Name
    project_id: Id | None = None
    programme_id: Id | None = None
    plan: Lines = []

    @model_validator(mode="after")
    def _one_subject(self) -> BenefitCreate:
        if (self.project_id is None) == (self.programme_id is None):
            raise ValueError("name either project_id or programme_id (exactly one)")
        return self


class BenefitUpdate(_Fields):
    """Changes to a benefit; send the version you read. Omitted fields stay as they are."""

    version: int
    name: Name | None = None


class PlanReplace(StrictModel):
    """The whole planned schedule (months not named are planned at nothing)."""

    version: int
    lines: Lines


class ActualRecord(StrictModel):
    """What was realised in a month (replaces an earlier figure for the same month)."""

    period: Month
    amount: Amount
    note: Annotated[str, Field(max_length=500)] = ""


class ActualRead(ReadModel):
    """A month's realised amount as recorded."""

    period: str
    amount: Decimal
    note: str
    recorded_by: str
    recorded_at: datetime
    version: int


class PeriodRead(ReadModel):
    """One month of a benefit: planned, realised (None: nothing recorded) and the running sums."""

    period: str
    planned: Decimal
    actual: Decimal | None
    planned_to_date: Decimal
    realised_to_date: Decimal


class BenefitRead(ReadModel):
    """A benefit with its subject, people, anchor, risk and totals."""

    id: int
    name: str
    description: str
    project_id: int | None
    project_code: str | None
    programme_id: int | None
    programme_code: str | None
    department_id: int | None
    owner_id: int | None
    owner_name: str | None
    responsible_id: int | None
    responsible_name: str | None
    measure: str
    unit: str
    baseline: Decimal | None
    target: Decimal | None
    kind: str
    hard: bool
    dis_benefit: bool
    confidence: int | None
    status: str
    evidence: list[Evidence]
    anchor_milestone_id: int | None
    anchor_name: str
    offset_months: int
    anchor_date: date | None
    source_request_id: int | None
    at_risk: bool
    at_risk_days: int | None
    at_risk_until: date | None
    at_risk_cause: str
    at_risk_event_id: int | None
    planned_total: Decimal
    planned_to_date: Decimal
    realised_to_date: Decimal
    behind: bool
    version: int


class BenefitDetail(BenefitRead):
    """A benefit with its months and actuals."""

    periods: list[PeriodRead]
    actuals: list[ActualRead]


class UnitSum(ReadModel):
    """Net sums of one unit (dis-benefits subtracted)."""

    unit: str
    count: int
    planned_total: Decimal
    planned_to_date: Decimal
    realised_to_date: Decimal


class GroupRead(ReadModel):
    """One row of a roll-up: a department, goal, programme or portfolio."""

    id: int | None
    code: str
    name: str
    benefits: int
    at_risk: int
    behind: int
    sums: list[UnitSum]
    headline: UnitSum | None
    left_out: int  # benefits in another unit than the headline's, not in its sums


class RollupRead(ReadModel):
    """Planned against realised, by one grouping, in the headline unit and per unit."""

    by: str
    unit: str
    today: date
    groups: list[GroupRead]
    total: GroupRead


class SeriesRead(ReadModel):
    """Planned and realised per month in one unit, and their running sums (the chart)."""

    unit: str
    months: list[str]
    planned: list[Decimal]
    realised: list[Decimal | None]
    planned_cumulative: list[Decimal]
    realised_cumulative: list[Decimal | None]
    left_out: int
