"""Words people read about practices and authority levels (pages, print and PDF)."""

from __future__ import annotations

from dataclasses import dataclass

from epmo.charter.models import AUTHORITY_LEVELS, HEALTH_BASES, PRACTICES


@dataclass(frozen=True, slots=True)
class Term:
    """A practice or level as shown to people."""

    key: str
    label: str
    description: str


PRACTICE_TERMS = (
    Term("portfolio_governance", "Portfolio Governance",
         "Intake, prioritisation, selection and stage gates."),
    Term("project_leadership", "Project Leadership",
         "Who leads projects, the methods they use, and closure."),
    Term("ppm_administration", "PPM Administration",
         "Status reporting, records, tools and data quality."),
)
LEVEL_TERMS = (
    Term("none", "None", "The EPMO has no role here; nothing is checked."),
    Term("supportive", "Supportive",
         "The EPMO advises: a shortfall against the minimum standard is a warning."),
    Term("controlling", "Controlling",
         "The EPMO requires the minimum: a shortfall blocks the action (a stage change, "
         "a report submission) until it is fixed."),
    Term("directive", "Directive",
         "The EPMO owns the practice: only EPMO roles perform its actions in the department."),
)
BASIS_TERMS = (
    Term("auto", "Auto (by authority)",
         "The worse of reported and derived health where the EPMO has controlling or directive "
         "authority in PPM Administration; the reported health elsewhere, with any difference "
         "flagged."),
    Term("reported", "Reported", "The health the project reports; a derived one that differs "
         "is flagged."),
    Term("derived", "Derived", "The health derived from schedule slip and cost overrun under "
         "the tier contract's RAG thresholds (the reported one where nothing can be derived)."),
    Term("worse", "Worse of the two", "The worse of the reported and the derived health."),
)
BASIS_LABELS = {t.key: t.label for t in BASIS_TERMS}
PRACTICE_LABELS = {t.key: t.label for t in PRACTICE_TERMS}
LEVEL_LABELS = {t.key: t.label for t in LEVEL_TERMS}
assert tuple(PRACTICE_LABELS) == PRACTICES and tuple(LEVEL_LABELS) == AUTHORITY_LEVELS
assert tuple(BASIS_LABELS) == HEALTH_BASES
