"""A register import that slips every project's start, with and without role demand to move.

    python -m bench.demand_shift [--projects 2000] [--months 24] [--repeat 3]

On fresh SQLite files with the test world loaded, ``--projects`` projects (dated 2027-01-15 ..
2028-12-31) are inserted; in the "shift" database each has role demand for two roles over
``--months`` months (demand is kept per month), in the "baseline" one none. A projects CSV
then moves every project's planned start and finish by two months (one unit of work through
``imports.service``): the baseline times the import alone (its change events, health,
audit), the shift the same import whose settle also moves every project's demand
(``portfolio.demand_shift``). Prints the median of --repeat runs of each, the ratio, and the
demand rows after the move.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, insert, select
from sqlalchemy.orm import sessionmaker
from tests.imports.files import csv_file
from tests.world import build_world

from epmo import wiring
from epmo.auth import service as auth
from epmo.db import SessionFactory, UnitOfWork, make_engine, unit_of_work
from epmo.imports import service
from epmo.models import Base
from epmo.org.models import Department
from epmo.portfolio.models import Project, ProjectDemand

ROLES = ("Lead", "Project manager")


def fresh_database(projects: int, months: int) -> None:
    """A new SQLite file with the world and the projects (with demand when ``months``)."""
    path = Path(tempfile.mkdtemp(prefix="epmo-bench-shift-")) / "bench.db"
    engine = make_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    SessionFactory.maker = sessionmaker(class_=UnitOfWork, bind=engine, expire_on_commit=False)
    with unit_of_work() as session:
        build_world(session)
    with unit_of_work() as session:
        dept = session.scalar(select(Department.id).where(Department.code == "IT"))
        session.execute(insert(Project), [
            {"code": f"SH-{n:05d}", "name": f"Project {n}", "department_id": dept,
             "stage": "planning", "planned_start": date(2027, 1, 15),
             "planned_finish": date(2028, 12, 31)} for n in range(projects)])
        ids = list(session.scalars(select(Project.id)))
        if months:
            session.execute(insert(ProjectDemand), [
                {"project_id": pid, "role": role, "period": f"{2027 + q // 12}-{q % 12 + 1:02d}",
                 "fte_months": Decimal("0.42")}
                for pid in ids for role in ROLES for q in range(months)])


def slip(projects: int) -> tuple[float, float, int]:
    """Move every project two months later in one import; wall and CPU seconds, and the
    demand rows."""
    content = csv_file([["code", "planned_start", "planned_finish"]] + [
        [f"SH-{n:05d}", "2027-03-10", "2029-02-28"] for n in range(projects)])
    began, cpu = time.perf_counter(), time.process_time()
    with unit_of_work() as session:
        actor = auth.actor_for(session, auth.get_user_by_email(session, "admin@example.org"))
        report = service.import_file(session, actor, "projects", "slip.csv", content)
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    assert report.updated == projects, report
    with unit_of_work() as session:
        rows = session.scalar(select(func.count()).select_from(ProjectDemand)) or 0
    return seconds, cpu, rows


def main() -> None:
    """Parse the options, run, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=2000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    wiring.install()
    print(f"{args.projects} projects, {len(ROLES)} roles x {args.months} months each; "
          f"python {sys.version.split()[0]} on {platform.machine()} {platform.system()}")
    times: dict[str, list[float]] = {"baseline": [], "shift": []}
    cpus: dict[str, list[float]] = {"baseline": [], "shift": []}
    rows = 0
    for _ in range(args.repeat):
        for name, months in (("baseline", 0), ("shift", args.months)):
            fresh_database(args.projects, months)
            seconds, cpu, moved = slip(args.projects)
            times[name].append(seconds)
            cpus[name].append(cpu)
            rows = moved if months else rows
    base = statistics.median(times["baseline"])
    base_cpu = statistics.median(cpus["baseline"])
    for name, samples in times.items():
        median, cpu = statistics.median(samples), statistics.median(cpus[name])
        print(f"{name:9} median {median:7.2f} s wall ({median / base:5.2f}x baseline), "
              f"{cpu:7.2f} s CPU ({cpu / base_cpu:5.2f}x)   (n={len(samples)})")
    print(f"demand rows after the move: {rows} (before: "
          f"{args.projects * len(ROLES) * args.months})")


if __name__ == "__main__":
    main()
