"""Design of the demo's governance: the charter and the departments' own methods (pure).

The charter gives the EPMO a realistic mix of authority: supportive by default, controlling
where the EPMO has won a mandate (Finance and IT on reporting, IT on the portfolio), directive
in Operations' portfolio governance and in its own department, and nothing in HR's project
leadership. Departments with their own methods rename the enterprise stages and add a gate.
Only departments the design has are mentioned, so every size gets what fits it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from epmo.charter.defaults import DEFAULT_STATEMENT, default_content
from epmo.demo.generator import Org

Row = dict[str, Any]
PG, PL, PA = "portfolio_governance", "project_leadership", "ppm_administration"

# department code -> the EPMO's authority per practice there (practices left out inherit)
AUTHORITY: Final[Mapping[str, Mapping[str, str]]] = {
    "IT": {PG: "controlling", PA: "controlling"},
    "IT-SEC": {PL: "controlling"},
    "FIN": {PA: "controlling"},
    "OPS": {PG: "directive", PA: "controlling"},
    "HR": {PL: "none"},
    "LEG": {PA: "controlling"},
    "RND": {PG: "controlling", PL: "none"},
    "EPMO": {PG: "directive", PL: "directive", PA: "directive"},
}
# service code -> top-level departments it reaches (no entry: every department)
REACH: Final[Mapping[str, Sequence[str]]] = {
    "METHOD-COACHING": ("IT", "HR", "MKT", "CS"),
    "PM-ASSIGNMENT": ("FIN", "HR", "LEG", "EPMO"),
    "BENEFITS-TRACKING": ("IT", "OPS", "RND", "SAL"),
}
STATEMENT: Final = DEFAULT_STATEMENT.rsplit("\n\n", 1)[0] + (
    "\n\nThe executive committee has given the EPMO a controlling mandate for status reporting "
    "in Finance, IT, Operations and Legal, runs portfolio governance for Operations, and leaves "
    "project leadership to HR and R&D.")
REASON: Final = "Demo charter: mandates agreed with the department heads"


def _gate(code: str, name: str, stage: str, criteria: list[str]) -> Row:
    return {"code": code, "name": name, "stage": stage, "criteria": criteria,
            "approver_roles": ["epmo_admin", "department_lead"]}


# department code -> (method name, stage names -> enterprise stage, extra fields, extra gates)
METHODS: Final[Mapping[str, tuple[str, dict[str, str], list[str], list[Row]]]] = {
    "IT-APPS": ("Scrum delivery", {
        "Idea": "proposed", "Funded": "approved", "Discovery": "planning",
        "Sprints": "executing", "Hardening": "closing", "Done": "closed"},
        ["methodology"],
        [_gate("IT-SPRINT0", "Sprint zero review", "executing",
               ["Backlog refined for two sprints", "Definition of done agreed"])]),
    "OPS": ("Lean stage-gate", {
        "Opportunity": "proposed", "Approved": "approved", "Define": "planning",
        "Improve": "executing", "Control": "closing", "Closed": "closed"},
        ["headcount"],
        [_gate("OPS-SAFETY", "Safety review", "executing",
               ["Safety assessment done", "Works council informed"])]),
    "MKT": ("Agile marketing", {
        "Brief": "proposed", "Greenlit": "approved", "Creative": "planning",
        "In market": "executing", "Wrap-up": "closing", "Archived": "closed"},
        [], []),
    "RND": ("Product stage-gate", {
        "Scoping": "proposed", "Business case": "approved", "Development": "planning",
        "Testing & validation": "executing", "Launch": "closing", "Post-launch": "closed"},
        ["risk_rating"],
        [_gate("RND-DESIGN", "Design freeze", "executing", ["Design reviewed", "Test plan set"])]),
}


def codes(org: Org, dept_ids: Sequence[int]) -> dict[str, int]:
    """Department code -> database id, for the designed departments."""
    return {d.code: dept_ids[i] for i, d in enumerate(org.departments)}


def charter_content(org: Org, dept_ids: Sequence[int]) -> dict[str, Any]:
    """The charter's content: defaults, per-department authority and the services' reach."""
    ids = codes(org, dept_ids)
    content = default_content()
    content["departments"] = {str(ids[code]): dict(levels)
                              for code, levels in AUTHORITY.items() if code in ids}
    for service in content["services"]:
        reach = REACH.get(service["code"], ())
        service["department_ids"] = sorted(ids[code] for code in reach if code in ids)
    return content


def method_rows(org: Org, dept_ids: Sequence[int]) -> list[Row]:
    """The department methods of the departments the design has."""
    ids = codes(org, dept_ids)
    return [{"department_id": ids[code], "name": name, "stage_names": dict(stages),
             "extra_fields": list(fields), "cadence": None, "extra_gates": list(gates)}
            for code, (name, stages, fields, gates) in METHODS.items() if code in ids]
