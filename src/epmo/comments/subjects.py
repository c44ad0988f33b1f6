"""What a comment thread is about, in words: its name, its pages and a few facts to show."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from epmo.compliance.models import GateReview
from epmo.network.models import ChangeEvent
from epmo.portfolio.models import Project
from epmo.reporting.models import StatusReport

Facts = tuple[tuple[str, str], ...]
NARRATIVE = (("achievements", "Achievements"), ("next_steps", "Next steps"),
             ("decisions_needed", "Decisions needed"), ("key_risks", "Key risks"),
             ("key_issues", "Key issues"))


@dataclass(frozen=True, slots=True)
class Subject:
    """A thread's subject: kind and id, its name in words, the page its thread lives on
    (``link``, where a mention's notification leads), the subject's own page (``back``) and
    what the thread's page shows of it (``facts``: label and value)."""

    kind: str
    id: int
    name: str
    link: str
    back: str
    facts: Facts = ()


def _project_words(session: Session, project_id: int) -> str:
    project = session.get(Project, project_id)
    return f"{project.code} · {project.name}" if project is not None else f"project {project_id}"


def _report(row: StatusReport, words: str) -> Subject:
    facts = (("Period", f"{row.period_start} to {row.period_end}"), ("Overall", row.overall),
             *((label, getattr(row, key)) for key, label in NARRATIVE if getattr(row, key)),
             ("Forecast finish", str(row.forecast_finish or "none given")))
    return Subject("status_report", row.id,
                   f"the status report for the period starting {row.period_start} of {words}",
                   f"/status-reports/{row.id}/comments", f"/projects/{row.project_id}/reports",
                   facts)


def _review(row: GateReview, words: str) -> Subject:
    facts = (("Gate", row.gate_code), ("Admits into", row.stage.replace("_", " ")),
             ("Decision", row.decision or "pending"),
             *((("Rationale", row.rationale),) if row.rationale else ()),
             *((("Evidence", ", ".join(row.evidence)),) if row.evidence else ()))
    return Subject("gate_review", row.id, f"the gate review {row.gate_code} of {words}",
                   f"/gate-reviews/{row.id}/comments", f"/projects/{row.project_id}/gates", facts)


def _event(row: ChangeEvent, words: str) -> Subject:
    moved = (f"{row.field.replace('_', ' ')}: {row.old_date or 'no date'} → "
             f"{row.new_date or 'no date'} ({row.delta_days:+d} days)")
    facts = (("Moved", moved), ("By", row.actor_label), ("Reason", row.reason or "none given"),
             ("Status", row.status))
    return Subject("change_event", row.id, f"change event {row.id} of {words}",
                   f"/change-events/{row.id}", f"/change-events/{row.id}", facts)


def subject_of(session: Session, row: StatusReport | GateReview | ChangeEvent) -> Subject:
    """The subject a thread is about, named with its project's code and name."""
    words = _project_words(session, row.project_id)
    if isinstance(row, StatusReport):
        return _report(row, words)
    if isinstance(row, GateReview):
        return _review(row, words)
    return _event(row, words)
