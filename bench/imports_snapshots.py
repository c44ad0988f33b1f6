"""A multi-agency monthly portfolio export through an import profile, on fresh SQLite files.

    python -m bench.imports_snapshots [--per-agency 32] [--months 6] [--repeat 3]

The file is the tests' export (``tests/imports/portfolio.py``): agency codes, US dates,
"$1,234,567" costs, phases and ratings in words, one row per project per month. Timed in the
same run, each on a fresh database with the test world (departments, users) loaded:

- baseline: the latest month alone imported as projects (the profile without snapshot mode;
  the 12 agencies' projects, 9 departments created);
- snapshot: the whole file, creating the projects, the missing departments and one status
  report per row;
- again: the same file a second time (nothing to write: every row is checked and found).

Prints the median of --repeat runs of each and its ratio to the baseline.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import sessionmaker
from tests.imports import portfolio
from tests.world import build_world

from epmo import wiring
from epmo.auth import service as auth
from epmo.db import SessionFactory, UnitOfWork, make_engine, unit_of_work
from epmo.imports import service
from epmo.imports.profile_schemas import ProfileBody
from epmo.models import Base

TODAY = date(2026, 12, 1)


def fresh_database() -> None:
    """A new SQLite file with the schema and the test world; the session factory uses it."""
    path = Path(tempfile.mkdtemp(prefix="epmo-bench-imports-")) / "bench.db"
    engine = make_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    SessionFactory.maker = sessionmaker(class_=UnitOfWork, bind=engine, expire_on_commit=False)
    with unit_of_work() as session:
        build_world(session)


def run(content: bytes, profile: dict[str, Any]) -> tuple[float, dict[str, Any]]:
    """Import ``content`` as the world's admin in one unit of work; seconds and the report."""
    body = ProfileBody.model_validate(profile)
    began = time.perf_counter()
    with unit_of_work() as session:
        actor = auth.actor_for(session, auth.get_user_by_email(session, "admin@example.org"))
        report = service.import_file(session, actor, "projects", "portfolio.csv", content,
                                     profile=body, today=TODAY)
    return time.perf_counter() - began, report.model_dump()


def latest_month(table: list[list[Any]]) -> bytes:
    """The export's latest row of each project, without the date and rating columns."""
    seen: set[str] = set()
    rows = [table[0][:-2]]
    for row in table[1:]:
        if row[0] not in seen:
            seen.add(row[0])
            rows.append(row[:-2])
    return portfolio.csv_file(rows)


def measure(args: argparse.Namespace) -> dict[str, list[float]]:
    """Median-ready timings of the three imports, each on a fresh database."""
    portfolio.PROJECTS_PER_AGENCY, portfolio.MONTHS = args.per_agency, args.months
    table = portfolio.rows(TODAY)
    whole = portfolio.csv_file(table)
    snapshot = portfolio.PROFILE | {"create_departments": True}
    plain = {k: v for k, v in snapshot.items() if k != "snapshot"}
    plain["columns"] = {k: v for k, v in plain["columns"].items() if v not in ("as_of", "rag")}
    times: dict[str, list[float]] = {"baseline": [], "snapshot": [], "again": []}
    for _ in range(args.repeat):
        fresh_database()
        times["baseline"].append(run(latest_month(table), plain)[0])
        fresh_database()
        seconds, report = run(whole, snapshot)
        times["snapshot"].append(seconds)
        assert report["reports_created"] == len(table) - 1, report
        seconds, report = run(whole, snapshot)
        times["again"].append(seconds)
        assert report["reports_unchanged"] == len(table) - 1, report
    return times


def main() -> None:
    """Parse the options, run, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-agency", type=int, default=32)
    parser.add_argument("--months", type=int, default=6)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    wiring.install()
    projects = len(portfolio.AGENCIES) * args.per_agency
    print(f"{projects} projects x {args.months} months = {projects * args.months} rows; "
          f"python {sys.version.split()[0]} on {platform.machine()} {platform.system()}")
    times = measure(args)
    base = statistics.median(times["baseline"])
    for name, samples in times.items():
        median = statistics.median(samples)
        print(f"{name:9} median {median:7.2f} s   {median / base:5.1f}x baseline   "
              f"(n={len(samples)})")


if __name__ == "__main__":
    main()
