"""What the benchmarks share: the median / p95 summary of a series of timings."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Stats:
    """Median and 95th percentile of a series of timings, in milliseconds."""

    median: float
    p95: float
    count: int

    @classmethod
    def of(cls, samples: Sequence[float]) -> Stats:
        """Summarise samples (nearest-rank p95)."""
        ordered = sorted(samples)
        rank = max(0, math.ceil(0.95 * len(ordered)) - 1)
        return cls(statistics.median(ordered), ordered[rank], len(ordered))

    def __str__(self) -> str:
        return f"median {self.median:8.2f} ms   p95 {self.p95:8.2f} ms   (n={self.count})"
