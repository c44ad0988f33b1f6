"""Who may see, submit, change and decide intake requests, and who decides which request.

Reading: enterprise roles see every request; everybody else the requests of the departments
in their scope and the requests they submitted. Routing: tier 1 is decided by the EPMO;
other tiers by the proposing department's lead, unless the charter gives the EPMO
controlling or directive authority over Portfolio Governance in that department.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import ColumnElement, or_, true
from sqlalchemy.orm import Session

from epmo.auth.policy import Actor, can_lead_department, in_scope, is_admin, spans_enterprise
from epmo.charter.authority import authority_map
from epmo.errors import Forbidden, NotFound
from epmo.intake import repository
from epmo.intake.models import IntakeRequest
from epmo.intake.repository import Route

READ_ONLY_ROLES = frozenset({"executive", "viewer"})
PRACTICE = "portfolio_governance"  # charter.models.PRACTICES: intake belongs to it
EPMO_LEVELS = frozenset({"controlling", "directive"})
OPEN_STAGES = frozenset({"submitted", "triage"})

# --- reading ----------------------------------------------------------------------------


def request_scope(actor: Actor) -> ColumnElement[bool]:
    """WHERE clause limiting a request query to what ``actor`` may read."""
    if spans_enterprise(actor):
        return true()
    conditions = [IntakeRequest.requester_id == actor.id]
    if actor.scope:
        conditions.append(IntakeRequest.department_id.in_(sorted(actor.scope)))
    return or_(*conditions)


def can_read_request(actor: Actor, request: IntakeRequest) -> bool:
    """Proposing department in scope, an enterprise role, or the actor's own request."""
    return in_scope(actor, request.department_id) or request.requester_id == actor.id


def access_request_or_404(session: Session, actor: Actor, request_id: int) -> IntakeRequest:
    """Return the request if the actor may read it, else NotFound."""
    request = repository.get_request(session, request_id)
    if request is None or not can_read_request(actor, request):
        raise NotFound(f"Request {request_id} not found")
    return request


# --- submitting and changing ------------------------------------------------------------


def can_submit(actor: Actor, department_id: int) -> bool:
    """Any role but viewer and executive, for a department in scope (administrators: any)."""
    if is_admin(actor):
        return True
    return actor.role not in READ_ONLY_ROLES and department_id in actor.scope


def may_submit(actor: Actor) -> bool:
    """Whether the actor may submit a request for at least one department."""
    return is_admin(actor) or (actor.role not in READ_ONLY_ROLES and bool(actor.scope))


def require_submit(actor: Actor, department_id: int) -> None:
    """Raise Forbidden unless the actor may submit requests for ``department_id``."""
    if not can_submit(actor, department_id):
        raise Forbidden("You may not submit requests for this department")


def can_edit(actor: Actor, request: IntakeRequest) -> bool:
    """The requester and administrators; the department's lead while it is open."""
    if is_admin(actor) or request.requester_id == actor.id:
        return True
    return request.stage in OPEN_STAGES and can_lead_department(actor, request.department_id)


def writable_request_or_404(session: Session, actor: Actor, request_id: int) -> IntakeRequest:
    """Return the request if the actor may change it; 404 if unreadable, else 403."""
    request = access_request_or_404(session, actor, request_id)
    if not can_edit(actor, request):
        raise Forbidden("Only the requester, the department's lead (while the request is "
                        "submitted or in triage) and the EPMO may change this request")
    return request


def is_owner(actor: Actor, request: IntakeRequest) -> bool:
    """The requester or an administrator (resubmit and delete)."""
    return is_admin(actor) or request.requester_id == actor.id


def owned_request_or_404(session: Session, actor: Actor, request_id: int) -> IntakeRequest:
    """Return the request if the actor submitted it or administers; 404 if unseen, else 403."""
    request = access_request_or_404(session, actor, request_id)
    if not is_owner(actor, request):
        raise Forbidden("Only the requester and the EPMO may do this")
    return request


# --- routing and deciding ---------------------------------------------------------------


def route(tier: int, department: str, level: str) -> Route:
    """Who decides a request of ``tier`` from ``department`` under authority ``level``."""
    if tier == 1:
        return Route("epmo", "The EPMO (EPMO administrators): tier 1 requests are decided "
                             "by the EPMO")
    if level in EPMO_LEVELS:
        return Route("epmo", f"The EPMO (EPMO administrators): the charter gives the EPMO "
                             f"{level} authority over portfolio governance in {department}")
    return Route("department_lead", f"The lead of {department} (tier {tier} requests are "
                                    f"decided by the proposing department)")


def routes(session: Session, requests: Sequence[IntakeRequest]) -> dict[int, Route]:
    """The route of each request, reading the charter once."""
    levels = authority_map(session)
    names = {r.department_id: _department_label(session, r.department_id) for r in requests}
    return {r.id: route(r.tier, names[r.department_id],
                        levels.get(r.department_id, {}).get(PRACTICE, "none")) for r in requests}


def _department_label(session: Session, department_id: int) -> str:
    department = repository.get_department(session, department_id)
    return department.code if department else str(department_id)


def route_of(session: Session, request: IntakeRequest) -> Route:
    """Who decides this request."""
    return routes(session, [request])[request.id]


def can_decide(session: Session, actor: Actor, request: IntakeRequest,
               found: Mapping[int, Route] | None = None) -> bool:
    """EPMO administrators always; the department's lead when the request is routed to them."""
    if is_admin(actor):
        return True
    if actor.role != "department_lead" or not can_lead_department(actor, request.department_id):
        return False
    chosen = found[request.id] if found else route_of(session, request)
    return chosen.decider == "department_lead"


def require_decide(session: Session, actor: Actor, request: IntakeRequest) -> None:
    """Raise Forbidden (the actor can read the request) unless the actor may decide it."""
    if not can_decide(session, actor, request):
        words = route_of(session, request).words
        raise Forbidden(f"You may not move or decide this request; it is decided by: {words}")
