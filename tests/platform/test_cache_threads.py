"""The per-worker audit-head cache under threads (uvicorn serves sync routes from a pool)."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

from epmo.audit.caching import HeadCache
from epmo.db import unit_of_work
from tests.platform.conftest import Live, race


@pytest.fixture
def fast_switching() -> Iterator[None]:
    """Switch threads as often as possible, so an unsafe interleaving shows quickly."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


def test_threads_hammering_a_small_cache_neither_fail_nor_overfill(
        live: Live, cache_on: None, fast_switching: None) -> None:
    cache: HeadCache[int] = HeadCache(3)

    def hammer(thread: int) -> int:
        hits = 0
        with unit_of_work(write=False) as session:
            for step in range(400):
                key = ((thread * 7 + step) % 11,)
                value = cache.get(session, key, lambda key=key: key[0] * 2)  # type: ignore[misc]
                assert value == key[0] * 2
                hits += 1
                assert len(cache) <= 3
        return hits

    results = race(8, hammer)
    assert results == [400] * 8, [r for r in results if isinstance(r, Exception)][:1]
    cache.clear()
    assert len(cache) == 0
