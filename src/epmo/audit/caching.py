"""Per-worker caches of expensive reads, valid while nothing has been written since.

The key includes the audit log's head (entry count and last hash): every write epmo makes
appends to the log in its own transaction, so any write, in any worker, makes the next read
compute afresh. ``EPMO_OVERVIEW_CACHE_SECONDS`` bounds the age of a reused result (for changes
made behind epmo's back) and 0 turns caching off. A session holding uncommitted writes never
reads from or fills the cache: the head does not show those writes yet.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from sqlalchemy.orm import Session

from epmo.audit import repository as audit_repository
from epmo.config import get_settings
from epmo.db import work_of

T = TypeVar("T")


def writing(session: Session) -> bool:
    """Whether the session has changes the audit log's head does not show yet."""
    pending = work_of(session).audit_pending
    return bool(session.new or session.dirty or session.deleted or pending)


class HeadCache(Generic[T]):
    """Results keyed by the caller's key and the audit head, the least recently used dropped
    first; safe to share between the threads of a worker (computing happens outside the lock)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[tuple[Hashable, ...], tuple[float, T]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, session: Session, key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
        """The cached result for ``key`` if still valid, else ``compute()`` (kept for later)."""
        max_age = get_settings().overview_cache_seconds
        if not max_age or writing(session):
            return compute()
        full = (audit_repository.head_state(session), *key)
        with self.lock:
            cached = self.entries.get(full)
            if cached is not None and time.monotonic() - cached[0] < max_age:
                self.entries.move_to_end(full)
                return cached[1]
        result = compute()
        self._put(full, result)
        return result

    def _put(self, full: tuple[Hashable, ...], result: T) -> None:
        with self.lock:
            self.entries[full] = (time.monotonic(), result)
            self.entries.move_to_end(full)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def __len__(self) -> int:
        """How many results are kept."""
        with self.lock:
            return len(self.entries)

    def clear(self) -> None:
        """Forget everything."""
        with self.lock:
            self.entries.clear()
