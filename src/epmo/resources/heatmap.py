"""The heatmap: capacity and demand per department, role and month, its overloads and cells."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

import numpy
from sqlalchemy.orm import Session

from epmo.audit.caching import HeadCache, gc_paused
from epmo.auth.policy import Actor, in_scope, scope_below
from epmo.errors import FieldError, Invalid, NotFound
from epmo.org import repository as org_repository
from epmo.portfolio import policy as portfolio_policy
from epmo.resources import months as m
from epmo.resources import policy, repository, repository_totals, supply_kept, whatif
from epmo.resources.repository import Key, role_key
from epmo.resources.schemas import (
    CellDetail,
    CellProject,
    HeatCell,
    HeatmapRead,
    HeatRow,
    Overload,
)
from epmo.resources.supply import Sheet, add_demand, add_lendings, rounded
from epmo.resources.views import describe_lendings
from epmo.schema_kit import trusted_maker

DEFAULT_MONTHS, MAX_MONTHS = 12, 36
TOLERANCE = 0.005  # FTE: figures are shown to two decimals


def horizon(start: str | None, count: int, today: date) -> list[str]:
    """The months shown: ``count`` from ``start`` (default: this month)."""
    if not 1 <= count <= MAX_MONTHS:
        raise Invalid("The heatmap shows 1 to 36 months",
                      [FieldError("months", f"must be 1 to {MAX_MONTHS}, not {count}")])
    try:
        first = m.month_index(start or m.month_of(today))
    except ValueError:
        raise Invalid("The first month is not a month",
                      [FieldError("start", f"must be a month such as 2027-03, not {start!r}")]
                      ) from None
    if not m.FIRST_MONTH <= first <= m.LAST_MONTH - count:
        raise Invalid("The months run past the calendar",
                      [FieldError("start", "must be from 0001-01 and leave the months shown "
                                           "before 9999-12")])
    return [m.month_name(first + k) for k in range(count)]


def build_sheet(session: Session, months: list[str], scenario_id: int | None = None,
                departments: Collection[int] | None = None) -> Sheet:
    """Supply, committed demand (the kept totals, ``demand_totals``) and booked lendings
    over the months (with a what-if scenario's hires, leavers and moves laid over the supply
    when one is named); with ``departments``, the supply and demand of those alone (lendings
    may add the other side's rows)."""
    changes = whatif.scenario_changes(session, scenario_id) if scenario_id is not None else ()
    sheet = supply_sheet(session, months, departments)
    first, end = m.bounds(months[0])[0], m.bounds(months[-1])[1]
    add_demand(sheet, repository_totals.kept_demand(session, m.demand_periods(months),
                                                    departments), {})
    add_lendings(sheet, repository.booked_lendings(session, first, end))
    whatif.apply_changes(sheet, changes)
    return sheet


# The supply reads only people, capacity periods, time off, holidays and the department tree
# (their parents): kept per worker, keyed by the newest audit entry of those tables, so a write
# elsewhere (demand, lendings, projects) leaves it, and a write to a few people or their
# calendars patches it (``supply_kept.patch``: those people's rows counted again) rather than
# counting ten thousand calendars again. ``today`` plays no part: the months are in the key.
# Same age bound and switch as the other caches (epmo.audit.caching).
SUPPLY_TABLES = supply_kept.SUPPLY_TABLES
SUPPLY: HeadCache[supply_kept.KeptSupply] = HeadCache(16, SUPPLY_TABLES)


def supply_sheet(session: Session, months: list[str],
                 departments: Collection[int] | None = None) -> Sheet:
    """People's FTE per department, role and month, after calendars and holidays (a fresh
    sheet each call: the callers add demand, lendings and a scenario's changes to it)."""
    wanted = None if departments is None else tuple(sorted(set(departments)))
    kept = SUPPLY.get(session, (tuple(months), wanted),
                      lambda: supply_kept.count(session, months, departments),
                      lambda old, was, now: supply_kept.patch(session, old, months, was, now))
    return Sheet(list(months), spelling=dict(kept.sheet.spelling),
                 supply={key: list(series) for key, series in kept.sheet.supply.items()})


def supply_by_role(session: Session, quarters: list[str]) -> dict[tuple[str, str], float]:
    """FTE-months people give per (role key, quarter) across the enterprise (lendings move
    capacity between departments, never add to it): selection's supply."""
    months = [month for quarter in quarters for month in m.quarter_months(quarter)]
    if not months:
        return {}
    sheet = supply_sheet(session, months)
    found: dict[tuple[str, str], float] = {}
    for (_, role), series in sheet.supply.items():
        for month, value in zip(months, series, strict=True):
            key = (role, m.quarter_of(month))
            found[key] = found.get(key, 0.0) + value
    return found


_cell, _overload_of = trusted_maker(HeatCell), trusted_maker(Overload)


def _cells(sheet: Sheet, keys: Sequence[Key]) -> list[list[HeatCell]]:
    """Each row's cells, month by month: the figures of every row computed and rounded as
    whole arrays (``supply.rounded``: the floats Python's ``round`` gives, one by one)."""
    count = len(sheet.months)
    zero = [0.0] * count

    def grid(kind: str) -> numpy.ndarray:
        table: dict[Key, list[float]] = getattr(sheet, kind)
        return numpy.array([table.get(key, zero) for key in keys],
                           dtype=float).reshape(len(keys), count)

    own, demand, lent, borrowed = (grid(kind) for kind in ("supply", "demand", "lent",
                                                             "borrowed"))
    capacity = own - lent + borrowed  # as Sheet.capacity, element by element
    some = capacity > TOLERANCE
    load = rounded(numpy.where(some, demand / numpy.where(some, capacity, 1.0), 0.0), 3)
    figures = zip(rounded(capacity, 2), rounded(demand, 2), rounded(capacity - demand, 2),
                  load, some.tolist(), rounded(lent, 2), rounded(borrowed, 2), strict=True)
    # built without validation: plain floats and a month name, and a large enterprise's
    # heatmap has tens of thousands of cells (validating them was a third of its time)
    return [[_cell({"month": month, "capacity": c, "demand": d, "free": f,
                    "load": q if s else None, "lent": x, "borrowed": b})
             for month, c, d, f, q, s, x, b in zip(sheet.months, *row, strict=True)]
            for row in figures]


def _overload(name: str, role: str, key: Key, cell: HeatCell) -> Overload:
    short = round(cell.demand - cell.capacity, 2)
    words = (f"{name} · {role} · {cell.month}: {_n(cell.demand)} FTE asked for, "
             f"{_n(cell.capacity)} FTE available, short by {_n(short)} FTE")
    return _overload_of({  # plain values, as the cells (see _cells)
        "department_id": key[0], "department": name, "role": role, "month": cell.month,
        "capacity": cell.capacity, "demand": cell.demand, "short_by": short, "words": words})


def _n(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


CACHE: HeadCache[HeatmapRead] = HeadCache(64)  # per worker, see epmo.audit.caching


def heatmap(session: Session, months: list[str], department_id: int | None = None,
            role: str | None = None, scenario_id: int | None = None) -> HeatmapRead:
    """Every department's roles over the months (a department: it and those below it), as
    they are or as a what-if scenario would have them. The figures are the same for every
    reader, so one result serves all until the next write."""
    key = (tuple(months), department_id, role_key(role) if role else None, scenario_id)
    with gc_paused():
        return CACHE.get(session, key, lambda: _heatmap(session, months, department_id, role,
                                                        scenario_id))


def _heatmap(session: Session, months: list[str], department_id: int | None,
             role: str | None, scenario_id: int | None) -> HeatmapRead:
    names = {d.id: d.code for d in repository.departments(session).values()}
    wanted = None
    if department_id is not None:
        if department_id not in names:
            raise NotFound(f"Department {department_id} not found")
        wanted = scope_below(org_repository.department_parents(session), {department_id})
    sheet = build_sheet(session, months, scenario_id, wanted)
    rows, overloads = [], []
    keys = [key for key in sheet.pools() if (wanted is None or key[0] in wanted)
            and not (role and key[1] != role_key(role))]
    for key, cells in zip(keys, _cells(sheet, keys), strict=True):
        name, shown = names.get(key[0], str(key[0])), sheet.spelling.get(key[1], key[1])
        rows.append(HeatRow(department_id=key[0], department=name, role=shown, cells=cells))
        overloads += [_overload(name, shown, key, c) for c in cells
                      if c.demand > c.capacity + TOLERANCE]
    rows.sort(key=lambda r: (r.department, r.role.lower()))
    overloads.sort(key=lambda o: (o.month, -o.short_by, o.department))
    return HeatmapRead(months=months, rows=rows, overloads=overloads)


def cell(session: Session, actor: Actor, department_id: int, role: str,
         month: str) -> CellDetail:
    """One cell drilled down: the projects asking, those the reader may not see counted."""
    department = org_repository.get_department(session, department_id)
    if department is None:
        raise NotFound(f"Department {department_id} not found")
    months = horizon(month, 1, date.today())
    sheet = build_sheet(session, months, departments={department_id})
    key = (department_id, role_key(role))
    scope = portfolio_policy.project_scope(actor)
    shown, hidden, hidden_fte = [], 0, 0.0
    for kind, ident, code, name, stage, line_role, fte, ok in repository.cell_lines(
            session, department_id, months[0], scope):
        if role_key(line_role) != key[1]:
            continue
        readable = ok if kind == "project" else in_scope(actor, department_id)
        if readable:
            shown.append(CellProject(kind=kind, id=ident, code=code, name=name, stage=stage,
                                     fte=round(fte, 2)))
        else:
            hidden, hidden_fte = hidden + 1, hidden_fte + fte
    shown.sort(key=lambda p: (-p.fte, p.code))
    first, end = m.bounds(months[0])
    lendings = [row for row in repository.booked_lendings(session, first, end)
                if department_id in (row.lender_department_id, row.borrower_department_id)
                and role_key(row.role) == key[1] and policy.may_see(session, actor, row)]
    return CellDetail(department_id=department_id, department=department.code,
                      role=sheet.spelling.get(key[1], role), month=months[0],
                      cell=_cells(sheet, [key])[0][0], projects=shown, hidden_projects=hidden,
                      hidden_fte=round(hidden_fte, 2),
                      lendings=describe_lendings(session, actor, lendings))


MAX_SPAN_MONTHS = 120


def capacity_left(session: Session, project_id: int, department_id: int, running: bool,
                  first: date, last: date) -> dict[str, float]:
    """Role -> FTE the department has left for the project in its least month from ``first``
    to ``last``: its capacity (lendings in and out) less the committed demand, the project's
    own demand given back when it is running (it is the work being levelled)."""
    count = min(MAX_SPAN_MONTHS, m.month_index(m.month_of(last))
                - m.month_index(m.month_of(first)) + 1)
    months = m.months_from(m.month_of(first), max(1, count))
    sheet = build_sheet(session, months)
    own = Sheet(months)
    if running:
        add_demand(own, repository.project_demand_spread(session, project_id, department_id),
                   {})
    left: dict[str, float] = {}
    for key in sheet.pools():
        if key[0] != department_id:
            continue
        back = own.demand.get(key, [0.0] * len(months))
        spare = [c - d + o for c, d, o in zip(sheet.capacity(key), sheet.series("demand", key),
                                               back, strict=True)]
        left[sheet.spelling.get(key[1], key[1])] = max(0.0, min(spare))
    return left
