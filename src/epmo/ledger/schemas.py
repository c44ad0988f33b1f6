"""API shapes of the value ledger and the value report."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from epmo.schema_kit import Day, Id, ReadModel, StrictModel

Category = Literal["hard_saving", "cost_avoidance", "days_saved", "risk_reduced"]
Status = Literal["proposed", "confirmed", "validated", "rejected"]
EvidenceKind = Literal["project", "gate_review", "intake_request", "change_event", "lending",
                       "scenario"]
Action = Literal["confirm", "validate", "reject"]
Amount = Annotated[Decimal, Field(strict=False, ge=0, max_digits=18, decimal_places=2,
                                  description="Money, in the hub's currency")]
Days = Annotated[int, Field(strict=False, ge=0, le=36_500, description="Whole days")]
Quarter = Annotated[str, Field(pattern=r"^\d{4}-Q[1-4]$", description='A quarter: "2026-Q3"')]
Link = Annotated[str, Field(min_length=1, max_length=2000)]
Description = Annotated[str, Field(min_length=1, max_length=5000)]


class _Figures(StrictModel):
    """An entry's figure: money, whole days, or both (a reduced risk may have neither)."""

    @field_validator("links", mode="after", check_fields=False)
    @classmethod
    def _web_links(cls, value: list[str] | None) -> list[str] | None:
        for link in value or []:
            local = link.startswith("/") and not link.startswith("//")
            if not (link.startswith(("https://", "http://")) or local):
                raise ValueError(f"{link[:80]!r} is no web address (http://, https:// or /...)")
        return value


class EntryCreate(_Figures):
    """An entry the EPMO writes itself (the hub's own proposals come from ``propose``)."""

    category: Category
    amount: Amount | None = None
    days: Days | None = None
    department_id: Id
    project_id: Id | None = None
    occurred_on: Day
    description: Description
    evidence_kind: EvidenceKind | None = None
    evidence_id: Id | None = None
    links: Annotated[list[Link], Field(max_length=20)] = []

    @model_validator(mode="after")
    def _figure_and_evidence(self) -> EntryCreate:
        if (self.evidence_kind is None) != (self.evidence_id is None):
            raise ValueError("evidence_kind and evidence_id go together: give both or neither")
        if self.category != "risk_reduced" and self.amount is None and self.days is None:
            raise ValueError("give an amount, a number of days, or both")
        return self


class EntryUpdate(_Figures):
    """Corrections of a proposed entry before it is confirmed (the fields given change)."""

    version: int
    amount: Amount | None = None
    days: Days | None = None
    department_id: Id | None = None
    occurred_on: Day | None = None
    description: Description | None = None
    links: Annotated[list[Link], Field(max_length=20)] | None = None


class EntryDecision(StrictModel):
    """Confirm (the EPMO), validate (finance: hard savings) or reject (with a reason)."""

    action: Action
    version: int
    reason: Annotated[str, Field(max_length=5000)] = ""


class EntryRead(ReadModel):
    """A ledger entry as stored, with names for the reader."""

    id: int
    category: str
    amount: Decimal | None
    days: int | None
    department_id: int
    department: str = ""
    project_id: int | None
    project_code: str = ""
    occurred_on: date
    quarter: str
    description: str
    source: str
    evidence_kind: str | None
    evidence_id: int | None
    evidence_label: str = ""
    evidence_url: str = ""
    figures: dict[str, Any]
    basis: str
    links: list[str]
    status: str
    proposed_by: str = ""
    created_at: datetime
    confirmed_by: str = ""
    confirmed_at: datetime | None
    validated_by: str = ""
    validated_at: datetime | None
    rejected_by: str = ""
    rejected_at: datetime | None
    rejection_reason: str
    version: int
    may: list[str] = []


class ProposalRun(ReadModel):
    """What a proposal scan found: new proposals per source, and the evidence skipped."""

    proposed: int
    by_source: dict[str, int]
    skipped: list[str]


class Totals(ReadModel):
    """Money and days of the counted entries (confirmed, and validated hard savings)."""

    hard_realised: Decimal = Decimal(0)
    hard_awaiting: Decimal = Decimal(0)
    cost_avoidance: Decimal = Decimal(0)
    days_saved: int = 0
    risks_reduced: int = 0
    entries: int = 0


class QuarterLine(ReadModel):
    """One quarter's totals."""

    quarter: str
    totals: Totals


class DepartmentLine(ReadModel):
    """One department's totals in the chosen quarter."""

    department_id: int
    code: str
    name: str
    totals: Totals


class ValueReport(ReadModel):
    """Dollars and days saved per quarter and by department, with each entry's evidence."""

    quarter: str
    quarters: list[QuarterLine]
    year: Totals
    departments: list[DepartmentLine]
    totals: Totals
    entries: list[EntryRead]
    proposed: int
    finance_department: str
    finance_known: bool
    department_id: int | None = None
