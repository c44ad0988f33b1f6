"""The demo's business case: three options over five years, the recommended one worth doing,
readable through the API by an executive and its PDF made."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from epmo.demo.generator import make_plan
from epmo.demo.service import load_demo
from tests.conftest import Clients


def test_demo_business_case(as_: Clients, db: Session) -> None:
    result = load_demo(db, make_plan(projects=30, seed=9, today=date(2026, 11, 16)))
    assert result.counts["business_case"] == 1 and result.counts["business_case_option"] == 3
    listed = as_("exec").get("/api/v1/business-cases").json()
    assert listed["total"] == 1
    summary = listed["items"][0]
    assert summary["title"] == "EPMO operating model 2027-2031"
    assert summary["status"] == "presented" and summary["horizon_years"] == 5
    found = as_("exec").get(f"/api/v1/business-cases/{summary['id']}/comparison").json()
    options = found["options"]
    assert [o["staffing_fte"] for o in options] == ["3.00", "5.00", "9.00"]
    assert result.counts["business_case_line"] == sum(len(o["lines"]) for o in options)
    for option in options:
        assert {line["year"] for line in option["lines"]} == set(range(6))
    recommended = [o for o in options if o["recommended"]]
    assert [o["name"] for o in recommended] == ["Controlling portfolio governance"]
    figures = recommended[0]["figures"]
    assert Decimal(figures["npv"]) > 0 and figures["payback_years"] is not None
    assert found["best_npv_option_id"] == recommended[0]["id"]
    directive = options[2]["sensitivity"]["rows"]
    assert Decimal(directive[0]["npv"]) < 0 < Decimal(directive[-1]["npv"])  # risky at -30 %
    pdf = as_("exec").get(f"/business-case/{summary['id']}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
