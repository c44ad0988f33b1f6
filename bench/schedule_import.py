"""Benchmark a schedule's whole import: read, CPM, store, milestones, re-import as a diff.

    python -m bench.schedule_import [--activities 4000] [--links 6000] [--postgres URL]
    python -m bench.schedule_import --file PLAN.xer|PLAN.xml   # a real file: time and match

Generates, from a seed, a schedule of ``--activities`` activities (a WBS summary per 50,
5 % milestones, durations of 1 to 20 days) and ``--links`` links (80 % FS, the rest SS, FF
and SF, lags of -1..5 days) on an office calendar with holidays, writes it as MS Project XML
with the hub's own writer, and imports it into a fresh database through
``schedule.service.import_schedule``: first import, the same file again, then a file where
10 % of the activities are 3 days longer. Baseline measured in the same run: parsing the same
bytes with the C ``xml.etree`` parser. The issue's target: import plus CPM under 5 s for a
schedule of about 4,000 activities and 6,000 links.

With ``--file``, reads a real MSPDI or XER file and compares the hub's early start and finish
with the ones the tool stored, per activity (the share that match to the minute), and times
read + CPM.
"""

from __future__ import annotations

import argparse
import random
import resource
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from bench.network import machine, timed
from bench.network_e2e import database

START = datetime(2027, 1, 4, 8)


def _calendar() -> Any:
    from epmo.schedule import parsed

    day = (parsed.Shift(time(8), time(12)), parsed.Shift(time(13), time(17)))
    rng = random.Random(3)
    holidays = []
    for year in range(2027, 2037):
        for n in rng.sample(range(365), 10):
            when = date(year, 1, 1) + timedelta(days=n)
            holidays.append(parsed.CalendarException(when, when))
    return parsed.Calendar("1", "Standard", {d: day for d in range(5)}, tuple(holidays))


def generate(activities: int, links: int, seed: int, stretch: float = 0.0) -> Any:
    """A reproducible ScheduleFile; ``stretch``: share of activities made 3 days longer."""
    from epmo.schedule import parsed

    rng, longer = random.Random(seed), random.Random(seed + 1)  # stretch keeps rng's sequence
    items: list[parsed.Activity] = []
    for i in range(activities):
        if i % 50 == 0:
            items.append(parsed.Activity(f"W{i // 50}", f"W{i // 50}", f"Phase {i // 50}",
                                         summary=True))
        milestone = rng.random() < 0.05
        hours = 0.0 if milestone else rng.randint(1, 20) * 8.0
        if longer.random() < stretch:
            hours += 24.0
        items.append(parsed.Activity(f"A{i}", f"A{i}", f"Activity {i}", parent_uid=f"W{i // 50}",
                                     outline_level=2, milestone=milestone, duration_hours=hours))
    found: set[tuple[int, int]] = set()
    while len(found) < links:
        succ = rng.randint(1, activities - 1)
        found.add((rng.randint(max(0, succ - 200), succ - 1), succ))
    kinds = rng.choices(("FS", "SS", "FF", "SF"), (80, 10, 7, 3), k=len(found))
    relations = tuple(parsed.Link(f"A{p}", f"A{s}", kind,  # type: ignore[arg-type]
                                  rng.choice((0, 0, 0, -8, 8, 16, 40)) * 1.0)
                      for (p, s), kind in zip(sorted(found), kinds, strict=True))
    return parsed.ScheduleFile("mspdi", "Synthetic plan", start=START, calendar_uid="1",
                               activities=tuple(items), links=relations,
                               calendars=(_calendar(),))


def _with_dates(file: Any) -> Any:
    """The file with each activity's start/finish set to the hub's early dates (as a tool's)."""
    from epmo.schedule import planning

    plan = planning.plan(file)
    return replace(file, activities=tuple(
        replace(a, start=plan.timings[a.uid].early_start, finish=plan.timings[a.uid].early_finish)
        for a in file.activities))


def _setup(engine: Any) -> tuple[Any, int]:
    """A department, an EPMO admin and a project to import into."""
    from epmo.auth import service as auth_service
    from epmo.db import UnitOfWork
    from epmo.org.models import Department
    from epmo.portfolio.models import Project

    with UnitOfWork(engine) as session:
        dept = Department(code="OPS", name="Operations")
        session.add(dept)
        session.flush()
        user = auth_service.create_user(session, email="admin@bench.local", name="Bench admin",
                                        role="epmo_admin", password="bench-admin-pw-1234")
        project = Project(code="SCHED-1", name="Scheduled", department_id=dept.id, tier=1)
        session.add(project)
        session.commit()
        return auth_service.actor_for(session, user), project.id


def _import(engine: Any, actor: Any, project_id: int, name: str, data: bytes) -> Any:
    from epmo.db import UnitOfWork
    from epmo.schedule import service

    with UnitOfWork(engine) as session:
        session.act_as(actor.id, actor.label)
        summary = service.import_schedule(session, actor, project_id,
                                          service.Upload(name, data))
        session.commit()
        return summary


def end_to_end(label: str, url: str, args: argparse.Namespace) -> None:
    """First import, the same file again, then a file with moved activities."""
    from epmo.schedule import mspdi_write, planning, reading

    first = mspdi_write.write(_with_dates(generate(args.activities, args.links, args.seed)))
    later = mspdi_write.write(_with_dates(generate(args.activities, args.links, args.seed, 0.1)))
    base_ms, _ = timed(lambda: ET.fromstring(first))
    read_ms, files = timed(lambda: reading.read_schedule(first))
    plan_ms, _ = timed(lambda: planning.plan(files[0]))
    print(f"[{label}] file {len(first) / 1e6:.1f} MB; baseline XML parse {base_ms:.0f} ms; "
          f"read {read_ms:.0f} ms; CPM {plan_ms:.0f} ms")
    with database(url) as engine:
        actor, project_id = _setup(engine)
        for name, data in (("first import", first), ("same file again", first),
                           ("10 % moved", later)):
            ms, got = timed(lambda data=data: _import(engine, actor, project_id, "plan.xml", data))
            print(f"[{label}] {name:16s} {ms / 1000:6.2f} s  (x{ms / base_ms:5.1f} of the parse) "
                  f"added {got.added}, removed {got.removed}, moved {got.moved}, "
                  f"milestones created {got.milestones_created}, moved {got.milestones_moved}")


def compare_file(path: Path) -> None:
    """The hub's early dates against the file's own, and the time of read + CPM."""
    from epmo.schedule import planning, reading

    data = path.read_bytes()
    read_ms, files = timed(lambda: reading.read_schedule(data))
    for file in files:
        plan_ms, plan = timed(lambda file=file: planning.plan(file))
        stored = [a for a in file.tasks if not a.summary and a.early_start and a.early_finish]
        same = sum(1 for a in stored if (plan.timings[a.uid].early_start,
                                          plan.timings[a.uid].early_finish)
                   == (a.early_start, a.early_finish))
        share = f"{same / len(stored):.1%}" if stored else "n/a"
        print(f"{path.name} [{file.code or file.name}]: {len(file.tasks):,} activities, "
              f"{len(file.links):,} links; early dates equal to the file's: {same:,} of "
              f"{len(stored):,} ({share}); read {read_ms:.0f} ms, CPM {plan_ms:.0f} ms")


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.schedule_import", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--activities", type=int, default=4000)
    parser.add_argument("--links", type=int, default=6000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sqlite", default="/tmp/bench-schedule.db")
    parser.add_argument("--postgres", default="", help="PostgreSQL URL (a temporary schema)")
    parser.add_argument("--file", type=Path, help="a real MSPDI or XER file to compare")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the end-to-end import on each database, or compare a real file."""
    args = _parse(argv)
    print(machine())
    if args.file:
        compare_file(args.file)
    else:
        Path(args.sqlite).unlink(missing_ok=True)
        end_to_end("sqlite", f"sqlite:///{args.sqlite}", args)
        if args.postgres:
            end_to_end("postgresql", args.postgres, args)
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
