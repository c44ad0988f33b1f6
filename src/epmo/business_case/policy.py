"""Who may read and change the EPMO's business case.

The business case argues the EPMO's own budget and staffing, so it is written by the EPMO:
EPMO administrators create and change cases, options and amounts. Its readers are those who
decide on it or are asked to accept the authority it proposes: executives (the sponsors)
and department leads (whose departments each option gives the EPMO more or less say over).
Project managers, members and viewers do not see it: for them a case looks missing (404)
and the list is empty, with a line saying who reads it.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor, is_admin
from epmo.business_case import repository
from epmo.business_case.models import BusinessCase, BusinessCaseOption
from epmo.errors import Forbidden, NotFound

READERS = frozenset({"epmo_admin", "executive", "department_lead"})
WHO_READS = "EPMO administrators, executives and department leads"


def can_read(actor: Actor) -> bool:
    """Whether the actor may read business cases."""
    return actor.role in READERS


def can_edit(actor: Actor) -> bool:
    """Whether the actor may create and change business cases: EPMO administrators."""
    return is_admin(actor)


def require_edit(actor: Actor) -> None:
    """Raise Forbidden unless the actor may change business cases."""
    if not can_edit(actor):
        raise Forbidden("Only EPMO administrators change the business case")


def access_case_or_404(session: Session, actor: Actor, case_id: int) -> BusinessCase:
    """The case when the actor may read it, else NotFound (a forbidden case looks missing)."""
    case = repository.get_case(session, case_id)
    if case is None or not can_read(actor):
        raise NotFound(f"Business case {case_id} not found")
    return case


def access_option_or_404(session: Session, actor: Actor,
                         option_id: int) -> tuple[BusinessCase, BusinessCaseOption]:
    """The option and its case when the actor may read them, else NotFound."""
    option = repository.get_option(session, option_id)
    if option is None or not can_read(actor):
        raise NotFound(f"Option {option_id} not found")
    case = access_case_or_404(session, actor, option.case_id)
    return case, option
