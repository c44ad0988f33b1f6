"""Notifications: your own only, unread first, read one or all; the page and the navbar bell."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from epmo.db import utcnow
from epmo.notifications.models import Notification
from tests.conftest import Clients
from tests.web.helpers import login
from tests.world import World

API = "/api/v1/notifications"


@pytest.fixture
def inbox(db: Session, world: World) -> dict[str, int]:
    """it_pm: an older unread, a read one, a newer unread; it_lead: one of their own."""
    now = utcnow()
    made = {}
    for name, user, age, read in (("old", "it_pm", 3, False), ("read", "it_pm", 1, True),
                                  ("new", "it_pm", 2, False), ("lead", "it_lead", 1, False)):
        n = Notification(user_id=world.users[user], kind="test", key=f"test:{name}",
                         subject=f"Subject {name}", body="Body", link="/projects",
                         created_at=now - timedelta(hours=age),
                         read_at=now if read else None)
        db.add(n)
        db.flush()
        made[name] = n.id
    return made


def test_list_is_mine_unread_first(inbox: dict[str, int], as_: Clients) -> None:
    r = as_("it_pm").get(API)
    assert r.status_code == 200
    assert [n["key"] for n in r.json()["items"]] == ["test:new", "test:old", "test:read"]
    unread = as_("it_pm").get(API, params={"unread": True}).json()
    assert unread["total"] == 2
    assert as_("it_pm").get(API, params={"limit": 1}).json()["total"] == 3
    assert as_("admin").get(API).json()["items"] == []


def test_read_one_and_all(inbox: dict[str, int], as_: Clients) -> None:
    r = as_("it_pm").post(f"{API}/{inbox['old']}/read")
    assert r.status_code == 200 and r.json()["read_at"] is not None
    again = as_("it_pm").post(f"{API}/{inbox['old']}/read")
    assert again.json()["read_at"] == r.json()["read_at"]
    assert as_("it_pm").post(f"{API}/{inbox['lead']}/read").status_code == 404
    assert as_("it_pm").post(f"{API}/999999/read").status_code == 404
    marked = as_("it_pm").post(f"{API}/read-all")
    assert marked.json() == {"marked": 1, "unread": 0}
    lead = as_("it_lead").get(API, params={"unread": True}).json()
    assert lead["total"] == 1  # someone else's read-all leaves mine alone
    assert as_.anon.get(API).status_code == 401


def test_page_and_bell(inbox: dict[str, int], app: object, world: World) -> None:
    browser = login(app, world, "it_pm")
    page = browser.client.get("/projects")
    assert '<span class="badge bg-red text-white ms-1" id="unread-badge">2</span>' in page.text
    page = browser.client.get("/notifications")
    assert page.status_code == 200 and page.text.count('data-read="no"') == 2
    r = browser.post_form(f"/notifications/{inbox['new']}/read", {})
    assert r.status_code == 303  # type: ignore[attr-defined]
    assert 'id="unread-badge">1</span>' in browser.client.get("/notifications").text
    r = browser.post_form(f"/notifications/{inbox['old']}/open", {})
    assert r.headers["location"] == "/projects"  # type: ignore[attr-defined]
    assert 'id="unread-badge"' not in browser.client.get("/notifications").text
    assert browser.post_form(f"/notifications/{inbox['lead']}/read",
                             {}).status_code == 404  # type: ignore[attr-defined]
    lead = login(app, world, "it_lead")
    r = lead.post_form("/notifications/read-all", {})
    assert r.status_code == 303  # type: ignore[attr-defined]
    assert "1 notification marked read" in lead.client.get("/notifications").text
