"""Who sees what: own notifications and subscriptions, webhooks of admins and leads.

An event reaches a user (in-app, e-mail) or a webhook owner only when that user may read at
least one of the things the event is about (its targets): projects and programmes by the
portfolio rules, departments by the user's own department scope, goals by everybody.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor, in_scope, is_admin, spans_enterprise
from epmo.errors import Forbidden, NotFound
from epmo.notifications import repository
from epmo.notifications.models import Notification, Subscription, Webhook, WebhookDelivery
from epmo.org import repository as org_repository
from epmo.portfolio import policy as portfolio_policy
from epmo.portfolio import repository as portfolio_repository
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


def can_read_target(session: Session, actor: Actor, kind: str, target_id: int) -> bool:
    """May the actor read the project, programme, department or goal an event is about?"""
    if kind == "project":
        project = portfolio_repository.get_project(session, target_id)
        return project is not None and portfolio_policy.can_read_project(session, actor, project)
    if kind == "programme":
        programme = portfolio_repository.get_programme(session, target_id)
        return programme is not None and portfolio_policy.can_read_programme(
            session, actor, programme)
    if kind == "department":
        return in_scope(actor, target_id)
    return kind == "goal" and strategy_repository.get_goal(session, target_id) is not None


def can_read_event(session: Session, actor: Actor, targets: Sequence[Target]) -> bool:
    """An event without targets is enterprise-wide; otherwise one readable target suffices."""
    if not targets:
        return spans_enterprise(actor)
    return any(can_read_target(session, actor, kind, ident) for kind, ident in targets)


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
