"""Every page form answers an error by showing itself again: what was typed, the message in
words next to the field, and the menu. Error pages that are not a form keep the menu too."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy.orm import Session

from tests.conftest import Clients
from tests.web.helpers import Browser, login
from tests.world import World

MARK = "Typed by hand 7"  # a value the user typed that must come back
# What a user must never read: pydantic's wording, a regular expression, a raw field key.
RAW = ("Input should", "String should", "Value error", "^[", "greater_than_equal", "[type=")


@dataclass(frozen=True)
class Case:
    """One page form posted with a mistake, and what the answer must show."""

    user: str
    url: str
    data: Callable[[World, dict[str, int]], dict[str, Any]]
    status: int
    says: tuple[str, ...]
    keys: tuple[str, ...] = field(default=())  # field keys that must not be read as words


def _project(world: World, **extra: Any) -> dict[str, Any]:
    return {"code": "WEB-1", "name": MARK, "department_id": str(world.departments["IT"]),
            "headcount": "7", "risk_rating": "4", "health": "amber", "stage": "proposed",
            "description": "", "planned_start": "2025-01-01", "planned_finish": "2025-06-30",
            "budget_planned": "1500", "budget_actual": "", "budget_forecast": "",
            "goal_id": ["", ""], "goal_weight": ["", ""]} | extra


def _request(world: World, **extra: Any) -> dict[str, Any]:
    return {"code": "", "title": MARK, "problem": "Slow reports",
            "department_id": str(world.departments["IT"]), "sponsor_id": "",
            "category": "", "desired_start": "2027-04-01", "duration_months": "3",
            "headcount": "2", "risk_rating": "2", "benefits": "", "benefit_value": "0",
            "risks": "", "mandatory_reason": "",
            "cost_period": ["2027", ""], "cost_amount": ["1000", ""],
            "goal_id": [""], "goal_contribution": [""],
            "demand_role": [""], "demand_period": [""], "demand_fte": [""],
            "dep_request_id": [""], "dep_project_id": [""], "dep_note": [""]} | extra


CASES = {
    "project": Case("it_pm", "/projects/new", lambda w, _: _project(
        w, budget_planned="-5", risk_rating="9"), 422,
        ("Planned budget must be 0 or more", "Risk rating must be 5 or less"),
        ("budget_planned", "risk_rating")),
    "project, not allowed": Case("it_pm", "/projects/new", lambda w, _: _project(
        w, department_id=str(w.departments["FIN"])), 403, ()),
    "programme": Case("it_lead", "/programmes/new", lambda w, _: {
        "code": "bad code!", "name": MARK, "department_id": str(w.departments["IT"])}, 422,
        ("Code may only hold letters, digits, dots, dashes and underscores",)),
    "portfolio, not allowed": Case("it_member", "/portfolios/new", lambda w, _: {
        "code": "PF-X", "name": MARK, "department_id": str(w.departments["IT"]),
        "rollup_rule": "worst"}, 403, ()),
    "milestone": Case("it_pm", "/projects/{project}/milestones", lambda w, _: {
        "name": MARK, "status": "planned", "planned_date": "next week", "forecast_date": "",
        "description": ""}, 422, ("Planned date must be a date (YYYY-MM-DD)",), ("planned_date",)),
    "department": Case("admin", "/departments/new", lambda w, _: {
        "code": "BAD CODE", "name": MARK}, 422, ("Code may only hold",)),
    "department, not allowed": Case("it_lead", "/departments/new", lambda w, _: {
        "code": "NO", "name": MARK}, 403, ()),
    "person": Case("it_lead", "/people/new", lambda w, _: {
        "code": "NEW-2", "name": MARK, "email": "not-an-email",
        "department_id": str(w.departments["IT-INFRA"]), "role": "Engineer",
        "weekly_capacity_hours": "500", "active": "on"}, 422,
        ("E-mail must be an e-mail address", "Weekly capacity (hours) must be 168 or less"),
        ("weekly_capacity_hours",)),
    "goal": Case("admin", "/goals/new", lambda w, _: {
        "code": "G-WEB", "name": MARK, "weight": "150"}, 422, ("Weight must be 100 or less",)),
    "goal, not allowed": Case("it_viewer", "/goals/new", lambda w, _: {
        "code": "G-WEB", "name": MARK}, 403, ()),
    "status report": Case("it_pm", "/projects/{project}/reports", lambda w, _: {
        "period_start": "2020-02-02", "overall": "green", "achievements": MARK}, 422,
        ("Period start: 2020-02-02 does not start a monthly period",), ("period_start",)),
    "intake request": Case("it_pm", "/intake/new", lambda w, _: _request(
        w, duration_months="-3"), 422, ("Duration (months) must be 1 or more",),
        ("duration_months",)),
    "scoring model": Case("admin", "/scoring-models/new", lambda w, _: {
        "code": "bad code!", "name": MARK, "method": "weights", "combine": "mean",
        "threshold": "400"}, 422, ("Code may only hold", "Threshold must be 100 or less")),
    "scenario": Case("admin", "/scenarios/new", lambda w, _: {
        "name": MARK, "objective": "benefit", "budgets": "2027 = -5", "time_limit": "5"}, 422,
        ("Budgets 2027 must be 0 or more",)),
    "user": Case("admin", "/admin/users/new", lambda w, _: {
        "email": "not-an-email", "name": MARK, "role": "viewer", "password": "short"}, 422,
        ("E-mail must be an e-mail address", "Password must be at least")),
    "webhook": Case("admin", "/webhooks", lambda w, _: {
        "name": MARK, "url": "ftp://x.org/"}, 422, ("Web address: must start with http",)),
    "dependency": Case("it_pm", "/dependencies", lambda w, ids: {
        "predecessor_project_id": str(ids["project"]), "successor_project_id": str(ids["project"]),
        "type": "FS", "lag_days": "-5000", "criticality": "low", "note": MARK}, 422,
        ("Lag (days) must be",), ("lag_days",)),
}


@pytest.fixture
def ids(as_: Clients, world: World) -> dict[str, int]:
    """An IT project it_pm manages (for the forms that hang below a project)."""
    made = as_("admin").post("/api/v1/projects", json={
        "code": "HOST-1", "name": "Host", "department_id": world.departments["IT"],
        "manager_id": world.people["it_pm"], "planned_start": "2025-01-01",
        "planned_finish": "2025-12-31"})
    assert made.status_code == 201, made.text
    return {"project": made.json()["id"]}


def assert_kept(page: Any, status: int, says: tuple[str, ...] = (),
                keys: tuple[str, ...] = ()) -> None:
    """The answer is the form again: the status, what was typed, words, the menu."""
    assert page.status_code == status, page.text[:2000]
    assert MARK in page.text, "what the user typed is lost"
    assert 'id="error-page"' not in page.text, "a bare error page instead of the form"
    assert 'href="/projects"' in page.text and "Sign out" in page.text, "the menu is gone"
    for words in says:
        assert words in page.text, words
    for raw in RAW:
        assert raw not in page.text, raw
    for key in keys:  # a key may name an input, never a sentence the user reads
        assert not re.search(rf">[^<]*\b{key}\b[^<]*<", page.text), key


@pytest.mark.parametrize("name", list(CASES))
def test_every_form_shows_itself_again(name: str, app: object, world: World,
                                       ids: dict[str, int], db: Session) -> None:
    case = CASES[name]
    browser = login(app, world, case.user)
    page = browser.post_form(case.url.format(**ids), case.data(world, ids))
    assert_kept(page, case.status, case.says, case.keys)


def _version(browser: Browser, url: str) -> str:
    found = re.search(r'name="version" value="(\d+)"', browser.client.get(url).text)
    assert found, url
    return found.group(1)


def test_a_stale_goal_keeps_the_typed_text(app: object, world: World, as_: Clients) -> None:
    goal = as_("admin").post("/api/v1/goals", json={"code": "G-OLD", "name": "Old"}).json()
    browser = login(app, world, "admin")
    url = f"/goals/{goal['id']}/edit"
    data = {"version": _version(browser, url), "code": "G-OLD", "name": "Newer"}
    assert browser.post_form(url, data).status_code == 303  # type: ignore[attr-defined]
    stale = browser.post_form(url, data | {"name": MARK})
    assert_kept(stale, 409, ("changed by someone else", "reload the page"))


def test_refused_permission_on_an_edit_form_keeps_the_typed_text(
        app: object, world: World, as_: Clients) -> None:
    goal = as_("admin").post("/api/v1/goals", json={"code": "G-LOCK", "name": "Locked"}).json()
    browser = login(app, world, "it_lead")
    r = browser.post_form(f"/goals/{goal['id']}/edit",
                          {"version": str(goal["version"]), "code": "G-LOCK", "name": MARK})
    assert_kept(r, 403)


def test_all_schema_errors_of_a_form_come_at_once(app: object, world: World,
                                                  db: Session) -> None:
    browser = login(app, world, "it_pm")
    page = browser.post_form("/projects/new", _project(
        world, code="bad code!", budget_planned="-1", headcount="-2", planned_start="soon"))
    assert_kept(page, 422, ("Please correct the 4 highlighted fields",
                            "Code may only hold", "Planned budget must be 0 or more",
                            "Headcount must be 0 or more",
                            "Planned start must be a date (YYYY-MM-DD)"))
    for key in ("code", "budget_planned", "headcount", "planned_start"):
        assert f'data-field="{key}"' in page.text, key


def test_schema_errors_and_the_date_rule_come_together(app: object, world: World,
                                                       db: Session) -> None:
    browser = login(app, world, "it_pm")
    page = browser.post_form("/projects/new", _project(
        world, headcount="x", planned_start="2025-06-01", planned_finish="2025-01-31"))
    assert_kept(page, 422, ("Please correct the 2 highlighted fields",
                            "Headcount must be a whole number",
                            "Planned finish: must not be before planned start"))


# --- error pages that are not a form ---------------------------------------------------


def _error_page(page: Any, status: int, next_step: str) -> None:
    assert page.status_code == status
    assert 'id="error-page"' in page.text
    assert 'href="/projects"' in page.text and "Sign out" in page.text, "the menu is gone"
    assert next_step in page.text
    assert 'data-back id="go-back"' in page.text


def test_missing_page_keeps_the_menu_and_says_what_next(app: object, world: World,
                                                        db: Session) -> None:
    browser = login(app, world, "it_pm")
    _error_page(browser.client.get("/projects/999999"), 404, "may have been deleted")
    _error_page(browser.client.get("/no-such-page"), 404, "find it from the menu")


def test_expired_form_token_keeps_the_menu(app: object, world: World, db: Session) -> None:
    browser = login(app, world, "it_pm")
    page = browser.client.post("/goals/new", data={"csrf_token": "wrong", "name": "x"})
    _error_page(page, 403, "Go back")
    assert "The form expired" in page.text


def test_stale_delete_page_keeps_the_menu(app: object, world: World, as_: Clients) -> None:
    dept = as_("admin").post("/api/v1/departments", json={"code": "GONE", "name": "Gone"}).json()
    browser = login(app, world, "admin")
    page = browser.post_form(f"/departments/{dept['id']}/delete", {"version": "99"})
    assert page.status_code == 409  # type: ignore[attr-defined]
    assert 'href="/projects"' in page.text and "changed by someone else" in page.text  # type: ignore[attr-defined]


@pytest.mark.parametrize(("raised", "status", "next_step"), [
    (RuntimeError("boom"), 500, "tell your EPMO administrator"),
    ("integrity", 409, "what you typed is kept"),
])
def test_crash_and_integrity_pages_keep_the_menu(raised: object, status: int, next_step: str,
                                                 world: World, db: Session) -> None:
    from fastapi import Depends
    from fastapi.testclient import TestClient
    from sqlalchemy.exc import IntegrityError

    from epmo.web.app import create_app
    from epmo.web.deps import current_actor

    failing = create_app()

    @failing.post("/fails", dependencies=[Depends(current_actor)])
    def fails() -> None:
        if raised == "integrity":
            raise IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed"))
        raise raised  # type: ignore[misc]

    browser = login(failing, world, "it_pm")
    browser.client = TestClient(failing, raise_server_exceptions=False,
                                cookies=browser.client.cookies)
    page = browser.post_form("/fails", {"name": MARK})
    _error_page(page, status, next_step)


def test_anonymous_error_page_has_no_menu(app: object, db: Session) -> None:
    from fastapi.testclient import TestClient

    page = TestClient(app).get("/static/nothing-here.css")  # type: ignore[arg-type]
    assert page.status_code == 404 and "Sign out" not in page.text


# --- the API says it in words too -------------------------------------------------------


def test_api_validation_messages_are_words_with_the_key_kept(as_: Clients,
                                                             world: World) -> None:
    r = as_("admin").post("/api/v1/projects", json={
        "code": "API-1", "name": "Api", "department_id": world.departments["IT"],
        "budget_planned": "-1", "risk_rating": 9})
    assert r.status_code == 422
    body = r.json()
    errors = {e["field"]: e["message"] for e in body["errors"]}
    assert errors["budget_planned"] == "Planned budget must be 0 or more"
    assert errors["risk_rating"] == "Risk rating must be 5 or less"
    assert "Input should" not in body["detail"] and "budget_planned" not in body["detail"]


def test_api_code_pattern_is_never_shown(as_: Clients) -> None:
    r = as_("admin").post("/api/v1/departments", json={"code": "BAD CODE", "name": "X"})
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "code", "message": "Code may only hold letters, "
                                   "digits, dots, dashes and underscores"}]
    assert "^[" not in r.text


def test_api_keys_inside_messages_are_spelled_out(as_: Clients, world: World) -> None:
    r = as_("admin").post("/api/v1/projects", json={
        "code": "API-2", "name": "Api", "department_id": world.departments["IT"],
        "planned_start": "2025-06-02", "planned_finish": "2025-06-01"})
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "planned_finish",
                                   "message": "must not be before planned start"}]
    assert r.json()["detail"] == "planned finish: must not be before planned start"


def test_contract_pages_show_field_labels(app: object, world: World, db: Session) -> None:
    from epmo.contracts import service as contracts

    contracts.ensure_defaults(db)
    db.flush()
    browser = login(app, world, "admin")
    listing = browser.client.get("/contracts").text
    assert '<span class="badge me-1" data-field="sponsor_id">Sponsor</span>' in listing
    assert "<code class=\"me-2\">sponsor_id</code>" not in listing
    form = browser.client.get("/contracts/1/edit")
    assert form.status_code == 200
    assert '<span class="form-check-label">Sponsor</span>' in form.text
    assert '<span class="form-check-label">Planned budget</span>' in form.text
    assert "sponsor id<" not in form.text
