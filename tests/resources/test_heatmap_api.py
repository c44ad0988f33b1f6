"""The heatmap through the API: supply from calendars, demand from projects, overloads named,
a cell drilled down to the projects the reader may see."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy
from sqlalchemy.orm import Session

from epmo.org.models import Person
from tests.conftest import Clients
from tests.resources.conftest import API, YEAR, month


def _row(heat: dict[str, Any], dept: str, role: str = "Data engineer") -> dict[str, Any]:
    return next(r for r in heat["rows"] if r["department"] == dept and r["role"] == role)


def _heat(as_: Clients, user: str = "it_lead", **params: Any) -> dict[str, Any]:
    r = as_(user).get(f"{API}/resources/heatmap", params={"start": month(1), "months": 3}
                      | params)
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_overload_is_shown_and_named(as_: Clients, busy: dict[str, Any]) -> None:
    heat = _heat(as_)
    it = _row(heat, "IT")
    assert [(c["demand"], c["capacity"]) for c in it["cells"]] == [(2.0, 1.0)] * 3
    assert _row(heat, "FIN")["cells"][0] == {
        "month": month(1), "capacity": 2.0, "demand": 0.0, "free": 2.0, "load": 0.0,
        "lent": 0.0, "borrowed": 0.0}
    words = [o["words"] for o in heat["overloads"]]
    assert words[0] == (f"IT · Data engineer · {month(1)}: 2 FTE asked for, 1 FTE available, "
                        "short by 1 FTE")
    assert len(words) == 3  # Finance has room: no overload there


def test_one_department_is_the_whole_heatmap_cut_to_it(as_: Clients, busy: dict[str, Any],
                                                        db: Session, world: Any) -> None:
    # read for the department and those below it alone: the same rows, roles spelt alike
    db.add(Person(code="INFRA_DE", name="Infra De", department_id=world.departments["IT-INFRA"],
                  role="DATA  engineer"))
    db.flush()
    whole = _heat(as_, "exec")
    it = _heat(as_, "exec", department_id=world.departments["IT"])
    assert it["rows"] == [r for r in whole["rows"] if r["department"] in ("IT", "IT-INFRA")]
    assert it["overloads"] == [o for o in whole["overloads"] if o["department"] == "IT"]
    shown = {(r["department"], r["role"]) for r in it["rows"]}
    assert {("IT", "Data engineer"), ("IT-INFRA", "Data engineer")} <= shown
    assert {department for department, _ in shown} == {"IT", "IT-INFRA"}
    assert len(it["overloads"]) == 3
    infra = _heat(as_, "exec", department_id=world.departments["IT-INFRA"])
    assert infra["rows"] == [r for r in whole["rows"] if r["department"] == "IT-INFRA"]


def test_calendars_lower_capacity(as_: Clients, busy: dict[str, Any],
                                  engineers: dict[str, int], world: Any) -> None:
    person = engineers["it_de"]
    r = as_("it_lead").post(f"{API}/people/{person}/time-off", json={
        "starts": f"{YEAR}-03-01", "ends": f"{YEAR}-03-07", "kind": "leave"})
    assert r.status_code == 201, r.text
    r = as_("it_lead").post(f"{API}/people/{person}/capacity-periods", json={
        "starts": f"{YEAR}-02-01", "ends": f"{YEAR}-02-28", "weekly_hours": "20"})
    assert r.status_code == 201, r.text
    r = as_("admin").post(f"{API}/holidays", json={
        "day": f"{YEAR}-01-04", "name": "Bank <holiday>", "department_id": world.departments["IT"]})
    assert r.status_code == 201, r.text
    cells = _row(_heat(as_), "IT")["cells"]
    weekdays = [int(numpy.busday_count(f"{YEAR}-{m:02d}", f"{YEAR}-{m + 1:02d}"))
                for m in (1, 2, 3)]
    march_off = int(numpy.busday_count(f"{YEAR}-03-01", f"{YEAR}-03-08"))
    holiday = 1 if date(YEAR, 1, 4).weekday() < 5 else 0
    assert cells[0]["capacity"] == round((weekdays[0] - holiday) / weekdays[0], 2)
    assert cells[1]["capacity"] == 0.5
    assert cells[2]["capacity"] == round((weekdays[2] - march_off) / weekdays[2], 2)
    assert _row(_heat(as_), "FIN")["cells"][0]["capacity"] == 2.0  # IT's holiday only
    calendar = as_("it_member").get(f"{API}/people/{person}/calendar").json()
    assert len(calendar["periods"]) == 1 and len(calendar["time_off"]) == 1


def test_calendar_refusals_name_the_field(as_: Clients, engineers: dict[str, int]) -> None:
    person = engineers["it_de"]
    url = f"{API}/people/{person}/capacity-periods"
    assert as_("it_lead").post(url, json={"starts": f"{YEAR}-01-01",
                                          "weekly_hours": "30"}).status_code == 201
    r = as_("it_lead").post(url, json={"starts": f"{YEAR}-06-01", "ends": f"{YEAR}-06-30",
                                       "weekly_hours": "20"})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "starts"
    assert "overlaps the period" in r.json()["errors"][0]["message"]
    r = as_("it_lead").post(f"{API}/people/{person}/time-off", json={
        "starts": f"{YEAR}-02-10", "ends": f"{YEAR}-02-01"})
    assert r.status_code == 422 and "before starts" in r.text
    r = as_("it_lead").post(url, json={"starts": f"{YEAR - 1}-01-01", "ends": f"{YEAR - 1}-02-01",
                                       "weekly_hours": "-4"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "weekly_hours"
    r = as_("fin_lead").post(f"{API}/people/{person}/time-off", json={
        "starts": f"{YEAR}-02-01", "ends": f"{YEAR}-02-02"})
    assert r.status_code == 403  # Finance's lead keeps Finance's people only


def test_cell_names_readable_projects_and_counts_the_rest(as_: Clients,
                                                          busy: dict[str, Any],
                                                          world: Any) -> None:
    params = {"department_id": world.departments["IT"], "role": "data ENGINEER",
              "month": month(2)}
    mine = as_("it_pm").get(f"{API}/resources/heatmap/cell", params=params).json()
    assert [p["code"] for p in mine["projects"]] == ["IT-DATA"]
    assert mine["cell"]["demand"] == 2.0 and mine["hidden_projects"] == 0
    theirs = as_("hr_viewer").get(f"{API}/resources/heatmap/cell", params=params).json()
    assert theirs["projects"] == [] and theirs["hidden_projects"] == 1
    assert theirs["hidden_fte"] == 2.0


def test_bad_parameters_answer_in_words(as_: Clients) -> None:
    r = as_("it_lead").get(f"{API}/resources/heatmap", params={"months": 99})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "months"
    r = as_("it_lead").get(f"{API}/resources/heatmap", params={"start": "2027-13"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "start"


def test_people_by_week_and_private_leave(as_: Clients, busy: dict[str, Any],
                                          engineers: dict[str, int], world: Any) -> None:
    person = engineers["it_de"]
    monday = date(YEAR, 2, 1) - timedelta(days=date(YEAR, 2, 1).weekday()) + timedelta(weeks=1)
    r = as_("it_lead").post(f"{API}/people/{person}/time-off", json={
        "starts": str(monday), "ends": str(monday + timedelta(days=1)), "kind": "sick",
        "note": "flu"})
    assert r.status_code == 201, r.text
    r = as_("it_member").get(f"{API}/resources/people", params={
        "department_id": world.departments["IT"], "start": str(monday), "weeks": 2})
    assert r.status_code == 200, r.text
    row = next(p for p in r.json()["people"] if p["person_id"] == person)
    assert [c["hours"] for c in row["cells"]] == [24.0, 40.0]
    february = int(numpy.busday_count(f"{YEAR}-02", f"{YEAR}-03"))
    load = round(2 / ((february - 2) / february), 3)  # two sick days lower February
    assert [c["load"] for c in row["cells"]] == [load, load] and row["utilisation"] == load
    shown = as_("it_member").get(f"{API}/people/{person}/calendar").json()["time_off"][0]
    assert (shown["kind"], shown["note"]) == ("away", "")  # why is for the calendar's keepers
    kept = as_("it_lead").get(f"{API}/people/{person}/calendar").json()["time_off"][0]
    assert (kept["kind"], kept["note"]) == ("sick", "flu")
    r = as_("it_member").get(f"{API}/resources/people", params={
        "department_id": world.departments["IT"], "weeks": 99})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "weeks"


def test_months_and_weeks_at_the_calendars_ends_answer_in_words(as_: Clients,
                                                                 world: Any) -> None:
    it = world.departments["IT"]
    for params in ({"start": "9999-06", "months": 12}, {"start": "0000-01"}):
        r = as_("it_lead").get(f"{API}/resources/heatmap", params=params)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "start", params
    r = as_("it_lead").get(f"{API}/resources/heatmap/cell", params={
        "department_id": it, "role": "Lead", "month": "9999-12"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "start"
    for start in ("9999-12-20", "0001-01-03"):
        r = as_("it_lead").get(f"{API}/resources/people", params={
            "department_id": it, "start": start})
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "start", start
    r = as_("it_lead").get(f"{API}/resources/people", params={"department_id": 2**40})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "department_id"


def test_demand_naming_a_person_is_their_load_not_their_colleagues(
        as_: Clients, make: Any, engineers: dict[str, int], db: Session, world: Any) -> None:
    other = Person(code="IT_DE2", name="It De2", email="it_de2@people.example.org",
                   department_id=world.departments["IT"], role="Data engineer")
    db.add(other)
    db.flush()
    project = make.project("IT", code="IT-NAMED", stage="executing",
                           planned_start=f"{YEAR}-01-01", planned_finish=f"{YEAR}-12-31")
    r = as_("it_pm").put(f"{API}/projects/{project['id']}/demand", json={
        "version": project["version"], "lines": [
            {"person_id": engineers["it_de"], "period": month(2), "fte_months": "1"}]})
    assert r.status_code == 200, r.text
    # the heatmap counts the named line as its role's demand
    assert _row(_heat(as_), "IT")["cells"][1]["demand"] == 1.0
    monday = date(YEAR, 2, 8) - timedelta(days=date(YEAR, 2, 8).weekday())  # within February
    r = as_("it_member").get(f"{API}/resources/people", params={
        "department_id": world.departments["IT"], "start": str(monday), "weeks": 1})
    assert r.status_code == 200, r.text
    cells = {p["person_id"]: p["cells"][0] for p in r.json()["people"]}
    # the person named carries it (40 h of their 40); the colleague of the same role does not
    # (the role's demand naming nobody is 0), where an even spread would load both by half
    assert (cells[engineers["it_de"]]["named"], cells[engineers["it_de"]]["load"]) == (40.0, 1.0)
    assert (cells[other.id]["named"], cells[other.id]["load"]) == (0.0, 0.0)
    page = as_("it_member").get("/resources/people", params={
        "department_id": world.departments["IT"], "start": str(monday), "weeks": 1})
    assert page.status_code == 200 and "(40 named)" in page.text
