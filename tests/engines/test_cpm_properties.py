"""Properties of the CPM engine on random networks, and a longest-path oracle on a 24/7 calendar."""

from __future__ import annotations

import itertools
from datetime import date, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from epmo.engines.cpm import LINK_TYPES, LagCalendar, Network, Relation, Schedule, Task, schedule
from epmo.engines.workcal import (
    Clock,
    DayException,
    WorkCalendar,
    continuous_calendar,
    office_calendar,
    stamp,
)

HOLIDAYS = (
    DayException(date(2026, 12, 24), date(2026, 12, 25)),
    DayException(date(2027, 1, 1), date(2027, 1, 1)),
)
OFFICE = office_calendar("office", HOLIDAYS)
NIGHTS = WorkCalendar("nights", (((0, 360), (1320, 1440)),) * 6 + ((),))
ALWAYS = continuous_calendar("always")
START = datetime(2026, 12, 7, 8)
LAG_CALENDARS: tuple[LagCalendar, ...] = ("successor", "predecessor")


@st.composite
def networks(draw: st.DrawFn, calendars: tuple[str, ...] = ("office", "nights")) -> Network:
    """A random DAG: links only from lower to higher index, every type, lags and leads."""
    n = draw(st.integers(1, 12))
    tasks = tuple(
        Task(f"T{i}", draw(st.integers(0, 3000)), calendar=draw(st.sampled_from(calendars)))
        for i in range(n)
    )
    relations = []
    for succ in range(1, n):
        for pred in draw(st.sets(st.integers(0, succ - 1), max_size=3)):
            relations.append(draw(_relation(f"T{pred}", f"T{succ}", calendars != ("always",))))
    lag_calendar = draw(st.sampled_from(LAG_CALENDARS))
    return Network(
        tasks, tuple(relations), (OFFICE, NIGHTS, ALWAYS), calendars[0], START,
        lag_calendar=lag_calendar,
    )


@st.composite
def _relation(draw: st.DrawFn, pred: str, succ: str, varied: bool) -> Relation:
    kind = draw(st.sampled_from(("working", "elapsed", "percent") if varied else ("working",)))
    return Relation(
        pred,
        succ,
        draw(st.sampled_from(LINK_TYPES)),
        lag=draw(st.integers(-1500, 2500)) if kind != "percent" else 0,
        elapsed=kind == "elapsed",
        lag_percent=draw(st.integers(-100, 200)) if kind == "percent" else None,
    )


def _clocks(network: Network) -> dict[str, Clock]:
    return {calendar.id: Clock(calendar) for calendar in network.calendars}


def _bound(network: Network, result: Schedule, relation: Relation) -> tuple[int, Clock]:
    """The moment the relation holds its successor to, and the successor's clock."""
    clocks, tasks = _clocks(network), {t.id: t for t in network.tasks}
    pred, succ = tasks[relation.pred], tasks[relation.succ]
    own = clocks[succ.calendar or network.calendar]
    lag_clock = own if network.lag_calendar == "successor" else clocks[pred.calendar or "office"]
    lag = relation.lag
    if relation.lag_percent is not None:
        lag = round(pred.duration * relation.lag_percent / 100)
    dates = result.tasks[relation.pred]
    base = dates.early_finish if relation.type[0] == "F" else dates.early_start
    return (clocks["always"] if relation.elapsed else lag_clock).add(stamp(base), lag), own


@settings(max_examples=150, deadline=None)
@given(networks())
def test_every_relation_holds_and_late_is_not_before_early(network: Network) -> None:
    """Early dates respect every relation; late >= early; float >= 0 without constraints."""
    result = schedule(network)
    for relation in network.relations:
        bound, clock = _bound(network, result, relation)
        dates = result.tasks[relation.succ]
        if relation.type[1] == "S":
            assert stamp(dates.early_start) >= bound, relation
        else:  # a finish in non-working time is the end of the working time before it
            assert stamp(dates.early_finish) >= clock.previous_finish(bound), relation
    for dates in result.tasks.values():
        assert dates.late_start >= dates.early_start and dates.late_finish >= dates.early_finish
        assert dates.total_float_minutes >= 0
        assert dates.early_start >= START


@settings(max_examples=150, deadline=None)
@given(networks())
def test_the_critical_path_is_a_linked_chain_to_the_finish(network: Network) -> None:
    """Consecutive tasks of the path are linked, all are critical, the last ends the project."""
    result = schedule(network)
    path = result.critical_path
    assert path, "without a given finish some task is critical"
    assert result.tasks[path[-1]].early_finish == result.finish
    linked = {(r.pred, r.succ) for r in network.relations}
    assert all((a, b) in linked for a, b in itertools.pairwise(path))
    assert all(result.tasks[t].critical for t in path)


def _oracle(network: Network) -> dict[str, tuple[int, int, int, int]]:
    """Plain longest paths by repeated relaxation (Bellman-Ford), in minutes from the start."""
    d = {t.id: t.duration for t in network.tasks}
    es = dict.fromkeys(d, 0)
    for _ in d:
        for r in network.relations:
            base = es[r.pred] + (d[r.pred] if r.type[0] == "F" else 0)
            es[r.succ] = max(es[r.succ], base + r.lag - (d[r.succ] if r.type[1] == "F" else 0))
    finish = max(es[t] + d[t] for t in d)
    lf = dict.fromkeys(d, finish)
    for _ in d:
        for r in network.relations:
            base = lf[r.succ] - (d[r.succ] if r.type[1] == "S" else 0)
            lf[r.pred] = min(lf[r.pred], base - r.lag + (d[r.pred] if r.type[0] == "S" else 0))
    return {t: (es[t], es[t] + d[t], lf[t] - d[t], lf[t]) for t in d}


@settings(max_examples=200, deadline=None)
@given(networks(("always",)))
def test_matches_longest_paths_on_a_continuous_calendar(network: Network) -> None:
    """On a 24/7 calendar the engine is the textbook CPM: compare with a brute-force oracle."""
    result, origin = schedule(network), stamp(START)
    for task_id, (es, ef, ls, lf) in _oracle(network).items():
        dates = result.tasks[task_id]
        got = [stamp(dates.early_start), stamp(dates.early_finish)]
        got += [stamp(dates.late_start), stamp(dates.late_finish)]
        assert [m - origin for m in got] == [es, ef, ls, lf], task_id
        assert dates.total_float_minutes == ls - es
