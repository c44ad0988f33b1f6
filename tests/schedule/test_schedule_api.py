"""A department hands the hub its MS Project file through the API: counts, the hub's critical
path, milestones in the network, a re-import as a diff with change events, bad files refused."""

from __future__ import annotations

import io
from typing import Any

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from epmo.network.models import ChangeEvent
from epmo.portfolio.models import Milestone
from epmo.schedule.models import Activity, Schedule
from tests.conftest import Clients
from tests.factories import Maker
from tests.schedule.files import BILLION_LAUGHS, fixture, renamed

API = "/api/v1"


def _upload(as_: Clients, user: str, project_id: int, data: bytes, name: str = "plan.xml",
            **form: Any) -> Any:
    return as_(user).post(f"{API}/projects/{project_id}/schedule",
                          files={"file": (name, data, "application/xml")}, data=form)


@pytest.fixture
def project(make: Maker) -> dict[str, Any]:
    """An IT project the IT project manager may change."""
    return make.project("IT", code="PAY-1", name="Payroll replatform")


def test_import_counts_and_critical_path(as_: Clients, project: dict[str, Any]) -> None:
    r = _upload(as_, "it_pm", project["id"], fixture("plan-v1.xml"))
    assert r.status_code == 200, r.text
    got = r.json()
    assert {k: got[k] for k in ("format", "activities", "milestones", "links", "resources",
                                "assignments", "calendars")} == {
        "format": "mspdi", "activities": 5, "milestones": 1, "links": 3, "resources": 0,
        "assignments": 0, "calendars": 1}
    assert got["milestones_created"] == 1
    schedule = as_("it_pm").get(f"{API}/projects/{project['id']}/schedule").json()
    by_code = {a["code"]: a for a in schedule["activities"]}
    assert schedule["critical_path"] == ["2", "3", "4"]
    for code in ("2", "3", "4", "5"):  # the hub's early dates are MS Project's own
        assert by_code[code]["early_start"] == by_code[code]["start"], code
        assert by_code[code]["early_finish"] == by_code[code]["finish"], code
    assert by_code["5"]["total_float_days"] == 5.0 and not by_code["5"]["critical"]
    assert by_code["4"]["milestone_id"] is not None


def test_milestone_feeds_the_register(as_: Clients, project: dict[str, Any], db: Session) -> None:
    _upload(as_, "it_pm", project["id"], fixture("plan-v1.xml"))
    milestone = db.scalar(select(Milestone).where(Milestone.project_id == project["id"]))
    assert milestone is not None and milestone.name == "Go-live"
    assert str(milestone.forecast_date) == "2027-01-13"


def _depend_on_go_live(as_: Clients, make: Maker, db: Session, project_id: int) -> int:
    """Finance's milestone that waits for the schedule's Go-live (FS): its id."""
    go_live = db.scalar(select(Milestone.id).where(Milestone.project_id == project_id))
    finance = make.project("FIN", code="FIN-WAIT")
    waiting = as_("admin").post(f"{API}/projects/{finance['id']}/milestones",
                                json={"name": "Payroll cut-over", "forecast_date": "2027-01-13"})
    r = as_("admin").post(f"{API}/dependencies", json={
        "predecessor_milestone_id": go_live, "successor_milestone_id": waiting.json()["id"]})
    assert r.status_code == 201, r.text
    return int(waiting.json()["id"])


def test_reimport_is_a_diff_and_moves_the_milestone(as_: Clients, make: Maker,
                                                    project: dict[str, Any], db: Session) -> None:
    _upload(as_, "it_pm", project["id"], fixture("plan-v1.xml"))
    waiting = _depend_on_go_live(as_, make, db, project["id"])
    r = _upload(as_, "it_pm", project["id"], fixture("plan-v2.xml"), name="plan-v2.xml")
    assert r.status_code == 200, r.text
    got = r.json()
    assert (got["added"], got["removed"], got["moved"]) == (1, 1, 3)
    assert got["milestones_moved"] == 1 and got["milestones_created"] == 0
    [event] = got["change_events"]
    assert (event["old_date"], event["new_date"]) == ("2027-01-13", "2027-01-15")
    stored = db.get(ChangeEvent, event["id"])
    assert stored is not None and stored.source == "schedule"
    assert "plan-v2.xml" in stored.reason
    impact = as_("admin").get(f"{API}/change-events/{event['id']}").json()
    assert waiting in {i["milestone_id"] for i in impact["impacts"]}
    changes = as_("it_pm").get(f"{API}/projects/{project['id']}/schedule/changes").json()
    assert [c["uid"] for c in changes[0]["added"]] == ["6"]
    assert [c["uid"] for c in changes[0]["removed"]] == ["5"]
    assert db.scalar(select(func.count()).select_from(Milestone)
                     .where(Milestone.project_id == project["id"])) == 1


def test_same_file_again_changes_nothing(as_: Clients, make: Maker, project: dict[str, Any],
                                         db: Session) -> None:
    _upload(as_, "it_pm", project["id"], fixture("plan-v1.xml"))
    _depend_on_go_live(as_, make, db, project["id"])
    got = _upload(as_, "it_pm", project["id"], fixture("plan-v1.xml")).json()
    assert (got["added"], got["removed"], got["moved"], got["milestones_moved"]) == (0, 0, 0, 0)
    assert got["change_events"] == []


def test_dry_run_stores_nothing(as_: Clients, project: dict[str, Any], db: Session) -> None:
    r = _upload(as_, "it_pm", project["id"], fixture("plan-v1.xml"), dry_run="true")
    assert r.status_code == 200 and r.json()["dry_run"] is True
    assert db.scalar(select(func.count()).select_from(Schedule)) == 0
    assert as_("it_pm").get(f"{API}/projects/{project['id']}/schedule").status_code == 404


@pytest.mark.parametrize(("data", "words"), [
    (b"<Project><Tasks><Task>", "XML"),
    (BILLION_LAUGHS, "document type (DTD)"),
    (b"code;name\nA;B\n", "CSV"),
    (b"", "empty"),
])
def test_bad_files_are_refused_in_words(as_: Clients, project: dict[str, Any], db: Session,
                                        data: bytes, words: str) -> None:
    r = _upload(as_, "it_pm", project["id"], data)
    assert r.status_code == 422, r.text
    assert words.lower() in r.text.lower()
    assert db.scalar(select(func.count()).select_from(Activity)) == 0


def test_who_may_import_and_read(as_: Clients, project: dict[str, Any]) -> None:
    assert _upload(as_, "it_viewer", project["id"], fixture("plan-v1.xml")).status_code in (403, 404)
    assert _upload(as_, "fin_pm", project["id"], fixture("plan-v1.xml")).status_code == 404
    assert _upload(as_, "it_pm", project["id"], fixture("plan-v1.xml")).status_code == 200
    assert as_("it_viewer").get(f"{API}/projects/{project['id']}/schedule").status_code == 200
    assert as_("hr_viewer").get(f"{API}/projects/{project['id']}/schedule").status_code == 404


def test_choose_milestones(as_: Clients, project: dict[str, Any], db: Session) -> None:
    _upload(as_, "it_pm", project["id"], fixture("plan-v1.xml"))
    url = f"{API}/projects/{project['id']}/schedule/milestones"
    bad = as_("it_pm").post(url, json={"codes": ["3", "nope"]})
    assert bad.status_code == 422 and "nope" in bad.text
    r = as_("it_pm").post(url, json={"codes": ["3"]})
    assert r.status_code == 200, r.text
    develop = next(a for a in r.json()["activities"] if a["code"] == "3")
    milestone = db.get(Milestone, develop["milestone_id"])
    assert milestone is not None and str(milestone.forecast_date) == "2027-01-13"


def test_export_then_import_gives_the_same_schedule(as_: Clients, make: Maker,
                                                    project: dict[str, Any]) -> None:
    _upload(as_, "it_pm", project["id"], fixture("plan-v1.xml"))
    exported = as_("it_pm").get(f"{API}/projects/{project['id']}/schedule/export?format=mspdi")
    assert exported.status_code == 200
    other = make.project("IT", code="PAY-2")
    again = _upload(as_, "it_pm", other["id"], exported.content, name="PAY-1-schedule.xml").json()
    first = as_("it_pm").get(f"{API}/projects/{project['id']}/schedule").json()
    second = as_("it_pm").get(f"{API}/projects/{other['id']}/schedule").json()
    assert again["activities"] == 5 and again["links"] == 3
    keys = ("code", "name", "start", "finish", "early_start", "early_finish", "milestone")
    assert [{k: a[k] for k in keys} for a in first["activities"]] == [
        {k: a[k] for k in keys} for a in second["activities"]]


def test_excel_export_has_activities_and_links(as_: Clients, project: dict[str, Any]) -> None:
    _upload(as_, "it_pm", project["id"], renamed(fixture("plan-v1.xml"), "Design",
                                                 "=HYPERLINK(\"http://x\")"))
    r = as_("it_pm").get(f"{API}/projects/{project['id']}/schedule/export?format=xlsx")
    assert r.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(r.content))
    assert book.sheet_names == ["Activities", "Links"]
    rows = book.get_sheet_by_name("Activities").to_python()
    assert len(rows) == 6 and rows[2][1] == "'=HYPERLINK(\"http://x\")"
    assert len(book.get_sheet_by_name("Links").to_python()) == 4


def test_assignments_become_role_demand(as_: Clients, project: dict[str, Any]) -> None:
    r = _upload(as_, "it_pm", project["id"], fixture("plan-resources.xml"))
    assert r.status_code == 200, r.text
    got = r.json()
    assert (got["resources"], got["assignments"]) == (4, 3)
    assert any("Contractor X" in w and "40 h" in w for w in got["warnings"])
    lines = as_("it_pm").get(f"{API}/projects/{project['id']}/demand").json()["lines"]
    assert {(ln["role"], ln["period"], ln["fte_months"]) for ln in lines} == {
        ("Project manager", "2027-01", "0.14"), ("Lead", "2027-01", "0.23")}
    # "It Pm" is a person of the project's department: the line names them; "Senior
    # architect" stands for the role of its group only
    assert {ln["role"]: ln["person"] for ln in lines} == {"Project manager": "It Pm",
                                                          "Lead": None}


def test_schedule_work_outside_the_projects_dates_is_kept_with_a_warning(
        as_: Clients, make: Maker) -> None:
    late = make.project("IT", code="PAY-LATE", planned_start="2027-04-01",
                        planned_finish="2027-12-31")
    r = _upload(as_, "it_pm", late["id"], fixture("plan-resources.xml"))
    assert r.status_code == 200, r.text
    assert ("Schedule work in 2027-01 is before the project's start (2027-04-01); it is in the "
            "role demand as planned: move the project's dates to cover it.") in r.json()["warnings"]
    lines = as_("it_pm").get(f"{API}/projects/{late['id']}/demand").json()["lines"]
    assert {ln["period"] for ln in lines} == {"2027-01"}


def test_schedule_without_resources_keeps_typed_demand(as_: Clients,
                                                       project: dict[str, Any]) -> None:
    url = f"{API}/projects/{project['id']}/demand"
    version = as_("it_pm").get(url).json()["version"]
    typed = as_("it_pm").put(url, json={"version": version, "lines": [
        {"role": "Lead", "period": "2027-05", "fte_months": "1.5"}]})
    assert typed.status_code == 200, typed.text
    _upload(as_, "it_pm", project["id"], fixture("plan-v1.xml"))
    lines = as_("it_pm").get(url).json()["lines"]
    assert [(ln["role"], ln["period"], ln["fte_months"]) for ln in lines] == [
        ("Lead", "2027-05", "1.50")]


def test_resource_map_decides_the_role(as_: Clients, project: dict[str, Any]) -> None:
    mapping = '{"Contractor X": "lead", "It Pm": "fin_pm@people.example.org"}'
    r = _upload(as_, "it_pm", project["id"], fixture("plan-resources.xml"), resource_map=mapping)
    assert r.status_code == 200, r.text
    assert not any("Contractor X" in w for w in r.json()["warnings"])
    lines = as_("it_pm").get(f"{API}/projects/{project['id']}/demand").json()["lines"]
    assert {(ln["role"], ln["fte_months"]) for ln in lines} == {
        ("Project manager", "0.14"), ("Lead", "0.46")}
    # Finance's PM is no person an IT project may name: the line is their role's, unnamed
    assert all(ln["person"] is None for ln in lines)
    assert any("is not in the project's department or one below it" in w
               and w.endswith("their work is in the role demand unnamed.")
               for w in r.json()["warnings"]), r.json()["warnings"]


@pytest.mark.parametrize(("mapping", "words"), [
    ('{"Contractor X": "Astronaut"}', "resource_map.Contractor X"),
    ('{"Contractor X": "nobody@example.org"}', "no active person"),
    ('["not", "an", "object"]', "must be a JSON object"),
])
def test_bad_resource_map_is_refused(as_: Clients, project: dict[str, Any], db: Session,
                                     mapping: str, words: str) -> None:
    r = _upload(as_, "it_pm", project["id"], fixture("plan-resources.xml"), resource_map=mapping)
    assert r.status_code == 422 and words in r.text, r.text
    assert db.scalar(select(func.count()).select_from(Schedule)) == 0
