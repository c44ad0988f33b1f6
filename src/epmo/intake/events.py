"""Events of the intake domain (who reacts: ``epmo.wiring``, never intake itself)."""

from __future__ import annotations

from dataclasses import dataclass, field

from epmo.events import DomainEvent


@dataclass(frozen=True, slots=True)
class RequestApproved(DomainEvent):
    """A request was approved and its project created: what the request expected of it (its
    benefits) may follow it into the project."""

    request_id: int
    project_id: int


@dataclass(frozen=True, slots=True)
class StartsWanted(DomainEvent):
    """The earliest feasible starts of some requests are wanted (the request page, the API, a
    not-yet decision). Capacity lives above intake: the resources queue answers by filling
    ``starts`` (request id -> month "2027-04", None when it fits nowhere in the queue's
    horizon); a request the queue does not hold is left out. A read, not a write."""

    request_ids: tuple[int, ...]
    starts: dict[int, str | None] = field(default_factory=dict)
