"""Who may read the audit log."""

from __future__ import annotations

from epmo.auth.policy import Actor, spans_enterprise
from epmo.errors import NotFound


def require_read_audit(actor: Actor) -> None:
    """Only enterprise roles read the audit log; to others it does not exist."""
    if not spans_enterprise(actor):
        raise NotFound("Not found")
