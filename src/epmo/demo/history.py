"""The demo projects' governance history as table rows: status reports, RAID, artefacts, gates.

Pure and seeded like the rest of the demo: the same plan, projects and terms give the same
rows. Rows come out in chunks per table, so 50,000 projects with two years of monthly reports
(about a million rows) never sit in memory at once.

Each project reports once per period of its contract's cadence (weekly, fortnightly or
monthly): a running project (planning, executing, closing) for every period since it started,
so compliance over the whole history finds nothing the generator forgot; a finished or paused
one for the periods of the history window it ran in. The current period's report is in for
some (the more of the period has gone, the more); a few running projects (the first two of
each top-level department, and ``LATE_SHARE`` of the rest) are deliberately two or three
finished periods behind. Colours walk back in time from today's health.
Projects keep risks (probability x impact), some issues, decisions and change requests, link
the artefacts their contract asks for at each stage they reached, and have a 'go' review for
most gates they passed (a few after an earlier 'hold'; a few still missing).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Final

from epmo.engines.compliance.periods import period_bounds

Row = dict[str, Any]
Gate = tuple[str, str, tuple[str, ...]]  # code, the stage it admits into, criteria
# artefacts per stage, gates, report cadence
Terms = tuple[Mapping[str, Sequence[str]], Sequence[Gate], str]
TermsOf = Callable[[int, int], Terms]  # (department id, tier) -> the project's terms
TABLES: Final = ("status_report", "raid_item", "artefact", "gate_review")
COLOURS: Final = ("green", "amber", "red")
DIMENSIONS: Final = ("schedule", "cost", "scope", "risk", "resources")
REACHED: Final[Mapping[str, tuple[str, ...]]] = {
    "proposed": (), "approved": ("approved",), "planning": ("approved", "planning"),
    "executing": ("approved", "planning", "executing"),
    "closing": ("approved", "planning", "executing", "closing"),
    "closed": ("approved", "planning", "executing", "closing", "closed"),
    "on_hold": ("approved", "planning", "executing"), "cancelled": ("approved", "planning"),
}
REPORTING: Final = frozenset({"planning", "executing", "closing", "closed", "on_hold",
                              "cancelled"})
RUNNING: Final = frozenset({"planning", "executing", "closing"})  # compliance checks reports
LATE_SHARE: Final = 0.05  # running projects deliberately a few reports behind
LATE_PER_DEPARTMENT: Final = 2  # and the first running ones of each top-level department
LATE_REPORT: Final = 0.08  # reports submitted after their due day (they show in past scores)
MISSED_GATE: Final = 0.03  # gates passed without a review on file (a deliberate finding)
MISSED_ARTEFACT: Final = 0.03  # artefacts not linked (a deliberate finding)
SOURCES: Final = ("form",) * 7 + ("upload",) * 2 + ("api",)  # how reports arrive, 7:2:1
ACHIEVEMENTS: Final = ("Milestone reached on time", "Design signed off", "Supplier contracted",
                       "Pilot completed", "Test cycle finished", "Training delivered", "")
NEXT_STEPS: Final = ("Prepare the next release", "Complete user testing", "Run the cut-over",
                     "Close open change requests", "Start the next wave", "")
RISKS: Final = ("Key supplier delivers late", "Scarce specialists", "Scope creep from users",
                "Budget cut in the next cycle", "Integration harder than planned",
                "Regulatory change", "Data quality worse than assumed", "Sponsor changes role",
                "Dependency on another department slips", "Adoption lower than planned")
RESPONSES: Final = ("Mitigate: weekly supplier review", "Mitigate: second supplier lined up",
                    "Accept and monitor", "Transfer: fixed-price contract",
                    "Avoid: de-scope the optional part", "Mitigate: cross-train the team")
ISSUES: Final = ("Test environment unavailable", "Critical defect found", "Team member left",
                 "Late delivery from a supplier")
DECISIONS: Final = ("Go with vendor A", "Phase the roll-out by region", "Keep the legacy interface",
                    "Move go-live by one month")
CHANGES: Final = ("Add a reporting module", "Extend to a second site", "Drop the mobile app")
ARTEFACT_TITLES: Final = {"charter": "Project charter", "business_case": "Business case",
                          "plan": "Project plan and baseline", "closure_report": "Closure report",
                          "lessons_learned": "Lessons learned", "other": "Supporting document"}


@dataclass
class Context:
    """What every project's history is drawn from."""

    today: date
    months: int
    now: datetime
    terms_of: TermsOf
    rng: random.Random
    window: date = date.min  # first day of the history window (``months`` calendar months)
    stamp: Row = field(default_factory=dict)  # version and times of every row
    periods: dict[tuple[str, date], list[tuple[date, date]]] = field(default_factory=dict)
    top_of: Mapping[int, int] = field(default_factory=dict)  # department -> its top department
    late: dict[int, int] = field(default_factory=dict)  # top department -> late projects so far

    def choose_late(self, department_id: int) -> bool:
        """Whether this running project is one of the deliberately late ones."""
        top = self.top_of.get(department_id, department_id)
        if self.late.get(top, 0) < LATE_PER_DEPARTMENT or self.rng.random() < LATE_SHARE:
            self.late[top] = self.late.get(top, 0) + 1
            return True
        return False

    def __post_init__(self) -> None:
        """The window: the last ``months`` calendar months, ending with today's."""
        year, month = self.today.year, self.today.month
        for _ in range(max(0, self.months - 1)):
            year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        self.window = date(year, month, 1) if self.months else self.today + timedelta(days=1)
        self.stamp = _stamp(self.now)

    def periods_from(self, cadence: str, first: date) -> list[tuple[date, date]]:
        """Periods of ``cadence`` from the one holding ``first`` to the one holding today
        (remembered per cadence and first period, as many projects share them)."""
        start = period_bounds(cadence, first)[0]
        key = (cadence, start)
        if key not in self.periods:
            found, day = [], start
            while day <= self.today:
                bounds = period_bounds(cadence, day)
                found.append(bounds)
                day = bounds[1] + timedelta(days=1)
            self.periods[key] = found
        return self.periods[key]


def _stamp(now: datetime) -> Row:
    return {"version": 1, "created_at": now, "updated_at": now}


def _at(day: date) -> datetime:
    return datetime.combine(day, time(16, 0), tzinfo=UTC)


def history_chunks(ctx: Context, projects: Iterable[Row],
                   chunk: int = 5_000) -> Iterator[tuple[str, list[Row]]]:
    """(table, rows) chunks of the history of ``projects``, at most ``chunk`` rows each."""
    buffers: dict[str, list[Row]] = {name: [] for name in TABLES}
    for project in projects:
        for name, rows in zip(TABLES, _history(ctx, project), strict=True):
            buffer = buffers[name]
            buffer += rows
            if len(buffer) >= chunk:
                yield name, buffer
                buffers[name] = []
    for name, buffer in buffers.items():
        if buffer:
            yield name, buffer


def _history(ctx: Context, project: Row) -> tuple[list[Row], ...]:
    """One project's reports, RAID items, artefacts and gate reviews."""
    if project["stage"] == "proposed":
        return [], [], [], []
    artefacts, gates, cadence = ctx.terms_of(project["department_id"], project["tier"])
    reached = REACHED.get(project["stage"], ())
    return (_reports(ctx, project, cadence), _raid(ctx, project),
            _artefacts(ctx, project, reached, artefacts),
            _gate_reviews(ctx, project, reached, gates))


# --- status reports -------------------------------------------------------------------------


def _active_periods(ctx: Context, project: Row, cadence: str) -> list[tuple[date, date]]:
    """Periods the project reported for: every one since its start while it runs, else
    those of the window it ran in; the current one for some, and a few late ones held back."""
    if project["stage"] not in REPORTING or project["actual_start"] is None:
        return []
    start, finish = project["actual_start"], project["actual_finish"]
    running = project["stage"] in RUNNING
    first = start if running else max(start, ctx.window)
    if first > ctx.today:
        return []
    periods = [(s, e) for s, e in ctx.periods_from(cadence, first)
               if (finish is None or finish >= s) and (running or s >= ctx.window)]
    rng = ctx.rng
    late = running and len(periods) > 4 and ctx.choose_late(project["department_id"])
    if periods and periods[-1][1] >= ctx.today:  # the period under way
        current_start, current_end = periods[-1]
        gone = (ctx.today - current_start).days + 1
        if late or rng.random() >= gone / ((current_end - current_start).days + 1):
            periods.pop()
    if late:
        del periods[-rng.choice((2, 3)):]  # two or three finished periods behind: overdue
    return periods


def _colours(rng: random.Random, last: str, count: int) -> list[str]:
    """``count`` monthly colours ending with ``last``, walking back in time."""
    walk = [COLOURS.index(last) if last in COLOURS else 0]
    for _ in range(count - 1):
        step = 0 if rng.random() < 0.75 else rng.choice((-1, 1))
        walk.append(min(2, max(0, walk[-1] + step)))
    return [COLOURS[i] for i in reversed(walk)]


def _dimensions(rng: random.Random, overall: str) -> Row:
    """Per-dimension colours whose worst is the overall colour."""
    top = COLOURS.index(overall)
    lead = rng.choice(("schedule", "cost", "schedule", "cost", "scope", "risk", "resources"))
    dims: Row = {}
    for name in DIMENSIONS:
        level = top if name == lead or rng.random() < 0.3 else rng.randint(0, top)
        dims[name] = COLOURS[level]
    if overall == "green" and rng.random() < 0.1:
        dims["resources"] = None
    return dims


def _delay(rng: random.Random) -> int:
    """Days from a period's end to its report: within the grace days, a few well after."""
    return rng.randint(9, 40) if rng.random() < LATE_REPORT else rng.randint(0, 6)


def _reports(ctx: Context, project: Row, cadence: str) -> list[Row]:
    months = _active_periods(ctx, project, cadence)
    if not months:
        return []
    rng = ctx.rng
    planned, forecast = project["budget_planned"], project["budget_forecast"]
    rows = []
    colours = _colours(rng, project["health"], len(months))
    for i, ((start, end), overall) in enumerate(zip(months, colours, strict=True)):
        share = Decimal(i + 1) / Decimal(len(months))
        rows.append({
            "project_id": project["id"], "period_start": start, "period_end": end,
            "overall": overall, **_dimensions(rng, overall),
            "achievements": rng.choice(ACHIEVEMENTS), "next_steps": rng.choice(NEXT_STEPS),
            "decisions_needed": "", "key_risks": rng.choice(RISKS) if overall != "green" else "",
            "key_issues": "", "forecast_finish": project["forecast_finish"],
            "forecast_cost": (planned + (forecast - planned) * share).quantize(Decimal(1)),
            "source": rng.choice(SOURCES),
            "submitted_by_id": None,
            "submitted_at": _at(min(end + timedelta(days=_delay(rng)), ctx.today)),
            **ctx.stamp,
        })
    return rows


# --- RAID -----------------------------------------------------------------------------------


def _raid_item(ctx: Context, project: Row, kind: str, title: str, probability: int | None,
               impact: int | None, status: str) -> Row:
    rng = ctx.rng
    first = project["actual_start"] or project["planned_start"]
    last = min(project["actual_finish"] or ctx.today, ctx.today)
    raised = first + timedelta(days=rng.randint(0, max(0, (last - first).days)))
    raised = min(raised, ctx.today)
    return {
        "project_id": project["id"], "kind": kind, "title": title, "description": "",
        "probability": probability, "impact": impact,
        "score": probability * impact if probability and impact else None,
        "owner_id": project["manager_id"],
        "response": rng.choice(RESPONSES) if kind == "risk" else "", "status": status,
        "raised_on": raised, "due_on": raised + timedelta(days=rng.randint(30, 120)),
        **ctx.stamp,
    }


def _raid(ctx: Context, project: Row) -> list[Row]:
    rng = ctx.rng
    done = project["stage"] in ("closed", "cancelled")
    trouble = COLOURS.index(project["health"]) if project["health"] in COLOURS else 0
    items = []
    for _ in range(rng.choice((0, 1, 1, 2, 2, 3, 4)) + trouble):
        probability = min(5, rng.randint(1, 4) + (1 if trouble == 2 else 0))
        status = "closed" if done or rng.random() < 0.2 else "open"
        items.append(_raid_item(ctx, project, "risk", rng.choice(RISKS), probability,
                                rng.randint(1, 5), status))
    if rng.random() < 0.2 + 0.15 * trouble:
        items.append(_raid_item(ctx, project, "issue", rng.choice(ISSUES), None,
                                rng.randint(2, 5), "closed" if done else "open"))
    if rng.random() < 0.25:
        items.append(_raid_item(ctx, project, "decision", rng.choice(DECISIONS), None, None,
                                "closed"))
    if rng.random() < 0.1:
        items.append(_raid_item(ctx, project, "change", rng.choice(CHANGES), None, None,
                                "closed" if done or rng.random() < 0.5 else "open"))
    return items


# --- artefacts and gates --------------------------------------------------------------------


def _artefacts(ctx: Context, project: Row, reached: Sequence[str],
               required: Mapping[str, Sequence[str]]) -> list[Row]:
    code, rows = project["code"], []
    for stage in reached:
        for kind in required.get(stage, ()):
            if ctx.rng.random() >= MISSED_ARTEFACT:
                rows.append({
                    "project_id": project["id"], "kind": kind, "stage": stage,
                    "title": f"{ARTEFACT_TITLES.get(kind, kind)}: {project['name']}"[:200],
                    "url": f"https://docs.demo.epmo/projects/{code}/{kind}",
                    "file_name": None, "content_type": None, "size": None, "sha256": None,
                    "content": None, "uploaded_by_id": None, **ctx.stamp,
                })
    return rows


def _entered(ctx: Context, project: Row, stage: str) -> date:
    """When the project entered an enterprise stage (an estimate from its dates)."""
    start: date = project["actual_start"] or project["planned_start"]
    finish: date = project["actual_finish"] or project["forecast_finish"]
    days: dict[str, date] = {
        "approved": (project["baseline_start"] or start) - timedelta(days=30),
        "planning": start, "executing": start + (finish - start) * 15 // 100,
        "closing": finish - timedelta(days=20), "closed": finish}
    return min(days.get(stage, start), ctx.today)


def _review(ctx: Context, project: Row, gate: Gate, decision: str | None, day: date) -> Row:
    code, stage, criteria = gate
    return {
        "project_id": project["id"], "gate_code": code, "stage": stage,
        "checklist": [{"criterion": c, "met": decision == "go"} for c in criteria],
        "evidence": [f"https://docs.demo.epmo/projects/{project['code']}/gate-{code}"],
        "decision": decision, "approver_id": None,
        "rationale": {"go": "All criteria met", "hold": "Evidence incomplete; resubmit",
                      None: ""}[decision],
        "decided_at": None if decision is None else _at(day),
        # opened on the day it was reviewed, not when the demo was loaded
        **ctx.stamp, "created_at": _at(day), "updated_at": _at(day),
    }


def _gate_reviews(ctx: Context, project: Row, reached: Sequence[str],
                  gates: Sequence[Gate]) -> list[Row]:
    rng, rows = ctx.rng, []
    for gate in gates:
        if gate[1] in reached:
            if rng.random() < MISSED_GATE:
                continue  # a stage entered without its gate: a compliance finding
            day = _entered(ctx, project, gate[1])
            if rng.random() < 0.05:
                rows.append(_review(ctx, project, gate, "hold", day - timedelta(days=14)))
            rows.append(_review(ctx, project, gate, "go", day))
        elif project["stage"] == "closing" and gate[1] == "closed" and rng.random() < 0.3:
            rows.append(_review(ctx, project, gate, None, ctx.today))
    return rows
