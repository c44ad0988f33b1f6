"""The comments thread on pages: status report and gate review pages, the change event's slot,
htmx posts that keep typed text on error, hostile text shown as text."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from epmo.comments.models import Comment, CommentMention
from tests.comments.conftest import Subjects
from tests.conftest import Clients
from tests.web.helpers import Browser, login
from tests.world import World

HTMX = {"HX-Request": "true"}
HOSTILE = "<img src=x onerror=alert(1)>"


def hx_post(browser: Browser, url: str, data: dict[str, object]) -> object:
    """Post a form the way htmx does (with the CSRF token and the HX-Request header)."""
    return browser.client.post(url, data={"csrf_token": browser.csrf, **data}, headers=HTMX,
                               follow_redirects=False)


def test_report_page_shows_thread_and_form(app: object, world: World, it: Subjects) -> None:
    page = login(app, world, "it_pm").client.get(f"/status-reports/{it.status_report}/comments")
    assert page.status_code == 200
    assert "Comments on the status report for the period starting 2026-11-01" in page.text
    assert 'id="comment-form"' in page.text and 'hx-get="/pick/people"' in page.text
    assert f'href="/projects/{it.project_id}/reports"' in page.text
    assert "No comments yet." in page.text
    facts = page.text[page.text.index('id="subject-facts"'):]
    assert "<dt class=\"col-sm-3\">Overall</dt>" in facts and ">amber</dd>" in facts


def test_htmx_post_returns_thread_with_hostile_text_escaped(
        app: object, world: World, db: Session, it: Subjects) -> None:
    browser = login(app, world, "it_pm")
    picked = f"It Member · IT_MEMBER · Lead #{world.people['it_member']}"
    r = hx_post(browser, f"/comments/gate-reviews/{it.gate_review}",
                {"text": f"Look: {HOSTILE}", "mentions": picked})
    assert r.status_code == 200, r.text
    assert 'id="comments"' in r.text
    assert "&lt;img src=x onerror=alert(1)&gt;" in r.text and HOSTILE not in r.text
    assert "@It Member" in r.text and "Comments (1)" in r.text
    assert re.search(r'<textarea[^>]*id="f-text"[^>]*>\s*</textarea>', r.text)  # a fresh form
    comment = db.scalars(select(Comment).where(Comment.subject_id == it.gate_review)).one()
    assert db.scalars(select(CommentMention.user_id)).all() == [world.users["it_member"]]
    assert comment.text == f"Look: {HOSTILE}"


def test_error_keeps_typed_text_and_names_the_person(app: object, world: World,
                                                     it: Subjects) -> None:
    browser = login(app, world, "it_pm")
    picked = f"Fin Pm · FIN_PM · Project manager #{world.people['fin_pm']}"
    r = hx_post(browser, f"/comments/status-reports/{it.status_report}",
                {"text": "Typed with care", "mentions": picked})
    assert r.status_code == 200  # htmx swaps only 2xx answers
    assert "Fin Pm may not read the status report" in r.text
    assert "Typed with care</textarea>" in r.text and picked in r.text
    assert "Comments (0)" in r.text
    plain = browser.post_form(f"/comments/status-reports/{it.status_report}",
                              {"text": "   ", "mentions": ""})
    assert plain.status_code == 422 and "<html" in plain.text  # without script: the page
    assert "Text" in plain.text and 'class="invalid-feedback d-block" data-field="text"' in plain.text


def test_a_typed_name_that_was_not_picked_is_refused_in_words(app: object, world: World,
                                                              it: Subjects) -> None:
    r = hx_post(login(app, world, "it_pm"), f"/comments/change-events/{it.change_event}",
                {"text": "hi", "mentions": "It Member"})
    assert "pick a person from the suggestions" in r.text and "hi</textarea>" in r.text


def test_the_form_mentions_several_people_and_names_the_wrong_field(
        app: object, world: World, db: Session, it: Subjects) -> None:
    """The form repeats its mention field: each picked person is mentioned once; a typed name
    that was not picked is refused by its place, keeping every field as typed."""
    browser = login(app, world, "it_pm")
    member = f"It Member · IT_MEMBER · Member #{world.people['it_member']}"
    lead = f"It Lead · IT_LEAD · Lead #{world.people['it_lead']}"
    wrong = hx_post(browser, f"/comments/gate-reviews/{it.gate_review}",
                    {"text": "Both of you", "mentions": [member, "It Lead", ""]})
    assert "mention 2: pick a person from the suggestions" in wrong.text
    assert "Both of you</textarea>" in wrong.text
    assert member in wrong.text and 'value="It Lead"' in wrong.text
    assert db.scalars(select(Comment).where(Comment.subject_id == it.gate_review)).all() == []
    made = hx_post(browser, f"/comments/gate-reviews/{it.gate_review}",
                   {"text": "Both of you", "mentions": [member, lead, "", member]})
    assert made.status_code == 200, made.text
    assert "@It Member" in made.text and "@It Lead" in made.text
    mentioned = db.scalars(select(CommentMention.user_id).order_by(CommentMention.user_id))
    assert mentioned.all() == sorted([world.users["it_member"], world.users["it_lead"]])
    assert made.text.count('name="mentions"') == 5  # a fresh form with its five fields


def test_plain_post_redirects_to_the_comment(app: object, world: World, db: Session,
                                             it: Subjects) -> None:
    r = login(app, world, "it_member").post_form(
        f"/comments/change-events/{it.change_event}", {"text": "Noted", "mentions": ""})
    assert r.status_code == 303
    made = db.scalars(select(Comment).where(Comment.subject_id == it.change_event)).one()
    assert r.headers["location"] == f"/change-events/{it.change_event}#comment-{made.id}"


def test_change_event_page_loads_the_thread(app: object, world: World, it: Subjects) -> None:
    browser = login(app, world, "it_pm")
    page = browser.client.get(f"/change-events/{it.change_event}")
    assert f'hx-get="/comments/change-events/{it.change_event}"' in page.text
    thread = browser.client.get(f"/comments/change-events/{it.change_event}", headers=HTMX)
    assert thread.status_code == 200 and 'id="comment-form"' in thread.text
    assert "<html" not in thread.text
    own = browser.client.get(f"/change-events/{it.change_event}/comments").text
    assert "planned finish: 2027-01-10 → 2027-01-20 (+10 days)" in own
    assert f'href="/change-events/{it.change_event}" id="subject-link"' in own
    review = browser.client.get(f"/gate-reviews/{it.gate_review}/comments").text
    assert "Comments on the gate review G2 of " in review and ">pending</dd>" in review


def test_viewer_reads_without_a_form_other_department_gets_404(
        app: object, world: World, as_: Clients, it: Subjects) -> None:
    as_("it_pm").post(f"/api/v1/status-reports/{it.status_report}/comments",
                      json={"text": "for the record"})
    viewer = login(app, world, "it_viewer").client.get(
        f"/status-reports/{it.status_report}/comments")
    assert "for the record" in viewer.text and 'id="comment-form"' not in viewer.text
    assert 'id="comments-read-only"' in viewer.text and 'data-testid="edit-comment"' not in viewer.text
    outsider = login(app, world, "fin_pm")
    assert outsider.client.get(f"/status-reports/{it.status_report}/comments").status_code == 404
    assert outsider.client.get(f"/comments/status-reports/{it.status_report}").status_code == 404
    assert outsider.client.get(f"/gate-reviews/{it.gate_review}/comments").status_code == 404


def test_author_edits_and_deletes_on_the_page(app: object, world: World, as_: Clients,
                                              db: Session, it: Subjects) -> None:
    made = as_("it_member").post(f"/api/v1/gate-reviews/{it.gate_review}/comments",
                                 json={"text": "draft"}).json()
    browser = login(app, world, "it_member")
    page = browser.client.get(f"/gate-reviews/{it.gate_review}/comments").text
    assert 'data-testid="edit-comment"' in page and 'data-testid="delete-comment"' in page
    bad = hx_post(browser, f"/comments/{made['id']}/edit", {"version": "1", "text": ""})
    assert "Text" in bad.text and "draft" in bad.text
    r = hx_post(browser, f"/comments/{made['id']}/edit", {"version": "1", "text": "final"})
    assert r.status_code == 200 and "final" in r.text and "(edited)" in r.text
    other = login(app, world, "it_pm").client.get(f"/gate-reviews/{it.gate_review}/comments")
    assert 'data-testid="edit-comment"' not in other.text
    r = hx_post(browser, f"/comments/{made['id']}/delete", {"version": "2"})
    assert r.status_code == 200 and "No comments yet." in r.text
    assert db.get(Comment, made["id"]) is None


def test_reports_page_links_each_report_to_its_comments(app: object, world: World,
                                                        it: Subjects) -> None:
    page = login(app, world, "it_pm").client.get(f"/projects/{it.project_id}/reports")
    assert f'href="/status-reports/{it.status_report}/comments"' in page.text
