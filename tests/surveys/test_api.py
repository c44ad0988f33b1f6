"""The surveys API: who opens and reads, one-time links, errors naming their field, escaping."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from epmo.notifications.models import Notification, OutboundEmail, Webhook, WebhookDelivery
from tests.conftest import Clients
from tests.surveys.conftest import API, Crowd, client_for, full_answer, open_round, token_of
from tests.world import World

HOSTILE = "<script>alert(1)</script> \"quoted\" 'single' ünïcödé"


def test_only_admins_open_rounds(as_: Clients, world: World, crowd: Crowd) -> None:
    body = {"title": "x", "closes_on": "2099-01-01"}
    for user in ("exec", "it_lead", "it_member", "it_viewer"):
        assert as_(user).post(f"{API}/surveys/rounds", json=body).status_code == 403, user


def test_opening_invites_departments_with_sub_departments_in_app_and_by_email(
        as_: Clients, world: World, crowd: Crowd, db: Session) -> None:
    hook = Webhook(name="all", url="https://hooks.example.org/x", secret="s", event_types=[],
                   owner_id=world.users["admin"])
    db.add(hook)
    db.flush()
    made = open_round(as_, world, department_ids=[world.departments["IT"]],
                      roles=["member", "department_lead"])
    # IT: it_lead, it_member and four extra members (it_pm and it_viewer have other roles)
    assert made["invited"] == 6 and made["answered"] == 0
    invited = {world.users["it_lead"], world.users["it_member"],
               *(uid for key, (uid, _) in crowd.users.items() if key.startswith("it_"))}
    notes = db.scalars(select(Notification).where(Notification.kind == "survey.invitation")).all()
    assert {n.user_id for n in notes} == invited
    assert all(n.link.startswith(f"/surveys/{made['id']}/answer/") for n in notes)
    assert len({n.link for n in notes}) == 6  # a personal link each
    mails = db.scalars(select(OutboundEmail).where(OutboundEmail.user_id.in_(invited))).all()
    assert len(mails) == 6 and all("/answer/" in m.body for m in mails)
    # a personal link is a secret: never handed to a webhook
    assert db.scalars(select(WebhookDelivery).where(
        WebhookDelivery.webhook_id == hook.id)).all() == []


def test_a_link_answers_once_and_only_for_its_invitee(as_: Clients, world: World, db: Session,
                                                       spring: dict[str, Any]) -> None:
    token = token_of(db, spring["id"], world.users["it_member"])
    other = token_of(db, spring["id"], world.users["it_pm"])
    body = full_answer(as_, token)
    stolen = as_("it_pm").post(f"{API}/surveys/answers", json=body)
    assert stolen.status_code == 403 and "sent to someone else" in stolen.json()["detail"]
    outsider = as_("hr_viewer").post(f"{API}/surveys/answers", json=full_answer(as_, other))
    assert outsider.status_code == 403
    first = as_("it_member").post(f"{API}/surveys/answers", json=body)
    assert first.status_code == 201, first.text
    assert first.json() == {"answered": True, "round_id": spring["id"]}  # nothing names it
    again = as_("it_member").post(f"{API}/surveys/answers", json=body)
    assert again.status_code == 409 and "already been used" in again.json()["detail"]
    unknown = as_("it_member").post(f"{API}/surveys/answers",
                                    json=full_answer(as_, "no-such-token.abc"))
    assert unknown.status_code == 404
    counted = as_("admin").get(f"{API}/surveys/rounds/{spring['id']}").json()
    assert counted["answered"] == 1
    mine = as_("it_member").get(f"{API}/surveys/invitations").json()
    assert mine[0]["answered"] is True


def test_errors_name_their_field(as_: Clients, world: World, db: Session,
                                 spring: dict[str, Any]) -> None:
    token = token_of(db, spring["id"], world.users["it_member"])
    body = full_answer(as_, token)
    body["scores"][0]["satisfaction"] = 6
    r = as_("it_member").post(f"{API}/surveys/answers", json=body)
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["scores.0.satisfaction"]
    short = full_answer(as_, token)
    missing = short["scores"].pop()
    r = as_("it_member").post(f"{API}/surveys/answers", json=short)
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == [f"question_{missing['question_id']}"]
    past = as_("admin").post(f"{API}/surveys/rounds", json={"title": "x",
                                                            "closes_on": "2001-01-01",
                                                            "roles": ["pope"]})
    assert past.status_code == 422
    assert {e["field"] for e in past.json()["errors"]} == {"closes_on", "roles"}
    # nothing was spent by the refused answers
    assert as_("it_member").post(f"{API}/surveys/answers", json=body | {
        "scores": full_answer(as_, token)["scores"]}).status_code == 201


def _answer_all(app: object, as_: Clients, world: World, db: Session, crowd: Crowd,
                round_id: int, comment: str = "") -> int:
    users = {k: (world.users[k], world.tokens[k]) for k in ("it_lead", "it_pm", "it_member",
                                                          "it_viewer", "fin_lead", "fin_pm")}
    users |= {k: v for k, v in crowd.users.items() if k != "fin_extra3"}  # one stays silent
    for user_id, bearer in users.values():
        body = full_answer(as_, token_of(db, round_id, user_id), comment=comment)
        r = client_for(app, bearer).post(f"{API}/surveys/answers", json=body)
        assert r.status_code == 201, r.text
    return len(users)


def test_results_show_once_closed_and_by_group_of_five(app: object, as_: Clients,
                                                        world: World, db: Session,
                                                        crowd: Crowd,
                                                        spring: dict[str, Any]) -> None:
    answered = _answer_all(app, as_, world, db, crowd, spring["id"], comment=HOSTILE)
    url = f"{API}/surveys/rounds/{spring['id']}/results"
    open_results = as_("admin").get(url).json()
    assert open_results["shown"] is False and open_results["answered"] == answered
    assert open_results["questions"] == []
    closed = as_("admin").post(f"{API}/surveys/rounds/{spring['id']}/close",
                               json={"version": spring["version"]})
    assert closed.status_code == 200 and closed.json()["closed"] is True
    stale = as_("admin").post(f"{API}/surveys/rounds/{spring['id']}/close",
                              json={"version": spring["version"]})
    assert stale.status_code == 409
    results = as_("admin").get(url).json()
    assert results["shown"] is True
    # IT: 4 world users + 4 extra = 8; Finance: 2 + 3 = 5; both shown, nothing pooled
    rows = {r["label"].split()[0]: r["answers"] for r in results["departments"]}
    assert rows == {"IT": 8, "FIN": 5}
    assert all(q["satisfaction"] == 4 and q["importance"] == 5 for q in results["questions"])
    # 8 members; 2 leads, 2 project managers and 1 viewer pooled as "other roles" (5)
    assert {r["key"]: r["answers"] for r in results["roles"]} == {"member": 8, "other": 5}
    assert results["comments"] == [["Intake of new requests", HOSTILE, answered]]  # said once
    lead = as_("fin_lead").get(url).json()
    assert [r["label"].split()[0] for r in lead["departments"]] == ["FIN"]
    assert lead["roles"] == [] and lead["comments"] == []
    assert [r["label"].split()[0] for r in lead["responses"]] == ["FIN"]
    for user in ("it_member", "it_viewer", "hr_viewer", "it_pm"):
        assert as_(user).get(url).status_code == 404, user
    assert as_("exec").get(url).json()["departments"] == results["departments"]
    # the link no longer works: the round is sealed and its tokens are gone
    silent_id, silent_bearer = crowd.users["fin_extra3"]
    late = client_for(app, silent_bearer).post(f"{API}/surveys/answers", json=full_answer(
        as_, token_of(db, spring["id"], silent_id)))
    assert late.status_code == 404


def test_hostile_comments_are_shown_escaped(app: object, as_: Clients, world: World,
                                            db: Session, crowd: Crowd,
                                            spring: dict[str, Any]) -> None:
    from tests.web.helpers import login

    _answer_all(app, as_, world, db, crowd, spring["id"], comment=HOSTILE)
    as_("admin").post(f"{API}/surveys/rounds/{spring['id']}/close",
                      json={"version": spring["version"]})
    page = login(app, world, "admin").client.get(f"/surveys/rounds/{spring['id']}")
    assert page.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<script>alert(1)" not in page.text
    api = as_("admin").get(f"{API}/surveys/rounds/{spring['id']}/results").json()
    assert api["comments"][0][1] == HOSTILE


def test_reminders_go_to_those_who_have_not_answered(as_: Clients, world: World, db: Session,
                                                      spring: dict[str, Any]) -> None:
    token = token_of(db, spring["id"], world.users["it_member"])
    as_("it_member").post(f"{API}/surveys/answers", json=full_answer(as_, token))
    url = f"{API}/surveys/rounds/{spring['id']}/remind"
    assert as_("exec").post(url).status_code == 403
    r = as_("admin").post(url)
    assert r.status_code == 200 and r.json()["reminded"] == spring["invited"] - 1
    reminded = {n.user_id for n in db.scalars(select(Notification).where(
        Notification.kind == "survey.reminder"))}
    assert world.users["it_pm"] in reminded and world.users["it_member"] not in reminded
    as_("admin").post(f"{API}/surveys/rounds/{spring['id']}/close",
                      json={"version": spring["version"]})
    assert as_("admin").post(url).status_code == 409


def test_the_diagnostic_round_shows_the_satisfaction_beside_its_scores(
        app: object, as_: Clients, world: World, db: Session, crowd: Crowd,
        spring: dict[str, Any]) -> None:
    from tests.web.helpers import login

    diagnostic = as_("admin").post(f"{API}/diagnostics/rounds", json={"name": "Baseline"})
    assert diagnostic.status_code == 201, diagnostic.text
    page = f"/diagnostics/rounds/{diagnostic.json()['id']}"
    assert 'id="satisfaction"' not in login(app, world, "admin").client.get(page).text
    _answer_all(app, as_, world, db, crowd, spring["id"])
    as_("admin").post(f"{API}/surveys/rounds/{spring['id']}/close",
                      json={"version": spring["version"]})
    shown = login(app, world, "admin").client.get(page).text
    assert 'id="satisfaction"' in shown and "Spring pulse" in shown
    table = shown[shown.index('id="satisfaction-departments"'):]
    assert "<td>IT" in table and "<td class=\"text-end\">8</td>" in table
    # a project manager reads the enterprise round's maturity, not the survey's results
    reader = login(app, world, "it_pm").client.get(page)
    assert reader.status_code == 200 and 'id="satisfaction"' not in reader.text
    pdf = login(app, world, "admin").client.get(f"{page}/report.pdf")
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
