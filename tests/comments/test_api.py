"""The comments API: threads on reports, gate reviews and change events; mentions notify."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from epmo.audit.models import AuditEntry
from epmo.notifications.models import Notification, OutboundEmail
from tests.comments.conftest import API, PATHS, Subjects
from tests.conftest import Clients
from tests.world import World

KINDS = list(PATHS)


def notes_of(db: Session, world: World, user: str) -> list[Notification]:
    """The in-app notifications of a world user."""
    return list(db.scalars(select(Notification).where(Notification.user_id == world.users[user])))


@pytest.mark.parametrize("kind", KINDS)
def test_comment_with_mention_notifies_in_app_and_by_email(
        as_: Clients, world: World, db: Session, it: Subjects, kind: str) -> None:
    r = as_("it_pm").post(it.url(kind), json={"text": "Please check the forecast",
                                             "mentions": [world.people["it_member"]]})
    assert r.status_code == 201, r.text
    made = r.json()
    assert made["author_name"] == "It Pm" and made["edited_at"] is None
    assert [m["name"] for m in made["mentions"]] == ["It Member"]
    assert made["mentions"][0]["user_id"] == world.users["it_member"]
    notes = notes_of(db, world, "it_member")
    assert len(notes) == 1
    note = notes[0]
    assert note.subject.startswith("It Pm mentioned you on ")
    assert "T-" in note.subject or "Project" in note.subject  # the project named in words
    assert note.link == made["link"] and note.link.endswith(f"#comment-{made['id']}")
    assert "Please check the forecast" in note.body
    mail = db.scalars(select(OutboundEmail).where(
        OutboundEmail.user_id == world.users["it_member"])).all()
    assert [m.subject for m in mail] == [note.subject]
    assert note.link in mail[0].body
    assert notes_of(db, world, "it_pm") == []  # the author is not told about their own words
    listed = as_("it_viewer").get(it.url(kind))
    assert listed.status_code == 200 and [c["id"] for c in listed.json()] == [made["id"]]


def test_links_open_the_subject_at_the_comment(as_: Clients, it: Subjects) -> None:
    links = {kind: as_("it_pm").post(it.url(kind), json={"text": "x"}).json()["link"]
             for kind in KINDS}
    assert links["status_report"].startswith(f"/status-reports/{it.status_report}/comments#")
    assert links["gate_review"].startswith(f"/gate-reviews/{it.gate_review}/comments#")
    assert links["change_event"].startswith(f"/change-events/{it.change_event}#comment-")


@pytest.mark.parametrize("kind", KINDS)
def test_other_departments_see_nothing(as_: Clients, it: Subjects, kind: str) -> None:
    made = as_("it_pm").post(it.url(kind), json={"text": "IT only"}).json()
    for user in ("fin_pm", "fin_lead", "hr_viewer"):
        assert as_(user).get(it.url(kind)).status_code == 404
        assert as_(user).post(it.url(kind), json={"text": "hello"}).status_code == 404
        assert as_(user).get(f"{API}/comments/{made['id']}").status_code == 404
        assert as_(user).patch(f"{API}/comments/{made['id']}",
                               json={"version": 1, "text": "x"}).status_code == 404
        assert as_(user).delete(f"{API}/comments/{made['id']}?version=1").status_code == 404
    assert as_("exec").get(it.url(kind)).status_code == 200


def test_missing_subject_answers_404(as_: Clients) -> None:
    for path in PATHS.values():
        r = as_("admin").get(f"{API}/{path}/999999/comments")
        assert r.status_code == 404


def test_mentioning_someone_who_cannot_read_is_refused_by_name(
        as_: Clients, world: World, db: Session, it: Subjects) -> None:
    r = as_("it_pm").post(it.url("status_report"),
                          json={"text": "FYI", "mentions": [world.people["fin_pm"]]})
    assert r.status_code == 422
    problem = r.json()
    assert "Fin Pm may not read the status report" in problem["detail"]
    assert problem["errors"][0]["field"] == "mentions"
    assert notes_of(db, world, "fin_pm") == []
    assert as_("it_pm").get(it.url("status_report")).json() == []


def test_mentioning_a_person_without_sign_in_is_refused(as_: Clients, world: World,
                                                        it: Subjects) -> None:
    r = as_("it_pm").post(it.url("gate_review"),
                          json={"text": "FYI", "mentions": [world.people["infra_pm"]]})
    assert r.status_code == 422 and "Infra Pm has no sign-in" in r.json()["detail"]
    r = as_("it_pm").post(it.url("gate_review"), json={"text": "FYI", "mentions": [999999]})
    assert r.status_code == 422 and "no person with id 999999" in r.json()["detail"]


def test_viewers_read_but_do_not_comment(as_: Clients, it: Subjects) -> None:
    r = as_("it_viewer").post(it.url("change_event"), json={"text": "me too"})
    assert r.status_code == 403 and "Viewers read comments" in r.json()["detail"]
    assert as_("it_member").post(it.url("change_event"), json={"text": "ok"}).status_code == 201


@pytest.mark.parametrize("body, words", [
    ({"text": ""}, "Text"), ({"text": "   "}, "Text"), ({}, "Text"),
    ({"text": "x" * 4001}, "Text"), ({"text": "x", "mentions": ["a"]}, "Mentions"),
    ({"text": "x", "colour": "red"}, "Colour"),
])
def test_bad_input_is_422_in_words(as_: Clients, it: Subjects, body: dict[str, object],
                                   words: str) -> None:
    r = as_("it_pm").post(it.url("status_report"), json=body)
    assert r.status_code == 422, r.text
    messages = " ".join(e["message"] for e in r.json()["errors"])
    assert words in messages or words in r.json()["detail"], r.json()


def test_author_edits_and_deletes_admin_deletes_any(as_: Clients, db: Session,
                                                    it: Subjects) -> None:
    made = as_("it_member").post(it.url("status_report"), json={"text": "first"}).json()
    url = f"{API}/comments/{made['id']}"
    assert as_("it_pm").patch(url, json={"version": 1, "text": "not mine"}).status_code == 403
    edited = as_("it_member").patch(url, json={"version": 1, "text": "second"})
    assert edited.status_code == 200, edited.text
    assert edited.json()["text"] == "second" and edited.json()["edited_at"] is not None
    stale = as_("it_member").patch(url, json={"version": 1, "text": "third"})
    assert stale.status_code == 409
    assert as_("it_pm").delete(f"{url}?version=2").status_code == 403
    assert as_("it_member").get(url).json()["can_delete"] is True
    assert as_("admin").delete(f"{url}?version=2").status_code == 204
    assert as_("it_member").get(url).status_code == 404
    other = as_("it_pm").post(it.url("status_report"), json={"text": "mine"}).json()
    assert as_("it_pm").delete(f"{API}/comments/{other['id']}?version=1").status_code == 204
    actions = db.execute(select(AuditEntry.action, func.count()).where(
        AuditEntry.entity == "comment").group_by(AuditEntry.action)).all()
    assert dict(actions) == {"create": 2, "update": 1, "delete": 2}


def test_hostile_text_is_stored_as_written(as_: Clients, it: Subjects) -> None:
    hostile = "<img src=x onerror=alert(1)>"
    made = as_("it_pm").post(it.url("change_event"), json={"text": hostile}).json()
    assert made["text"] == hostile


def test_change_event_comments_follow_the_events_readers(as_: Clients, fin: Subjects) -> None:
    assert as_("it_pm").get(fin.url("change_event")).status_code == 404
    assert as_("fin_pm").post(fin.url("change_event"), json={"text": "ours"}).status_code == 201


def test_comments_go_with_their_subject(as_: Clients, db: Session, it: Subjects) -> None:
    """A comment is tied to its subject by a foreign key: deleting the project (and with it
    its reports, reviews and events) deletes their comments and mentions."""
    from epmo.comments.models import Comment

    for kind in KINDS:
        assert as_("it_pm").post(it.url(kind), json={"text": f"on {kind}"}).status_code == 201
    stored = db.scalars(select(Comment)).all()
    assert sorted((c.subject_kind, c.status_report_id or c.gate_review_id or c.change_event_id)
                  for c in stored) == sorted((k, getattr(it, k)) for k in KINDS)
    version = as_("admin").get(f"{API}/projects/{it.project_id}").json()["version"]
    gone = as_("admin").delete(f"{API}/projects/{it.project_id}", params={"version": version})
    assert gone.status_code == 204, gone.text
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Comment)) == 0
