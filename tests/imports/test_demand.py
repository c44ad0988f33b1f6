"""Importing project role demand: a file states each named project's demand per month (or per
quarter, spread over its months), all or nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.conftest import Clients
from tests.factories import Maker
from tests.imports.files import csv_file, errors_of, upload, xlsx_file
from tests.world import World

HEADER = ["project_code", "role", "period", "fte_months"]


def _project(as_: Clients, world: World, code: str, dept: str = "IT") -> dict[str, Any]:
    return Maker(as_, world).project(dept, code=code)


def _lines(as_: Clients, project: dict[str, Any]) -> list[tuple[str, str, str]]:
    read = as_("admin").get(f"/api/v1/projects/{project['id']}/demand").json()
    return [(ln["role"], ln["period"], ln["fte_months"]) for ln in read["lines"]]


def test_demand_file_replaces_the_demand_of_the_projects_it_names(as_: Clients,
                                                                  world: World) -> None:
    one, two = _project(as_, world, "DM-1"), _project(as_, world, "DM-2")
    first = upload(as_("it_pm"), "project_demand", csv_file([
        HEADER, ["DM-1", "lead", "2027-01", "2"], ["DM-1", "Project manager", "2027 q2", "1.5"],
        ["DM-2", "Lead", "Q3 2027", "4"], ["DM-2", "Lead", "2027/9", "1"]]))
    assert first.status_code == 200, first.text
    report = first.json()
    assert (report["created"], report["updated"], report["unchanged"]) == (2, 0, 0)
    assert report["created_codes"] == ["DM-1", "DM-2"]
    assert _lines(as_, one) == [("Lead", "2027-01", "2.00"), ("Project manager", "2027-04", "0.50"),
                                ("Project manager", "2027-05", "0.50"),
                                ("Project manager", "2027-06", "0.50")]
    version = as_("admin").get(f"/api/v1/projects/{one['id']}").json()["version"]
    assert version == one["version"] + 1
    # DM-1 is restated (a 0 line drops a quarter, a spreadsheet date names its month); DM-2 is
    # not named and keeps its demand (a quarter and a month of it added up)
    again = upload(as_("admin"), "project_demand", xlsx_file([
        HEADER, ["DM-1", "Lead", date(2027, 1, 1), 2], ["DM-1", "Project manager", "2027-Q2", 0]]),
        filename="demand.xlsx")
    assert again.status_code == 200, again.text
    assert (again.json()["updated"], again.json()["updated_codes"]) == (1, ["DM-1"])
    assert _lines(as_, one) == [("Lead", "2027-01", "2.00")]
    assert _lines(as_, two) == [("Lead", "2027-07", "1.34"), ("Lead", "2027-08", "1.33"),
                                ("Lead", "2027-09", "2.33")]
    same = upload(as_("admin"), "project_demand", csv_file([HEADER, ["DM-1", "Lead", "2027-01", "2"]]))
    assert (same.json()["unchanged"], same.json()["updated"]) == (1, 0)


def test_a_bad_demand_file_names_every_problem_and_writes_nothing(as_: Clients,
                                                                  world: World) -> None:
    mine = _project(as_, world, "DM-3")
    _project(as_, world, "DM-FIN", "FIN")
    r = upload(as_("it_pm"), "project_demand", csv_file([
        HEADER, ["DM-3", "Lead", "2027-Q1", "2"], ["NOPE", "Lead", "2027-Q1", "1"],
        ["DM-FIN", "Lead", "2027-Q1", "1"], ["DM-3", "Astronaut", "2027-Q1", "1"],
        ["DM-3", "LEAD", "2027-Q1", "3"], ["DM-3", "Lead", "2027-Q9", "1"],
        ["DM-3", "Lead", "2027-Q2", "-1"], ["DM-3", "", "2027-Q2", "1"]]))
    assert r.status_code == 422
    assert errors_of(r) == [(3, "project_code"), (4, "project_code"), (5, "role"),
                            (6, "period"), (7, "period"), (8, "fte_months"), (9, "role")]
    messages = [e["message"] for e in r.json()["errors"]]
    assert messages[:4] == ["no project NOPE", "you may not change project DM-FIN",
                            messages[2], "DM-3, Lead, 2027-Q1 is also on row 2"]
    assert messages[2].startswith("Unknown role 'Astronaut'; known roles: ")
    assert _lines(as_, mine) == []
    missing = upload(as_("admin"), "project_demand", csv_file([["project_code", "role", "period"],
                                                               ["DM-3", "Lead", "2027-Q1"]]))
    assert missing.status_code == 422 and errors_of(missing) == [(1, "fte_months")]
    assert upload(as_("it_viewer"), "project_demand",
                  csv_file([HEADER, ["DM-3", "Lead", "2027-Q1", "2"]])).status_code == 403


def test_a_demand_file_may_name_people_of_the_projects_department(as_: Clients,
                                                                   world: World) -> None:
    project = _project(as_, world, "DM-P")
    header = [*HEADER, "person_code"]
    r = upload(as_("it_pm"), "project_demand", csv_file([
        header, ["DM-P", "", "2027-03", "0.5", "IT_MEMBER"],
        ["DM-P", "Project manager", "2027-03", "1", "INFRA_PM"],
        ["DM-P", "Lead", "2027-03", "2", ""]]))
    assert r.status_code == 200, r.text
    read = as_("admin").get(f"/api/v1/projects/{project['id']}/demand").json()["lines"]
    assert [(ln["role"], ln["person"], ln["period"], ln["fte_months"]) for ln in read] == [
        ("Lead", None, "2027-03", "2.00"), ("Lead", "It Member", "2027-03", "0.50"),
        ("Project manager", "Infra Pm", "2027-03", "1.00")]
    bad = upload(as_("it_pm"), "project_demand", csv_file([
        header, ["DM-P", "", "2027-03", "1", "FIN_LEAD"],
        ["DM-P", "Project manager", "2027-03", "1", "IT_MEMBER"],
        ["DM-P", "", "2027-03", "1", "NOBODY"], ["DM-P", "", "2027-03", "1", ""],
        ["DM-P", "", "2027-04", "1", "IT_MEMBER"], ["DM-P", "", "2027-04", "1", "IT_MEMBER"]]))
    assert bad.status_code == 422
    assert errors_of(bad) == [(2, "person_code"), (3, "role"), (4, "person_code"), (5, "role"),
                              (7, "period")]
    messages = [e["message"] for e in bad.json()["errors"]]
    assert messages[0].startswith("Fin Lead is not in the project's department")
    assert messages[1] == "It Member's role is Lead, not Project manager"
    assert messages[4] == "DM-P, It Member, 2027-04 is also on row 6"


def test_demand_template_lists_its_columns(as_: Clients) -> None:
    info = as_("it_viewer").get("/api/v1/imports/project_demand").json()
    assert [c["name"] for c in info["columns"]] == [*HEADER, "person_code"]
    template = as_("it_viewer").get("/api/v1/imports/project_demand/template",
                                    params={"format": "csv"})
    assert template.status_code == 200
    assert template.text.lstrip("\ufeff").splitlines()[0] == ",".join([*HEADER, "person_code"])


def test_the_import_page_offers_the_demand_file(as_: Clients) -> None:
    page = as_("it_pm").get("/imports", params={"entity": "project_demand"})
    assert page.status_code == 200
    assert "Project role demand" in page.text and "fte_months" in page.text
