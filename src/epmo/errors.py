"""Domain errors that carry their HTTP status; services raise these, interfaces render them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# Words for field keys where the key read aloud is not what a form calls it; any other key is
# spelled out by ``label_of`` (``planned_start`` -> "Planned start", ``sponsor_id`` -> "Sponsor").
LABELS = {
    "budget_planned": "Planned budget", "budget_actual": "Actual cost to date",
    "budget_forecast": "Forecast cost at completion",
    "min_budget": "Minimum budget", "min_duration_days": "Minimum duration (days)",
    "min_headcount": "Minimum headcount", "min_risk": "Minimum risk rating",
    "lag_days": "Lag (days)", "slip_days": "Slip (days)", "fte_months": "FTE-months",
    "duration_months": "Duration (months)",
    "weekly_capacity_hours": "Weekly capacity (hours)", "time_limit": "Time limit (seconds)",
    "max_share": "Maximum share", "min_share": "Minimum share", "rag_thresholds": "RAG thresholds",
    "url": "Web address", "email": "E-mail", "email_mode": "E-mail mode",
    "ppm_administration": "PPM administration", "on_project_id": "Project",
    "on_request_id": "Intake request", "predecessor_project_id": "Upstream project",
    "successor_project_id": "Downstream project",
    "predecessor_milestone_id": "Upstream milestone",
    "successor_milestone_id": "Downstream milestone", "raised_on": "Raised on",
    "due_on": "Due on", "value_override": "Value override",
    "clear_value_override": "Clear value override", "higher_is_better": "Higher is better",
    "scoring_model_id": "Scoring model", "model_id": "Scoring model",
    "version": "Version", "csrf_token": "Form token", "repeat_password": "Repeated password",
    "new_password": "New password", "current_password": "Current password",
}


def label_of(key: str) -> str:
    """The words a form uses for a field key (``budget_planned`` -> "Planned budget")."""
    if key in LABELS:
        return LABELS[key]
    words = key
    if words.endswith("_ids"):
        words = words[:-4] + "s"
    elif words.endswith("_id") and len(words) > 3:
        words = words[:-3]
    words = words.replace("_", " ").replace(".", " ").strip()
    return words[:1].upper() + words[1:] if words else "This field"


# a snake_case word outside quotes and not a file name ("plan_v2.xlsx" stays as it is)
_KEY = re.compile(r"(?<![\w'\"./])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w'\"/]|\.\w)")


def in_words(message: str) -> str:
    """A message with any field key in it spelled out: "before planned_start" -> "before
    planned start" (quoted values are left as they are)."""
    return _KEY.sub(lambda found: label_of(found.group(0)).lower(), message)


def field_words(path: str) -> str:
    """The words for a dotted error path: ``goals.0.weight`` -> "Goals, line 1: Weight"."""
    parts = [p for p in path.split(".") if p]
    if len(parts) <= 1:
        return label_of(path)
    named = [label_of(p) if not p.isdigit() else f"line {int(p) + 1}" for p in parts]
    return ", ".join(named[:-1]) + ": " + named[-1]


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem with one input field (or a row/column of an imported file)."""

    field: str
    message: str
    row: int | None = None

    @property
    def text(self) -> str:
        """The problem in words, naming the field by its label, never by its key.

        A message that is already a sentence (it starts with a capital) is kept; a fragment
        such as "already used" gets the field's label in front: "Code: already used".
        """
        message = in_words(self.message.strip())
        if message[:1].isupper() or self.field in ("", "form", "body", "file"):
            return message
        return f"{field_words(self.field)}: {message}"

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON shape used in problem+json ``errors`` (key kept, message in words)."""
        data: dict[str, Any] = {"field": self.field, "message": in_words(self.message)}
        if self.row is not None:
            data["row"] = self.row
        return data


@dataclass
class EpmoError(Exception):
    """Base class: a message for people plus optional field-level detail."""

    message: str
    errors: list[FieldError] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    status = 400
    title = "Bad request"

    def __str__(self) -> str:
        return self.message


class Invalid(EpmoError):
    """The input breaks a rule: wrong value, wrong order, bad transition."""

    status = 422
    title = "Invalid input"


class NotFound(EpmoError):
    """The thing does not exist or the actor may not see it (indistinguishable by design)."""

    status = 404
    title = "Not found"


class Conflict(EpmoError):
    """The write collides with current state: duplicate code or stale version."""

    status = 409
    title = "Conflict"


class Forbidden(EpmoError):
    """The actor may see the thing but not perform this action on it."""

    status = 403
    title = "Forbidden"


class Unauthorized(EpmoError):
    """No valid credentials were presented."""

    status = 401
    title = "Not signed in"
