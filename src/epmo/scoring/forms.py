"""Turn the scoring pages' forms into schema input, and stored rows into form state.

Field names follow the error paths (``criteria.1.weight``, ``pairwise.0.2``,
``scores.risk``), so an error names the very input it is about. The pairwise form sends the
upper triangle only; the diagonal is 1 and the lower triangle the reciprocals, so a matrix
from the form is reciprocal by construction and only its entries can be wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from starlette.datastructures import FormData

from epmo.editing import as_int, form_text
from epmo.errors import FieldError, Invalid
from epmo.scoring.models import ScoringCriterion, ScoringModel

SPARE_ROWS = 2
MAX_ROWS = 15
LEVELS = 5
MODEL_FIELDS = ("code", "name", "description", "method", "combine", "threshold")


def _criterion(form: FormData, index: int) -> dict[str, Any] | None:
    prefix = f"criteria.{index}."
    key, name = form_text(form, prefix + "key"), form_text(form, prefix + "name")
    if not key and not name:
        return None  # an empty spare row
    return {"key": key, "name": name, "description": form_text(form, prefix + "description"),
            "weight": form_text(form, prefix + "weight") or "0",
            "higher_is_better": not form.get(prefix + "lower"),
            "computed": form_text(form, prefix + "computed") or None,
            "rubric": [form_text(form, f"{prefix}rubric.{level}") for level in range(LEVELS)]}


def model_input(form: FormData) -> dict[str, Any]:
    """The model form as ScoringModelCreate/ScoringModelUpdate input."""
    values: dict[str, Any] = {key: form_text(form, key) for key in MODEL_FIELDS if key in form}
    values["portfolio_id"] = as_int(form_text(form, "portfolio_id")) or None
    if "version" in form:
        values["version"] = as_int(form_text(form, "version"))
    if values.get("threshold") == "":
        values["threshold"] = "0"
    rows = [_criterion(form, index) for index in range(MAX_ROWS)]
    values["criteria"] = [row for row in rows if row is not None]
    return values


def _row_state(criterion: ScoringCriterion) -> dict[str, Any]:
    return {"key": criterion.key, "name": criterion.name, "description": criterion.description,
            "weight": f"{float(criterion.weight):g}",
            "higher_is_better": criterion.higher_is_better, "computed": criterion.computed or "",
            "rubric": list(criterion.rubric)}


def model_state(model: ScoringModel | None,
                criteria: Sequence[ScoringCriterion]) -> dict[str, Any]:
    """Stored model (or a blank new one) as form state."""
    if model is None:
        return {"method": "weights", "combine": "mean", "threshold": "0", "criteria": []}
    state: dict[str, Any] = {key: str(getattr(model, key)) for key in MODEL_FIELDS}
    state.update(threshold=f"{float(model.threshold):g}", portfolio_id=model.portfolio_id,
                 version=model.version, criteria=[_row_state(c) for c in criteria])
    return state


def rows_of(state: dict[str, Any]) -> list[dict[str, Any]]:
    """The criteria rows a form shows: the state's and a few empty spare rows."""
    blank = {"key": "", "name": "", "description": "", "weight": "", "higher_is_better": True,
             "computed": "", "rubric": [""] * LEVELS}
    rows = list(state.get("criteria") or [])
    return rows + [dict(blank) for _ in range(min(SPARE_ROWS, MAX_ROWS - len(rows)))]


def _entry(text: str) -> float:
    """A pairwise judgement as typed: 3, 0.5 or 1/3."""
    return float(Fraction(text.replace(" ", "")))


def matrix_input(form: FormData, size: int) -> list[list[float]]:
    """The upper triangle of the pairwise form as a full reciprocal matrix."""
    matrix = [[1.0] * size for _ in range(size)]
    errors: list[FieldError] = []
    for i in range(size):
        for j in range(i + 1, size):
            name = f"pairwise.{i}.{j}"
            try:
                value = _entry(form_text(form, name))
            except (ValueError, ZeroDivisionError):
                errors.append(FieldError(name, "enter a number such as 3, 0.5 or 1/3"))
                continue
            matrix[i][j] = value
            matrix[j][i] = 1.0 / value if value else 0.0
    if errors:
        raise Invalid("The pairwise comparisons are not valid", errors)
    return matrix


def _shown(value: float) -> str:
    """A judgement as people enter it: 3, 1/3, or a decimal."""
    if value >= 1:
        return f"{value:g}"
    inverse = 1.0 / value
    return f"1/{round(inverse)}" if abs(inverse - round(inverse)) < 1e-6 else f"{value:.4g}"


def matrix_state(model: ScoringModel, size: int) -> list[list[str]]:
    """The stored matrix as text for the form (all 1 when none is stored yet)."""
    stored = model.pairwise if model.pairwise and len(model.pairwise) == size else None
    return [[_shown(stored[i][j]) if stored else "1" for j in range(size)] for i in range(size)]


def posted_matrix(form: FormData, size: int) -> list[list[str]]:
    """What was typed in the pairwise form, to show it again with its errors."""
    return [[form_text(form, f"pairwise.{i}.{j}") if j > i else "" for j in range(size)]
            for i in range(size)]


def sheet_input(form: FormData, keys: Sequence[str]) -> dict[str, Any]:
    """The sheet form (one radio group ``scores.<key>`` per entered criterion) as SheetWrite."""
    scores = {key: as_int(form_text(form, f"scores.{key}")) for key in keys
              if form_text(form, f"scores.{key}")}
    return {"model_id": as_int(form_text(form, "model_id")) or None, "scores": scores,
            "comment": form_text(form, "comment")}
