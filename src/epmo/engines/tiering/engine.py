"""Tier classification: the most demanding tier any of a project's facts reaches.

Tier 1 is the most demanding. For each dimension (budget, duration, headcount, risk) a
project reaches a tier when its value is at least that tier's threshold; a threshold of 0
means the tier does not use that dimension. The project's tier is the most demanding tier
any dimension reaches, else the least demanding tier (the catch-all).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import pairwise
from types import MappingProxyType
from typing import Final

DIMENSIONS: Final = ("budget", "duration_days", "headcount", "risk")
THRESHOLD_FIELDS: Final = {"budget": "min_budget", "duration_days": "min_duration_days",
                           "headcount": "min_headcount", "risk": "min_risk"}
Number = Decimal | int
Span = tuple[date | None, date | None]


@dataclass(frozen=True, slots=True)
class TierThresholds:
    """The thresholds of one tier; 0 leaves a dimension out of this tier."""

    tier: int
    min_budget: Decimal = Decimal(0)
    min_duration_days: int = 0
    min_headcount: int = 0
    min_risk: int = 0

    def threshold(self, dimension: str) -> Number:
        """This tier's threshold on ``dimension`` (one of DIMENSIONS)."""
        value: Number = getattr(self, THRESHOLD_FIELDS[dimension])
        return value


@dataclass(frozen=True, slots=True)
class ProjectFacts:
    """What tiering looks at in a project."""

    budget: Decimal = Decimal(0)
    duration_days: int = 0
    headcount: int = 0
    risk: int = 0

    def value(self, dimension: str) -> Number:
        """The project's value on ``dimension`` (one of DIMENSIONS)."""
        value: Number = getattr(self, dimension)
        return value


@dataclass(frozen=True, slots=True)
class Classification:
    """A project's tier and, per dimension, the most demanding tier it reaches (None: none)."""

    tier: int
    reached: Mapping[str, int | None]

    @property
    def deciding(self) -> tuple[str, ...]:
        """The dimensions that put the project in its tier (empty: the catch-all)."""
        return tuple(d for d in DIMENSIONS if self.reached.get(d) == self.tier)


@dataclass(frozen=True, slots=True)
class ThresholdProblem:
    """A threshold below the next less demanding tier's one."""

    tier: int
    field: str
    message: str


def duration_days(spans: Iterable[Span]) -> int:
    """Days from start to finish of the first span with both dates (none: 0, never negative)."""
    for start, finish in spans:
        if start is not None and finish is not None:
            return max(0, (finish - start).days)
    return 0


class Classifier:
    """Rules prepared once, to classify many projects."""

    __slots__ = ("catch_all", "rules")

    def __init__(self, rules: Iterable[TierThresholds]) -> None:
        ordered = sorted(rules, key=lambda rule: rule.tier)
        if not ordered:
            raise ValueError("at least one tier is needed")
        if len({rule.tier for rule in ordered}) != len(ordered):
            raise ValueError("each tier may appear only once")
        self.rules: tuple[TierThresholds, ...] = tuple(ordered)
        self.catch_all: int = ordered[-1].tier

    def reached(self, dimension: str, value: Number) -> int | None:
        """The most demanding tier whose threshold on ``dimension`` the value reaches."""
        for rule in self.rules:
            threshold = rule.threshold(dimension)
            if threshold > 0 and value >= threshold:
                return rule.tier
        return None

    def tier(self, facts: ProjectFacts) -> int:
        """The project's tier."""
        found = [self.reached(d, facts.value(d)) for d in DIMENSIONS]
        return min((t for t in found if t is not None), default=self.catch_all)

    def explain(self, facts: ProjectFacts) -> Classification:
        """The project's tier with the tier each dimension reaches."""
        reached = {d: self.reached(d, facts.value(d)) for d in DIMENSIONS}
        tier = min((t for t in reached.values() if t is not None), default=self.catch_all)
        return Classification(tier, MappingProxyType(reached))


def classify(rules: Iterable[TierThresholds], facts: ProjectFacts) -> int:
    """The tier of one project under ``rules``."""
    return Classifier(rules).tier(facts)


def threshold_problems(rules: Sequence[TierThresholds]) -> list[ThresholdProblem]:
    """Thresholds that fall below the next less demanding tier's (they must not decrease)."""
    ordered = sorted(rules, key=lambda rule: rule.tier)
    problems = []
    for stricter, looser in pairwise(ordered):
        for dimension in DIMENSIONS:
            mine, theirs = stricter.threshold(dimension), looser.threshold(dimension)
            if mine < theirs:
                problems.append(ThresholdProblem(
                    stricter.tier, THRESHOLD_FIELDS[dimension],
                    f"must be at least tier {looser.tier}'s {theirs} (a more demanding tier "
                    f"needs thresholds at least as high as the next one)"))
    return problems
