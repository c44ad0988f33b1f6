"""Change events: caught from every source, propagated, told, acknowledged, answered."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from epmo.audit import service as audit_service
from epmo.audit.models import AuditEntry
from epmo.network.models import ChangeEvent, ChangeImpact, ChangeResponse, NetworkDate
from epmo.network.nodes import milestone_node
from epmo.notifications.models import Notification
from tests.imports.files import upload
from tests.network.conftest import API, Net
from tests.world import World


def test_patch_returns_the_event_with_its_impact(chain: Net, db: Session, world: World) -> None:
    r = chain.move("it_pm", "A1", "2027-01-20", reason="vendor late")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["forecast_date"] == "2027-01-20"  # the milestone fields are all still there
    event = body["change_event"]
    assert (event["source"], event["reason"], event["delta_days"]) == ("api", "vendor late", 10)
    assert (event["old_date"], event["new_date"], event["status"]) == (
        "2027-01-10", "2027-01-20", "open")
    # B1 had 2 days of slack, C1 3 more: B1 slips 8 days, C1 5.
    assert event["summary"]["moved"] == 2 and event["summary"]["max_slip"] == 8
    shown = {i["name"]: (i["slip_days"], i["new_date"]) for i in event["impacts"]}
    assert shown == {"Milestone B1": (8, "2027-01-20")}
    # C is Finance's private project: IT's manager sees only Finance's count and worst slip.
    assert event["hidden"] == [{"department_id": world.departments["FIN"], "count": 1,
                                "max_slip": 5}]
    # the path and the subject in words (A and B are readable to IT's manager)
    assert event["impacts"][0]["path"] == ["NET-A Milestone A1", "NET-B Milestone B1"]
    assert event["subject"] == "NET-A milestone “Milestone A1” (forecast date)"
    assert [r["department_id"] for r in event["responses"]] == [world.departments["FIN"]]
    # The derived (implied) dates are stored.
    implied = db.get(NetworkDate, milestone_node(chain.m("C1")))
    assert implied is not None and implied.implied_finish.isoformat() == "2027-01-20"


def test_the_bulk_written_impacts_and_implied_dates_are_in_the_audit_log(
        chain: Net, db: Session) -> None:
    """Impact rows and implied dates are written by bulk statements: one audit entry each
    names every row written, so the log still shows what the change wrote."""
    event = chain.move("it_pm", "A1", "2027-01-20").json()["change_event"]
    impacts = db.scalar(select(AuditEntry).where(AuditEntry.entity == "change_impact",
                                                 AuditEntry.entity_id == f"event-{event['id']}"))
    assert impacts is not None and impacts.action == "create"
    stored = db.scalars(select(ChangeImpact).where(ChangeImpact.event_id == event["id"])).all()
    assert len(impacts.after["rows"]) == len(stored) == 2
    assert {(r["milestone_id"], r["new_date"], r["slip_days"]) for r in impacts.after["rows"]} \
        == {(row.milestone_id, row.new_date.isoformat(), row.slip_days) for row in stored}
    implied = db.scalars(select(AuditEntry).where(AuditEntry.entity == "network_date")
                         .order_by(AuditEntry.id.desc())).first()
    assert implied is not None
    # a milestone's implied start and finish are its one date
    assert implied.after["set"][str(milestone_node(chain.m("C1")))] == ["2027-01-20",
                                                                       "2027-01-20"]
    assert audit_service.verify_log(db).broken_id is None


def test_admin_sees_every_impact(chain: Net) -> None:
    event = chain.move("admin", "A1", "2027-01-20").json()["change_event"]
    full = chain.as_("admin").get(f"{API}/change-events/{event['id']}").json()
    assert sorted(i["name"] for i in full["impacts"]) == ["Milestone B1", "Milestone C1"]
    assert full["hidden"] == []


def test_no_event_without_accepted_links(net: Net, db: Session) -> None:
    net.link("it_pm", "A1", "B1")  # proposed only: shown as risk, never propagates
    r = net.move("it_pm", "A1", "2027-02-01")
    assert r.status_code == 200
    assert r.json()["change_event"] is None
    assert db.scalar(select(func.count()).select_from(ChangeEvent)) == 0


def test_a_pull_in_within_slack_moves_nothing(chain: Net) -> None:
    event = chain.move("it_pm", "A1", "2027-01-11").json()["change_event"]
    assert event["summary"]["moved"] == 0 and event["status"] == "closed"


def test_owners_downstream_are_notified(chain: Net, db: Session, world: World) -> None:
    chain.move("it_pm", "A1", "2027-01-20")
    told = set(db.scalars(select(Notification.user_id).where(
        Notification.kind == "change.created")))
    assert {world.users["fin_pm"], world.users["fin_lead"]} <= told
    assert world.users["it_pm"] not in told  # the one who moved it
    assert world.users["hr_viewer"] not in told


def test_the_notification_says_what_moved_who_and_why_and_acknowledging_reads_it(
        chain: Net, db: Session, world: World) -> None:
    event = chain.move("it_pm", "A1", "2027-01-20", reason="vendor late")
    event_id = event.json()["change_event"]["id"]
    told = db.scalars(select(Notification).where(
        Notification.kind == "change.created",
        Notification.user_id == world.users["fin_pm"])).one()
    # Finance's manager may read A (Finance takes part): the project and milestone by name
    assert told.subject == ("Change in IT: NET-A · Network project A, milestone “Milestone A1” "
                            "moved 2027-01-10 → 2027-01-20 (+10 days); 2 items downstream, up "
                            "to 8 days late")
    assert told.body.startswith("Moved by ") and "via api. Reason: vendor late." in told.body
    assert told.read_at is None
    # Finance's manager reads C (its own) in full; A's and B's are readable too as a
    # participating department, and the path says so in words
    page = chain.as_("fin_pm").get(f"{API}/change-events/{event_id}").json()
    assert [i["path"] for i in page["impacts"] if i["name"] == "Milestone C1"] == [
        ["NET-A Milestone A1", "NET-B Milestone B1", "NET-C Milestone C1"]]
    assert chain.as_("fin_pm").post(f"{API}/change-events/{event_id}/acknowledge",
                                    json={}).status_code == 200
    db.expire_all()
    assert db.get(Notification, told.id).read_at is not None  # type: ignore[union-attr]
    # no reason given: said so, not "Reason: api"
    second = chain.move("it_pm", "A1", "2027-01-25").json()["change_event"]
    body = db.scalars(select(Notification.body).where(
        Notification.user_id == world.users["fin_pm"],
        Notification.link == f"/change-events/{second['id']}")).one()
    assert "Reason: none given." in body


def test_a_reader_of_only_the_hit_project_is_not_told_the_moved_ones_name(
        chain: Net, db: Session, world: World) -> None:
    """C is Finance's private project: IT's manager, hit through A2, is told the department
    and the dates, not C's code or name."""
    chain.milestone("A2", "A", "2027-01-20")
    chain.accepted("C1", "A2")
    chain.move("fin_pm", "C1", "2027-01-30", reason="audit")
    subjects = {user: subject for user, subject in db.execute(
        select(Notification.user_id, Notification.subject).where(
            Notification.kind == "change.created"))}
    plain = subjects[world.users["it_pm"]]
    assert plain == ("Change in FIN: a milestone moved 2027-01-15 → 2027-01-30 (+15 days); "
                     "1 items downstream, up to 10 days late")
    assert "NET-C" not in plain and "Network project C" not in plain
    lead = subjects[world.users["it_lead"]]  # IT's lead reads IT's projects, not C either
    assert "NET-C" not in lead


def test_acknowledge_and_respond(chain: Net, db: Session, world: World) -> None:
    event = chain.move("it_pm", "A1", "2027-01-20").json()["change_event"]
    url = f"{API}/change-events/{event['id']}"
    assert chain.as_("it_pm").post(f"{url}/acknowledge", json={}).status_code == 403
    assert chain.as_("hr_viewer").post(f"{url}/acknowledge", json={}).status_code == 404
    r = chain.as_("fin_pm").post(f"{url}/acknowledge", json={})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "closed"  # Finance was the only department hit
    response = r.json()["responses"][0]
    assert response["acknowledged_at"] is not None and response["response"] == "none"
    r = chain.as_("fin_lead").post(f"{url}/respond", json={"response": "replan",
                                                           "comment": "moving C1"})
    assert r.status_code == 200, r.text
    assert (r.json()["responses"][0]["response"], r.json()["responses"][0]["comment"]) == (
        "replan", "moving C1")
    bad = chain.as_("fin_lead").post(f"{url}/respond", json={"response": "ignore"})
    assert bad.status_code == 422
    # Time to acknowledge is measured per department.
    health = chain.as_("admin").get(f"{API}/network/health").json()
    assert list(health["median_response_hours"]) == ["FIN"]
    assert health["median_response_hours"]["FIN"] >= 0
    matrix = chain.as_("admin").get(f"{API}/network/matrix").json()
    it_fin = next(c for c in matrix if c["from_department_id"] == world.departments["IT"]
                  and c["to_department_id"] == world.departments["FIN"])
    assert it_fin["median_ack_hours"] is not None


def test_event_list_and_access(chain: Net, world: World) -> None:
    chain.move("it_pm", "A1", "2027-01-20")
    listed = chain.as_("fin_pm").get(f"{API}/change-events", params={"status": "open"}).json()
    assert listed["total"] == 1
    assert chain.as_("hr_viewer").get(f"{API}/change-events").json()["total"] == 0
    event_id = listed["items"][0]["id"]
    assert chain.as_("hr_viewer").get(f"{API}/change-events/{event_id}").status_code == 404
    by_dept = chain.as_("admin").get(f"{API}/change-events", params={
        "department_id": world.departments["HR"]}).json()
    assert by_dept["total"] == 0


def test_status_report_records_an_event(net: Net, db: Session) -> None:
    b, c = net.projects["B"], net.projects["C"]
    r = net.as_("admin").post(f"{API}/dependencies", json={
        "predecessor_project_id": b["id"], "successor_project_id": c["id"], "type": "FS"})
    assert r.status_code == 201, r.text
    r = net.as_("fin_pm").post(f"{API}/projects/{b['id']}/status-reports", json={
        "period_start": "2026-11-01", "overall": "green", "schedule": "amber", "cost": "green",
        "achievements": "Done", "forecast_finish": "2027-06-30"})
    assert r.status_code == 201, r.text
    event = db.scalars(select(ChangeEvent)).one()
    assert (event.source, event.field) == ("report", "forecast_finish")
    assert event.reason == "status report 2026-11"
    assert event.delta_days == 61
    # C started on 1 May; it may start only when B finishes, now 30 June.
    assert event.impact["moved"] == 1 and event.impact["max_slip"] == 60


def test_import_records_an_event(net: Net, db: Session) -> None:
    a, b = net.projects["A"], net.projects["B"]
    net.as_("admin").post(f"{API}/dependencies", json={
        "predecessor_project_id": a["id"], "successor_project_id": b["id"], "type": "FS"})
    content = (f"code,name,department_code,forecast_finish\n"
               f"{a['code']},{a['name']},IT,2027-09-30\n").encode()
    r = upload(net.as_("admin"), "projects", content)
    assert r.status_code in (200, 201), r.text
    # Linking A -> B pushed B already (a "dependency" event); the import is one more.
    event = db.scalars(select(ChangeEvent).where(ChangeEvent.source != "dependency")).one()
    assert (event.field, event.delta_days) == ("forecast_finish", 183)
    assert event.source == "import" and event.reason.startswith("import ")
    # B (planned 5 Jan - 30 Apr) already waited for A's finish on 31 March: its implied
    # start moves with A's finish, 183 days, and its 115 days' duration goes with it.
    assert event.impact["max_slip"] == 183
    row = db.scalars(select(ChangeImpact).where(ChangeImpact.event_id == event.id)).one()
    assert row.new_date == date(2027, 9, 30) + timedelta(days=115)
    assert db.scalar(select(func.count()).select_from(ChangeResponse).where(
        ChangeResponse.event_id == event.id)) == 1
