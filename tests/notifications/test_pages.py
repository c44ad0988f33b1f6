"""Pages: notification settings (subscriptions, e-mail mode) and webhooks with their log."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from epmo.notifications.delivery import deliver_webhook_now
from epmo.notifications.models import Webhook, WebhookDelivery
from tests.notifications.conftest import Receiver
from tests.web.helpers import login
from tests.world import World


def test_settings_page_subscribes_and_sets_email(app: object, world: World, db: Session,
                                                 it_project: int) -> None:
    browser = login(app, world, "it_pm")
    page = browser.client.get("/notifications/settings")
    assert page.status_code == 200 and "You follow nothing yet" in page.text
    r = browser.post_form("/notifications/settings/subscriptions", {
        "target_kind": "project", "target_id": str(it_project), "event_types": "change.*, x.y"})
    assert r.status_code == 303  # type: ignore[attr-defined]
    page = browser.client.get("/notifications/settings")
    assert page.text.count('data-testid="subscription"') == 1 and "change.*, x.y" in page.text
    bad = browser.post_form("/notifications/settings/subscriptions", {
        "target_kind": "project", "target_id": "999999"})
    assert bad.status_code == 422 and 'data-field="target_id"' in bad.text  # type: ignore[attr-defined]
    r = browser.post_form("/notifications/settings/email", {"email_mode": "digest"})
    assert r.status_code == 303  # type: ignore[attr-defined]
    page = browser.client.get("/notifications/settings")
    assert 'value="digest" checked' in page.text
    sub_id = re.search(r"/subscriptions/(\d+)/delete", page.text)
    assert sub_id is not None
    browser.post_form(f"/notifications/settings/subscriptions/{sub_id.group(1)}/delete", {})
    assert "You follow nothing yet" in browser.client.get("/notifications/settings").text


def test_webhook_pages_show_the_secret_once_and_the_log(
        app: object, world: World, db: Session, receiver: Receiver) -> None:
    browser = login(app, world, "it_lead")
    bad = browser.post_form("/webhooks", {"name": "Bad", "url": "ftp://x.org/"})
    assert bad.status_code == 422 and 'data-field="url"' in bad.text  # type: ignore[attr-defined]
    made = browser.post_form("/webhooks", {"name": "Ours", "url": receiver.url,
                                           "event_types": "change.*"})
    assert made.status_code == 201  # type: ignore[attr-defined]
    hook = db.scalar(select(Webhook).where(Webhook.name == "Ours"))
    assert hook is not None and hook.secret in made.text  # type: ignore[attr-defined]
    listing = browser.client.get("/webhooks")
    assert "Ours" in listing.text and hook.secret not in listing.text
    r = browser.post_form(f"/webhooks/{hook.id}/test", {})
    assert r.status_code == 303  # type: ignore[attr-defined]
    delivery_id = db.scalar(select(WebhookDelivery.id).where(WebhookDelivery.webhook_id == hook.id))
    assert delivery_id is not None and deliver_webhook_now(delivery_id) == "delivered"
    log = browser.client.get(f"/webhooks/{hook.id}")
    assert 'data-status="delivered"' in log.text
    r = browser.post_form(f"/webhook-deliveries/{delivery_id}/redeliver", {})
    assert r.status_code == 303  # type: ignore[attr-defined]
    log = browser.client.get(f"/webhooks/{hook.id}")
    assert log.text.count('data-testid="delivery"') == 2 and 'data-status="pending"' in log.text
    r = browser.post_form(f"/webhooks/{hook.id}/toggle", {"version": str(hook.version)})
    assert r.status_code == 303  # type: ignore[attr-defined]
    assert "Switch on" in browser.client.get(f"/webhooks/{hook.id}").text
    other = login(app, world, "fin_lead")
    assert other.client.get(f"/webhooks/{hook.id}").status_code == 404
    assert login(app, world, "it_member").client.get("/webhooks").status_code == 403
