"""The charter a new hub starts with: a role statement, supportive authority, a catalogue."""

from __future__ import annotations

from typing import Any

from epmo.charter.models import PRACTICES

DEFAULT_LEVEL = "supportive"
DEFAULT_REASON = "Initial charter created with the hub"

DEFAULT_STATEMENT = """\
The Enterprise Project Management Office (EPMO) connects every department's projects into \
one portfolio, so that the enterprise executes its strategy as one while each department \
keeps its own way of working.

The EPMO works along three practices. Portfolio Governance: intake, prioritisation, \
selection and stage gates. Project Leadership: who leads projects, the methods they use and \
how projects close. PPM Administration: status reporting, records, tools and data quality.

In each department and practice this charter sets how much authority the EPMO has: none, \
supportive (the EPMO advises and a shortfall is a warning), controlling (the EPMO requires \
the minimum standard and a shortfall blocks the action) or directive (the EPMO runs the \
practice in that department).

Until the EPMO and the departments agree otherwise, the EPMO is supportive everywhere."""

_SERVICES: tuple[tuple[str, str, str, str], ...] = (
    ("INTAKE-TRIAGE", "Intake triage", "portfolio_governance",
     "Receives every project request, classifies and scores it, and routes it to a decision."),
    ("GATE-REVIEWS", "Gate reviews", "portfolio_governance",
     "Prepares and chairs stage-gate reviews against the reporting contract's criteria."),
    ("BENEFITS-TRACKING", "Benefits tracking", "portfolio_governance",
     "Tracks the benefits each project promised until they are realised."),
    ("PM-ASSIGNMENT", "PM assignment", "project_leadership",
     "Proposes or assigns a qualified project manager to each project."),
    ("METHOD-COACHING", "Method coaching", "project_leadership",
     "Coaches teams in the department's chosen method and the enterprise minimum."),
    ("STATUS-CONSOLIDATION", "Status consolidation", "ppm_administration",
     "Collects status reports from every department and consolidates them for executives."),
    ("RESOURCE-BROKERING", "Resource brokering", "ppm_administration",
     "Matches people across departments to the projects that need them."),
)


def default_content() -> dict[str, Any]:
    """The content of version 1: supportive everywhere and the standard services catalogue."""
    services = [
        {"code": code, "name": name, "practice": practice, "description": text,
         "department_ids": []}
        for code, name, practice, text in _SERVICES
    ]
    return {"defaults": dict.fromkeys(PRACTICES, DEFAULT_LEVEL), "departments": {},
            "services": services}
