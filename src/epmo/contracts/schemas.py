"""API shapes of the contracts domain: tier rules, reporting contracts, methods, artefacts.

The shapes check types and sizes; whether a name is a real project field, stage, role,
dimension or artefact kind is checked by ``validation.py`` so every message names its path.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import Field

from epmo.schema_kit import Code, Money, ReadModel, StrictModel

Word = Annotated[str, Field(min_length=1, max_length=60)]
Words = Annotated[list[Word], Field(max_length=100)]
Criterion = Annotated[str, Field(min_length=1, max_length=500)]
Days = Annotated[int, Field(ge=0, le=36_500)]
People = Annotated[int, Field(ge=0, le=10_000_000)]
Risk = Annotated[int, Field(ge=0, le=5)]
Limit = Annotated[float, Field(strict=False, ge=0, le=100_000)]
Title = Annotated[str, Field(min_length=1, max_length=200)]
Url = Annotated[str, Field(min_length=1, max_length=2000)]


# --- tier rules ---------------------------------------------------------------------------


class TierRuleIn(StrictModel):
    """One tier's thresholds; 0 leaves a dimension out of the tier."""

    tier: Annotated[int, Field(ge=1, le=4)]
    version: int
    name: Annotated[str, Field(min_length=1, max_length=100)]
    min_budget: Money = Decimal("0.00")
    min_duration_days: Days = 0
    min_headcount: People = 0
    min_risk: Risk = 0


class TierRulesUpdate(StrictModel):
    """Every tier's thresholds at once (each tier once, with the version you read)."""

    rules: Annotated[list[TierRuleIn], Field(min_length=1, max_length=10)]


class TierRuleRead(ReadModel):
    """One tier's thresholds as the API returns them."""

    tier: int
    name: str
    min_budget: Decimal
    min_duration_days: int
    min_headcount: int
    min_risk: int
    version: int


class Reclassified(ReadModel):
    """What a reclassification changed: projects looked at, changed, and per tier."""

    projects: int
    changed: int
    by_tier: dict[int, int]


class TierRulesResult(ReadModel):
    """The saved tier rules and the reclassification they caused."""

    rules: list[TierRuleRead]
    reclassified: Reclassified


# --- reporting contracts ------------------------------------------------------------------


class Gate(StrictModel):
    """A gate a project passes before it enters ``stage``."""

    code: Code
    name: Annotated[str, Field(min_length=1, max_length=200)]
    stage: Word
    criteria: Annotated[list[Criterion], Field(max_length=50)] = []
    approver_roles: Words = []


Gates = Annotated[list[Gate], Field(max_length=30)]


class Band(StrictModel):
    """Where amber and red start (days of slip, or percent of overrun)."""

    amber: Limit
    red: Limit


class ContractUpdate(StrictModel):
    """A tier's whole reporting contract; ``version`` is the one you read (None: new)."""

    version: int | None = None
    required_fields: Words = []
    cadence: Word
    dimensions: Words = []
    artefacts: Annotated[dict[Word, Words], Field(max_length=20)] = {}
    gates: Gates = []
    records: Words = []
    rag_thresholds: Annotated[dict[Word, Band], Field(max_length=10)] = {}


class GateRead(ReadModel):
    """A gate as the API returns it."""

    code: str
    name: str
    stage: str
    criteria: list[str] = []
    approver_roles: list[str] = []


class ContractRead(ReadModel):
    """A tier's reporting contract as the API returns it."""

    tier: int
    tier_name: str = ""
    required_fields: list[str]
    cadence: str
    dimensions: list[str]
    artefacts: dict[str, list[str]]
    gates: list[GateRead]
    records: list[str]
    rag_thresholds: dict[str, dict[str, float]]
    version: int


# --- department methods -------------------------------------------------------------------


class MethodUpdate(StrictModel):
    """A department's own method; ``version`` of the one you read (None: a new one)."""

    version: int | None = None
    name: Word
    stage_names: Annotated[dict[Word, Word], Field(min_length=1, max_length=40)]
    extra_fields: Words = []
    cadence: Word | None = None
    extra_gates: Gates = []


class MethodRead(ReadModel):
    """A department's method; ``inherited`` when it is an ancestor department's."""

    department_id: int
    department_code: str = ""
    inherited: bool = False
    name: str
    stage_names: dict[str, str]
    extra_fields: list[str]
    cadence: str | None
    extra_gates: list[GateRead]
    version: int


# --- effective terms ----------------------------------------------------------------------


class TermsRead(ReadModel):
    """What one project must meet: its tier's contract merged with its department's method."""

    project_id: int
    tier: int
    cadence: str
    cadence_days: int
    required_fields: list[str]
    dimensions: list[str]
    artefacts: dict[str, list[str]]
    gates: list[GateRead]
    records: list[str]
    rag_thresholds: dict[str, dict[str, float]]
    method: str
    stage_names: dict[str, str]


# --- artefacts ----------------------------------------------------------------------------


class ArtefactLink(StrictModel):
    """A document kept elsewhere, recorded by its address (http or https)."""

    kind: Word
    stage: Word | None = Field(None, description="Enterprise stage it is filed for "
                                                 "(default: the project's current stage)")
    title: Title
    url: Url


class ArtefactRead(ReadModel):
    """An artefact's metadata (the file itself comes from its download address)."""

    id: int
    project_id: int
    kind: str
    stage: str
    title: str
    url: str | None
    file_name: str | None
    content_type: str | None
    size: int | None
    sha256: str | None
    uploaded_by_id: int | None
    created_at: datetime
    version: int
    download_url: str = ""


class ArtefactUpload(StrictModel):
    """The form fields sent with an uploaded file."""

    kind: Word
    stage: Word | None = Field(None, description="Enterprise stage it is filed for "
                                                 "(default: the project's current stage)")
    title: Title | None = Field(None, description="Default: the file's name")
