"""Read shapes built from rows: an entry with names, its evidence's label and link."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.ledger import policy, repository
from epmo.ledger.models import LedgerEntry
from epmo.ledger.schemas import EntryRead

EVIDENCE_LABELS = {"project": "Project", "gate_review": "Gate review",
                   "intake_request": "Intake request", "change_event": "Change event",
                   "lending": "Lending", "scenario": "Selection scenario"}


def evidence_url(entry: LedgerEntry) -> str:
    """The hub page of the entry's evidence ("" when it names none)."""
    kind, ident = entry.evidence_kind, entry.evidence_id
    if kind is None or ident is None:
        return ""
    if kind == "gate_review":
        return f"/projects/{entry.project_id}/gates" if entry.project_id else ""
    return {"project": f"/projects/{ident}", "intake_request": f"/intake/{ident}",
            "change_event": f"/change-events/{ident}",
            "lending": f"/resources/lending#lending-{ident}",
            "scenario": f"/scenarios/{ident}"}.get(kind, "")


def _label(entry: LedgerEntry, codes: dict[int, str]) -> str:
    if entry.evidence_kind is None:
        return ""
    kind = EVIDENCE_LABELS.get(entry.evidence_kind, entry.evidence_kind)
    code = codes.get(entry.project_id or 0)
    if entry.evidence_kind == "project" and code and entry.evidence_id == entry.project_id:
        return f"{kind} {code}"
    label = f"{kind} {entry.evidence_id}"
    return f"{label} ({code})" if code else label


def describe_entries(session: Session, actor: Actor | None,
                     rows: Sequence[LedgerEntry]) -> list[EntryRead]:
    """Entries with department, project, people and evidence named (three queries), and the
    actions the actor may take (none when ``actor`` is None: a printed report)."""
    departments = repository.departments(session)
    codes = repository.project_codes(session, (r.project_id for r in rows))
    names = repository.user_names(session, (i for r in rows for i in (
        r.proposed_by_id, r.confirmed_by_id, r.validated_by_id, r.rejected_by_id)))
    finance = actor is not None and policy.is_finance(session, actor)
    shown = []
    for row in rows:
        department = departments.get(row.department_id)
        shown.append(EntryRead.model_validate(row).model_copy(update={
            "department": department.code if department else "",
            "project_code": codes.get(row.project_id or 0, ""),
            "evidence_label": _label(row, codes), "evidence_url": evidence_url(row),
            "proposed_by": names.get(row.proposed_by_id or 0, "the hub" if row.source == "hub"
                                     else ""),
            "confirmed_by": names.get(row.confirmed_by_id or 0, ""),
            "validated_by": names.get(row.validated_by_id or 0, ""),
            "rejected_by": names.get(row.rejected_by_id or 0, ""),
            "may": policy.actions(session, actor, row, finance) if actor is not None else []}))
    return shown
