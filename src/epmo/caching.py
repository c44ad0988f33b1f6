"""Per-worker caches of expensive reads, valid while nothing has been written since.

The key includes the audit log's head (entry count and last hash): every write epmo makes
appends to the log in its own transaction, so any write, in any worker, makes the next read
compute afresh. ``EPMO_OVERVIEW_CACHE_SECONDS`` bounds the age of a reused result (for changes
made behind epmo's back) and 0 turns caching off. A session holding uncommitted writes never
reads from or fills the cache: the head does not show those writes yet.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from sqlalchemy.orm import Session

from epmo.audit import repository as audit_repository
from epmo.audit import service as audit_service
from epmo.config import get_settings

T = TypeVar("T")


def writing(session: Session) -> bool:
    """Whether the session has changes the audit log's head does not show yet."""
    pending = session.info.get(audit_service.PENDING)
    return bool(session.new or session.dirty or session.deleted or pending)


class HeadCache(Generic[T]):
    """Results keyed by the caller's key and the audit head, the oldest dropped first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: dict[tuple[Hashable, ...], tuple[float, T]] = {}

    def get(self, session: Session, key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
        """The cached result for ``key`` if still valid, else ``compute()`` (kept for later)."""
        max_age = get_settings().overview_cache_seconds
        if not max_age or writing(session):
            return compute()
        full = (audit_repository.head_state(session), *key)
        cached = self.entries.get(full)
        if cached is not None and time.monotonic() - cached[0] < max_age:
            return cached[1]
        result = compute()
        while len(self.entries) >= self.size:
            self.entries.pop(next(iter(self.entries)), None)
        self.entries[full] = (time.monotonic(), result)
        return result

    def clear(self) -> None:
        """Forget everything."""
        self.entries.clear()
