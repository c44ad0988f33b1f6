"""REST endpoints of the notifications domain.

/notifications (your inbox), /subscriptions and /notification-preferences (yours), and
/webhooks with their delivery log (EPMO administrators and department leads).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from epmo.editing import paginate
from epmo.notifications import policy, repository, service
from epmo.notifications.schemas import (
    MarkedRead,
    NotificationRead,
    PreferenceRead,
    PreferenceUpdate,
    SubscriptionCreate,
    SubscriptionRead,
    UnreadCount,
    WebhookCreate,
    WebhookCreated,
    WebhookDeliveryRead,
    WebhookRead,
    WebhookUpdate,
)
from epmo.schema_kit import PageOf
from epmo.web.deps import DB, CurrentActor, PageParams, PathId, Version

router = APIRouter(tags=["notifications"])


@router.get("/notifications", response_model=PageOf[NotificationRead])
def list_notifications(session: DB, actor: CurrentActor, page: PageParams,
                       unread: Annotated[bool, Query(description="Only unread ones")] = False,
                       ) -> object:
    """Your notifications, unread first, newest first."""
    return paginate(session, repository.inbox_query(actor.id, unread), page.limit, page.offset)


@router.get("/notifications/unread-count", response_model=UnreadCount)
def unread_count(session: DB, actor: CurrentActor) -> object:
    """How many of your notifications are unread."""
    return {"unread": repository.unread_count(session, actor.id)}


@router.post("/notifications/read-all", response_model=MarkedRead)
def read_all(session: DB, actor: CurrentActor) -> object:
    """Mark all your notifications read."""
    marked = service.mark_all_read(session, actor)
    return {"marked": marked, "unread": repository.unread_count(session, actor.id)}


@router.post("/notifications/{notification_id}/read", response_model=NotificationRead)
def read_one(session: DB, actor: CurrentActor, notification_id: PathId) -> object:
    """Mark one of your notifications read."""
    return service.mark_read(session, actor, notification_id)


# --- subscriptions and e-mail preference -------------------------------------------------


@router.get("/subscriptions", response_model=list[SubscriptionRead])
def list_subscriptions(session: DB, actor: CurrentActor) -> object:
    """What you follow."""
    return repository.subscriptions_of(session, actor.id)


@router.post("/subscriptions", response_model=SubscriptionRead, status_code=201)
def create_subscription(session: DB, actor: CurrentActor, body: SubscriptionCreate) -> object:
    """Follow a project, programme, department or goal you may read (some kinds or all)."""
    return service.create_subscription(session, actor, body)


@router.delete("/subscriptions/{subscription_id}", status_code=204)
def delete_subscription(session: DB, actor: CurrentActor, subscription_id: PathId) -> Response:
    """Stop following."""
    service.delete_subscription(session, actor, subscription_id)
    return Response(status_code=204)


@router.get("/notification-preferences", response_model=PreferenceRead)
def get_preference(session: DB, actor: CurrentActor) -> object:
    """Your e-mail mode: immediate (the default), digest or off."""
    preference = repository.preference_of(session, actor.id)
    return {"email_mode": preference.email_mode if preference else "immediate"}


@router.put("/notification-preferences", response_model=PreferenceRead)
def put_preference(session: DB, actor: CurrentActor, body: PreferenceUpdate) -> object:
    """Choose immediate, digest (daily) or no e-mail."""
    return service.set_preference(session, actor, body)


# --- webhooks -------------------------------------------------------------------------------


@router.get("/webhooks", response_model=PageOf[WebhookRead])
def list_webhooks(session: DB, actor: CurrentActor, page: PageParams) -> object:
    """Webhooks: all of them for administrators, their own for department leads."""
    query = repository.webhook_query(policy.webhook_owner_filter(actor))
    return paginate(session, query, page.limit, page.offset)


@router.post("/webhooks", response_model=WebhookCreated, status_code=201)
def create_webhook(session: DB, actor: CurrentActor, body: WebhookCreate) -> object:
    """Create a webhook; the answer holds its signing secret, shown this once."""
    return service.create_webhook(session, actor, body)


@router.get("/webhooks/{webhook_id}", response_model=WebhookRead)
def get_webhook(session: DB, actor: CurrentActor, webhook_id: PathId) -> object:
    """One webhook."""
    return policy.access_webhook_or_404(session, actor, webhook_id)


@router.patch("/webhooks/{webhook_id}", response_model=WebhookRead)
def update_webhook(session: DB, actor: CurrentActor, webhook_id: PathId,
                   body: WebhookUpdate) -> object:
    """Change a webhook; send the version you read."""
    return service.update_webhook(session, actor, webhook_id, body)


@router.delete("/webhooks/{webhook_id}", status_code=204)
def delete_webhook(session: DB, actor: CurrentActor, webhook_id: PathId,
                   version: Version) -> Response:
    """Delete a webhook and its delivery log; pass ``?version=`` of what you read."""
    service.delete_webhook(session, actor, webhook_id, version)
    return Response(status_code=204)


@router.get("/webhooks/{webhook_id}/deliveries", response_model=PageOf[WebhookDeliveryRead])
def list_deliveries(session: DB, actor: CurrentActor, webhook_id: PathId,
                    page: PageParams) -> object:
    """A webhook's delivery log, newest first: status, attempts, response code, error."""
    webhook = policy.access_webhook_or_404(session, actor, webhook_id)
    return paginate(session, repository.deliveries_query(webhook.id), page.limit, page.offset)


@router.post("/webhooks/{webhook_id}/test", response_model=WebhookDeliveryRead,
             status_code=202)
def test_webhook(session: DB, actor: CurrentActor, webhook_id: PathId) -> object:
    """Queue a ``ping`` event to the webhook; its delivery shows in the log."""
    return service.ping_webhook(session, actor, webhook_id)


@router.post("/webhook-deliveries/{delivery_id}/redeliver", response_model=WebhookDeliveryRead,
             status_code=202)
def redeliver(session: DB, actor: CurrentActor, delivery_id: PathId) -> object:
    """Send a delivery's payload again, as a new delivery."""
    return service.redeliver(session, actor, delivery_id)
