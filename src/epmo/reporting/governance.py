"""What governs a project's status reports: its contract's terms and the EPMO's authority.

The effective terms (``contracts.terms``) give the cadence, the required RAG dimensions and
the RAG thresholds; the charter (``charter.authority``) gives the EPMO's authority in PPM
administration for the project's department, which decides whether a shortfall is nothing
(none), a warning (supportive) or refuses the report (controlling, directive).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from epmo.charter.authority import authority_map, is_blocking
from epmo.contracts.terms import Terms, load_terms
from epmo.engines.rag import Derived, Facts, Thresholds, derive, thresholds_from
from epmo.errors import FieldError, Invalid
from epmo.portfolio.models import Project
from epmo.reporting.models import StatusReport
from epmo.reporting.periods import (
    DEFAULT_CADENCE,
    Period,
    is_period_start,
    period_of,
    start_rule,
)
from epmo.reporting.policy import PRACTICE

MAX_PERIOD_DAYS = 31  # no period is longer
LEVEL_WORDS = {"supportive": "advises", "controlling": "requires the minimum",
               "directive": "directs reporting"}


@dataclass(frozen=True, slots=True)
class Rules:
    """The reporting rules of one project."""

    tier: int
    cadence: str
    dimensions: tuple[str, ...]
    thresholds: Thresholds
    authority: str
    contract: bool  # False: the project's tier has no reporting contract

    @property
    def blocking(self) -> bool:
        """Whether shortfalls refuse the report."""
        return is_blocking(self.authority)


class Governance:
    """Contracts, department methods and the charter, read once to judge many projects."""

    def __init__(self, session: Session) -> None:
        self.terms: Terms = load_terms(session)
        self.levels = authority_map(session)

    def authority(self, department_id: int) -> str:
        """The EPMO's authority in PPM administration for a department."""
        return self.levels.get(department_id, {}).get(PRACTICE, "none")

    def rules(self, project: Project) -> Rules:
        """The rules the project's reports are held to."""
        terms = self.terms.for_project(project.department_id, project.tier)
        level = self.authority(project.department_id)
        if terms is None:
            return Rules(project.tier, DEFAULT_CADENCE, (), Thresholds(), level, False)
        return Rules(project.tier, terms.cadence, terms.dimensions,
                     thresholds_from(terms.rag_thresholds), level, True)


# --- periods ----------------------------------------------------------------------------


def choose_period(cadence: str, start: date | None, any_day: date | None,
                  today: date) -> Period | FieldError:
    """The period a report covers, from its first day or any day in it, or what is wrong."""
    day = any_day or start
    if day is None:
        return FieldError("period_start", "give period_start (the first day of the period) or "
                          "period (any day in it)")
    if (day - today).days > MAX_PERIOD_DAYS:  # its period cannot have started
        field = "period" if any_day is not None else "period_start"
        return FieldError(field, f"{day} is in a period that has not started yet")
    period = period_of(cadence, day)
    if any_day is not None and start is not None and start != period.start:
        return FieldError("period_start", f"{start} is not the start of the {cadence} period "
                          f"containing {any_day} (that starts {period.start})")
    if start is not None and not is_period_start(cadence, start):
        return FieldError("period_start", f"{start} does not start a {cadence} period: use "
                          f"{start_rule(cadence)} (this period starts {period.start})")
    if period.start > today:
        field = "period" if any_day is not None else "period_start"
        return FieldError(field, f"the period {period.label} has not started yet")
    return period


# --- shortfalls -------------------------------------------------------------------------


def period_field(values: Mapping[str, Any]) -> str:
    """The field that named the period: ``period`` when only it was given."""
    given_any_day = values.get("period") is not None and values.get("period_start") is None
    return "period" if given_any_day else "period_start"


def shortfalls(rules: Rules, values: Mapping[str, Any]) -> list[FieldError]:
    """Required dimensions left empty (these block under controlling or directive authority)."""
    return [FieldError(d, f"required by the tier {rules.tier} reporting contract")
            for d in rules.dimensions if values.get(d) is None]


def lateness(rules: Rules, period: Period, today: date,
             field: str = "period_start") -> list[FieldError]:
    """A warning when the report comes after its due date.

    Never blocking, whatever the authority: refusing a late report would only keep the
    project non-compliant; the compliance evaluation records the overdue period instead.
    """
    if rules.authority == "none" or today <= period.due:
        return []
    return [FieldError(field, f"late: the report for {period.label} was due by {period.due}")]


def enforce(rules: Rules, problems: list[FieldError]) -> list[FieldError]:
    """Refuse the report under blocking authority; else the problems to show as warnings."""
    if not problems or rules.authority == "none":
        return []
    if rules.blocking:
        detail = "; ".join(f"{p.field}: {p.message}" for p in problems)
        raise Invalid(f"The EPMO {LEVEL_WORDS[rules.authority]} in PPM administration for this "
                      f"department ({rules.authority}), so the report is refused: {detail}",
                      problems, {"authority": rules.authority})
    return problems


# --- derived RAG (the read models are in views.py) -------------------------------------


def derived_of(rules: Rules, project: Project, report: StatusReport) -> Derived:
    """RAG derived from the report's forecasts against the project's baseline."""
    facts = Facts(baseline_finish=project.baseline_finish,
                  forecast_finish=report.forecast_finish,
                  baseline_budget=project.budget_planned, forecast_cost=report.forecast_cost)
    return derive(facts, rules.thresholds)
