"""Pages of the notifications domain: inbox, settings (subscriptions, e-mail), webhooks."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.editing import paginate
from epmo.errors import EpmoError
from epmo.notifications import policy, repository, service
from epmo.notifications.schemas import (
    PreferenceUpdate,
    SubscriptionCreate,
    WebhookCreate,
    WebhookUpdate,
)
from epmo.web.deps import DB, CurrentActor, PageParams, PathId, SubmittedForm, check_csrf_form
from epmo.web.pages import (
    PICK_LIMIT,
    flash,
    flash_redirect,
    form_action,
    form_values,
    parse_form,
    pick_label,
    pick_options,
    pick_query,
    redirect,
    render,
    with_ints,
)
from epmo.web.templating import templates

router = APIRouter(include_in_schema=False)
CSRF = [Depends(check_csrf_form)]


def unread_notifications(request: Request, actor: Actor | None) -> int:
    """The signed-in user's unread count, for the navbar (0 outside a request's open
    transaction: an error page rendered after its unit of work ended must not begin a new
    one on a connection nobody will close)."""
    session: Session | None = getattr(request.state, "db", None)
    if actor is None or session is None or not session.in_transaction():
        return 0
    return repository.unread_count(session, actor.id)


templates.env.globals["unread_notifications"] = unread_notifications


@router.get("/notifications")
def notifications_page(request: Request, session: DB, actor: CurrentActor,
                       page: PageParams) -> Response:
    """Your notifications, unread first, with buttons to mark them read."""
    found = paginate(session, repository.inbox_query(actor.id), page.limit, page.offset)
    return render(request, "notifications/list.html", actor, page=found, base_query="",
                  unread=repository.unread_count(session, actor.id))


@router.post("/notifications/read-all", dependencies=CSRF)
def read_all_page(request: Request, session: DB, actor: CurrentActor) -> Response:
    """Mark every notification read."""
    marked = service.mark_all_read(session, actor)
    flash(request, f"{marked} notification{'s' if marked != 1 else ''} marked read")
    return redirect("/notifications")


@router.post("/notifications/{notification_id}/read", dependencies=CSRF)
def read_page(request: Request, session: DB, actor: CurrentActor,
              notification_id: PathId) -> Response:
    """Mark one notification read and go back to the list."""
    service.mark_read(session, actor, notification_id)
    return redirect("/notifications")


@router.post("/notifications/{notification_id}/open", dependencies=CSRF)
def open_page(request: Request, session: DB, actor: CurrentActor,
              notification_id: PathId) -> Response:
    """Mark a notification read and follow its link."""
    notification = service.mark_read(session, actor, notification_id)
    return redirect(notification.link if notification.link.startswith("/") else "/notifications")


def _kinds(text: Any) -> list[str]:
    """Event kinds typed as "change.*, report.submitted" (commas or spaces)."""
    return [k for k in str(text or "").replace(",", " ").split() if k]


# --- settings: subscriptions and e-mail mode ----------------------------------------------


def _settings(request: Request, session: Session, actor: Actor, form: dict[str, Any],
              error: EpmoError | None = None) -> Response:
    preference = repository.preference_of(session, actor.id)
    return render(request, "notifications/settings.html", actor,
                  status=error.status if error else 200, form=form, error=error,
                  subscriptions=repository.subscriptions_of(session, actor.id),
                  email_mode=preference.email_mode if preference else "immediate",
                  can_manage_webhooks=policy.can_manage_webhooks(actor))


@router.get("/notifications/settings")
def settings_page(request: Request, session: DB, actor: CurrentActor) -> Response:
    """What you follow and how you get e-mail."""
    return _settings(request, session, actor, {"target_kind": "project"})


@router.post("/notifications/settings/subscriptions", dependencies=CSRF)
def subscribe_page(request: Request, submitted: SubmittedForm,
                   session: DB, actor: CurrentActor) -> Response:
    """Follow a project, programme, department or goal."""
    values = with_ints(form_values(submitted), "target_id")
    values["event_types"] = _kinds(values.get("event_types"))
    return form_action(
        session, lambda: service.create_subscription(
            session, actor, parse_form(SubscriptionCreate, values)),
        lambda exc: _settings(request, session, actor, dict(submitted), exc),
        lambda made: flash_redirect(request, f"Following {made.target_kind} {made.target_id}",
                                    "/notifications/settings"))


@router.post("/notifications/settings/subscriptions/{subscription_id}/delete",
             dependencies=CSRF)
def unsubscribe_page(request: Request, session: DB, actor: CurrentActor,
                     subscription_id: PathId) -> Response:
    """Stop following."""
    service.delete_subscription(session, actor, subscription_id)
    flash(request, "Subscription removed")
    return redirect("/notifications/settings")


@router.post("/notifications/settings/email", dependencies=CSRF)
def email_mode_page(request: Request, submitted: SubmittedForm,
                    session: DB, actor: CurrentActor) -> Response:
    """Choose immediate, digest or no e-mail."""
    def write() -> str:
        data = parse_form(PreferenceUpdate, form_values(submitted))
        service.set_preference(session, actor, data)
        return str(data.email_mode)
    return form_action(
        session, write,
        lambda exc: _settings(request, session, actor, {"target_kind": "project"}, exc),
        lambda mode: flash_redirect(request, f"E-mail: {mode}", "/notifications/settings"))


# --- webhooks -------------------------------------------------------------------------------


def _webhooks(request: Request, session: Session, actor: Actor, form: dict[str, Any],
              error: EpmoError | None = None, secret: str | None = None) -> Response:
    found = repository.list_webhooks(session, policy.webhook_owner_filter(actor))
    return render(request, "notifications/webhooks.html", actor,
                  status=error.status if error else (201 if secret else 200),
                  webhooks=found, form=form, error=error, secret=secret)


@router.get("/webhooks")
def webhooks_page(request: Request, session: DB, actor: CurrentActor) -> Response:
    """Your webhooks (all of them for administrators) and the form for a new one."""
    return _webhooks(request, session, actor, {})


@router.post("/webhooks", dependencies=CSRF)
def create_webhook_page(request: Request, submitted: SubmittedForm,
                        session: DB, actor: CurrentActor) -> Response:
    """Create a webhook and show its secret, this once."""
    form = dict(submitted)
    values = form_values(submitted)
    values["event_types"] = _kinds(values.get("event_types"))
    return form_action(
        session, lambda: service.create_webhook(session, actor, parse_form(WebhookCreate, values)),
        lambda exc: _webhooks(request, session, actor, form, exc),
        lambda webhook: _webhooks(request, session, actor, {}, secret=webhook.secret))


@router.get("/webhooks/{webhook_id}")
def webhook_page(request: Request, session: DB, actor: CurrentActor, webhook_id: PathId,
                 page: PageParams) -> Response:
    """One webhook and its delivery log, with redeliver buttons."""
    webhook = policy.access_webhook_or_404(session, actor, webhook_id)
    found = paginate(session, repository.deliveries_query(webhook.id), page.limit, page.offset)
    return render(request, "notifications/webhook.html", actor, webhook=webhook, page=found,
                  base_query="")


@router.post("/webhooks/{webhook_id}/test", dependencies=CSRF)
def ping_page(request: Request, session: DB, actor: CurrentActor, webhook_id: PathId) -> Response:
    """Queue a ping to the webhook."""
    delivery = service.ping_webhook(session, actor, webhook_id)
    flash(request, f"Ping queued as delivery {delivery.id}")
    return redirect(f"/webhooks/{webhook_id}")


@router.post("/webhooks/{webhook_id}/toggle", dependencies=CSRF)
def toggle_page(request: Request, submitted: SubmittedForm, session: DB, actor: CurrentActor,
                      webhook_id: PathId) -> Response:
    """Switch a webhook on or off."""
    values = with_ints(form_values(submitted), "version")
    webhook = policy.access_webhook_or_404(session, actor, webhook_id)
    data = parse_form(WebhookUpdate, {"version": values.get("version"),
                                      "active": not webhook.active})
    webhook = service.update_webhook(session, actor, webhook_id, data)
    flash(request, f"Webhook {webhook.name} switched {'on' if webhook.active else 'off'}")
    return redirect(f"/webhooks/{webhook_id}")


@router.post("/webhooks/{webhook_id}/delete", dependencies=CSRF)
def delete_webhook_page(request: Request, submitted: SubmittedForm,
                        session: DB, actor: CurrentActor,
                              webhook_id: PathId) -> Response:
    """Delete a webhook and its log."""
    values = with_ints(form_values(submitted), "version")
    version = values.get("version")
    service.delete_webhook(session, actor, webhook_id, version if isinstance(version, int) else 0)
    flash(request, "Webhook deleted")
    return redirect("/webhooks")


@router.post("/webhook-deliveries/{delivery_id}/redeliver", dependencies=CSRF)
def redeliver_page(request: Request, session: DB, actor: CurrentActor,
                   delivery_id: PathId) -> Response:
    """Send a delivery again and go back to the log."""
    delivery = service.redeliver(session, actor, delivery_id)
    flash(request, f"Redelivery queued as delivery {delivery.id}")
    return redirect(f"/webhooks/{delivery.webhook_id}")



@router.get("/pick/targets")
def pick_targets(request: Request, session: DB, actor: CurrentActor,
                 target_kind: str = "project") -> Response:
    """Projects, programmes, departments or goals (``target_kind``) the reader may follow,
    whose code or name holds what was typed."""
    rows = repository.targets_holding(session, target_kind, pick_query(request), PICK_LIMIT * 3)
    readable = [pick_label(code, name, ident=i) for i, code, name in rows
                if policy.can_read_target(session, actor, target_kind, i)]
    return pick_options(request, readable[:PICK_LIMIT])
