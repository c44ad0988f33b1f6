"""API shapes of the business case domain: cases, options, yearly lines and their figures."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from epmo.business_case.models import MAX_HORIZON
from epmo.schema_kit import Id, Money, Name, ReadModel, StrictModel, Text

Status = Literal["draft", "presented", "approved", "rejected"]
Kind = Literal["cost", "benefit"]
Category = Literal["people", "tools", "training", "other", "savings", "cost_avoidance",
                   "days_saved", "revenue"]
Level = Literal["none", "supportive", "controlling", "directive"]


def _iso_code(value: str) -> str:
    if not (len(value) == 3 and value.isascii() and value.isalpha() and value.isupper()):
        raise ValueError("must be a three-letter currency code in capitals, such as EUR")
    return value


Currency = Annotated[str, Field(max_length=3, description="ISO 4217 code, e.g. EUR"),
                     AfterValidator(_iso_code)]
Rate = Annotated[Decimal, Field(strict=False, ge=0, le=50, max_digits=5, decimal_places=2,
                                description="Discount rate in percent a year (8 = 8 %)")]
Horizon = Annotated[int, Field(ge=1, le=MAX_HORIZON, description="Years after year 0")]
Year = Annotated[int, Field(ge=0, le=MAX_HORIZON, description="0 = now, 1 = end of year 1")]
Fte = Annotated[Decimal, Field(strict=False, ge=0, le=9_999, max_digits=6, decimal_places=2)]
Note = Annotated[str, Field(max_length=20_000)]


class Authority(StrictModel):
    """The EPMO's authority per practice under an option; a practice left out is as the
    charter has it today."""

    portfolio_governance: Level | None = None
    project_leadership: Level | None = None
    ppm_administration: Level | None = None


class CaseCreate(StrictModel):
    """A new business case (it starts as a draft)."""

    title: Name
    description: Text = ""
    currency: Currency = "EUR"
    discount_rate: Rate
    horizon_years: Horizon = 5
    owner_id: Id | None = Field(default=None, description="The accountable user (default: "
                                "whoever creates the case)")


class CaseUpdate(StrictModel):
    """Changes to a case; send the version you read."""

    version: int
    title: Name | None = None
    description: Text | None = None
    currency: Currency | None = None
    discount_rate: Rate | None = None
    horizon_years: Horizon | None = None
    owner_id: Id | None = None
    status: Status | None = None
    decision_note: Note | None = None


class OptionCreate(StrictModel):
    """A new option of a case."""

    name: Name
    description: Text = ""
    authority: Authority = Field(default_factory=Authority)
    staffing_fte: Fte | None = Field(default=None, description="EPMO staff (FTE); empty: not "
                                     "said")
    recommended: bool = False


class OptionUpdate(StrictModel):
    """Changes to an option; send the version you read."""

    version: int
    name: Name | None = None
    description: Text | None = None
    authority: Authority | None = None
    staffing_fte: Fte | None = None
    recommended: bool | None = None


class OptionCopy(StrictModel):
    """A copy of an option: its name (default "<name> (copy)")."""

    name: Name | None = None


class LineIn(StrictModel):
    """One amount: a cost or a benefit of a category in a year."""

    year: Year
    kind: Kind
    category: Category
    amount: Money


class LinesPut(StrictModel):
    """Every amount of an option (what is not sent is removed); send the option's version."""

    version: int
    lines: Annotated[list[LineIn], Field(max_length=2_000)]


class LineRead(ReadModel):
    """A stored amount."""

    year: int
    kind: str
    category: str
    amount: Decimal


class FiguresRead(ReadModel):
    """An option's figures at the case's rate: money rounded to cents, rates in percent."""

    total_cost: Decimal
    total_benefit: Decimal
    net: Decimal
    pv_cost: Decimal
    pv_benefit: Decimal
    npv: Decimal
    irr_percent: Decimal | None = Field(description="None when the flows never turn or no "
                                        "rate between -99 % and 1000 % makes the NPV zero")
    irr_unique: bool = Field(description="False when the yearly net changes sign more than "
                             "once (then IRR is the root nearest zero)")
    payback_years: Decimal | None = Field(description="None: never within the horizon")
    discounted_payback_years: Decimal | None
    roi_percent: Decimal | None = Field(description="None without costs")
    benefit_margin_percent: Decimal | None = Field(
        description="How far benefits may fall before the NPV turns negative")
    costs_by_year: list[Decimal]
    benefits_by_year: list[Decimal]
    net_by_year: list[Decimal]
    cumulative_by_year: list[Decimal]
    cumulative_discounted_by_year: list[Decimal]


class SensitivityRowRead(ReadModel):
    """NPV, payback and ROI with benefits scaled by 1 + change."""

    change_percent: int
    npv: Decimal
    npv_by_rate: list[Decimal]
    payback_years: Decimal | None
    roi_percent: Decimal | None


class SensitivityRead(ReadModel):
    """An option's sensitivity table."""

    rates_percent: list[Decimal]
    rows: list[SensitivityRowRead]


class OptionRead(ReadModel):
    """An option with its amounts and figures."""

    id: int
    case_id: int
    name: str
    description: str
    position: int
    authority: dict[str, str]
    staffing_fte: Decimal | None
    recommended: bool
    version: int
    lines: list[LineRead]
    figures: FiguresRead


class OptionFigures(OptionRead):
    """An option with its figures and sensitivity table (the comparison)."""

    sensitivity: SensitivityRead


class CaseSummary(ReadModel):
    """A case in the list."""

    id: int
    title: str
    status: str
    currency: str
    discount_rate: Decimal
    horizon_years: int
    owner_id: int | None
    owner_name: str | None
    options: int
    version: int
    updated_at: datetime


class CaseBrief(CaseSummary):
    """A case's terms in full, without its options."""

    description: str
    decision_note: str
    years: list[int]


class CaseRead(CaseBrief):
    """A case with its options, their amounts and figures."""

    option_list: list[OptionRead]


class ComparisonRead(ReadModel):
    """The options side by side with their sensitivity tables, and the best by NPV."""

    case: CaseBrief
    options: list[OptionFigures]
    best_npv_option_id: int | None
    steps_percent: list[int]
