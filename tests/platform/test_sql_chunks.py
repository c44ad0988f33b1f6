"""The one chunking of IN lists, UPDATEs and INSERTs under the drivers' parameter limits."""

from __future__ import annotations

from epmo.sql import IN_CHUNK, chunks


def test_chunks_keep_order_and_size() -> None:
    assert list(chunks([3, 1, 2], 2)) == [[3, 1], [2]]
    assert list(chunks(iter(range(5)), 5)) == [[0, 1, 2, 3, 4]]
    assert list(chunks([], 3)) == []
    big = list(range(2 * IN_CHUNK + 1))
    assert [len(c) for c in chunks(big)] == [IN_CHUNK, IN_CHUNK, 1]
    assert [v for c in chunks(big) for v in c] == big
