"""A multi-agency IT portfolio export like the public ones: one row per project per month.

Modelled on a federal IT portfolio dashboard: agency codes ("005", "024", ...), US dates
(3/15/2019), lifecycle phases of its own (Initiation, Planning, Execution, Closeout), costs
as "$1,234,567" and a CIO rating in words. Seeded, so every test sees the same file.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from tests.imports.files import csv_file

HEADER = ["Unique Project ID", "Project Name", "Agency Code", "Lifecycle Phase", "Start Date",
          "Planned Completion Date", "Projected Completion Date", "Lifecycle Cost",
          "Projected Cost", "Updated Date", "CIO Rating"]
# agency code -> epmo department code: three exist in the test world, nine do not
AGENCIES = {"005": "IT", "006": "FIN", "007": "HR", "009": "AG-HHS", "010": "AG-DOI",
            "011": "AG-DOJ", "012": "AG-DOL", "014": "AG-DOS", "015": "AG-TREAS",
            "016": "AG-SSA", "021": "AG-DOT", "024": "AG-DHS"}
PHASES = {"Initiation": "approved", "Planning": "planning", "Execution": "executing",
          "Closeout": "closing"}
RATINGS = {"Low Risk": "green", "Medium Risk": "amber", "High Risk": "red"}
PROFILE: dict[str, Any] = {
    "columns": {"Unique Project ID": "code", "Project Name": "name",
                "Agency Code": "department_code", "Lifecycle Phase": "stage",
                "Start Date": "planned_start", "Planned Completion Date": "baseline_finish",
                "Projected Completion Date": "forecast_finish", "Lifecycle Cost": "budget_planned",
                "Projected Cost": "budget_forecast", "Updated Date": "as_of",
                "CIO Rating": "rag"},
    "values": {"department_code": AGENCIES, "stage": PHASES, "rag": RATINGS},
    "dates": "us", "decimal": ".", "snapshot": True,
}
PROJECTS_PER_AGENCY = 2
MONTHS = 4


def us(day: date) -> str:
    """A date as the file writes it: 3/15/2019."""
    return f"{day.month}/{day.day}/{day.year}"


def money(amount: int) -> str:
    """Money as the file writes it: $1,234,567."""
    return f"${amount:,}"


def month_back(count: int, today: date) -> date:
    """The 15th of the month ``count`` months before this one."""
    month = today.year * 12 + today.month - 1 - count
    return date(month // 12, month % 12 + 1, 15)


def rows(today: date, rag: bool = True) -> list[list[Any]]:
    """The header and one row per project per month (latest month first, as exports are)."""
    rng = random.Random(12)
    out: list[list[Any]] = [HEADER if rag else HEADER[:-1]]
    for agency in AGENCIES:
        for number in range(1, PROJECTS_PER_AGENCY + 1):
            out.extend(_project_rows(rng, agency, number, today, rag))
    return out


def _project_rows(rng: random.Random, agency: str, number: int, today: date,
                  rag: bool) -> list[list[Any]]:
    code = f"{agency}-{number:03d}"
    cost = rng.randrange(200_000, 9_000_000)
    start = month_back(MONTHS + 6, today)
    finish = date(today.year + 1, rng.randrange(1, 13), 1)
    phases = list(PHASES)
    reached = rng.randrange(1, len(phases))  # the phase of the latest month
    found = []
    for back in range(MONTHS):
        drift = rng.choice((0, 0, 20, 45))
        row = [code, f"Modernise system {code}", agency, phases[max(0, reached - back)],
               us(start), us(finish), us(date.fromordinal(finish.toordinal() + drift)),
               money(cost), money(cost + cost * drift // 200), us(month_back(back, today)),
               rng.choice(list(RATINGS))]
        found.append(row if rag else row[:-1])
    return found


def portfolio_csv(today: date, rag: bool = True) -> bytes:
    """The whole export as CSV bytes."""
    return csv_file(rows(today, rag))


PROJECT_COUNT = len(AGENCIES) * PROJECTS_PER_AGENCY
ROW_COUNT = PROJECT_COUNT * MONTHS
NEW_DEPARTMENTS = sorted(code for code in AGENCIES.values() if code.startswith("AG-"))
