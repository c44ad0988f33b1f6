"""The CPM engine: link types and lags, calendars, constraints, progress, summaries, cycles."""

from __future__ import annotations

import itertools
from datetime import date, datetime

import pytest

from epmo.engines.cpm import (
    ConstraintKind,
    CycleError,
    LagCalendar,
    LinkType,
    Network,
    Relation,
    Schedule,
    Task,
    schedule,
)
from epmo.engines.workcal import (
    OFFICE_DAY,
    DayException,
    NoWorkingTime,
    WorkCalendar,
    office_calendar,
)

DAY = 480
CHRISTMAS = DayException(date(2026, 12, 25), date(2026, 12, 25))
OFFICE = office_calendar("office", (CHRISTMAS,))
SEVEN_DAYS = WorkCalendar("7d", (OFFICE_DAY,) * 7)
MONDAY = datetime(2026, 12, 7, 8)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in December 2026 (the 7th is a Monday)."""
    return datetime(2026, 12, day, hour, minute)


def run(
    tasks: list[Task],
    relations: list[Relation] = (),  # type: ignore[assignment]
    **options: object,
) -> Schedule:
    """Schedule on the office calendar from Monday 7 December 2026, 08:00."""
    settings: dict[str, object] = {"start": MONDAY, "calendars": (OFFICE, SEVEN_DAYS)}
    settings.update(options)
    return schedule(
        Network(tuple(tasks), tuple(relations), calendar="office", **settings)  # type: ignore[arg-type]
    )


def early(result: Schedule, task: str) -> tuple[datetime, datetime]:
    """A task's early start and finish."""
    dates = result.tasks[task]
    return dates.early_start, dates.early_finish


# --- link types, lags and leads ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "type", "lag", "start", "finish"),
    [
        (DAY, 2 * DAY, "FS", 0, at(8, 8), at(9, 17)),
        (DAY, 2 * DAY, "FS", DAY, at(9, 8), at(10, 17)),
        (DAY, 2 * DAY, "FS", -240, at(7, 13), at(9, 12)),  # a half-day lead
        (DAY, 2 * DAY, "SS", 240, at(7, 13), at(9, 12)),
        (DAY, 2 * DAY, "SS", -DAY, at(7, 8), at(8, 17)),  # the lead is clipped by the start
        (5 * DAY, DAY, "FF", 0, at(11, 8), at(11, 17)),
        (5 * DAY, DAY, "FF", DAY, at(14, 8), at(14, 17)),
        (5 * DAY, DAY, "FF", -DAY, at(10, 8), at(11, 8)),  # the finish stays on the bound
        (DAY, 2 * DAY, "SF", 3 * DAY, at(8, 8), at(9, 17)),
        (DAY, 2 * DAY, "SF", 0, at(7, 8), at(8, 17)),  # already satisfied at the start
        (5 * DAY, 0, "FS", 0, at(11, 17), at(11, 17)),  # a milestone sits at its driver's end
        (5 * DAY, DAY, "FS", 0, at(14, 8), at(14, 17)),  # the weekend is skipped
        (DAY, 300, "FS", 0, at(8, 8), at(8, 14)),  # the lunch hour is skipped
    ],
)
def test_link_types_with_lags(
    a: int, b: int, type: LinkType, lag: int, start: datetime, finish: datetime
) -> None:
    """Each link type, with lags and leads, on the office calendar (08-12, 13-17)."""
    result = run([Task("A", a), Task("B", b)], [Relation("A", "B", type, lag)])
    assert early(result, "B") == (start, finish)


def test_a_finish_bound_at_a_day_start_is_kept() -> None:
    """SF to Monday 08:00 finishes the successor then (MS Project), not Friday 17:00."""
    tasks = [Task("A", DAY, constraint="SNET", constraint_date=at(14, 8)), Task("B", DAY)]
    result = run(tasks, [Relation("A", "B", "SF")])
    assert early(result, "B") == (at(11, 8), at(14, 8))


def test_holiday_is_skipped() -> None:
    """Christmas (a Friday) is not worked: two days from Thursday end on Monday."""
    result = run([Task("A", 2 * DAY, constraint="SNET", constraint_date=at(24, 8))])
    assert early(result, "A") == (at(24, 8), at(28, 17))


@pytest.mark.parametrize(
    ("relation", "start"),
    [
        (Relation("A", "B", lag_percent=50), at(8, 13)),  # half of A's day: Tuesday noon
        (Relation("A", "B", lag_percent=-50), at(7, 13)),
        (Relation("A", "B", lag=1440, elapsed=True), at(9, 8)),  # Tuesday 17:00 -> Wednesday
        (Relation("A", "B", lag=-300, elapsed=True), at(7, 13)),  # 12:00 is lunch
    ],
)
def test_percent_and_elapsed_lags(relation: Relation, start: datetime) -> None:
    """A lag as a share of the predecessor's duration, or in elapsed minutes."""
    result = run([Task("A", DAY), Task("B", DAY)], [relation])
    assert result.tasks["B"].early_start == start


def test_elapsed_lag_runs_over_the_weekend() -> None:
    """Two elapsed days from Friday 17:00 end on Sunday: the successor starts Monday."""
    tasks = [Task("A", 5 * DAY), Task("B", DAY)]
    elapsed = run(tasks, [Relation("A", "B", lag=2 * 1440, elapsed=True)])
    working = run(tasks, [Relation("A", "B", lag=2 * DAY)])
    assert elapsed.tasks["B"].early_start == at(14, 8)
    assert working.tasks["B"].early_start == at(16, 8)


@pytest.mark.parametrize(("lag_calendar", "start"), [("successor", at(15, 8)), ("predecessor", at(14, 8))])
def test_the_lag_calendar_is_a_choice(lag_calendar: LagCalendar, start: datetime) -> None:
    """MS Project counts a lag on the successor's calendar, P6 on the predecessor's."""
    tasks = [Task("A", 5 * DAY, calendar="7d"), Task("B", DAY)]
    result = run(tasks, [Relation("A", "B", lag=DAY)], lag_calendar=lag_calendar)
    assert early(result, "A") == (at(7, 8), at(11, 17))
    assert result.tasks["B"].early_start == start


# --- constraints ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "when", "start", "finish"),
    [
        ("ASAP", None, at(8, 8), at(8, 17)),
        ("ALAP", None, at(8, 8), at(8, 17)),  # early dates stay as soon as possible
        ("SNET", at(9, 8), at(9, 8), at(9, 17)),
        ("SNET", at(7, 8), at(8, 8), at(8, 17)),  # the link is later: it wins
        ("FNET", at(10, 17), at(10, 8), at(10, 17)),
        ("MSO", at(7, 13), at(7, 13), at(8, 12)),  # a hard date beats the link
        ("MFO", at(11, 12), at(10, 13), at(11, 12)),
        ("SNLT", at(7, 8), at(7, 8), at(7, 17)),  # held back: negative float
        ("FNLT", at(7, 17), at(7, 8), at(7, 17)),
        ("FNLT", at(18, 17), at(8, 8), at(8, 17)),  # not binding
    ],
)
def test_constraints_on_early_dates(
    kind: ConstraintKind, when: datetime | None, start: datetime, finish: datetime
) -> None:
    """Each constraint kind on a one-day task after a one-day predecessor."""
    tasks = [Task("A", DAY), Task("B", DAY, constraint=kind, constraint_date=when)]
    result = run(tasks, [Relation("A", "B")])
    assert early(result, "B") == (start, finish)


@pytest.mark.parametrize(
    ("kind", "when", "late_start", "float_minutes"),
    [
        ("ASAP", None, at(9, 8), 2 * DAY),
        ("SNLT", at(8, 8), at(8, 8), DAY),
        ("FNLT", at(7, 17), at(7, 8), 0),
        ("MSO", at(8, 8), at(8, 8), 0),
        ("SNET", at(9, 8), at(9, 8), 0),
    ],
)
def test_constraints_on_late_dates(
    kind: ConstraintKind, when: datetime | None, late_start: datetime, float_minutes: int
) -> None:
    """Late dates and float of a one-day task beside a three-day one."""
    tasks = [Task("A", DAY, constraint=kind, constraint_date=when), Task("C", 3 * DAY)]
    result = run(tasks)
    assert result.tasks["A"].late_start == late_start
    assert result.tasks["A"].total_float_minutes == float_minutes
    assert result.tasks["A"].critical is (float_minutes <= 0)


def test_snlt_that_cannot_hold_gives_negative_float() -> None:
    """A start-no-later-than before the predecessor's finish: negative float, critical."""
    tasks = [Task("A", 2 * DAY), Task("B", DAY, constraint="SNLT", constraint_date=at(8, 8))]
    result = run(tasks, [Relation("A", "B")])
    assert result.tasks["A"].total_float_minutes == -DAY
    assert result.tasks["A"].critical


# --- backward pass, float, the critical path -----------------------------------------------------


def _diamond(**options: object) -> Schedule:
    tasks = [Task("S", 0), Task("A", 2 * DAY), Task("B", DAY), Task("E", DAY)]
    links = [Relation("S", "A"), Relation("S", "B"), Relation("A", "E"), Relation("B", "E")]
    return run(tasks, links, **options)


def test_backward_pass_float_and_critical_path() -> None:
    """The short branch floats a day; the long one is the critical path."""
    result = _diamond()
    assert result.finish == at(9, 17)
    # a late finish ends at the end of working time: Tuesday 17:00, not Wednesday 08:00
    assert (result.tasks["B"].late_start, result.tasks["B"].late_finish) == (at(8, 8), at(8, 17))
    assert [result.tasks[t].total_float_minutes for t in "SABE"] == [0, 0, DAY, 0]
    assert result.critical_path == ("S", "A", "E")


def test_late_dates_from_a_given_finish() -> None:
    """A later finish date gives every task that much more float."""
    result = _diamond(finish=at(10, 17))
    assert [result.tasks[t].total_float_minutes for t in "SABE"] == [DAY, DAY, 2 * DAY, DAY]
    assert result.critical_path == ()


# --- progress and the status date ----------------------------------------------------------------


def test_status_date_holds_unstarted_work() -> None:
    """Unstarted work starts no earlier than the status date (P6's data date)."""
    result = run([Task("A", DAY)], status_date=at(9, 8))
    assert early(result, "A") == (at(9, 8), at(9, 17))


def test_started_task_resumes_at_the_status_date() -> None:
    """Remaining work of a started task runs from the status date; its successor follows."""
    tasks = [Task("A", 2 * DAY, actual_start=at(7, 8), remaining=DAY), Task("B", DAY)]
    result = run(tasks, [Relation("A", "B")], status_date=at(10, 8))
    assert early(result, "A") == (at(7, 8), at(10, 17))
    assert early(result, "B") == (at(11, 8), at(11, 17))


def test_finished_task_keeps_its_actual_dates() -> None:
    """A finished task keeps its actuals, whatever its links say."""
    tasks = [
        Task("A", DAY),
        Task("B", DAY, actual_start=at(7, 8), actual_finish=at(7, 12)),
        Task("C", DAY),
    ]
    result = run(tasks, [Relation("A", "B"), Relation("B", "C")])
    assert early(result, "B") == (at(7, 8), at(7, 12))
    assert result.tasks["C"].early_start == at(7, 13)


# --- summaries -----------------------------------------------------------------------------------


def test_summary_spans_children_and_links_reach_its_leaves() -> None:
    """A link into a summary holds each child; a link out waits for all of them."""
    tasks = [
        Task("X", DAY),
        Task("S"),
        Task("S1", DAY, parent="S"),
        Task("S2", 2 * DAY, parent="S"),
        Task("Y", DAY),
    ]
    result = run(tasks, [Relation("X", "S"), Relation("S", "Y")])
    assert early(result, "S1") == (at(8, 8), at(8, 17))
    assert early(result, "S") == (at(8, 8), at(9, 17))
    assert early(result, "Y") == (at(10, 8), at(10, 17))
    assert result.tasks["S"].critical and not result.tasks["S1"].critical
    assert list(result.tasks) == ["X", "S", "S1", "S2", "Y"]


# --- errors --------------------------------------------------------------------------------------


def test_a_cycle_is_named() -> None:
    """A cycle raises CycleError listing its tasks."""
    tasks = [Task("A", DAY), Task("B", DAY), Task("C", DAY), Task("D", DAY)]
    links = [Relation("A", "B"), Relation("B", "C"), Relation("C", "D"), Relation("D", "B")]
    with pytest.raises(CycleError, match="cycle") as raised:
        run(tasks, links)
    cycle = raised.value.cycle
    assert cycle[0] == cycle[-1] and set(cycle) == {"B", "C", "D"}
    assert all(Relation(a, b) in links for a, b in itertools.pairwise(cycle))


def test_a_link_from_a_summary_to_its_own_child_is_a_cycle() -> None:
    """The child would have to follow itself."""
    tasks = [Task("S"), Task("C", DAY, parent="S")]
    with pytest.raises(CycleError, match="C -> C"):
        run(tasks, [Relation("S", "C")])


def test_an_outline_loop_is_a_cycle() -> None:
    """Parents that name each other."""
    with pytest.raises(CycleError):
        run([Task("A", DAY, parent="B"), Task("B", DAY, parent="A")])


@pytest.mark.parametrize(
    ("tasks", "links", "message"),
    [
        ([Task("A", DAY)], [Relation("A", "Z")], "unknown task Z"),
        ([Task("A", DAY, calendar="moon")], [], "unknown calendar moon"),
        ([Task("A", DAY, parent="Z")], [], "unknown parent Z"),
        ([Task("A", DAY), Task("A", DAY)], [], "A appears twice"),
    ],
)
def test_bad_networks_are_refused(tasks: list[Task], links: list[Relation], message: str) -> None:
    """Unknown ids are named."""
    with pytest.raises(ValueError, match=message):
        run(tasks, links)


def test_bad_inputs_are_refused() -> None:
    """Negative durations, undated constraints and unknown link types fail on construction."""
    with pytest.raises(ValueError, match="duration"):
        Task("A", -1)
    with pytest.raises(ValueError, match="SNET"):
        Task("A", DAY, constraint="SNET")
    with pytest.raises(ValueError, match="type"):
        Relation("A", "B", "XX")  # type: ignore[arg-type]


def test_a_calendar_without_work_is_a_clear_error() -> None:
    """Scheduling on a calendar with no working time raises, it does not loop."""
    idle = WorkCalendar("idle", ((),) * 7)
    with pytest.raises(NoWorkingTime, match="idle"):
        run([Task("A", DAY, calendar="idle")], calendars=(OFFICE, idle))


def test_an_empty_network_finishes_at_its_start() -> None:
    """Nothing to schedule: the finish is the start, no critical path."""
    result = run([])
    assert (result.finish, result.critical_path, dict(result.tasks)) == (MONDAY, (), {})


def test_a_finish_without_a_recorded_start() -> None:
    """A task finished with no actual start is taken to have run its duration before."""
    result = run([Task("A", DAY, actual_finish=at(8, 12))])
    assert early(result, "A") == (at(7, 13), at(8, 12))


def test_a_task_linked_to_itself_is_a_cycle() -> None:
    """A self-link is the smallest cycle."""
    with pytest.raises(CycleError, match="A -> A"):
        run([Task("A", DAY)], [Relation("A", "A")])
