"""What-if scenarios compared with the baseline: shortages, overloaded months, queue starts.

The baseline is the heatmap as it is; each scenario is the same sheet with its changes laid
over the supply, so the sheets are computed once however many scenarios are compared. A
department's role is short in a month by what its demand exceeds its capacity; the shortage of
a row is summed over the months. The queue is placed on both (its own 36-month horizon from
this month) and the requests and proposed projects whose earliest start differs are listed.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from datetime import date

from sqlalchemy.orm import Session

from epmo.errors import FieldError, Invalid
from epmo.resources import months as m
from epmo.resources import policy, queue, repository, whatif
from epmo.resources.heatmap import TOLERANCE, build_sheet
from epmo.resources.models import CapacityChange
from epmo.resources.repository import Key
from epmo.resources.schemas import QueueMove, QueueRead, ScenarioComparison, ShortageRow
from epmo.resources.supply import Sheet
from epmo.schema_kit import MAX_ID

MAX_COMPARED = 5
DIGITS = re.compile(r"[0-9]{1,12}")  # ASCII digits only: int() takes others too


def parse_ids(text: str) -> list[int]:
    """Scenario ids written ``1,2,3`` (at most five, none twice)."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if (not parts or not all(DIGITS.fullmatch(p) and 1 <= int(p) <= MAX_ID for p in parts)
            or len({int(p) for p in parts}) != len(parts)):
        raise Invalid("Name the scenarios to compare", [FieldError(
            "ids", f"must be scenario ids such as 1,2, each once, not {text!r}")])
    if len(parts) > MAX_COMPARED:
        raise Invalid("Too many scenarios", [FieldError(
            "ids", f"compare at most {MAX_COMPARED} scenarios at a time, not {len(parts)}")])
    return [int(p) for p in parts]


def compare(session: Session, scenario_id: int, months: list[str],
            today: date | None = None) -> ScenarioComparison:
    """The baseline against one scenario over the months."""
    return compare_many(session, [scenario_id], months, today)[0]


def compare_many(session: Session, scenario_ids: Sequence[int], months: list[str],
                 today: date | None = None) -> list[ScenarioComparison]:
    """The baseline against each scenario, side by side."""
    scenarios = [policy.access_scenario_or_404(session, ident) for ident in scenario_ids]
    baseline = build_sheet(session, months)
    horizon = m.months_from(m.month_of(today or date.today()), queue.HORIZON_MONTHS)
    queue_sheet = build_sheet(session, horizon)
    queued = queue.entries(session)
    planned = queue.place(session, queue_sheet, queued)
    names = {d.id: d.code for d in repository.departments(session).values()}
    found = []
    for scenario in scenarios:
        changes = repository.scenario_changes(session, scenario.id)
        sheet = _with(baseline, changes)
        rows = _rows(baseline, sheet, names)
        moves = _moves(planned, queue.place(session, _with(queue_sheet, changes), queued))
        found.append(ScenarioComparison(
            scenario_id=scenario.id, name=scenario.name, months=months,
            baseline_short=round(sum(r.baseline_short for r in rows), 2),
            scenario_short=round(sum(r.scenario_short for r in rows), 2),
            baseline_overloads=sum(r.baseline_overloads for r in rows),
            scenario_overloads=sum(r.scenario_overloads for r in rows),
            rows=rows, queue_moves=moves))
    return found


def _with(sheet: Sheet, changes: Sequence[CapacityChange]) -> Sheet:
    changed = copy.deepcopy(sheet)
    whatif.apply_changes(changed, changes)
    return changed


def shortages(sheet: Sheet, key: Key) -> list[float]:
    """What a department's role is short of each month (0 where it has enough)."""
    return [d - c if d > c + TOLERANCE else 0.0
            for c, d in zip(sheet.capacity(key), sheet.series("demand", key), strict=True)]


def _rows(baseline: Sheet, scenario: Sheet, names: dict[int, str]) -> list[ShortageRow]:
    """Rows short in either sheet, and every row whose capacity the scenario changes."""
    rows = []
    for key in sorted({*baseline.pools(), *scenario.pools()}):
        before, after = shortages(baseline, key), shortages(scenario, key)
        if not (any(before) or any(after) or baseline.capacity(key) != scenario.capacity(key)):
            continue
        rows.append(ShortageRow(
            department_id=key[0], department=names.get(key[0], str(key[0])),
            role=scenario.spelling.get(key[1], key[1]),
            baseline_short=round(sum(before), 2), scenario_short=round(sum(after), 2),
            baseline_overloads=sum(1 for v in before if v),
            scenario_overloads=sum(1 for v in after if v)))
    rows.sort(key=lambda r: (r.department, r.role.lower()))
    return rows


def _moves(baseline: QueueRead, scenario: QueueRead) -> list[QueueMove]:
    """The queue items whose earliest start the scenario changes."""
    after = {item.code: item for item in scenario.items}
    return [QueueMove(code=item.code, title=item.title, baseline=item.earliest,
                      scenario=after[item.code].earliest)
            for item in baseline.items
            if item.code in after and after[item.code].earliest != item.earliest]


def side_by_side(found: Sequence[ScenarioComparison]) -> list[tuple[str, str, float, list[float]]]:
    """(department, role, baseline shortage, each scenario's) for every row any of them has."""
    baseline: dict[tuple[str, str], float] = {}
    for comparison in found:
        for row in comparison.rows:
            baseline[(row.department, row.role)] = row.baseline_short
    table = []
    for key in sorted(baseline, key=lambda k: (k[0], k[1].lower())):
        shorts = []
        for comparison in found:
            mine = next((r for r in comparison.rows if (r.department, r.role) == key), None)
            # a row a scenario leaves out is neither short nor changed there: the baseline's
            shorts.append(mine.scenario_short if mine is not None else baseline[key])
        table.append((key[0], key[1], baseline[key], shorts))
    return table
