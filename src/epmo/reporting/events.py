"""The reporting domain's own events."""

from __future__ import annotations

from dataclasses import dataclass

from epmo.events import DomainEvent


@dataclass(frozen=True, slots=True)
class HealthInputsChanged(DomainEvent):
    """What the derived colour of these projects (and their reports) is computed from was
    written: a project's tier, baseline finish, forecast finish or budgets, a report's
    forecasts, or a new report."""

    project_ids: tuple[int, ...]
