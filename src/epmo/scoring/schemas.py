"""API shapes of the scoring domain: scoring models, criteria, scorers' sheets, rankings."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field

from epmo.schema_kit import Code, Id, Name, ReadModel, StrictModel, Text

Key = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[a-z][a-z0-9_]*$")]
RubricLine = Annotated[str, Field(max_length=500)]
Rubric = Annotated[list[RubricLine], Field(min_length=5, max_length=5)]
Percent = Annotated[Decimal, Field(strict=False, ge=0, le=100, max_digits=9, decimal_places=4)]
Threshold = Annotated[Decimal, Field(strict=False, ge=0, le=100, max_digits=6, decimal_places=2)]
Entry = Annotated[float, Field(allow_inf_nan=False)]
Matrix = Annotated[list[list[Entry]], Field(min_length=1, max_length=15)]
Level = int  # 1..5, checked by the engine so the message names the criterion
Method = Literal["weights", "pairwise"]
Combine = Literal["mean", "median"]
Computed = Literal["alignment"]
Comment = Annotated[str, Field(max_length=5_000)]
DEFAULT_RUBRIC = ["Very low", "Low", "Medium", "High", "Very high"]


class CriterionIn(StrictModel):
    """A criterion: what 1..5 means (rubric), its weight in %, and its direction."""

    key: Key
    name: Name
    description: Text = ""
    rubric: Rubric = Field(default_factory=lambda: list(DEFAULT_RUBRIC))
    weight: Percent = Decimal(0)
    higher_is_better: bool = True
    computed: Computed | None = None


class ScoringModelCreate(StrictModel):
    """A new scoring model, created as draft version 1 of ``code``."""

    code: Code
    name: Name
    description: Text = ""
    method: Method = "weights"
    combine: Combine = "mean"
    threshold: Threshold = Decimal(0)
    portfolio_id: Id | None = None
    criteria: Annotated[list[CriterionIn], Field(max_length=15)] = Field(default_factory=list)
    pairwise: Matrix | None = None


class ScoringModelUpdate(StrictModel):
    """Changes to a draft model; ``criteria`` replaces the whole list. Send your version."""

    version: int
    name: Name | None = None
    description: Text | None = None
    method: Method | None = None
    combine: Combine | None = None
    threshold: Threshold | None = None
    portfolio_id: Id | None = None
    criteria: Annotated[list[CriterionIn], Field(max_length=15)] | None = None
    pairwise: Matrix | None = None


class VersionIn(StrictModel):
    """Body of a lifecycle action (activate, new version, retire): the version you read."""

    version: int


class CriterionRead(ReadModel):
    """A criterion as the API returns it."""

    id: int
    position: int
    key: str
    name: str
    description: str
    rubric: list[str]
    weight: Decimal
    higher_is_better: bool
    computed: str | None


class ScoringModelRead(ReadModel):
    """A scoring model version with its criteria, weight total and consistency."""

    id: int
    code: str
    number: int
    name: str
    description: str
    status: str
    method: str
    combine: str
    threshold: Decimal
    portfolio_id: int | None
    pairwise: list[list[float]] | None
    consistency_ratio: float | None
    consistency_warning: bool = False
    weight_total: Decimal = Decimal(0)
    problems: list[str] = Field(default_factory=list)
    criteria: list[CriterionRead] = Field(default_factory=list)
    version: int
    created_at: datetime
    updated_at: datetime


class SheetWrite(StrictModel):
    """Your sheet: a level 1..5 per entered criterion (computed ones are filled in)."""

    model_id: Id | None = None
    scores: Annotated[dict[str, Level], Field(max_length=15)]
    comment: Comment = ""


class SpreadRead(ReadModel):
    """How far scorers disagree: lowest, highest and standard deviation."""

    minimum: float
    maximum: float
    stdev: float


class SheetRead(ReadModel):
    """One scorer's sheet with its own weighted score (0..100)."""

    id: int
    model_id: int
    scorer_id: int
    scorer: str
    scores: dict[str, int]
    comment: str
    score: float
    scored_at: datetime


class CriterionScore(ReadModel):
    """A criterion's combined level (as entered, 1..5) and the scorers' spread."""

    key: str
    name: str
    computed: str | None
    combined: float
    spread: SpreadRead


class RequestScores(ReadModel):
    """A request's sheets under a model, the combined score and the spread."""

    request_id: int
    model_id: int
    model: str
    combine: str
    scorers: int
    score: float | None
    spread: SpreadRead | None
    alignment: float | None
    criteria: list[CriterionScore]
    sheets: list[SheetRead]
    can_score: bool


class RankedRequest(ReadModel):
    """One request in a ranking."""

    position: int
    request_id: int
    code: str
    title: str
    score: float
    spread: float
    scorers: int
    department_id: int
    department: str
    cost_total: Decimal
    risk_rating: int
    above_threshold: bool


class RankingRead(ReadModel):
    """Requests scored under a model, best first, split at the minimum score."""

    model_id: int
    threshold: float
    items: list[RankedRequest]
