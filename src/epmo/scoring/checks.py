"""Checks on a scoring model's criteria and pairwise matrix, with the engine doing the maths.

A draft may be saved with weights that do not yet sum to 100 (they are shown as a problem);
activation refuses them. A pairwise matrix is checked as soon as it is sent, because the
weights derived from it are what the page shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from epmo.engines.scoring import (
    AhpResult,
    Criterion,
    ScoringError,
    ahp_weights,
    matrix_problems,
    percent_weights,
    weight_problems,
)
from epmo.errors import FieldError, Invalid
from epmo.scoring.compute import as_invalid, field_path
from epmo.scoring.schemas import CriterionIn

PLACES = Decimal("0.0001")


@dataclass(frozen=True, slots=True)
class Derived:
    """Weights in percent derived from a pairwise matrix, and its consistency ratio."""

    weights: tuple[Decimal, ...]
    consistency_ratio: float
    warning: bool


def criteria_errors(criteria: Sequence[CriterionIn]) -> list[FieldError]:
    """Repeated keys and more than one computed alignment criterion."""
    errors: list[FieldError] = []
    seen: set[str] = set()
    aligned = 0
    for index, criterion in enumerate(criteria):
        if criterion.key in seen:
            errors.append(FieldError(f"criteria.{index}.key",
                                     f"criterion {criterion.key!r} appears twice"))
        seen.add(criterion.key)
        aligned += criterion.computed == "alignment"
        if criterion.computed == "alignment" and aligned > 1:
            errors.append(FieldError(f"criteria.{index}.computed",
                                     "only one criterion may be the computed alignment"))
    return errors


def require_sound_criteria(criteria: Sequence[CriterionIn]) -> None:
    """Raise Invalid naming each repeated key or second alignment criterion."""
    errors = criteria_errors(criteria)
    if errors:
        raise Invalid("The criteria are not valid", errors)


def matrix_errors(matrix: Sequence[Sequence[float]], size: int) -> list[FieldError]:
    """Everything wrong with a pairwise matrix for ``size`` criteria, cell by cell."""
    if len(matrix) != size:
        return [FieldError("pairwise", f"needs {size} rows, one per criterion, has "
                                       f"{len(matrix)}")]
    return [FieldError(field_path(p.path), p.message) for p in matrix_problems(matrix)]


def derive(matrix: Sequence[Sequence[float]], size: int) -> Derived:
    """Validate the matrix and derive percent weights and CR (AHP principal eigenvector)."""
    errors = matrix_errors(matrix, size)
    if errors:
        raise Invalid("The pairwise matrix is not valid: entries must be positive and "
                      "a[j][i] must be 1/a[i][j]", errors)
    try:
        result: AhpResult = ahp_weights(matrix)
    except ScoringError as exc:
        raise as_invalid(exc, "The pairwise matrix is not valid") from exc
    weights = tuple(Decimal(w).quantize(PLACES) for w in percent_weights(result))
    return Derived(weights, result.consistency_ratio, result.warning)


def weight_errors(keys: Sequence[str], weights: Sequence[Decimal]) -> list[FieldError]:
    """Weights that are not >= 0 or do not sum to 100 (within 0.01), as field errors."""
    criteria = [Criterion(k, float(w)) for k, w in zip(keys, weights, strict=True)]
    return [FieldError(field_path(p.path), p.message) for p in weight_problems(criteria)]
