"""The value report: figures recomputed by hand, per quarter and department; PDF and Excel."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from python_calamine import CalamineWorkbook

from tests.conftest import Clients
from tests.world import World

API = "/api/v1/ledger/entries"


def _entry(as_: Clients, world: World, dept: str, category: str, day: str, *,
           amount: str | None = None, days: int | None = None, to: str = "confirmed",
           **extra: Any) -> dict[str, Any]:
    made = as_("admin").post(API, json={
        "category": category, "amount": amount, "days": days, "occurred_on": day,
        "department_id": world.departments[dept], "description": f"{category} {day}",
        **extra}).json()
    if to in ("confirmed", "validated", "rejected_late"):
        made = as_("admin").post(f"{API}/{made['id']}/decision", json={
            "action": "confirm", "version": made["version"]}).json()
    if to == "validated":
        made = as_("fin_lead").post(f"{API}/{made['id']}/decision", json={
            "action": "validate", "version": made["version"]}).json()
    if to in ("rejected", "rejected_late"):
        made = as_("admin").post(f"{API}/{made['id']}/decision", json={
            "action": "reject", "version": made["version"], "reason": "no"}).json()
    return made


def _ledger(as_: Clients, world: World) -> dict[str, Any]:
    """Q3 2026: IT 100 k validated + 40 k awaiting, FIN 25 k avoided + 6 days, HR 3 days and a
    risk; a proposal and a rejection that never count; Q2: IT 10 k validated."""
    found = {"validated": _entry(as_, world, "IT", "hard_saving", "2026-07-02",
                                 amount="100000", to="validated", evidence_kind="project",
                                 evidence_id=_project(as_, world))}
    _entry(as_, world, "IT", "hard_saving", "2026-08-02", amount="40000")
    _entry(as_, world, "FIN", "cost_avoidance", "2026-09-30", amount="25000", days=6)
    _entry(as_, world, "HR", "days_saved", "2026-07-15", days=3)
    _entry(as_, world, "HR", "risk_reduced", "2026-08-15")
    _entry(as_, world, "IT", "hard_saving", "2026-08-20", amount="999", to="proposed")
    _entry(as_, world, "IT", "cost_avoidance", "2026-08-21", amount="777", to="rejected")
    _entry(as_, world, "IT", "hard_saving", "2026-05-01", amount="10000", to="validated")
    _entry(as_, world, "IT", "hard_saving", "2025-06-30", amount="5", to="validated")
    return found


def _project(as_: Clients, world: World) -> int:
    made = as_("admin").post("/api/v1/projects", json={
        "code": "VAL-1", "name": "Evidence", "department_id": world.departments["IT"]})
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def test_the_quarter_and_the_year_recomputed_by_hand(as_: Clients, world: World) -> None:
    found = _ledger(as_, world)
    report = as_("exec").get("/api/v1/value-report?quarter=2026-Q3").json()
    totals = report["totals"]
    assert Decimal(totals["hard_realised"]) == Decimal("100000")
    assert Decimal(totals["hard_awaiting"]) == Decimal("40000")
    assert Decimal(totals["cost_avoidance"]) == Decimal("25000")
    assert (totals["days_saved"], totals["risks_reduced"], totals["entries"]) == (9, 1, 5)
    assert report["proposed"] == 1
    assert [q["quarter"] for q in report["quarters"]] == ["2025-Q4", "2026-Q1", "2026-Q2",
                                                          "2026-Q3"]
    assert Decimal(report["quarters"][2]["totals"]["hard_realised"]) == Decimal("10000")
    assert Decimal(report["year"]["hard_realised"]) == Decimal("110000")  # 2025-Q2 is out
    lines = {d["code"]: d["totals"] for d in report["departments"]}
    assert Decimal(lines["IT"]["hard_realised"]) == Decimal("100000")
    assert lines["FIN"]["days_saved"] == 6 and lines["HR"]["days_saved"] == 3
    evidence = {e["id"]: e for e in report["entries"]}
    assert evidence[found["validated"]["id"]]["evidence_url"].startswith("/projects/")
    assert len(evidence) == 5


def test_a_department_lead_reads_only_their_departments(as_: Clients, world: World) -> None:
    _ledger(as_, world)
    report = as_("it_lead").get("/api/v1/value-report?quarter=2026-Q3").json()
    assert {d["code"] for d in report["departments"]} == {"IT"}
    assert Decimal(report["totals"]["cost_avoidance"]) == 0
    one = as_("exec").get(f"/api/v1/value-report?quarter=2026-Q3&department_id="
                          f"{world.departments['FIN']}").json()
    assert {d["code"] for d in one["departments"]} == {"FIN"}


def test_a_quarter_that_is_not_one_is_named(as_: Clients) -> None:
    for bad in ("2026-Q5", "Q3-2026", "2026Q1"):
        answer = as_("exec").get(f"/api/v1/value-report?quarter={bad}")
        assert answer.status_code == 422, bad
        assert answer.json()["errors"][0]["field"] == "quarter"


def test_the_pdf_and_the_workbook_open(as_: Clients, world: World) -> None:
    _ledger(as_, world)
    pdf = as_("exec").get("/api/v1/value-report?quarter=2026-Q3&format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert 'filename="value-report-2026-Q3.pdf"' in pdf.headers["content-disposition"]
    xlsx = as_("exec").get("/value/report.xlsx?quarter=2026-Q3")
    assert xlsx.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(xlsx.content))
    quarters = book.get_sheet_by_name("Quarters").to_python()
    assert quarters[2][0] == "Quarter" and quarters[6][0] == "2026-Q3"
    assert quarters[6][1:7] == [100000.0, 40000.0, 25000.0, 9.0, 1.0, 5.0]
    departments = book.get_sheet_by_name("Departments").to_python()
    assert departments[-1][0] == "Total" and departments[-1][2] == 100000.0
    entries = book.get_sheet_by_name("Entries").to_python()
    assert len(entries) == 6 and entries[0][0] == "Id"
    assert any(str(row[11]).startswith("/projects/") for row in entries[1:])
