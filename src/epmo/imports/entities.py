"""What each importable entity's file looks like: columns, meanings, examples, empty cells.

The example values form one consistent inventory, so the five templates, imported in the
order of ``ENTITIES``, load as they are.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from epmo.errors import FieldError, NotFound
from epmo.files.entities import Column, Entity
from epmo.imports.schemas import (
    DepartmentRow,
    GoalRow,
    PersonRow,
    ProgrammeRow,
    ProjectDemandRow,
    ProjectRow,
)

CODE = ("Unique code: letters, digits, '.', '_' or '-', up to 40 characters. A row whose code "
        "already exists updates that record; any other row creates one.")
NAME = "Name, up to 200 characters (needed to create)."
DESCRIPTION = "Free text; an empty cell clears it."
CODES = "Codes separated by ';' (for example IT;FIN); an empty cell clears the list."

_DEPARTMENTS = (
    Column("code", CODE, "OPS", empty="required"),
    Column("name", NAME, "Operations", empty="required"),
    Column("description", DESCRIPTION, "Plants, logistics and facilities", empty="blank"),
    Column("parent_code", "Code of the parent department, in epmo already or anywhere in this "
           "file; empty for a top-level department.", ""),
)
_PEOPLE = (
    Column("code", CODE, "P-0001", empty="required"),
    Column("name", NAME, "Ada Lovelace", empty="required"),
    Column("email", "Email address, unique; may be empty.", "ada.lovelace@example.org"),
    Column("department_code", "Code of the person's department (one you lead).", "OPS",
           empty="required"),
    Column("role", "Job title or role, up to 100 characters.", "Project manager", empty="blank"),
    Column("weekly_capacity_hours", "Hours a week available for projects, 0..168 (default 40).",
           Decimal(40), "number", "keep"),
    Column("active", "yes or no (default yes).", True, "bool", "keep"),
    Column("placeholder", "yes for a role to fill rather than a named person (default no).",
           False, "bool", "keep"),
)
_GOALS = (
    Column("code", CODE, "G-GROWTH", empty="required"),
    Column("name", NAME, "Grow recurring revenue", empty="required"),
    Column("description", DESCRIPTION, "Subscriptions over one-off sales", empty="blank"),
    Column("parent_code", "Code of the parent goal, in epmo already or anywhere in this file; "
           "empty for a top-level goal.", ""),
    Column("weight", "Share of the goal among its siblings, 0..100 (default 0).", Decimal(50),
           "number", "keep"),
    Column("owner_code", "Code of the person who owns the goal; may be empty.", "P-0001"),
)
_PROGRAMMES = (
    Column("code", CODE, "PG-DIGITAL", empty="required"),
    Column("name", NAME, "Digital operations", empty="required"),
    Column("description", DESCRIPTION, "Scanners, sensors and the new WMS", empty="blank"),
    Column("department_code", "Code of the owning department (one you lead).", "OPS",
           empty="required"),
    Column("manager_code", "Code of the person managing the programme; may be empty.", "P-0001"),
    Column("participating_department_codes", "Other departments taking part. " + CODES, ""),
)
DAY = "YYYY-MM-DD or an Excel date cell; may be empty"
_DATES = tuple(
    Column(f"{kind}_{end}", f"{kind.title()} {end} date: {DAY}"
           + (f"; not before the {kind} start." if end == "finish" else "."), example, "date")
    for kind, start, finish in (
        ("planned", date(2025, 1, 6), date(2025, 6, 30)),
        ("baseline", date(2025, 1, 6), date(2025, 6, 30)),
        ("forecast", date(2025, 1, 13), date(2025, 7, 31)),
        ("actual", date(2025, 1, 13), ""),
    )
    for end, example in (("start", start), ("finish", finish))
)
_BUDGETS = tuple(
    Column(f"budget_{kind}", f"{kind.title()} budget, a number >= 0 with up to 2 decimals; "
           "an empty cell means unknown (not 0).", Decimal(amount), "money")
    for kind, amount in (("planned", 250_000), ("actual", 40_000), ("forecast", 240_000))
)
_PROJECTS = (
    Column("code", CODE, "PRJ-0001", empty="required"),
    Column("name", NAME, "Warehouse scanners", empty="required"),
    Column("description", DESCRIPTION, "Replace the handheld scanners", empty="blank"),
    Column("department_code", "Code of the owning department (one you may write to).", "OPS",
           empty="required"),
    Column("sponsor_code", "Code of the sponsoring person; may be empty.", "P-0001"),
    Column("manager_code", "Code of the project manager; may be empty.", "P-0001"),
    Column("programme_code", "Code of the programme the project belongs to; may be empty.",
           "PG-DIGITAL"),
    Column("stage", "proposed, approved, planning, executing, closing, closed, on_hold or "
           "cancelled (default proposed). Any stage on create; an update must follow the "
           "lifecycle.", "planning", empty="keep"),
    Column("methodology", "How it is run (agile, waterfall, ...), up to 60 characters.", "agile",
           empty="blank"),
    Column("headcount", "People working on the project, a whole number >= 0 (default 0). "
           "With budget, duration and risk rating it sets the tier, which epmo computes.", 12,
           "number", "keep"),
    Column("risk_rating", "Risk rating, 1 (low) to 5 (high) (default 1).", 3, "number", "keep"),
    Column("health", "green, amber or red; empty means unknown on create (never assumed "
           "green) and keeps the stored health on update.", "green", empty="keep"),
    *_DATES,
    *_BUDGETS,
    Column("goal_codes", "Goals the project serves with a weight 0..100, 'G1:60;G2:40' (no "
           "weight means 100); an empty cell clears the list.", "G-GROWTH:100"),
    Column("portfolio_codes", "Portfolios holding the project. " + CODES, ""),
    Column("participating_department_codes", "Other departments taking part. " + CODES, ""),
)

ADMINS = "EPMO administrators"
ENTITIES: dict[str, Entity] = {
    "departments": Entity("departments", "Departments", ADMINS, _DEPARTMENTS, DepartmentRow),
    "people": Entity("people", "People", f"{ADMINS}; department leads for their departments",
                     _PEOPLE, PersonRow),
    "goals": Entity("goals", "Goals", ADMINS, _GOALS, GoalRow),
    "programmes": Entity("programmes", "Programmes",
                         f"{ADMINS}; department leads for their departments", _PROGRAMMES,
                         ProgrammeRow),
    "projects": Entity("projects", "Projects", f"{ADMINS}; department leads and project "
                       "managers for their departments", _PROJECTS, ProjectRow),
}


# --- project role demand (issue 10, item 11) --------------------------------------------

_PROJECT_DEMAND = (
    Column("project_code", "Code of the project (one you may change).", "PRJ-0001",
           empty="required"),
    Column("role", "A role active people have (Person role), matched without case.",
           "Project manager", empty="required"),
    Column("period", "The month, e.g. 2025-03 (2025/3 and a date are read too), or a quarter, "
           "e.g. 2025-Q1 (2025 Q1 and Q1 2025 are read too; spread evenly over its months "
           "within the project's dates), within the project's dates.", "2025-03",
           empty="required"),
    Column("fte_months", "FTE-months of that role in that period, a number >= 0 with up to "
           "2 decimals; 0 means none.", Decimal("1.5"), "number", "required"),
    Column("person_code", "Optional: the code of an active person of the project's department "
           "(or one below it) the hours are for; the role is theirs (leave role blank or give "
           "theirs).", ""),
)
ENTITIES["project_demand"] = Entity(
    "project_demand", "Project role demand", f"{ADMINS}; department leads and project "
    "managers for their projects", _PROJECT_DEMAND, ProjectDemandRow, key="project_code")


def get_entity(name: str) -> Entity:
    """Return the entity called ``name`` or raise NotFound listing the known ones."""
    entity = ENTITIES.get(name)
    if entity is None:
        known = ", ".join(ENTITIES)
        raise NotFound(f"Nothing called {name!r} can be imported (one of: {known})",
                       [FieldError("entity", f"must be one of {known}")])
    return entity
