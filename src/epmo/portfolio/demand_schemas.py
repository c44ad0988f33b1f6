"""API shapes of role demand (FTE-months per role), shared by projects and intake requests.

An intake request states its demand per quarter (``"YYYY-Qn"``); a project keeps it per month
(``"YYYY-MM"``) and takes a quarter as well, spread over its months (``demand_window``). Years
lie in 2000..2100; FTE-months are never negative."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field

from epmo.schema_kit import ReadModel, StrictModel

FIRST_YEAR, LAST_YEAR = 2000, 2100


def cents(value: Decimal) -> Decimal:
    """Two decimals always, so what a write returns equals what a later read returns."""
    return value.quantize(Decimal("0.01"))


def year_in_range(year: int) -> None:
    """Refuse a year outside 2000..2100."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"year must be between {FIRST_YEAR} and {LAST_YEAR}")


def _quarter(value: str) -> str:
    year_in_range(int(value[:4]))
    return value


Quarter = Annotated[str, Field(pattern=r"^\d{4}-Q[1-4]$", description='A quarter, e.g. "2027-Q1"'),
                    AfterValidator(_quarter)]
FteMonths = Annotated[Decimal, Field(strict=False, ge=0, le=99_999_999, max_digits=10,
                                     decimal_places=2), AfterValidator(cents)]


def _period(value: str) -> str:
    year_in_range(int(value[:4]))
    return value


Period = Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$",
                              description='A month, e.g. "2027-03", or a quarter, "2027-Q1" '
                                          '(spread evenly over its months)'),
                   AfterValidator(_period)]
Role = Annotated[str, Field(min_length=1, max_length=100)]


class DemandLine(StrictModel):
    """Demand for one role in one quarter, in FTE-months."""

    role: Role
    period: Quarter
    fte_months: FteMonths


class ProjectDemandLine(StrictModel):
    """A project's demand for one role, or one named person (then the role is theirs and may
    be left out), in one month (or a quarter, spread), in FTE-months."""

    role: Role | None = None
    person_id: Annotated[int, Field(ge=1, le=2_147_483_647)] | None = None
    period: Period
    fte_months: FteMonths


class ProjectDemandSet(StrictModel):
    """The project's whole role demand: it replaces what was there (send the version read)."""

    version: Annotated[int, Field(ge=1, le=2_147_483_647)]
    lines: Annotated[list[ProjectDemandLine], Field(max_length=5000)] = []


class DemandRead(ReadModel):
    """A demand line as the API returns it."""

    role: str
    period: str
    fte_months: Decimal


class ProjectDemandLineRead(BaseModel):
    """A project's demand line as the API returns it: a month, the role and, for a named
    line, the person."""

    role: str
    person_id: int | None = None
    person: str | None = None
    period: str
    fte_months: Decimal


class ProjectDemandRead(BaseModel):
    """A project's role demand per month, with the project version to send back."""

    project_id: int
    code: str
    version: int
    lines: list[ProjectDemandLineRead]
