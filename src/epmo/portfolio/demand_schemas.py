"""API shapes of role demand per quarter (FTE-months per role), shared by projects and intake
requests: a quarter is ``"YYYY-Qn"`` with a year in 2000..2100, FTE-months are never negative."""

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
Role = Annotated[str, Field(min_length=1, max_length=100)]


class DemandLine(StrictModel):
    """Demand for one role in one quarter, in FTE-months."""

    role: Role
    period: Quarter
    fte_months: FteMonths


class ProjectDemandSet(StrictModel):
    """The project's whole role demand: it replaces what was there (send the version read)."""

    version: Annotated[int, Field(ge=1, le=2_147_483_647)]
    lines: Annotated[list[DemandLine], Field(max_length=2000)] = []


class DemandRead(ReadModel):
    """A demand line as the API returns it."""

    role: str
    period: str
    fte_months: Decimal


class ProjectDemandRead(BaseModel):
    """A project's role demand per quarter, with the project version to send back."""

    project_id: int
    code: str
    version: int
    lines: list[DemandRead]
