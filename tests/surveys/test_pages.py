"""The survey pages without a browser: the answer form keeps what was typed and says what is
missing, a link works once, the EPMO's pages are for those who read results."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from epmo.surveys import repository
from tests.surveys.conftest import token_of
from tests.web.helpers import login
from tests.world import World


def _scores(page: str, leave_out: int = 0) -> dict[str, str]:
    ids = sorted(set(re.findall(r'name="sat_(\d+)"', page)), key=int)
    form = {}
    for qid in ids[leave_out:]:
        form[f"sat_{qid}"], form[f"imp_{qid}"] = "3", "4"
    return form


def test_answer_page_once(app: object, world: World, db: Session,
                          spring: dict[str, Any]) -> None:
    member = login(app, world, "it_member")
    mine = member.client.get("/surveys")
    link = repository.invitation_link(db, spring["id"], world.users["it_member"])
    assert mine.status_code == 200 and f'href="{link}"' in mine.text
    page = member.client.get(str(link))
    assert page.status_code == 200 and 'name="sat_' in page.text
    last = max(re.findall(r'name="comment_(\d+)"', page.text), key=int)
    partial = _scores(page.text, leave_out=1) | {f"comment_{last}": "<i>kept</i>"}
    refused = member.post_form(str(link), partial)
    assert refused.status_code == 422  # type: ignore[attr-defined]
    shown = refused.text  # type: ignore[attr-defined]
    assert "choose a satisfaction and an importance" in shown and "&lt;i&gt;kept&lt;/i&gt;" in shown
    assert 'value="3" checked' in shown
    done = member.post_form(str(link), _scores(page.text))
    assert done.status_code == 303  # type: ignore[attr-defined]
    again = member.client.get(str(link))
    assert again.status_code == 409 and "already been used" in again.text
    assert "Answered" in member.client.get("/surveys").text


def test_signing_in_comes_first(app: object, world: World, db: Session,
                                spring: dict[str, Any]) -> None:
    from fastapi.testclient import TestClient

    token = token_of(db, spring["id"], world.users["it_member"])
    anon = TestClient(app)  # type: ignore[arg-type]
    r = anon.get(f"/surveys/{spring['id']}/answer/{token}", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")
    other = login(app, world, "it_pm").client.get(f"/surveys/{spring['id']}/answer/{token}")
    assert other.status_code == 403 and "sent to someone else" in other.text


def test_admin_opens_a_round_from_the_page(app: object, world: World, db: Session) -> None:
    admin = login(app, world, "admin")
    page = admin.client.get("/surveys/rounds")
    assert page.status_code == 200 and 'id="open-round"' in page.text
    bad = admin.post_form("/surveys/rounds", {"title": "<b>Q3</b>", "closes_on": "2001-01-01"})
    assert bad.status_code == 422 and "&lt;b&gt;Q3&lt;/b&gt;" in bad.text  # type: ignore
    made = admin.post_form("/surveys/rounds", {
        "title": "<b>Q3</b>", "closes_on": str(date.today() + timedelta(days=7)),
        "department_ids": str(world.departments["FIN"]), "roles": "project_manager"})
    assert made.status_code == 303  # type: ignore[attr-defined]
    shown = admin.client.get(made.headers["location"]).text  # type: ignore[attr-defined]
    assert "&lt;b&gt;Q3&lt;/b&gt;" in shown and "<strong>0</strong> of 1 answered" in shown
    assert "Scores show once the survey has closed" in shown
    member = login(app, world, "it_member").client
    assert member.get("/surveys/rounds").status_code == 404
