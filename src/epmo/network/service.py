"""Named writes of the network domain: propose, accept, decline and remove dependencies;
acknowledge and respond to change events."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.db import utcnow
from epmo.editing import check_version
from epmo.engines.propagation import Link, LinkType, State, closes_cycle
from epmo.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from epmo.network import cache, derived, events, nodes, policy, repository
from epmo.network.models import ChangeEvent, ChangeResponse, Dependency
from epmo.network.schemas import Acknowledge, DependencyAnswer, DependencyCreate, Respond
from epmo.notifications import service as notifications
from epmo.notifications.publishing import publish
from epmo.portfolio import policy as portfolio_policy
from epmo.portfolio.models import Milestone, Project


@dataclass(frozen=True, slots=True)
class End:
    """A checked end of a dependency."""

    kind: str
    project: Project
    milestone: Milestone | None

    @property
    def node(self) -> int:
        """The end's engine node."""
        ident = self.milestone.id if self.milestone is not None else self.project.id
        return nodes.node_of(self.kind, ident)


def _invalid(field: str, message: str) -> Invalid:
    return Invalid(f"{field}: {message}", [FieldError(field, message)])


def _end(session: Session, actor: Actor, side: str, milestone_id: int | None,
         project_id: int | None) -> End:
    """The end named by a milestone or a project id (exactly one), readable by the actor."""
    if (milestone_id is None) == (project_id is None):
        raise _invalid(f"{side}_milestone_id", f"give exactly one of {side}_milestone_id and "
                                               f"{side}_project_id")
    if milestone_id is not None:
        milestone = session.get(Milestone, milestone_id)
        project = session.get(Project, milestone.project_id) if milestone else None
        if milestone is None or project is None or not portfolio_policy.can_read_project(
                session, actor, project):
            raise NotFound(f"Milestone {milestone_id} not found",
                           [FieldError(f"{side}_milestone_id", f"no such milestone: "
                                                               f"{milestone_id}")])
        return End("milestone", project, milestone)
    assert project_id is not None
    project = session.get(Project, project_id)
    if project is None or not portfolio_policy.can_read_project(session, actor, project):
        raise NotFound(f"Project {project_id} not found",
                       [FieldError(f"{side}_project_id", f"no such project: {project_id}")])
    return End("project", project, None)


def _check_cycle(session: Session, pred: End, succ: End) -> None:
    """Refuse a link that closes a cycle of accepted dependencies, naming the cycle."""
    if pred.node == succ.node:
        raise _invalid("successor_milestone_id" if succ.milestone else "successor_project_id",
                       "a dependency cannot link an end to itself")
    network = cache.network_for(session).network
    if pred.node not in network.index or succ.node not in network.index:
        return
    cycle = closes_cycle(network, pred.node, succ.node)
    if cycle is not None:
        named = " -> ".join(_node_name(session, node) for node in cycle)
        raise Conflict(f"This dependency would close a cycle: {named}",
                       [FieldError("successor", f"closes the cycle {named}")],
                       {"cycle": [nodes.label(node) for node in cycle]})


def _node_name(session: Session, node: int) -> str:
    kind, ident = nodes.split(node)
    if kind == "milestone":
        milestone = session.get(Milestone, ident)
        return f"{milestone.name} (M{ident})" if milestone else f"M{ident}"
    project = session.get(Project, ident)
    return f"{project.code} (P{ident})" if project else f"P{ident}"


def _side(session: Session, actor: Actor, data: DependencyCreate, pred: End, succ: End) -> str:
    owned = [s for s, end in (("predecessor", pred), ("successor", succ))
             if policy.owns_project(actor, end.project)]
    if not owned:
        raise Forbidden("Only the manager of one end's project, the lead of its department or "
                        "an EPMO administrator may propose this dependency")
    if data.proposed_side is not None and data.proposed_side not in owned:
        raise Forbidden(f"You do not own the {data.proposed_side}'s project")
    return data.proposed_side or owned[0]


def create_dependency(session: Session, actor: Actor, data: DependencyCreate) -> Dependency:
    """Propose a dependency; accepted at once when the proposer owns both ends."""
    pred = _end(session, actor, "predecessor", data.predecessor_milestone_id,
                data.predecessor_project_id)
    succ = _end(session, actor, "successor", data.successor_milestone_id,
                data.successor_project_id)
    side = _side(session, actor, data, pred, succ)
    if repository.dependency_between(session, pred.node, succ.node) is not None:
        raise Conflict("These two ends are already linked",
                       [FieldError("successor", "a dependency between them exists")])
    _check_cycle(session, pred, succ)
    both = policy.owns_project(actor, pred.project) and policy.owns_project(actor, succ.project)
    before = derived.current_state(session) if both else None
    dependency = Dependency(
        pred_kind=pred.kind, pred_project_id=pred.project.id, pred_node=pred.node,
        pred_milestone_id=pred.milestone.id if pred.milestone else None,
        succ_kind=succ.kind, succ_project_id=succ.project.id, succ_node=succ.node,
        succ_milestone_id=succ.milestone.id if succ.milestone else None,
        type=data.type, lag_days=data.lag_days, note=data.note, criticality=data.criticality,
        status="accepted" if both else "proposed", proposed_by_id=actor.id or None,
        proposed_side=side)
    if both:
        dependency.responded_by_id, dependency.responded_at = actor.id or None, utcnow()
        dependency.response_comment = "proposed by the owner of both ends"
    session.add(dependency)
    session.flush()
    if before is not None:
        _relinked(session, actor, dependency, "accepted (owner of both ends)", before)
    else:
        _announce(session, dependency, "dependency.proposed", "proposed", side)
    return dependency


def _announce(session: Session, dependency: Dependency, kind: str, verb: str,
              side: str) -> None:
    """Tell the owners of the side that has to act (or learn of the answer)."""
    pid = dependency.pred_project_id if side == "successor" else dependency.succ_project_id
    project = session.get(Project, pid)
    assert project is not None
    managers = [project.manager_id] if project.manager_id is not None else []
    recipients = repository.owners_of(session, managers, [project.department_id])
    publish(session, kind=kind, title=f"Dependency {verb}: {dependency.pred_kind} "
                                      f"{nodes.label(dependency.pred_node)} -> "
                                      f"{nodes.label(dependency.succ_node)} ({dependency.type})",
            body=dependency.response_comment or dependency.note,
            link=f"/dependencies?project_id={project.id}", recipients=recipients,
            targets=[("project", project.id)],
            payload={"dependency_id": dependency.id, "status": dependency.status})


def _answer(session: Session, actor: Actor, dependency_id: int, data: DependencyAnswer,
            status: str) -> Dependency:
    dependency = policy.answerable_dependency_or_404(session, actor, dependency_id)
    if data.version is not None:
        check_version(dependency, data.version)
    if dependency.status != "proposed":
        raise Conflict(f"The dependency is already {dependency.status}",
                       [FieldError("status", f"already {dependency.status}")])
    before = None
    if status == "accepted":
        _check_cycle(session, *_ends(session, dependency))
        before = derived.current_state(session)  # read before the link joins the network
    dependency.status, dependency.response_comment = status, data.comment
    dependency.responded_by_id, dependency.responded_at = actor.id or None, utcnow()
    session.flush()
    if before is not None:
        _relinked(session, actor, dependency, "accepted", before)
    _announce(session, dependency, f"dependency.{status}", status,
              policy.other_side(dependency.proposed_side))
    return dependency


def _link_reason(session: Session, actor: Actor, dependency: Dependency, verb: str) -> str:
    """Why implied dates moved: which dependency, what happened to it, and who did it."""
    lag = f", lag {dependency.lag_days:+d} days" if dependency.lag_days else ""
    return (f"dependency {_node_name(session, dependency.pred_node)} -> "
            f"{_node_name(session, dependency.succ_node)} ({dependency.type}{lag}) {verb} by "
            f"{actor.label}")


def _relinked(session: Session, actor: Actor, dependency: Dependency, verb: str,
              before: State) -> None:
    """The link joined the network: store the implied dates and record what moved."""
    after = derived.add_link(session, _link_of(dependency))
    events.record_link_change(session, actor, _link_reason(session, actor, dependency, verb),
                              dependency.succ_node, before, after)


def _link_of(dependency: Dependency) -> Link:
    """The engine link of a dependency."""
    return Link(dependency.pred_node, dependency.succ_node, cast(LinkType, dependency.type),
                dependency.lag_days)


def _ends(session: Session, dependency: Dependency) -> tuple[End, End]:
    def end(kind: str, pid: int, mid: int | None) -> End:
        project = session.get(Project, pid)
        assert project is not None
        return End(kind, project, session.get(Milestone, mid) if mid is not None else None)
    return (end(dependency.pred_kind, dependency.pred_project_id, dependency.pred_milestone_id),
            end(dependency.succ_kind, dependency.succ_project_id, dependency.succ_milestone_id))


def accept_dependency(session: Session, actor: Actor, dependency_id: int,
                      data: DependencyAnswer) -> Dependency:
    """The other side's owner accepts: the dependency starts to propagate changes."""
    return _answer(session, actor, dependency_id, data, "accepted")


def decline_dependency(session: Session, actor: Actor, dependency_id: int,
                       data: DependencyAnswer) -> Dependency:
    """The other side's owner declines, saying why."""
    if not data.comment.strip():
        raise _invalid("comment", "say why you decline")
    return _answer(session, actor, dependency_id, data, "declined")


def delete_dependency(session: Session, actor: Actor, dependency_id: int, version: int) -> None:
    """Remove a dependency (an owner of either end)."""
    dependency = policy.removable_dependency_or_404(session, actor, dependency_id)
    check_version(dependency, version)
    before = derived.current_state(session) if dependency.status == "accepted" else None
    reason = _link_reason(session, actor, dependency, "removed")
    succ, link = dependency.succ_node, _link_of(dependency)
    session.delete(dependency)
    session.flush()
    if before is not None:
        events.record_link_change(session, actor, reason, succ, before,
                                  derived.remove_link(session, link))


# --- responses to change events ---------------------------------------------------------


def _response(session: Session, actor: Actor, event: ChangeEvent,
              department_id: int | None) -> ChangeResponse:
    allowed = policy.departments_to_answer(session, actor, event)
    if not allowed:
        raise Forbidden("Only owners of a project this change hits may answer it")
    rows = {r.department_id: r for r in repository.responses_of(session, event.id)}
    if department_id is None:
        pending = [d for d in allowed if rows[d].acknowledged_at is None]
        department_id = (pending or allowed)[0]
    if department_id not in allowed:
        raise _invalid("department_id", "you may not answer for this department")
    return rows[department_id]


def _maybe_close(session: Session, event: ChangeEvent) -> None:
    if all(r.acknowledged_at is not None for r in repository.responses_of(session, event.id)):
        event.status, event.closed_at = "closed", utcnow()


def acknowledge_event(session: Session, actor: Actor, event_id: int,
                      data: Acknowledge) -> ChangeEvent:
    """Acknowledge a change for one of your departments (once; later calls keep the time)."""
    event = policy.access_event_or_404(session, actor, event_id)
    row = _response(session, actor, event, data.department_id)
    if row.acknowledged_at is None:
        row.acknowledged_at, row.user_id = utcnow(), actor.id or None
    _maybe_close(session, event)
    notifications.mark_read_for(session, actor.id or None, f"/change-events/{event.id}")
    session.flush()
    return event


def respond_to_event(session: Session, actor: Actor, event_id: int, data: Respond) -> ChangeEvent:
    """Answer a change (absorb, replan, escalate) with a comment; acknowledges it too."""
    event = policy.access_event_or_404(session, actor, event_id)
    row = _response(session, actor, event, data.department_id)
    now = utcnow()
    if row.acknowledged_at is None:
        row.acknowledged_at = now
    row.user_id, row.response, row.comment, row.responded_at = (
        actor.id or None, data.response, data.comment, now)
    _maybe_close(session, event)
    notifications.mark_read_for(session, actor.id or None, f"/change-events/{event.id}")
    session.flush()
    return event
