"""``epmo demo``: load the deterministic demo enterprise."""

from __future__ import annotations

import resource
import time
from datetime import datetime
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy.orm import Session

from epmo.config import get_settings
from epmo.db import unit_of_work, work_of
from epmo.demo import service
from epmo.demo.generator import Login, Plan, make_plan
from epmo.demo.service import LoadResult
from epmo.errors import FieldError, Invalid

out = Console()
FORCE_NOTE = ("--force: deleting every project, milestone, programme, portfolio, goal, person "
              "and department, the charter, tier rules, contracts, status reports and the rest "
              "of the register (and the demo logins) before loading; other user accounts, API "
              "tokens and the audit log are kept, but users lose their department memberships.")


class Size(StrEnum):
    """Preset enterprise sizes (number of projects)."""

    small = "small"
    medium = "medium"
    large = "large"


def demo(
    size: Annotated[Size, typer.Option(
        help="small ~120 projects, medium ~5,000, large 50,000")] = Size.small,
    projects: Annotated[int | None, typer.Option(
        min=1, help="Exact number of projects (overrides --size; everything else scales)")] = None,
    seed: Annotated[int, typer.Option(help="Same seed, same data")] = 1,
    report_months: Annotated[int | None, typer.Option(
        min=0, max=120, help="Months of monthly status reports up to today "
                             "(default: 24 for --size large, else 6)")] = None,
    snapshot_months: Annotated[int, typer.Option(
        min=0, max=120, help="Months of compliance snapshots up to today (month ends; every "
                             "third one for --size large; 0: none)")] = 12,
    today: Annotated[datetime | None, typer.Option(
        formats=["%Y-%m-%d"],
        help="Reference date every date is relative to (pin it to repeat a load exactly) "
             "[default: today]")] = None,
    force: Annotated[bool, typer.Option(
        help="Replace what is there: delete the register, people and departments first")] = False,
    if_empty: Annotated[bool, typer.Option(
        help="Do nothing (exit 0) when the database already holds projects")] = False,
    allow_in_production: Annotated[bool, typer.Option(
        "--allow-in-production",
        help="Load it even with EPMO_ENV=production (demo logins have published passwords)",
    )] = False,
) -> None:
    """Load a realistic, deterministic demo enterprise into the configured database."""
    if get_settings().env == "production" and not allow_in_production:
        raise Invalid("epmo demo is refused with EPMO_ENV=production: its logins have "
                      "published passwords", [FieldError("--allow-in-production",
                                                         "pass it to load the demo anyway")])
    plan = make_plan(size.value, projects, seed, today.date() if today else None, report_months,
                     snapshot_months)
    started = time.perf_counter()
    with unit_of_work() as session:
        work_of(session).actor_label = "epmo demo"
        service.require_schema(session)
        existing = service.count_projects(session)
        if if_empty and existing:
            out.print(f"the database already holds {existing} projects; demo not loaded")
            _sign_ins(service.existing_logins(session), "Demo logins (passwords as loaded, "
                                                        "unless changed since)")
            return
        if force:
            out.print(f"[yellow]{FORCE_NOTE}[/yellow]")
        else:
            service.ensure_no_projects(session)
        result = _load(session, plan, force)
    _report(result, time.perf_counter() - started)


def _load(session: Session, plan: Plan, force: bool) -> LoadResult:
    columns = (TextColumn("[progress.description]{task.description}"), BarColumn(),
               MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=out, transient=False) as bar:
        task = bar.add_task("loading projects", total=plan.projects)
        result = service.load_demo(session, plan, force=force,
                                   progress=lambda n: bar.advance(task, n))
        bar.update(task, description="committing")
    return result


def _report(result: LoadResult, seconds: float) -> None:
    if result.cleared:
        gone = ", ".join(f"{count} {name}" for name, count in result.cleared.items())
        out.print(f"cleared first: {gone}")
    made = ", ".join(f"{count:,} {name}" for name, count in result.counts.items())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    out.print(f"demo enterprise loaded in {seconds:.1f}s, peak memory {peak:,.0f} MiB "
              f"(seed {result.plan.seed}, dates relative to {result.plan.today.isoformat()}, "
              f"{result.plan.report_months} months of reports): {made}")
    if result.reused_departments:
        out.print(f"{result.reused_departments} existing departments with demo codes were reused")
    _sign_ins(result.logins, "Demo logins")


def _sign_ins(found: list[Login], title: str) -> None:
    """Print the demo's sign-ins (every run of ``make run`` shows them)."""
    if not found:
        return
    table = Table(title=title)
    for column in ("email", "password", "role", "department"):
        table.add_column(column)
    for login in found:
        table.add_row(login.email, login.password, login.role, login.department or "(all)")
    out.print(table)


def register(app: typer.Typer) -> None:
    """Add ``demo`` to the root app."""
    app.command("demo")(demo)

