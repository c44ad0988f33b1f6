"""Who may see and change what in the value ledger.

- EPMO administrators write entries, run the proposal scan, correct proposals, confirm and
  reject entries: the ledger is the EPMO's own account of its contribution.
- Finance validates hard savings: the department leads of the finance department
  (``EPMO_LEDGER_FINANCE_DEPARTMENT``, default ``FIN``). Separation of duties: whoever
  proposed or confirmed an entry may not validate it. Finance may also reject a confirmed
  hard saving, saying why.
- Executives, EPMO administrators and finance read the whole ledger; everybody else reads
  the entries of their own departments (and those below them). A viewer reads, never writes.
  An entry the reader may not see looks exactly like a missing one.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, true
from sqlalchemy.orm import Session

from epmo.auth.policy import Actor, is_admin, spans_enterprise
from epmo.config import get_settings
from epmo.errors import Forbidden, NotFound
from epmo.ledger.models import LedgerEntry
from epmo.org import repository as org_repository


def finance_department_id(session: Session) -> int | None:
    """The id of the department named by ``EPMO_LEDGER_FINANCE_DEPARTMENT`` (None: no such)."""
    found = org_repository.get_department_by_code(session,
                                                  get_settings().ledger_finance_department)
    return found.id if found is not None else None


def is_finance(session: Session, actor: Actor) -> bool:
    """Whether the actor leads the finance department (and so validates hard savings)."""
    finance = finance_department_id(session)
    return (actor.role == "department_lead" and finance is not None
            and finance in actor.department_ids)


def reads_all(session: Session, actor: Actor) -> bool:
    """Whether the actor reads every department's entries."""
    return spans_enterprise(actor) or is_finance(session, actor)


def entry_scope(session: Session, actor: Actor) -> ColumnElement[bool]:
    """WHERE clause: the entries the actor may see."""
    if reads_all(session, actor):
        return true()
    if not actor.scope:
        return false()
    return LedgerEntry.department_id.in_(sorted(actor.scope))


def may_see(session: Session, actor: Actor, entry: LedgerEntry) -> bool:
    """Whether the actor may see the entry."""
    return reads_all(session, actor) or entry.department_id in actor.scope


def access_entry_or_404(session: Session, actor: Actor, entry_id: int) -> LedgerEntry:
    """The entry when the actor may see it, else NotFound."""
    entry = session.get(LedgerEntry, entry_id)
    if entry is None or not may_see(session, actor, entry):
        raise NotFound(f"Ledger entry {entry_id} not found")
    return entry


def can_keep(actor: Actor) -> bool:
    """Whether the actor writes, proposes, confirms and rejects entries (EPMO administrators)."""
    return is_admin(actor)


def require_keep(actor: Actor) -> None:
    """Raise Forbidden unless the actor keeps the ledger."""
    if not can_keep(actor):
        raise Forbidden("The value ledger is kept by EPMO administrators")


def actions(session: Session, actor: Actor, entry: LedgerEntry,
            finance: bool | None = None) -> list[str]:
    """What the actor may do with the entry now (``finance``: whether the actor is finance,
    when the caller knows)."""
    found: list[str] = []
    if entry.status == "proposed" and can_keep(actor):
        found += ["confirm", "reject"]
    if entry.status == "confirmed" and entry.category == "hard_saving":
        if finance is None:
            finance = is_finance(session, actor)
        if finance and actor.id not in (entry.proposed_by_id, entry.confirmed_by_id):
            found += ["validate", "reject"]
        elif can_keep(actor):
            found.append("reject")
    elif entry.status == "confirmed" and can_keep(actor):
        found.append("reject")
    return found


def validation_refusal(session: Session, actor: Actor, entry: LedgerEntry) -> str:
    """Why the actor may not validate the entry, in words."""
    if not is_finance(session, actor):
        code = get_settings().ledger_finance_department
        return f"Hard savings are validated by the department leads of finance ({code})"
    return ("Separation of duties: whoever proposed or confirmed an entry may not "
            "validate it")
