"""Uploading status reports of many projects: good files, broken files that change nothing."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

from python_calamine import CalamineWorkbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from epmo.config import get_settings
from epmo.portfolio.models import Project
from epmo.reporting.models import StatusReport
from epmo.reporting.upload import ENTITY
from tests.conftest import Clients
from tests.factories import Maker
from tests.reporting.conftest import API, Governance, months_ago, this_month
from tests.reporting.files import (
    HEADER,
    counts,
    csv_file,
    good_row,
    post,
    problems,
    rows_file,
    xlsx_file,
)


def test_good_file_of_many_projects(as_: Clients, make: Maker, gov: Governance,
                                    db: Session) -> None:
    gov.contract()
    projects = [make.project("IT") for _ in range(25)] + [make.project("IT-INFRA")]
    rows = [good_row(p["code"], "amber" if i % 2 else "red") for i, p in enumerate(projects)]
    r = post(as_("it_lead"), rows_file(rows))
    assert r.status_code == 200, r.text
    assert r.json() | {"warnings": []} == {"filename": "reports.csv", "rows": 26, "stored": 26,
                                           "projects": 26, "warnings": [], "change_events": []}
    stored = db.scalars(select(StatusReport).where(
        StatusReport.project_id.in_([p["id"] for p in projects]))).all()
    assert len(stored) == 26 and {s.source for s in stored} == {"upload"}
    assert {s.period_start for s in stored} == {this_month()}
    healths = dict(db.execute(select(Project.code, Project.health).where(
        Project.id.in_([p["id"] for p in projects]))).all())
    assert healths[projects[0]["code"]] == "red" and healths[projects[1]["code"]] == "amber"


def test_excel_file_with_date_cells_and_any_day_of_the_period(as_: Clients, make: Maker,
                                                              gov: Governance) -> None:
    gov.contract(cadence="weekly")
    a, b = make.project("IT"), make.project("IT")
    today = date.today()
    monday = today - timedelta(days=today.weekday())
    content = xlsx_file([
        ["Project code", "Period", "Overall", "Schedule", "Cost", "Forecast finish"],
        [a["code"], today, "Green", "green", "AMBER", date(2027, 1, 1)],
        [b["code"], monday, "red", "red", "red", None],
    ])
    r = post(as_("it_pm"), content, "week.xlsx")
    assert r.status_code == 200, r.text
    listed = as_("it_pm").get(f"{API}/projects/{a['id']}/status-reports").json()["items"]
    assert listed[0]["period_start"] == monday.isoformat() and listed[0]["cost"] == "amber"
    assert listed[0]["forecast_finish"] == "2027-01-01"


def test_template_downloads_and_fills_in(as_: Clients, make: Maker, gov: Governance) -> None:
    gov.contract()
    project = make.project("IT")
    r = as_("it_pm").get(f"{API}/status-reports/template?format=csv")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    header, example = r.content.decode("utf-8-sig").splitlines()
    assert header.split(",") == list(ENTITY.field_names)
    filled = example.replace("PRJ-0001", project["code"]).replace("2025-12-01",
                                                                  this_month().isoformat())
    r = post(as_("it_pm"), f"{header}\r\n{filled}\r\n".encode())
    assert r.status_code == 200, r.text
    xlsx = as_("it_pm").get(f"{API}/status-reports/template?format=xlsx")
    book = CalamineWorkbook.from_filelike(io.BytesIO(xlsx.content))
    assert book.sheet_names == ["status_reports", "notes"]
    notes = book.get_sheet_by_name("notes").to_python()
    assert notes[0][:2] == ["column", "required"] and len(notes) == len(ENTITY.columns) + 1
    assert as_("it_pm").get(f"{API}/status-reports/template?format=pdf").status_code == 422


def test_wrong_columns_change_nothing(as_: Clients, make: Maker, db: Session) -> None:
    project = make.project("IT")
    before = counts(db)
    content = csv_file([["project_code", "period_start", "colour", "notes"],
                        [project["code"], this_month().isoformat(), "green", "x"]])
    r = post(as_("admin"), content)
    assert r.status_code == 422
    assert problems(r) == [
        (1, "colour", "is not a column of the status report template"),
        (1, "notes", "is not a column of the status report template"),
        (1, "overall", "the file has no overall column")]
    r = post(as_("admin"), csv_file([["overall", "overall"], ["green", "red"]]))
    assert r.status_code == 422
    assert {p[1] for p in problems(r)} == {"overall", "project_code", "period_start"}
    assert counts(db) == before


def test_bad_dates_and_colours_name_row_and_column(as_: Clients, make: Maker, gov: Governance,
                                                   db: Session) -> None:
    gov.contract()
    a, b, c, d = (make.project("IT") for _ in range(4))
    before = counts(db)
    rows = [good_row(a["code"]),
            good_row(b["code"], period_start="31/02/2026", overall="purple"),
            good_row(c["code"], period_start=(this_month() + timedelta(days=1)).isoformat()),
            good_row(d["code"], forecast_cost="-3", period_start="")]
    r = post(as_("it_pm"), rows_file(rows))
    assert r.status_code == 422
    found = {(row, column): text for row, column, text in problems(r)}
    assert set(found) == {(3, "period_start"), (3, "overall"), (4, "period_start"),
                          (5, "forecast_cost")}
    assert "expected a date like" in found[3, "period_start"]
    assert "does not start a monthly period" in found[4, "period_start"]
    assert "nothing was imported" in r.json()["detail"]
    assert counts(db) == before


def test_unknown_and_other_departments_projects_are_not_found(
        as_: Clients, make: Maker, gov: Governance, db: Session) -> None:
    gov.contract()
    mine, theirs = make.project("IT"), make.project("FIN")
    before = counts(db)
    rows = [good_row(mine["code"]), good_row("NO-SUCH"), good_row(theirs["code"])]
    r = post(as_("it_pm"), rows_file(rows))
    assert r.status_code == 422
    assert problems(r) == [(3, "project_code", "project NO-SUCH not found"),
                           (4, "project_code", f"project {theirs['code']} not found")]
    # readable but not writable reads the same as unknown
    r = post(as_("it_member"), rows_file([good_row(mine["code"])]))
    assert problems(r) == [(2, "project_code", f"project {mine['code']} not found")]
    assert post(as_("it_viewer"), rows_file([good_row(mine["code"])])).status_code == 403
    assert counts(db) == before


def test_a_50_mb_file_is_refused(as_: Clients, tmp_path: Path, db: Session) -> None:
    big = tmp_path / "huge.csv"
    with big.open("wb") as out:
        out.write((",".join(HEADER) + "\r\n").encode())
        line = ",".join(good_row("X-1", achievements="x" * 1000)).encode() + b"\r\n"
        while out.tell() < 50 * 1024 * 1024:
            out.write(line * 1000)
    assert big.stat().st_size >= 50 * 1024 * 1024
    before = counts(db)
    r = post(as_("admin"), big.read_bytes(), "huge.csv")
    # Refused from its Content-Length before it is read (the upload limit plus form room).
    assert r.status_code == 413
    limit = get_settings().import_max_bytes + 64 * 1024
    assert f"larger than the limit of {limit:,} bytes" in r.json()["detail"]
    assert r.json()["errors"][0]["field"] == "body"
    assert counts(db) == before


def test_a_non_excel_file_renamed_xlsx_is_refused(as_: Clients, make: Maker,
                                                  db: Session) -> None:
    project = make.project("IT")
    before = counts(db)
    for content in (rows_file([good_row(project["code"])]), b"%PDF-1.7 not a workbook",
                    b"PK\x03\x04 a zip that is no workbook"):
        r = post(as_("admin"), content, "reports.xlsx")
        assert r.status_code == 422, r.text
        assert "could not be read as a spreadsheet" in r.json()["detail"]
    assert counts(db) == before


def test_duplicates_in_the_file_and_in_the_database(as_: Clients, make: Maker,
                                                    gov: Governance, db: Session) -> None:
    gov.contract()
    a, b = make.project("IT"), make.project("IT")
    first = post(as_("it_pm"), rows_file([good_row(a["code"])]))
    assert first.status_code == 200, first.text
    before = counts(db)
    label = f"{this_month():%Y-%m}"
    rows = [good_row(b["code"]), good_row(b["code"], overall="red"), good_row(a["code"])]
    r = post(as_("it_pm"), rows_file(rows))
    assert r.status_code == 422
    found = problems(r)
    assert (3, "project_code", f"{b['code']} {label} is also on row 2") in found
    assert any(row == 4 and column == "period_start" and "already has a status report" in text
               for row, column, text in found)
    assert counts(db) == before


def test_controlling_shortfalls_reject_the_file(as_: Clients, make: Maker, gov: Governance,
                                                db: Session) -> None:
    gov.contract(dimensions=("schedule", "cost", "risk"))
    gov.authority("controlling", "IT")
    ok, bad = make.project("IT"), make.project("IT")
    before = counts(db)
    rows = [good_row(ok["code"]), good_row(bad["code"], cost=None)]
    content = csv_file([[*HEADER, "risk"], *[[*row, "green"] for row in rows]])
    r = post(as_("it_pm"), content)
    assert r.status_code == 422
    assert [(row, column) for row, column, _ in problems(r)] == [(3, "cost")]
    assert "controlling" in problems(r)[0][2]
    assert counts(db) == before
    any_day = csv_file([["Project code", "Period", "Overall", "Schedule", "Cost", "Risk"],
                        [ok["code"], (months_ago(3) + timedelta(days=9)).isoformat(), "green",
                         "green", "green", "green"]])
    r = post(as_("it_pm"), any_day)  # late, but a late report is never refused
    assert r.status_code in (200, 201), r.text
    assert "late" in str(r.json()["warnings"])


def test_supportive_shortfalls_are_warnings(as_: Clients, make: Maker, gov: Governance) -> None:
    gov.contract(dimensions=("schedule", "cost", "risk"))
    gov.authority("supportive", "IT")
    project = make.project("IT")
    content = csv_file([HEADER, good_row(project["code"], cost=None)])
    r = post(as_("it_pm"), content)
    assert r.status_code == 200, r.text
    assert r.json()["stored"] == 1
    assert {(w["row"], w["column"]) for w in r.json()["warnings"]} == {(2, "cost"), (2, "risk")}


def test_directive_department_only_epmo_uploads(as_: Clients, make: Maker,
                                                gov: Governance) -> None:
    gov.contract()
    gov.authority("directive", "IT")
    project = make.project("IT")
    content = rows_file([good_row(project["code"])])
    r = post(as_("it_lead"), content)
    assert r.status_code == 422 and "only EPMO administrators" in problems(r)[0][2]
    assert post(as_("admin"), content).status_code == 200
