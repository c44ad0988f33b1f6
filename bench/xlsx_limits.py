"""Hostile workbooks against the import reader: how fast, and in how much memory, each is refused.

    python -m bench.xlsx_limits [--workdir /tmp/epmo-xlsx-limits] [--repeat 5] [--before]

Files (written once into --workdir, then reused):

- ``sparse.xlsx``: cells A1 and XFD1048576 only (~1.6 KB); before the limits the reader
  aborted the process (calamine asked for a 512 GiB grid).
- ``dense-refs.xlsx``: 1,000,000 rows x 10 columns of numbers, every cell with its reference
  (as Excel writes them; ~20 MB packed, 290 MB unpacked).
- ``dense-bare.xlsx``: the same 10M cells without references (~0.9 MB packed, 161 MB unpacked).
- ``baseline.xlsx``: a legal 10,000 x 10 sheet, read in full: the baseline of the run.

Each file is read by ``epmo.files.readers.read_table`` in a fresh Python process, which
reports the wall time of the call and the process's peak RSS; the table prints the median of
--repeat runs, and the ratio of each time to the baseline's. ``--before`` also runs calamine
alone on each hostile file (what the reader did before the limits): expect SIGABRT, or
seconds and gigabytes.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
from pathlib import Path

from tests.imports.hostile import dense, sparse_far_cell

ROOT = Path(__file__).resolve().parents[1]
PROBE = """
import io, json, resource, sys, time
import python_calamine
from epmo.errors import Invalid
from epmo.files.readers import read_table
path = sys.argv[1]
data = open(path, "rb").read()
start = time.perf_counter()
if sys.argv[2] == "reader":
    try:
        outcome = f"read {len(read_table(path, data).rows):,} rows"
    except Invalid as exc:
        outcome = "refused: " + exc.message
else:
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    rows = book.get_sheet_by_index(0).to_python()
    outcome = f"calamine read {len(rows):,} rows"
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak, "outcome": outcome}))
"""
FILES = {
    "baseline.xlsx": lambda: dense(10_000, 10),
    "sparse.xlsx": lambda: sparse_far_cell(("code", "name")),
    "dense-refs.xlsx": lambda: dense(1_000_000, 10),
    "dense-bare.xlsx": lambda: dense(1_000_000, 10, refs=False),
}


def files(workdir: Path) -> dict[str, Path]:
    """Write the files that are not in ``workdir`` yet; return every file's path."""
    workdir.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, build in FILES.items():
        path = workdir / name
        if not path.exists():
            path.write_bytes(build())
        paths[name] = path
    return paths


def probe(path: Path, mode: str) -> dict[str, object]:
    """Run the reader (or calamine alone) on ``path`` in a fresh process."""
    done = subprocess.run([sys.executable, "-c", PROBE, str(path), mode], capture_output=True,
                          text=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT / "src")},
                          check=False)
    if done.returncode:
        return {"seconds": float("nan"), "peak_mb": float("nan"),
                "outcome": f"process died (exit {done.returncode})"}
    return dict(json.loads(done.stdout.splitlines()[-1]))


def measure(path: Path, mode: str, repeat: int) -> tuple[float, float, str]:
    """Median seconds, median peak RSS (MB) and the outcome of ``repeat`` probes."""
    runs = [probe(path, mode) for _ in range(repeat)]
    return (statistics.median(float(str(r["seconds"])) for r in runs),
            statistics.median(float(str(r["peak_mb"])) for r in runs), str(runs[0]["outcome"]))


def main() -> None:
    """Print the table of refusals (and, with --before, what calamine alone does)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/epmo-xlsx-limits"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--before", action="store_true")
    args = parser.parse_args()
    print(f"machine: {platform.node()} {platform.machine()} {platform.python_version()}")
    paths = files(args.workdir)
    base = 0.0
    for name, path in paths.items():
        seconds, peak, outcome = measure(path, "reader", args.repeat)
        base = base or seconds  # the baseline comes first
        print(f"{name:16} {path.stat().st_size:>12,} B  {seconds * 1000:9.1f} ms "
              f"({seconds / base:5.2f} x baseline)  peak {peak:7.1f} MB  {outcome}")
        if args.before and name != "baseline.xlsx":
            seconds, peak, outcome = measure(path, "calamine", 1)
            print(f"{'  before':16} {'':>14}  {seconds * 1000:9.1f} ms "
                  f"{'':20}  peak {peak:7.1f} MB  {outcome}")


if __name__ == "__main__":
    main()
