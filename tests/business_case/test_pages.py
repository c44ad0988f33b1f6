"""The business case pages: the list and its form, a case, an option's yearly grid (values kept
and the cell marked on error), the comparison, who sees which forms, hostile text escaped."""

from __future__ import annotations

import json
import re
from typing import Any

from tests.business_case.conftest import API, HOSTILE
from tests.conftest import Clients
from tests.web.helpers import login
from tests.world import World

ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def _case_form(**extra: str) -> dict[str, str]:
    return {"title": HOSTILE, "description": "Why", "currency": "EUR", "discount_rate": "8",
            "horizon_years": "3"} | extra


def test_case_made_through_the_pages(app: object, world: World, as_: Clients) -> None:
    browser = login(app, world, "admin")
    page = browser.client.get("/business-case")
    assert page.status_code == 200 and 'id="new-case"' in page.text
    assert 'aria-current="page" href="/business-case"' in page.text  # the value tabs
    r: Any = browser.post_form("/business-case", _case_form(discount_rate="60", title="Kept"))
    assert r.status_code == 422 and "Discount rate" in r.text and "50 or less" in r.text
    assert 'value="Kept"' in r.text and 'value="60"' in r.text
    r = browser.post_form("/business-case", _case_form(currency="E1"))
    assert r.status_code == 422 and "Currency must be a three-letter currency code" in r.text
    r = browser.post_form("/business-case", _case_form(currency="chf"))
    assert r.status_code == 303, r.text
    url = r.headers["location"]
    assert re.fullmatch(r"/business-case/\d+", url)
    shown = browser.client.get(url)
    assert "<script>alert(1)</script>" not in shown.text and ESCAPED in shown.text
    assert "CHF, discounted at 8.00 %" in shown.text
    r = browser.post_form(url, {"what": "add_option", "name": "Controlling EPMO",
                                "description": HOSTILE, "staffing_fte": "4",
                                "authority_portfolio_governance": "controlling",
                                "authority_project_leadership": "",
                                "authority_ppm_administration": "directive"})
    assert r.status_code == 303, r.text
    option_url = r.headers["location"]
    r = browser.post_form(url, {"what": "add_option", "name": "controlling epmo",
                                "staffing_fte": "abc", "description": "typed"})
    assert r.status_code == 422 and "EPMO staff" in r.text and "must be a number" in r.text
    assert 'value="controlling epmo"' in r.text and ">typed</textarea>" in r.text
    r = browser.post_form(url, {"what": "add_option", "name": "controlling epmo"})
    assert r.status_code == 409 and "already used by another option" in r.text
    page = browser.client.get(option_url)
    assert page.status_code == 200 and ESCAPED in page.text
    assert "Portfolio Governance: <strong>Controlling</strong>" in page.text
    assert "Project Leadership: <strong>as the charter</strong>" in page.text
    assert 'name="cell-cost-people-3"' in page.text and 'name="cell-cost-people-4"' not in page.text


def _grid(**cells: str) -> dict[str, str]:
    return {"what": "lines"} | {f"cell-{k.replace('__', '-')}": v for k, v in cells.items()}


def test_grid_keeps_values_and_marks_the_cell(app: object, world: World, as_: Clients,
                                              case: dict[str, Any]) -> None:
    browser = login(app, world, "admin")
    option = case["options"]["A"]
    url = f"/business-case/{case['case']['id']}/options/{option['id']}"
    page = browser.client.get(url)
    assert 'name="cell-cost-people-0" inputmode="decimal" aria-label="People cost, year 0" value="1000"' in page.text
    sent = _grid(cost__people__0="1000", cost__people__1="-5", cost__tools__2="12x",
                 benefit__savings__1="700") | {"version": str(option["version"])}
    r: Any = browser.post_form(url, sent)
    assert r.status_code == 422, r.text
    assert "People cost, year 1: must be 0 or more" in r.text
    assert "Tools cost, year 2: must be a number" in r.text
    assert 'form-control form-control-sm text-end is-invalid" name="cell-cost-people-1"' in r.text
    assert 'aria-label="People cost, year 1" value="-5"' in r.text
    assert 'aria-label="Savings benefit, year 1" value="700"' in r.text
    assert 'aria-label="Tools cost, year 2" value="12x"' in r.text
    stale = browser.post_form(url, _grid(cost__people__0="1") | {"version": "99"})
    assert stale.status_code == 409 and "changed by someone else" in stale.text  # type: ignore[attr-defined]
    r = browser.post_form(url, _grid(cost__people__0="1 000", benefit__savings__1="1500.50",
                                     benefit__days_saved__3="10")
                          | {"version": str(option["version"])})
    assert r.status_code == 303, r.text
    stored = as_("admin").get(f"{API}/business-case-options/{option['id']}").json()
    assert [(x["year"], x["category"], x["amount"]) for x in stored["lines"]] == [
        (0, "people", "1000.00"), (1, "savings", "1500.50"), (3, "days_saved", "10.00")]
    page = browser.client.get(url)
    assert 'aria-label="Savings benefit, year 1" value="1500.5"' in page.text
    copied = browser.post_form(url, {"what": "copy"})
    assert copied.status_code == 303  # type: ignore[attr-defined]
    copy = browser.client.get(copied.headers["location"])  # type: ignore[attr-defined]
    assert "<h1 class=\"text-break\">A (copy)</h1>" in copy.text
    assert 'aria-label="Savings benefit, year 1" value="1500.5"' in copy.text
    assert 'data-figure="payback">0.67 years<' in page.text  # 1000 of year 1's 1500.50


def test_compare_page_and_chart_data(app: object, world: World, as_: Clients,
                                     case: dict[str, Any]) -> None:
    case_id = case["case"]["id"]
    b = case["options"]["B"]
    as_("admin").patch(f"{API}/business-case-options/{b['id']}",
                       json={"version": b["version"], "name": HOSTILE})
    page = as_("exec").get(f"/business-case/{case_id}/compare")
    assert page.status_code == 200, page.text
    assert 'aria-current="page" href="/business-case"' in page.text
    assert '<td class="text-end fw-bold" data-figure="npv">243 <span class="badge bg-blue-lt">highest</span></td>' in page.text
    assert 'data-figure="irr">23.38 %' in page.text
    assert 'data-figure="payback">not within 3 years' in page.text
    assert page.text.count('<tr data-change="-30">') == 2 and "NPV at 10.00 % (case)" in page.text
    assert "<script>alert(1)</script>" not in page.text and ESCAPED in page.text
    found = re.search(r'<script type="application/json" id="business-case-data">(.*?)</script>',
                      page.text, re.S)
    assert found is not None
    data = json.loads(found.group(1))
    assert [o["name"] for o in data["options"]] == ["A", HOSTILE]
    assert data["options"][0]["cumulative"][-1] == 243.43
    assert data["steps"][0] == "-30 %" and len(data["options"][1]["sensitivity"]) == 7
    assert '/static/business-case.js' in page.text


def test_readers_see_no_forms_and_others_nothing(app: object, world: World, as_: Clients,
                                                 case: dict[str, Any]) -> None:
    case_id = case["case"]["id"]
    option_id = case["options"]["A"]["id"]
    for user in ("exec", "it_lead"):
        page = as_(user).get(f"/business-case/{case_id}")
        assert page.status_code == 200 and 'id="option-form"' not in page.text
        assert 'id="case-form"' not in page.text and "EPMO 2027" in page.text
        grid = as_(user).get(f"/business-case/{case_id}/options/{option_id}")
        assert grid.status_code == 200 and "readonly" in grid.text
        assert "Save the amounts" not in grid.text
        assert 'id="new-case"' not in as_(user).get("/business-case").text
    listed = as_("it_pm").get("/business-case")
    assert listed.status_code == 200 and 'id="not-shared"' in listed.text
    assert "EPMO 2027" not in listed.text
    for url in (f"/business-case/{case_id}", f"/business-case/{case_id}/compare",
                f"/business-case/{case_id}/options/{option_id}",
                f"/business-case/{case_id}/print"):
        assert as_("it_viewer").get(url).status_code == 404
    other = case["options"]["B"]["id"]
    assert as_("admin").get(f"/business-case/{case_id + 1000}/options/{other}").status_code == 404
    browser = login(app, world, "exec")
    r: Any = browser.post_form(f"/business-case/{case_id}", {"what": "add_option", "name": "X"})
    assert r.status_code == 403


def test_approve_through_the_page_freezes_the_grid(app: object, world: World, as_: Clients,
                                                   case: dict[str, Any]) -> None:
    browser = login(app, world, "admin")
    made = case["case"]
    url = f"/business-case/{made['id']}"
    r: Any = browser.post_form(url, {"what": "update", "version": str(made["version"]),
                                     "title": "EPMO 2027", "currency": "EUR",
                                     "discount_rate": "10", "horizon_years": "2",
                                     "status": "draft", "decision_note": ""})
    assert r.status_code == 422 and "amounts in year 3" in r.text and 'value="2"' in r.text
    r = browser.post_form(url, {"what": "update", "version": str(made["version"]),
                                "title": "EPMO 2027", "currency": "EUR", "discount_rate": "10",
                                "horizon_years": "3", "status": "approved",
                                "decision_note": "Board, 3 March"})
    assert r.status_code == 303, r.text
    page = browser.client.get(url)
    assert 'id="locked"' in page.text and "Board, 3 March" in page.text
    assert 'id="option-form"' not in page.text
    option = case["options"]["A"]
    r = browser.post_form(f"{url}/options/{option['id']}",
                          _grid(cost__people__0="1") | {"version": str(option["version"])})
    assert r.status_code == 409 and "set its status back to draft" in r.text
