"""The value report: dollars and days saved per fiscal quarter and by department.

What counts: confirmed entries, and of hard savings only the validated ones as realised (a
confirmed hard saving is shown apart, awaiting finance). Proposed and rejected entries never
count; the report says how many proposals of the quarter still wait. Quarters are calendar
quarters, as the hub writes every period (``"2026-Q3"``); the report shows the chosen quarter
and the three before it (a year), the chosen quarter by department, and its entries with their
evidence. Three queries in all (entries, departments, and the names of the quarter's entries).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor, scope_below
from epmo.config import get_settings
from epmo.errors import FieldError, Invalid
from epmo.ledger import policy, repository, views
from epmo.ledger.models import LedgerEntry, quarter_of
from epmo.ledger.schemas import DepartmentLine, QuarterLine, Totals, ValueReport
from epmo.org import repository as org_repository

COUNTED = ("confirmed", "validated")
YEAR = 4  # quarters shown
QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


def parse_quarter(value: str | None, today: date) -> str:
    """The quarter asked for (``"2026-Q3"``), today's when none; Invalid naming ``quarter``."""
    if not value:
        return quarter_of(today)
    if not QUARTER.match(value) or not 1900 <= int(value[:4]) <= 9999:
        raise Invalid("The quarter is not one", [FieldError(
            "quarter", f"must be a quarter such as 2026-Q3, not {value[:20]!r}")])
    return value


def quarters_to(last: str, count: int = YEAR) -> list[str]:
    """``count`` quarters ending with ``last``, oldest first."""
    match = QUARTER.match(last)
    assert match is not None
    index = int(match.group(1)) * 4 + int(match.group(2)) - 1
    return [f"{i // 4}-Q{i % 4 + 1}" for i in range(index - count + 1, index + 1)]


def totals(entries: Iterable[LedgerEntry]) -> Totals:
    """The counted money and days of the entries."""
    found = Totals()
    for entry in entries:
        if entry.status not in COUNTED:
            continue
        amount = entry.amount or Decimal(0)
        found.entries += 1
        if entry.category == "hard_saving" and entry.status == "validated":
            found.hard_realised += amount
        elif entry.category == "hard_saving":
            found.hard_awaiting += amount
        elif entry.category == "cost_avoidance":
            found.cost_avoidance += amount
        elif entry.category == "risk_reduced":
            found.risks_reduced += 1
        found.days_saved += entry.days or 0
    return found


def value_report(session: Session, actor: Actor, quarter: str | None = None,
                 department_id: int | None = None, today: date | None = None) -> ValueReport:
    """The report of the quarter (today's when none) for the entries the actor may read,
    of one department and those below it when ``department_id`` is given."""
    chosen = parse_quarter(quarter, today or date.today())
    shown = quarters_to(chosen)
    scope = policy.entry_scope(session, actor)
    rows = list(repository.entries_in(session, scope, shown))
    if department_id is not None:
        below = scope_below(org_repository.department_parents(session), {department_id})
        rows = [r for r in rows if r.department_id in below]
    of_quarter = [r for r in rows if r.quarter == chosen]
    departments = repository.departments(session)
    by_department: dict[int, list[LedgerEntry]] = {}
    for row in of_quarter:
        by_department.setdefault(row.department_id, []).append(row)
    lines = [DepartmentLine(department_id=d, code=departments[d].code, name=departments[d].name,
                            totals=totals(found)) for d, found in by_department.items()]
    lines.sort(key=lambda line: (-(line.totals.hard_realised + line.totals.cost_avoidance),
                                 line.code))
    counted = [r for r in of_quarter if r.status in COUNTED]
    return ValueReport(
        quarter=chosen, quarters=[QuarterLine(quarter=q, totals=totals(
            r for r in rows if r.quarter == q)) for q in shown],
        year=totals(rows), departments=lines, totals=totals(of_quarter),
        entries=views.describe_entries(session, None, counted),
        proposed=sum(1 for r in of_quarter if r.status == "proposed"),
        finance_department=get_settings().ledger_finance_department,
        finance_known=policy.finance_department_id(session) is not None,
        department_id=department_id)
