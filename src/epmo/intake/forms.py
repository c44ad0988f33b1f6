"""The request form: posted fields to schema input, and the state a form shows again.

Rows (costs, demand, goals, dependencies) are parallel lists of inputs; a row left blank is
dropped, so the n-th kept row is the n-th item the schema names (``costs.1.amount``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from epmo.intake.schemas import RequestRead

# list field -> (form input -> schema key) of its row inputs
ROWS: dict[str, dict[str, str]] = {
    "costs": {"cost_period": "period", "cost_amount": "amount"},
    "demand": {"demand_role": "role", "demand_period": "period", "demand_fte": "fte_months"},
    "goals": {"goal_id": "goal_id", "goal_contribution": "contribution"},
    "dependencies": {"dep_request_id": "on_request_id", "dep_project_id": "on_project_id",
                     "dep_note": "note"},
}
ROW_INTS = frozenset({"goal_id", "on_request_id", "on_project_id"})
INTS = ("department_id", "sponsor_id", "duration_months", "headcount", "risk_rating",
        "version")
TEXTS = ("problem", "benefits", "risks", "category", "mandatory_reason")
SCALARS = ("code", "title", *TEXTS, "benefit_value", "department_id", "sponsor_id",
           "desired_start", "duration_months", "headcount", "risk_rating", "version")
BLANK_ROWS = {"costs": 2, "demand": 3, "goals": 2, "dependencies": 1}


class Posted:
    """What a form posted: ``get`` one value, ``getlist`` a repeated one."""

    def __init__(self, form: Any) -> None:
        self.form = form

    def get(self, key: str) -> str:
        """One value, stripped ('' when absent)."""
        value = self.form.get(key)
        return value.strip() if isinstance(value, str) else ""

    def getlist(self, key: str) -> list[str]:
        """Every value of a repeated input, stripped."""
        return [v.strip() if isinstance(v, str) else "" for v in self.form.getlist(key)]


def _number(value: str) -> Any:
    # Forms send text; the strict schemas want numbers. Leave junk for the schema to name.
    return int(value) if value.lstrip("-").isdigit() else value


def rows_of(posted: Posted, field: str) -> list[dict[str, str]]:
    """The non-blank rows of one list, as form text keyed by schema key."""
    inputs = ROWS[field]
    columns = {key: posted.getlist(name) for name, key in inputs.items()}
    count = max((len(c) for c in columns.values()), default=0)
    rows = [{key: (col[i] if i < len(col) else "") for key, col in columns.items()}
            for i in range(count)]
    return [row for row in rows if any(row.values())]


def _row_input(row: Mapping[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, text in row.items():
        if text == "" and key in ROW_INTS | {"contribution", "note"}:
            continue  # optional in a row: the schema's default applies
        values[key] = _number(text) if key in ROW_INTS else text
    return values


def request_input(posted: Posted, creating: bool) -> dict[str, Any]:
    """Schema input from the form (names equal the schema's fields)."""
    values: dict[str, Any] = {key: posted.get(key) or None for key in SCALARS}
    values.update({key: _number(values[key]) for key in INTS if values[key] is not None})
    values.update({key: values[key] or "" for key in TEXTS})
    values["mandatory"] = posted.get("mandatory") in ("on", "true", "1")
    for field in ROWS:
        values[field] = [_row_input(row) for row in rows_of(posted, field)]
    if creating:
        values.pop("version")
        return {k: v for k, v in values.items() if v is not None}
    return {k: v for k, v in values.items()
            if v is not None or k in ("sponsor_id", "desired_start", "benefit_value")}


def state_of_form(posted: Posted) -> dict[str, Any]:
    """What the user typed, to show the form again."""
    state: dict[str, Any] = {key: posted.get(key) for key in SCALARS}
    state["mandatory"] = posted.get("mandatory") in ("on", "true", "1")
    state.update({field: rows_of(posted, field) for field in ROWS})
    return state


def state_of_request(read: RequestRead) -> dict[str, Any]:
    """A stored request as form state."""
    data = read.model_dump(mode="json")
    state: dict[str, Any] = {key: "" if data.get(key) is None else str(data[key])
                             for key in SCALARS}
    state["mandatory"] = read.mandatory
    for field, inputs in ROWS.items():
        state[field] = [{key: "" if line.get(key) is None else str(line[key])
                         for key in inputs.values()} for line in data[field]]
    return state


def blank_state() -> dict[str, Any]:
    """An empty form."""
    state: dict[str, Any] = {key: "" for key in SCALARS}
    state.update({"duration_months": "6", "headcount": "0", "risk_rating": "1",
                  "mandatory": False, "benefit_value": ""})
    state.update({field: [] for field in ROWS})
    return state


def field_messages(errors: Any) -> dict[str, str]:
    """Field name -> message, to show each error beside its input."""
    found: dict[str, str] = {}
    for error in errors or []:
        found.setdefault(error.field, error.message)
    return found
