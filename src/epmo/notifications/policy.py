"""Who sees what: own notifications and subscriptions, webhooks of admins and leads.

An event reaches a user (in-app, e-mail) or a webhook owner only when that user may read at
least one of the things the event is about (its targets): projects and programmes by the
portfolio rules, departments by the user's own department scope, goals by everybody.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor, in_scope, is_admin, spans_enterprise
from epmo.errors import Forbidden, NotFound
from epmo.notifications import repository
from epmo.notifications.models import Notification, Subscription, Webhook, WebhookDelivery
from epmo.org import repository as org_repository
from epmo.portfolio import policy as portfolio_policy
from epmo.portfolio import repository as portfolio_repository
from epmo.portfolio.models import Programme, Project
from epmo.strategy import repository as strategy_repository

Target = tuple[str, int]


def own_notification_or_404(session: Session, actor: Actor, notification_id: int) -> Notification:
    """The actor's own notification; anyone else's answers like a missing one."""
    found = repository.get_notification(session, notification_id)
    if found is None or found.user_id != actor.id:
        raise NotFound(f"Notification {notification_id} not found")
    return found


def own_subscription_or_404(session: Session, actor: Actor, subscription_id: int) -> Subscription:
    """The actor's own subscription; anyone else's answers like a missing one."""
    found = session.get(Subscription, subscription_id)
    if found is None or found.user_id != actor.id:
        raise NotFound(f"Subscription {subscription_id} not found")
    return found


def target_exists(session: Session, kind: str, target_id: int) -> bool:
    """True when the project, programme, department or goal exists."""
    getters = {"project": portfolio_repository.get_project,
               "programme": portfolio_repository.get_programme,
               "department": org_repository.get_department,
               "goal": strategy_repository.get_goal}
    getter = getters.get(kind)
    return getter is not None and getter(session, target_id) is not None


@dataclass(frozen=True, slots=True)
class Readable:
    """One event target as read once for any number of readers: the row and who takes part.

    ``exists`` tells whether a project, programme or goal was found; departments are not read.
    """

    kind: str
    id: int
    row: Project | Programme | None = None
    taking_part: tuple[int, ...] = ()
    exists: bool = False


def load_targets(session: Session, targets: Sequence[Target]) -> list[Readable]:
    """What deciding access to these targets needs, in at most five queries however many."""
    ids = {kind: [i for k, i in targets if k == kind] for kind in ("project", "programme", "goal")}
    projects = repository.projects_by_id(session, ids["project"])
    programmes = repository.programmes_by_id(session, ids["programme"])
    rows: dict[str, dict[int, Project] | dict[int, Programme]] = {
        "project": projects, "programme": programmes}
    parts = {"project": repository.project_departments(session, list(projects)),
             "programme": repository.programme_departments(session, list(programmes))}
    goals = repository.existing_goal_ids(session, ids["goal"])
    return [_readable(kind, ident, rows, parts, goals) for kind, ident in targets]


def _readable(kind: str, ident: int, rows: Mapping[str, Mapping[int, Project | Programme]],
              parts: Mapping[str, Mapping[int, list[int]]], goals: set[int]) -> Readable:
    if kind in rows:
        row = rows[kind].get(ident)
        return Readable(kind, ident, row, tuple(parts[kind].get(ident, ())), row is not None)
    return Readable(kind, ident, exists=kind == "goal" and ident in goals)


def may_read_target(actor: Actor, target: Readable) -> bool:
    """May the actor read this project, programme, department or goal (no queries)?"""
    if isinstance(target.row, Project):
        return portfolio_policy.may_read_project(actor, target.row, lambda: target.taking_part)
    if isinstance(target.row, Programme):
        return portfolio_policy.may_read_programme(actor, target.row, lambda: target.taking_part)
    if target.kind == "department":
        return in_scope(actor, target.id)
    return target.kind == "goal" and target.exists


def can_read_target(session: Session, actor: Actor, kind: str, target_id: int) -> bool:
    """May the actor read the project, programme, department or goal an event is about?"""
    return may_read_target(actor, load_targets(session, [(kind, target_id)])[0])


def may_read_event(actor: Actor, targets: Sequence[Readable]) -> bool:
    """An event without targets is enterprise-wide; otherwise one readable target suffices."""
    if not targets:
        return spans_enterprise(actor)
    return any(may_read_target(actor, target) for target in targets)


def can_manage_webhooks(actor: Actor) -> bool:
    """EPMO administrators and department leads keep webhooks."""
    return is_admin(actor) or actor.role == "department_lead"


def require_manage_webhooks(actor: Actor) -> None:
    """Raise Forbidden unless the actor may keep webhooks."""
    if not can_manage_webhooks(actor):
        raise Forbidden("Only EPMO administrators and department leads manage webhooks")


def webhook_owner_filter(actor: Actor) -> int | None:
    """Whose webhooks the actor lists: everybody's (admins, None) or their own."""
    require_manage_webhooks(actor)
    return None if is_admin(actor) else actor.id


def access_webhook_or_404(session: Session, actor: Actor, webhook_id: int) -> Webhook:
    """Admins reach every webhook, department leads their own."""
    require_manage_webhooks(actor)
    webhook = session.get(Webhook, webhook_id)
    if webhook is None or not (is_admin(actor) or webhook.owner_id == actor.id):
        raise NotFound(f"Webhook {webhook_id} not found")
    return webhook


def access_delivery_or_404(session: Session, actor: Actor, delivery_id: int) -> WebhookDelivery:
    """A delivery of a webhook the actor may manage."""
    require_manage_webhooks(actor)
    delivery = session.get(WebhookDelivery, delivery_id)
    webhook = session.get(Webhook, delivery.webhook_id) if delivery else None
    if delivery is None or webhook is None or not (
            is_admin(actor) or webhook.owner_id == actor.id):
        raise NotFound(f"Webhook delivery {delivery_id} not found")
    return delivery
