"""AHP: criteria weights from a pairwise comparison matrix (Saaty's 1/9..9 scale).

``a[i][j]`` says how many times more important criterion i is than criterion j. Weights are
the principal right eigenvector, found by power iteration from the uniform vector (so the
result is deterministic), normalised to sum to 1. Consistency: CI = (lambda_max - n)/(n - 1),
CR = CI / RI(n) with Saaty's random index; CR above 0.1 raises the ``warning`` flag.
Errors name cells as ``matrix[row][column]``, counting rows and columns from 0.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Final

from epmo.engines.scoring.errors import ScoringError, ScoringProblem, fmt, raise_if_any

Matrix = Sequence[Sequence[float]]

# Saaty's random consistency index for n = 1..15 (index 0 unused).
RANDOM_INDEX: Final = (0.0, 0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49,
                       1.51, 1.48, 1.56, 1.57, 1.59)
MAX_SIZE: Final = len(RANDOM_INDEX) - 1
CR_LIMIT: Final = 0.1
SAATY_MAX: Final = 9.0
RECIPROCAL_TOLERANCE: Final = 0.05  # relative; accepts 0.33 for 1/3, 0.13 for 1/8


@dataclass(frozen=True, slots=True)
class AhpResult:
    """Weights (summing to 1), lambda_max, CI, RI, CR and whether CR exceeds 0.1."""

    weights: tuple[float, ...]
    lambda_max: float
    consistency_index: float
    random_index: float
    consistency_ratio: float
    warning: bool
    iterations: int


def random_index(n: int) -> float:
    """Saaty's random consistency index RI(n) for 1 <= n <= 15."""
    if not 1 <= n <= MAX_SIZE:
        raise ScoringError((ScoringProblem("matrix", f"size {n} is outside 1..{MAX_SIZE}"),))
    return RANDOM_INDEX[n]


def matrix_problems(
    matrix: Matrix, *, rel_tol: float = RECIPROCAL_TOLERANCE, scale: float | None = SAATY_MAX
) -> list[ScoringProblem]:
    """Everything wrong with a pairwise matrix: shape, entries, diagonal and reciprocity."""
    shape = list(_shape_problems(matrix))
    if shape:
        return shape
    found = [*_entry_problems(matrix, scale)]
    bad = {p.path for p in found}
    found.extend(_diagonal_problems(matrix, rel_tol, bad))
    found.extend(_reciprocal_problems(matrix, rel_tol, bad))
    return found


def validate_matrix(
    matrix: Matrix, *, rel_tol: float = RECIPROCAL_TOLERANCE, scale: float | None = SAATY_MAX
) -> None:
    """Raise ScoringError naming every bad cell (row, column) and what is wrong with it."""
    raise_if_any(matrix_problems(matrix, rel_tol=rel_tol, scale=scale))


def _cell(i: int, j: int) -> str:
    return f"matrix[{i}][{j}]"


def _shape_problems(matrix: Matrix) -> Iterator[ScoringProblem]:
    n = len(matrix)
    if not 1 <= n <= MAX_SIZE:
        yield ScoringProblem("matrix", f"needs 1..{MAX_SIZE} rows, has {n}")
    for i, row in enumerate(matrix):
        if len(row) != n:
            yield ScoringProblem(f"matrix[{i}]", f"not square: row has {len(row)} entries, "
                                                 f"expected {n}")


def _entry_problems(matrix: Matrix, scale: float | None) -> Iterator[ScoringProblem]:
    for i, row in enumerate(matrix):
        for j, a in enumerate(row):
            if not math.isfinite(a) or a <= 0:
                yield ScoringProblem(_cell(i, j), f"row {i}, column {j}: entry {fmt(a)} "
                                                  "must be a positive number")
            elif scale is not None and not _on_scale(a, scale):
                yield ScoringProblem(_cell(i, j), f"row {i}, column {j}: entry {fmt(a)} is "
                                                  f"outside the 1/{fmt(scale)}..{fmt(scale)} scale")


def _on_scale(a: float, scale: float) -> bool:
    slack = 1.0 + RECIPROCAL_TOLERANCE
    return 1.0 / (scale * slack) <= a <= scale * slack


def _diagonal_problems(matrix: Matrix, rel_tol: float, bad: set[str]) -> Iterator[ScoringProblem]:
    for i, row in enumerate(matrix):
        if _cell(i, i) not in bad and not math.isclose(row[i], 1.0, rel_tol=rel_tol):
            yield ScoringProblem(_cell(i, i), f"row {i}, column {i}: diagonal entry "
                                              f"{fmt(row[i])} must be 1")


def _reciprocal_problems(
    matrix: Matrix, rel_tol: float, bad: set[str]
) -> Iterator[ScoringProblem]:
    n = len(matrix)
    for i in range(n):
        for j in range(i + 1, n):
            if _cell(i, j) in bad or _cell(j, i) in bad:
                continue
            a, b = matrix[i][j], matrix[j][i]
            if not math.isclose(b, 1.0 / a, rel_tol=rel_tol):
                yield ScoringProblem(_cell(j, i), f"row {j}, column {i}: entry {fmt(b)} is not "
                                                  f"the reciprocal of matrix[{i}][{j}] = "
                                                  f"{fmt(a)} (expected {fmt(1.0 / a)})")


def _multiply(matrix: Matrix, vector: Sequence[float]) -> list[float]:
    return [math.fsum(a * x for a, x in zip(row, vector, strict=True)) for row in matrix]


def principal_eigenvector(
    matrix: Matrix, *, tolerance: float = 1e-12, max_iterations: int = 10_000
) -> tuple[tuple[float, ...], float, int]:
    """Power iteration on a positive matrix: (eigenvector summing to 1, lambda_max, steps)."""
    n = len(matrix)
    vector = [1.0 / n] * n
    for step in range(1, max_iterations + 1):
        product = _multiply(matrix, vector)
        total = math.fsum(product)
        following = [x / total for x in product]
        change = max(abs(x - y) for x, y in zip(following, vector, strict=True))
        vector = following
        if change <= tolerance:
            # With sum(w) = 1, sum(A w) is lambda_max at the eigenvector.
            return tuple(vector), math.fsum(_multiply(matrix, vector)), step
    message = f"power iteration did not converge within {max_iterations} steps"
    raise ScoringError((ScoringProblem("matrix", message),))


def ahp_weights(
    matrix: Matrix,
    *,
    rel_tol: float = RECIPROCAL_TOLERANCE,
    scale: float | None = SAATY_MAX,
    tolerance: float = 1e-12,
) -> AhpResult:
    """Validate a pairwise matrix and derive weights, lambda_max, CI and CR from it."""
    validate_matrix(matrix, rel_tol=rel_tol, scale=scale)
    n = len(matrix)
    weights, lambda_max, steps = principal_eigenvector(matrix, tolerance=tolerance)
    ci = (lambda_max - n) / (n - 1) if n > 2 else 0.0
    ri = random_index(n)
    cr = ci / ri if n > 2 else 0.0
    return AhpResult(weights, lambda_max, ci, ri, cr, cr > CR_LIMIT, steps)


def consistent_matrix(weights: Sequence[float]) -> tuple[tuple[float, ...], ...]:
    """The perfectly consistent pairwise matrix a[i][j] = w[i] / w[j] of positive weights."""
    return tuple(tuple(wi / wj for wj in weights) for wi in weights)


def percent_weights(result: AhpResult) -> tuple[float, ...]:
    """AHP weights as percentages summing to 100, as a weighted scoring model stores them."""
    return tuple(w * 100.0 for w in result.weights)
