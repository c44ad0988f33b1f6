"""Per-worker caches of expensive reads, valid while nothing has been written since.

The key includes the audit log's head (entry count and last hash): every write epmo makes
appends to the log in its own transaction, so any write, in any worker, makes the next read
compute afresh. ``EPMO_OVERVIEW_CACHE_SECONDS`` bounds the age of a reused result (for changes
made behind epmo's back) and 0 turns caching off. A session holding uncommitted writes never
reads from or fills the cache: the head does not show those writes yet.
"""

from __future__ import annotations

import gc
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

from sqlalchemy.orm import Session

from epmo.audit import repository as audit_repository
from epmo.config import get_settings
from epmo.db import work_of

T = TypeVar("T")
# (a kept result, the head it was kept at, the head now) -> the result now, or None
Patch = Callable[[T, Hashable, Hashable], T | None]


def writing(session: Session) -> bool:
    """Whether the session has changes the audit log's head does not show yet."""
    pending = work_of(session).audit_pending
    return bool(session.new or session.dirty or session.deleted or pending)


class HeadCache(Generic[T]):
    """Results keyed by the caller's key and the audit head, the least recently used dropped
    first; safe to share between the threads of a worker (computing happens outside the lock).
    With ``entities`` (table names), keyed by the newest entry of those tables instead: for a
    result read from those tables alone, which writes to other tables leave as it was."""

    def __init__(self, size: int, entities: tuple[str, ...] = ()) -> None:
        self.size = size
        self.entities = entities  # when given, only writes to these tables make it stale
        self.entries: OrderedDict[tuple[Hashable, ...], tuple[float, T]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, session: Session, key: tuple[Hashable, ...], compute: Callable[[], T],
            patch: Patch[T] | None = None) -> T:
        """The cached result for ``key`` if still valid, else ``compute()`` (kept for later).
        With ``patch`` (and ``entities``): a result kept for ``key`` at an older head is given
        to ``patch(result, its head, the head now)``, whose answer (None: it cannot) is kept
        instead of computing; it keeps the older result's age, so a change made behind epmo's
        back still shows within the age bound."""
        max_age = get_settings().overview_cache_seconds
        if not max_age or writing(session):
            return compute()
        head = (audit_repository.entity_head(session, self.entities) if self.entities
                else audit_repository.head_state(session))
        full = (head, *key)
        with self.lock:
            cached = self.entries.get(full)
            if cached is not None and time.monotonic() - cached[0] < max_age:
                self.entries.move_to_end(full)
                return cached[1]
            base = self._newest(key, max_age) if patch is not None else None
        if base is not None and patch is not None:
            patched = patch(base[2], base[0], head)
            if patched is not None:
                self._put(full, patched, base[1])
                return patched
        result = compute()
        self._put(full, result)
        return result

    def _newest(self, key: tuple[Hashable, ...],
                max_age: float) -> tuple[Hashable, float, T] | None:
        """The most recently used result kept for ``key`` at any head, young enough: (its
        head, when it was computed, it). The caller holds the lock."""
        now = time.monotonic()
        for full, (stamp, result) in reversed(self.entries.items()):
            if full[1:] == key and now - stamp < max_age:
                return full[0], stamp, result
        return None

    def _put(self, full: tuple[Hashable, ...], result: T, stamp: float | None = None) -> None:
        with self.lock:
            self.entries[full] = (time.monotonic() if stamp is None else stamp, result)
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


_PAUSES = {"count": 0, "was_on": False}
_PAUSE_LOCK = threading.Lock()


@contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cycle collector off while a large result is built: the heatmap of a large
    enterprise makes tens of thousands of small objects, none in cycles, and the collections
    they trigger each walk every object of the worker (a third of its time). Nested and
    threaded uses share one pause; the collector is back on when the last ends (if it was on)."""
    with _PAUSE_LOCK:
        if _PAUSES["count"] == 0:
            _PAUSES["was_on"] = gc.isenabled()
            gc.disable()
        _PAUSES["count"] += 1
    try:
        yield
    finally:
        with _PAUSE_LOCK:
            _PAUSES["count"] -= 1
            if _PAUSES["count"] == 0 and _PAUSES["was_on"]:
                gc.enable()
