"""Benchmark the governance recompute on the large demo: compliance evaluation and roll-ups.

    python -m bench.governance --database sqlite:////tmp/epmo-gov.db
    python -m bench.governance --database postgresql+psycopg://postgres@127.0.0.1:5432/epmo_gov

Loads the demo enterprise (50,000 projects, 24 months of status reports, charter, contracts,
RAID, artefacts, gate reviews) when the database holds no projects, then times in-process,
with the caches off:

- **full recompute**: the compliance evaluation of every project plus the roll-up of every
  level (programme, portfolio, department, goal) for the latest month (issue target: < 5 s);
- **one project's incremental update**: a new status report for one project through the
  reporting service with the reactions its commit would run (``events.settle``: change
  propagation, the stored derived colour), then that project's compliance re-evaluated
  (target: < 50 ms); every round is rolled back so the data stays the same;
- a baseline in the same run: the latest report per project as one raw ``GROUP BY`` with
  the driver, the query the evaluation's heaviest read is built on.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from bench.common import BENCH_TODAY, Stats
from bench.overview import connect_driver, machine

TARGET_FULL_S = 5.0
TARGET_ONE_MS = 50.0
LEVELS = ("programme", "portfolio", "department", "goal")
BENCH_EMAIL = "bench@epmo.local"


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.governance", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", required=True, help="SQLAlchemy URL of the database")
    parser.add_argument("--projects", type=int, default=50_000)
    parser.add_argument("--report-months", type=int, default=24)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--today", type=date.fromisoformat, default=BENCH_TODAY,
                        help="the demo's reference date, pinned for the load and the "
                             "evaluation alike (default %(default)s)")
    parser.add_argument("--repeat", type=int, default=5, help="timed full recomputes")
    parser.add_argument("--one-repeat", type=int, default=30, help="timed one-project updates")
    return parser.parse_args(argv)


def _configure(url: str) -> None:
    os.environ["EPMO_DATABASE_URL"] = url
    os.environ["EPMO_OVERVIEW_CACHE_SECONDS"] = "0"  # measure the computation, not the cache
    os.environ.setdefault("EPMO_ENV", "development")
    from epmo import wiring
    from epmo.config import get_settings
    from epmo.db import SessionFactory, get_engine

    get_settings.cache_clear()
    get_engine.cache_clear()
    SessionFactory.maker = None
    wiring.install()


def prepare(args: argparse.Namespace) -> date:
    """Schema and demo when missing; the demo's reference date (the bench's "today")."""
    from sqlalchemy import func, inspect, select

    from epmo.cli.platform import upgrade_database
    from epmo.db import get_engine, unit_of_work
    from epmo.demo import cli as demo_cli
    from epmo.demo.generator import make_plan
    from epmo.portfolio.models import Project

    if not inspect(get_engine()).has_table("status_report"):
        upgrade_database(args.database)
    with unit_of_work() as session:
        existing = session.scalar(select(func.count()).select_from(Project)) or 0
    if not existing:
        print(f"loading the demo ({args.projects:,} projects, {args.report_months} months)...")
        started = time.perf_counter()
        demo_cli.demo(size=demo_cli.Size.large, projects=args.projects, seed=args.seed,
                      report_months=args.report_months,
                      today=datetime.combine(args.today, datetime.min.time()),
                      force=False, if_empty=True)
        print(f"loaded in {time.perf_counter() - started:.1f} s")
    # evaluated on the date the demo was loaded for, not the real today: a database loaded
    # on an earlier day (with the same --today) gives the same figures
    return make_plan("large", args.projects, args.seed, args.today, args.report_months).today


def _bench_actor(session: Any) -> Any:
    from epmo.auth import service as auth_service
    from epmo.errors import NotFound

    try:
        user = auth_service.get_user_by_email(session, BENCH_EMAIL)
    except NotFound:
        user = auth_service.create_user(session, email=BENCH_EMAIL, name="Benchmark",
                                        role="epmo_admin", password=None)
    return auth_service.actor_for(session, user)


def full_recompute(session: Any, actor: Any, today: date) -> dict[str, float]:
    """Evaluate every project's compliance and roll every level up; seconds per part."""
    from epmo.compliance import service as compliance
    from epmo.rollup import service as rollup

    parts: dict[str, float] = {}
    started = time.perf_counter()
    evaluation = compliance.evaluate(session, today)
    parts["compliance"] = time.perf_counter() - started
    assert evaluation.results, "no project evaluated"
    for level in LEVELS:
        started = time.perf_counter()
        rollup.get_rollup(session, actor, level, today=today)  # type: ignore[arg-type]
        parts[f"rollup {level}"] = time.perf_counter() - started
    return parts


def one_project(session: Any, actor: Any, today: date, project_id: int) -> float:
    """Submit a report for one project and re-evaluate it; milliseconds, then rolled back."""
    from epmo import events
    from epmo.compliance import service as compliance
    from epmo.reporting import service as reporting
    from epmo.reporting.schemas import StatusReportCreate

    data = StatusReportCreate(period=today, overall="amber", schedule="amber", cost="green",
                              scope="green", risk="amber", resources="green")
    started = time.perf_counter()
    reporting.submit_status_report(session, actor, project_id, data, today=today)
    events.settle(session)  # what the commit would run: propagation, the stored colour
    evaluation = compliance.evaluate(session, today, project_id=project_id)
    elapsed = (time.perf_counter() - started) * 1000
    assert len(evaluation.results) == 1
    return elapsed


def _project_without_report(session: Any, today: date) -> list[int]:
    """Executing projects with no report starting in today's month or covering today (so a
    submit is new whatever the project's cadence)."""
    from sqlalchemy import or_, select

    from epmo.portfolio.models import Project
    from epmo.reporting.models import StatusReport

    month = today.replace(day=1)
    reported = select(StatusReport.project_id).where(
        or_(StatusReport.period_start >= month, StatusReport.period_end >= today))
    query = (select(Project.id).where(Project.stage == "executing",
                                      Project.id.not_in(reported)).order_by(Project.id).limit(50))
    return list(session.scalars(query))


def baseline(url: str) -> Callable[[], None]:
    """The latest report per project, raw SQL with the driver."""
    conn = connect_driver(url)
    sql = ("SELECT project_id, MAX(period_end) FROM status_report GROUP BY project_id")

    def run() -> None:
        cursor = conn.cursor()
        cursor.execute(sql)
        cursor.fetchall()
        cursor.close()

    return run


def _timed(action: Callable[[], Any]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main(argv: Sequence[str] | None = None) -> None:
    """Load if needed, then time full recomputes and one-project updates."""
    from sqlalchemy import func, select

    from epmo.db import SessionFactory
    from epmo.reporting.models import StatusReport

    args = _parse(argv)
    _configure(args.database)
    print(machine(args.database))
    today = prepare(args)
    raw = baseline(args.database)
    session = SessionFactory.get()()
    try:
        actor = _bench_actor(session)
        session.commit()
        reports = session.scalar(select(func.count()).select_from(StatusReport))
        print(f"demo reference date {today}; {reports:,} status reports")
        full_recompute(session, actor, today)  # warm-up
        runs: list[dict[str, float]] = []
        raw_s: list[float] = []
        for _ in range(args.repeat):
            runs.append(full_recompute(session, actor, today))
            raw_s.append(_timed(raw))
        candidates = _project_without_report(session, today)
        one_ms: list[float] = []
        for i in range(args.one_repeat):
            one_ms.append(one_project(session, actor, today, candidates[i % len(candidates)]))
            session.rollback()
    finally:
        session.close()
    report(runs, raw_s, one_ms)


def report(runs: list[dict[str, float]], raw_s: list[float], one_ms: list[float]) -> None:
    """Print each part, the totals, the baseline ratio and the targets."""
    for part in runs[0]:
        print(f"  {part:<22} {Stats.of([r[part] * 1000 for r in runs])}")
    totals = Stats.of([sum(r.values()) * 1000 for r in runs])
    raw = Stats.of([s * 1000 for s in raw_s])
    one = Stats.of(one_ms)
    print(f"full recompute (compliance + 4 roll-ups) {totals}")
    print(f"baseline: latest report per project, raw SQL {raw}  "
          f"(full recompute = {totals.median / raw.median:.1f}x)")
    print(f"one project's update (report + re-evaluate) {one}")
    full_ok = totals.p95 / 1000 < TARGET_FULL_S
    one_ok = one.p95 < TARGET_ONE_MS
    verdict = {True: "met", False: "NOT met"}
    print(f"targets: full recompute < {TARGET_FULL_S:.0f} s (p95): {verdict[full_ok]}; "
          f"one project < {TARGET_ONE_MS:.0f} ms (p95): {verdict[one_ok]}")


if __name__ == "__main__":
    main()
