"""The contracts domain's events: what changes the colour every project's figures give.

Recorded by the contracts service and the tier rules; ``epmo.wiring`` lets the stored derived
health (``reporting.health_store``) follow them. Contracts do not know who reacts.
"""

from __future__ import annotations

from dataclasses import dataclass

from epmo.events import DomainEvent


@dataclass(frozen=True, slots=True)
class ThresholdsChanged(DomainEvent):
    """A reporting contract's RAG thresholds may have changed (or contracts were added)."""


@dataclass(frozen=True, slots=True)
class TiersChanged(DomainEvent):
    """Projects were given another tier in bulk (the tier rules changed)."""

    project_ids: tuple[int, ...]
