"""The kept supply patched after writes to people and calendars, checked and timed on the
large demo.

    python -m bench.resources_patch --database sqlite:////tmp/heat/large.db [--rounds 2]

Each step is one write through the ORM (committed, audited, as a request makes it): a
person's weekly hours (someone with time off, someone with a capacity period), a move to
another department, a role change, leaving and coming back, a capacity period added, changed
and removed, time off added and removed, a person added and removed, a department's holiday
and a holiday for everyone added and removed, a department moved under another and back.
After each write the whole-enterprise heatmap (12 months from 2026-12, timed), one
department's heatmap and three cells are read from the supplies kept before the write
(patched, or counted again); then the kept supplies are emptied and the same are computed
afresh: they must be equal (the JSON, and each kept supply's floats and row order). Every
write is undone by a later step, so the data ends as it began. Prints per step whether the
whole heatmap's supply was patched or counted again, its CPU and wall time, and the check.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from bench.common import BENCH_TODAY
from bench.overview import _configure

Step = tuple[str, Callable[[Any], None]]


def _steps(session: Any) -> list[Step]:
    """The writes, as functions of a writing session (ids found in the data)."""
    from sqlalchemy import func, select

    from epmo.org.models import Department, Person
    from epmo.resources.models import CapacityPeriod, Holiday, TimeOff

    plain = session.scalar(select(TimeOff.person_id).join(Person, Person.id == TimeOff.person_id)
                           .where(Person.active.is_(True), Person.role != "",
                                  TimeOff.person_id.not_in(select(CapacityPeriod.person_id)))
                           .order_by(TimeOff.person_id).limit(1))
    own = session.scalar(select(func.min(CapacityPeriod.person_id)))
    other = session.scalar(select(func.max(Department.id)))
    state: dict[str, Any] = {}

    def person(i: int, **values: Any) -> Callable[[Any], None]:
        def write(s: Any) -> None:
            row = s.get(Person, i)
            for name, value in values.items():
                state.setdefault((i, name), getattr(row, name))
                setattr(row, name, value)
        return write

    def back(i: int, *names: str) -> Callable[[Any], None]:
        def write(s: Any) -> None:
            row = s.get(Person, i)
            for name in names:
                setattr(row, name, state.pop((i, name)))
        return write

    def add(kind: str, make: Callable[[], Any]) -> Callable[[Any], None]:
        def write(s: Any) -> None:
            row = make()
            s.add(row)
            s.flush()
            state[kind] = row.id
        return write

    def change(model: Any, kind: str, **values: Any) -> Callable[[Any], None]:
        def write(s: Any) -> None:
            row = s.get(model, state[kind])
            for name, value in values.items():
                setattr(row, name, value)
        return write

    def remove(model: Any, kind: str) -> Callable[[Any], None]:
        def write(s: Any) -> None:
            s.delete(s.get(model, state.pop(kind)))
        return write

    def department(i: int, parent: int) -> Callable[[Any], None]:
        def write(s: Any) -> None:
            row = s.get(Department, i)
            state[("department", i)] = row.parent_id
            row.parent_id = parent
        return write

    def department_back(i: int) -> Callable[[Any], None]:
        def write(s: Any) -> None:
            s.get(Department, i).parent_id = state.pop(("department", i))
        return write

    first_department = session.scalar(select(func.min(Department.id)).where(
        Department.parent_id.is_not(None), Department.id != other))
    first = date(2027, 2, 1)
    return [
        ("hours of a person with time off", person(plain, weekly_capacity_hours=Decimal("32"))),
        ("... back", back(plain, "weekly_capacity_hours")),
        ("hours of a person with a capacity period",
         person(own, weekly_capacity_hours=Decimal("36.5"))),
        ("... back", back(own, "weekly_capacity_hours")),
        ("moved to another department", person(plain, department_id=other)),
        ("... back", back(plain, "department_id")),
        ("role changed", person(plain, role="Bench analyst")),
        ("... back", back(plain, "role")),
        ("left", person(own, active=False)),
        ("... came back", back(own, "active")),
        ("capacity period added", add("period", lambda: CapacityPeriod(
            person_id=plain, starts=first, ends=first + timedelta(days=80),
            weekly_hours=Decimal("20")))),
        ("capacity period changed", change(CapacityPeriod, "period", weekly_hours=Decimal("24"),
                                           ends=first + timedelta(days=120))),
        ("capacity period removed", remove(CapacityPeriod, "period")),
        ("time off added", add("off", lambda: TimeOff(
            person_id=own, starts=date(2027, 6, 7), ends=date(2027, 6, 18)))),
        ("time off removed", remove(TimeOff, "off")),
        ("person added", add("person", lambda: Person(
            code="BENCH-NEW", name="Bench newcomer", department_id=other,
            role="Bench analyst", weekly_capacity_hours=Decimal("30")))),
        ("person removed", remove(Person, "person")),
        ("a department's holiday added", add("holiday", lambda: Holiday(
            day=date(2027, 3, 3), name="Bench day", department_id=other))),
        ("a department's holiday removed", remove(Holiday, "holiday")),
        ("a holiday for everyone added", add("everyone", lambda: Holiday(
            day=date(2027, 4, 7), name="Bench day for all"))),
        ("a holiday for everyone removed", remove(Holiday, "everyone")),
        ("a department moved under another", department(other, first_department)),
        ("... back", department_back(other)),
    ]


COUNTED = [0]  # times the supply was counted whole (supply_kept.count, wrapped in main)


def _views(months: list[str], department: int, cells: list[tuple[int, str, str]],
           timed: dict[str, list[Any]] | None = None) -> dict[str, Any]:
    """The whole heatmap (timed), a department's and the cells, as JSON."""
    from epmo.auth.policy import SYSTEM
    from epmo.db import unit_of_work
    from epmo.resources import heatmap

    heatmap.CACHE.clear()
    with unit_of_work(write=False) as session:
        counted = COUNTED[0]
        cpu, wall = time.process_time(), time.perf_counter()
        whole = heatmap.heatmap(session, months)
        if timed is not None:
            how = "patched" if COUNTED[0] == counted else "counted"
            timed.setdefault(f"{how} cpu", []).append((time.process_time() - cpu) * 1e3)
            timed.setdefault(f"{how} wall", []).append((time.perf_counter() - wall) * 1e3)
            timed.setdefault("how", []).append(how)
        found = {"all": whole.model_dump(mode="json")}
        found["department"] = heatmap.heatmap(session, months, department).model_dump(
            mode="json")
        for d, role, month in cells:
            found[f"cell {d} {role} {month}"] = heatmap.cell(session, SYSTEM, d, role,
                                                              month).model_dump(mode="json")
    return found


def _supplies() -> dict[Any, tuple[list[Any], list[Any]]]:
    """Every supply kept at the head now: its key, its rows (floats, in order), spellings."""
    from epmo.audit import repository as audit_repository
    from epmo.db import unit_of_work
    from epmo.resources import heatmap, supply_kept

    with unit_of_work(write=False) as session:
        head = audit_repository.entity_head(session, supply_kept.SUPPLY_TABLES)
    return {key[1:]: (list(value.sheet.supply.items()), list(value.sheet.spelling.items()))
            for key, (_, value) in heatmap.SUPPLY.entries.items() if key[0] == head}


def main() -> None:
    """Write, read, check, print."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", required=True)
    parser.add_argument("--rounds", type=int, default=1, help="times through the steps")
    args = parser.parse_args()
    _configure(args.database)
    os.environ["EPMO_OVERVIEW_CACHE_SECONDS"] = "3600"
    from epmo.config import get_settings
    from epmo.db import unit_of_work
    from epmo.resources import heatmap, supply_kept

    get_settings.cache_clear()
    months = heatmap.horizon(None, 12, BENCH_TODAY)
    real = supply_kept.count

    def count(*a: Any, **k: Any) -> supply_kept.KeptSupply:
        COUNTED[0] += 1
        return real(*a, **k)

    supply_kept.count = count  # type: ignore[assignment]
    first = _views(months, 1, [])
    worst = sorted(first["all"]["overloads"], key=lambda o: -o["short_by"])[:3]
    cells = [(o["department_id"], o["role"], o["month"]) for o in worst]
    _views(months, 1, cells)
    timed: dict[str, list[Any]] = {}
    failures = 0
    for _ in range(args.rounds):
        with unit_of_work(actor_label="bench.resources_patch") as session:
            steps = _steps(session)
        for name, write in steps:
            with unit_of_work(actor_label="bench.resources_patch") as session:
                write(session)
            after = _views(months, 1, cells, timed)
            kept = _supplies()
            heatmap.SUPPLY.clear()
            fresh = _views(months, 1, cells)
            same = after == fresh and kept == _supplies()
            failures += not same
            how = timed["how"][-1]
            print(f"{name:<36} {how:8} CPU {timed[how + ' cpu'][-1]:6.0f} ms  wall "
                  f"{timed[how + ' wall'][-1]:6.0f} ms  "
                  f"{'same as counted afresh' if same else 'DIFFERENT'}", flush=True)
    for how in ("patched", "counted"):
        cpu, wall = timed.get(f"{how} cpu"), timed.get(f"{how} wall")
        if cpu and wall:
            print(f"whole heatmap after a write, supply {how}: CPU p50 "
                  f"{statistics.median(cpu):.0f} ms, max {max(cpu):.0f} ms; wall p50 "
                  f"{statistics.median(wall):.0f} ms, max {max(wall):.0f} ms (n={len(cpu)})")
    print(f"load average: {os.getloadavg()}; {'all the same' if not failures else 'FAILED'}")
    raise SystemExit(1 if failures else 0)


if __name__ == "__main__":
    main()
