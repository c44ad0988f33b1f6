"""How fast the schedule readers and the MSPDI writer are on a generated 20,000-task schedule.

    python -m bench.schedule_readers [--tasks 20000] [--repeat 5]

An MSPDI file is generated (a summary task every 50 tasks, each task linked to the one
before, one assignment in ten, timings like MS Project writes them), then read with
``schedule.mspdi.read``, written with ``schedule.mspdi_write.write``, and the same schedule is
read from an XER export. The baseline of the run is a plain ``xml.etree`` parse of the same
bytes (no checks, no mapping); each figure is the median of --repeat runs with its ratio to it.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import datetime, timedelta

from epmo.schedule import mspdi, mspdi_write, xer
from epmo.schedule.parsed import Activity, Assignment, Link, Resource, ScheduleFile

START = datetime(2025, 1, 6, 8)


def generated(count: int) -> ScheduleFile:
    """``count`` tasks in groups of 50 under summary tasks, chained finish-to-start."""
    activities: list[Activity] = []
    links: list[Link] = []
    for n in range(1, count + 1):
        summary = n % 50 == 1
        day = START + timedelta(days=n // 5)
        activities.append(Activity(
            uid=str(n), code=str(n), name=f"Task {n}", summary=summary,
            parent_uid=None if summary else str(n - (n - 1) % 50),
            outline_level=1 if summary else 2,
            duration_hours=16.0, start=day, finish=day + timedelta(hours=33),
            early_start=day, early_finish=day + timedelta(hours=33), total_float_hours=8.0,
        ))
        if n > 2 and not summary and (n - 1) % 50 != 1:
            links.append(Link(str(n - 1), str(n), "FS", 8.0))
    assignments = [Assignment(str(n), "1", 16.0, START, START) for n in range(2, count, 10)]
    return ScheduleFile("mspdi", "Generated", start=START, activities=tuple(activities),
                        links=tuple(links), resources=(Resource("1", "Crew"),),
                        assignments=tuple(assignments))


def xer_export(schedule: ScheduleFile) -> bytes:
    """The same tasks and links as a one-project XER export."""
    lines = ["ERMHDR\t19.12", "%T\tPROJECT", "%F\tproj_id\tproj_short_name", "%R\t1\tGEN",
             "%T\tPROJWBS", "%F\twbs_id\tproj_id\tproj_node_flag\twbs_short_name\twbs_name",
             "%R\t1\t1\tY\tGEN\tGenerated", "%T\tTASK",
             "%F\ttask_id\tproj_id\twbs_id\ttask_code\ttask_name\ttask_type\ttarget_drtn_hr_cnt"
             "\tearly_start_date\tearly_end_date"]
    lines += [f"%R\t{a.uid}\t1\t1\t{a.code}\t{a.name}\tTT_Task\t{a.duration_hours}\t"
              f"{a.start:%Y-%m-%d %H:%M}\t{a.finish:%Y-%m-%d %H:%M}" for a in schedule.activities
              if a.start and a.finish]
    lines += ["%T\tTASKPRED", "%F\ttask_pred_id\ttask_id\tpred_task_id\tproj_id\tpred_type"
              "\tlag_hr_cnt"]
    lines += [f"%R\t{i}\t{k.successor_uid}\t{k.predecessor_uid}\t1\tPR_FS\t{k.lag_hours}"
              for i, k in enumerate(schedule.links, 1)]
    return ("\r\n".join([*lines, "%E"]) + "\r\n").encode()


def timed(action: Callable[[], object], repeat: int) -> float:
    """The median wall time of ``action`` over ``repeat`` runs, in seconds."""
    runs = []
    for _ in range(repeat):
        began = time.perf_counter()
        action()
        runs.append(time.perf_counter() - began)
    return statistics.median(runs)


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    schedule = generated(args.tasks)
    data = mspdi_write.write(schedule)
    export = xer_export(schedule)
    baseline = timed(lambda: ET.fromstring(data), args.repeat)
    rows = [("xml.etree parse (baseline)", baseline),
            ("mspdi.read", timed(lambda: mspdi.read(data), args.repeat)),
            ("mspdi_write.write", timed(lambda: mspdi_write.write(schedule), args.repeat)),
            ("xer.read", timed(lambda: xer.read(export), args.repeat))]
    print(f"{platform.python_implementation()} {platform.python_version()} on "
          f"{platform.machine()} ({platform.processor() or 'cpu unknown'}); {args.tasks:,} tasks, "
          f"MSPDI {len(data) / 1e6:.1f} MB, XER {len(export) / 1e6:.1f} MB, "
          f"median of {args.repeat}")
    for name, seconds in rows:
        print(f"{name:28} {seconds:7.3f} s  x{seconds / baseline:5.1f}")


if __name__ == "__main__":
    main()
