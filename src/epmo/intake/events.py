"""Events of the intake domain (who reacts: ``epmo.wiring``, never intake itself)."""

from __future__ import annotations

from dataclasses import dataclass

from epmo.events import DomainEvent


@dataclass(frozen=True, slots=True)
class RequestApproved(DomainEvent):
    """A request was approved and its project created: what the request expected of it (its
    benefits) may follow it into the project."""

    request_id: int
    project_id: int
