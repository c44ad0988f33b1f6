"""What the benchmarks share: the median / p95 summary of timings, waiting for a server."""

from __future__ import annotations

import http.client
import math
import statistics
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

# The demo's reference date of every benchmark load: the demo is dated relative to it, so a
# database loaded on another day holds the same data and is evaluated against the same day.
BENCH_TODAY = date(2026, 12, 1)


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


def wait_ready(proc: subprocess.Popen[bytes], port: int, log: Path) -> None:
    """Wait until the server on ``port`` answers /healthz; exit with its log if it does not."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited early:\n{log.read_text()[-3000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server did not answer within 60 s:\n{log.read_text()[-3000:]}")
