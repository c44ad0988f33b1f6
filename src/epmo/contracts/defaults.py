"""The tier rules and reporting contracts a new hub starts with (the EPMO edits them later)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

# tier -> (name, min budget, min duration days, min headcount, min risk rating)
RULES: dict[int, tuple[str, Decimal, int, int, int]] = {
    1: ("Strategic", Decimal(5_000_000), 730, 50, 5),
    2: ("Major", Decimal(1_000_000), 365, 20, 4),
    3: ("Standard", Decimal(250_000), 180, 8, 3),
    4: ("Small", Decimal(0), 0, 0, 0),
}

ALL_DIMENSIONS = ["schedule", "cost", "scope", "risk", "resources"]
CORE_FIELDS = ["description", "sponsor_id", "manager_id", "planned_start", "planned_finish",
               "budget_planned"]


def _gate(code: str, name: str, stage: str, criteria: list[str],
          roles: list[str]) -> dict[str, Any]:
    return {"code": code, "name": name, "stage": stage, "criteria": criteria,
            "approver_roles": roles}


G1 = _gate("G1", "Approval", "approved",
           ["Business case reviewed", "Sponsor confirmed", "Funding available"],
           ["epmo_admin", "executive"])
G2 = _gate("G2", "Mobilisation", "planning",
           ["Charter signed by the sponsor", "Project manager assigned"],
           ["epmo_admin", "department_lead"])
G3 = _gate("G3", "Go-live of delivery", "executing",
           ["Plan and baseline agreed", "Key risks identified with owners",
            "Resources committed by their departments"], ["epmo_admin", "department_lead"])
G4 = _gate("G4", "Closure", "closed",
           ["Closure report accepted", "Lessons learned recorded", "Benefits handed over"],
           ["epmo_admin"])
G1_LOCAL = _gate("G1", "Approval", "approved", ["Business case reviewed", "Budget confirmed"],
                 ["epmo_admin", "department_lead"])
G4_LOCAL = _gate("G4", "Closure", "closed", ["Closure report accepted"],
                 ["epmo_admin", "department_lead"])
FULL_ARTEFACTS = {"approved": ["business_case"], "planning": ["charter"], "executing": ["plan"],
                  "closed": ["closure_report", "lessons_learned"]}

CONTRACTS: dict[int, dict[str, Any]] = {
    1: {"cadence": "weekly", "dimensions": ALL_DIMENSIONS,
        "required_fields": [*CORE_FIELDS, "baseline_start", "baseline_finish", "headcount",
                            "risk_rating", "programme_id"],
        "artefacts": FULL_ARTEFACTS, "gates": [G1, G2, G3, G4],
        "records": ["risk", "issue", "decision", "change"],
        "rag_thresholds": {"schedule": {"amber": 10, "red": 30},
                           "cost": {"amber": 5, "red": 15}}},
    2: {"cadence": "fortnightly", "dimensions": ALL_DIMENSIONS,
        "required_fields": [*CORE_FIELDS, "baseline_start", "baseline_finish"],
        "artefacts": FULL_ARTEFACTS, "gates": [G1, G3, G4],
        "records": ["risk", "issue", "decision"],
        "rag_thresholds": {"schedule": {"amber": 14, "red": 45},
                           "cost": {"amber": 10, "red": 20}}},
    3: {"cadence": "monthly", "dimensions": ["schedule", "cost", "scope"],
        "required_fields": CORE_FIELDS,
        "artefacts": {"approved": ["business_case"], "closed": ["closure_report"]},
        "gates": [G1_LOCAL, G4_LOCAL], "records": ["risk"],
        "rag_thresholds": {"schedule": {"amber": 20, "red": 60},
                           "cost": {"amber": 10, "red": 25}}},
    4: {"cadence": "monthly", "dimensions": ["schedule", "cost"],
        "required_fields": ["manager_id", "planned_finish"],
        "artefacts": {"closed": ["closure_report"]}, "gates": [], "records": [],
        "rag_thresholds": {"schedule": {"amber": 30, "red": 90},
                           "cost": {"amber": 15, "red": 30}}},
}
