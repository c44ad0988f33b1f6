"""The contracts pages as people use them: tier rules, contracts, department methods and a
project's artefacts, with their forms, errors and rights."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy.orm import Session

from tests.conftest import Clients
from tests.contracts.conftest import API, method_body
from tests.factories import Maker
from tests.web.helpers import Browser, login
from tests.world import World

pytestmark = pytest.mark.usefixtures("defaults")


@pytest.fixture
def admin(app: object, world: World, db: Session) -> Browser:
    """The EPMO administrator, signed in."""
    return login(app, world, "admin")


@pytest.fixture
def it_lead(app: object, world: World, db: Session) -> Browser:
    """IT's department lead, signed in."""
    return login(app, world, "it_lead")


def _rules_form(page: str, **changes: str) -> dict[str, Any]:
    """The tier form's inputs as the page shows them, with ``changes`` by input name."""
    fields = dict(re.findall(r'name="(rules\.\d\.\w+)" value="([^"]*)"', page))
    return fields | changes


def test_tiers_page_for_readers_and_the_admin(as_: Clients, admin: Browser, make: Maker) -> None:
    viewer = as_("it_viewer").get("/tiers")
    assert viewer.status_code == 200 and viewer.text.count('data-testid="tier-row"') == 4
    assert 'name="rules.0.min_budget"' not in viewer.text and 'id="save-tiers"' not in viewer.text
    assert '<a class="dropdown-item" href="/contracts">Contracts</a>' in viewer.text
    project = make.project("IT", budget_planned="300000")
    page = admin.client.get("/tiers").text
    assert 'name="rules.0.min_budget" value="5000000.00"' in page
    r = admin.post_form("/tiers", _rules_form(page, **{"rules.2.min_budget": "400000"}))
    assert r.status_code == 303, r.text  # type: ignore[attr-defined]
    after = admin.client.get("/tiers").text
    assert re.search(r"Tier rules saved; \d+ of \d+ projects changed tier", after)
    assert as_("admin").get(f"{API}/projects/{project['id']}").json()["tier"] == 4


def test_tiers_form_shows_what_is_wrong(admin: Browser, it_lead: Browser) -> None:
    page = admin.client.get("/tiers").text
    r = admin.post_form("/tiers", _rules_form(page, **{"rules.1.min_headcount": "2"}))
    text = r.text  # type: ignore[attr-defined]
    assert r.status_code == 422  # type: ignore[attr-defined]
    assert "rules.1.min_headcount" in text and "tier 3&#39;s 8" in text
    assert re.search(r'class="form-control text-end is-invalid"[^>]*name="rules.1.min_headcount"'
                     r' value="2"', text)
    r = it_lead.post_form("/tiers", _rules_form(page))
    assert r.status_code == 403  # type: ignore[attr-defined]


def test_contracts_page_reads_well(as_: Clients) -> None:
    page = as_("it_member").get("/contracts").text
    assert page.count('data-testid="contract"') == 4
    assert "Tier 1 · Strategic" in page and "Sprints" not in page
    assert 'data-testid="edit-contract-1"' not in page
    assert "G3</strong> Go-live of delivery" in page and "department lead" in page
    assert "amber from 10 days, red from 30 days" in page
    assert 'data-testid="edit-contract-1"' in as_("admin").get("/contracts").text


def test_admin_edits_a_contract(as_: Clients, admin: Browser, it_lead: Browser) -> None:
    assert as_("it_lead").get("/contracts/2/edit").status_code == 403
    page = admin.client.get("/contracts/2/edit").text
    assert 'name="gates.2.code" value="G4"' in page and 'name="gates.4.code" value=""' in page
    form = {"version": "1", "cadence": "weekly", "dimensions": ["schedule", "cost"],
            "required_fields": ["manager_id"], "records": ["risk"],
            "artefacts.closed": ["closure_report"],
            "rag_thresholds.cost.amber": "5", "rag_thresholds.cost.red": "12",
            "gates.0.code": "G1", "gates.0.name": "Approval", "gates.0.stage": "approved",
            "gates.0.criteria": "Case made\r\nMoney found\r\n",
            "gates.0.approver_roles": ["epmo_admin", "executive"],
            "gates.1.code": "", "gates.1.name": ""}
    r = admin.post_form("/contracts/2/edit", form)
    assert r.status_code == 303, r.text  # type: ignore[attr-defined]
    saved = as_("admin").get(f"{API}/reporting-contracts/2").json()
    assert saved["cadence"] == "weekly" and saved["artefacts"] == {"closed": ["closure_report"]}
    assert saved["gates"] == [{"code": "G1", "name": "Approval", "stage": "approved",
                               "criteria": ["Case made", "Money found"],
                               "approver_roles": ["epmo_admin", "executive"]}]
    assert saved["rag_thresholds"] == {"cost": {"amber": 5.0, "red": 12.0}}
    bad = admin.post_form("/contracts/2/edit", form | {
        "version": "2", "rag_thresholds.cost.red": "1", "gates.0.stage": "proposed"})
    text = bad.text  # type: ignore[attr-defined]
    assert bad.status_code == 422  # type: ignore[attr-defined]
    assert "rag_thresholds.cost.red" in text and "gates.0.stage" in text
    assert 'name="gates.0.criteria" rows="3" aria-label="Criteria">Case made\nMoney found<' in text
    stale = admin.post_form("/contracts/2/edit", form)
    assert stale.status_code == 409  # type: ignore[attr-defined]
    assert 'id="conflict-help"' in stale.text  # type: ignore[attr-defined]
    assert it_lead.post_form("/contracts/2/edit", form).status_code == 403


def _method_form(**changes: Any) -> dict[str, Any]:
    form: dict[str, Any] = {"version": "", "name": "Kanban", "cadence": "weekly",
                            "extra_fields": ["methodology"]}
    for i, (name, stage) in enumerate(method_body()["stage_names"].items()):
        form[f"stage_names.{i}.name"], form[f"stage_names.{i}.stage"] = name, stage
    form |= {"extra_gates.0.code": "DOD", "extra_gates.0.name": "Definition of done",
             "extra_gates.0.stage": "closing", "extra_gates.0.criteria": "Demo given",
             "extra_gates.0.approver_roles": ["department_lead"]}
    return form | changes


def test_lead_sets_the_department_method(as_: Clients, it_lead: Browser, world: World) -> None:
    url = f"/departments/{world.departments['IT']}/method"
    viewer = as_("it_viewer").get(url).text
    assert 'id="no-method"' in viewer and 'id="method-form"' not in viewer
    page = it_lead.client.get(url).text
    assert 'id="method-form"' in page and 'id="cadence-floor">weekly<' in page
    r = it_lead.post_form(url, _method_form())
    assert r.status_code == 303, r.text  # type: ignore[attr-defined]
    shown = as_("it_viewer").get(url).text
    assert 'id="method-name">Kanban<' in shown and "Sprints → executing" in shown
    assert "DOD</strong> Definition of done" in shown
    child = as_("it_viewer").get(f"/departments/{world.departments['IT-INFRA']}/method").text
    assert 'id="inherited"' in child
    assert 'data-testid="method-row"' in as_("hr_viewer").get("/contracts").text


def test_method_form_says_which_minimum_breaks(it_lead: Browser, world: World) -> None:
    url = f"/departments/{world.departments['IT']}/method"
    r = it_lead.post_form(url, _method_form(cadence="monthly"))
    text = r.text  # type: ignore[attr-defined]
    assert r.status_code == 422  # type: ignore[attr-defined]
    assert "cadence monthly is below the enterprise minimum weekly of tier 1" in text
    assert 'value="Kanban"' in text  # what was typed stays
    twice = _method_form(**{"stage_names.1.name": "Idea"})
    r = it_lead.post_form(url, twice)
    assert r.status_code == 422 and "Idea is listed twice" in r.text  # type: ignore[attr-defined]
    fin = f"/departments/{world.departments['FIN']}/method"
    assert it_lead.post_form(fin, _method_form()).status_code == 403


def test_lead_removes_the_method(as_: Clients, it_lead: Browser, world: World) -> None:
    url = f"/departments/{world.departments['IT']}/method"
    it_lead.post_form(url, _method_form())
    assert 'id="delete-method"' in it_lead.client.get(url).text
    r = it_lead.post_form(f"{url}/delete", {"version": "1"})
    assert r.status_code == 303, r.text  # type: ignore[attr-defined]
    assert 'id="no-method"' in as_("it_lead").get(url).text
    r = it_lead.post_form(f"{url}/delete", {"version": "1"})
    assert r.status_code == 404  # type: ignore[attr-defined]


def test_artefacts_page(as_: Clients, app: object, db: Session, make: Maker,
                        world: World) -> None:
    project = make.project("IT", stage="executing", manager_id=world.people["it_pm"])
    url = f"/projects/{project['id']}/artefacts"
    pm = login(app, world, "it_pm")
    page = pm.client.get(url).text
    assert f'class="nav-link active" href="/projects/{project["id"]}/artefacts"' in page
    assert 'id="no-artefacts"' in page and 'id="link-form"' in page
    r = pm.post_form(f"{url}/link", {"kind": "plan", "stage": "", "title": "Plan on the wiki",
                                     "url": "https://wiki.example.org/plan"})
    assert r.status_code == 303, r.text  # type: ignore[attr-defined]
    assert "Link added" in pm.client.get(url).text  # the browser follows the redirect
    r = pm.client.post(f"{url}/upload", data={"csrf_token": pm.csrf, "kind": "charter",
                                              "stage": "approved", "title": ""},
                       files={"file": ("charter.pdf", b"%PDF-1.4 charter")},
                       follow_redirects=False)
    assert r.status_code == 303, r.text
    listed = pm.client.get(url).text
    assert listed.count('data-testid="artefact-row"') == 2
    assert 'href="https://wiki.example.org/plan" rel="noopener noreferrer"' in listed
    assert "File charter.pdf uploaded" in listed and "16 B" in listed
    download = re.search(r'href="(/api/v1/artefacts/\d+/download)">charter.pdf<', listed)
    assert download and pm.client.get(download.group(1)).content == b"%PDF-1.4 charter"
    bad = pm.post_form(f"{url}/link", {"kind": "plan", "title": "x", "url": "mailto:a@b.c"})
    assert bad.status_code == 422  # type: ignore[attr-defined]
    assert "must be a web address" in bad.text  # type: ignore[attr-defined]
    empty = pm.client.post(f"{url}/upload", data={"csrf_token": pm.csrf, "kind": "plan"},
                           files={"file": ("a.txt", b"")}, follow_redirects=False)
    assert empty.status_code == 422 and "is empty" in empty.text
    viewer = as_("it_viewer").get(url).text
    assert 'id="link-form"' not in viewer and 'data-testid="delete-artefact"' not in viewer
    assert as_("hr_viewer").get(url).status_code == 404
    first = re.search(r'action="/artefacts/(\d+)/delete"', listed)
    assert first
    r = pm.post_form(f"/artefacts/{first.group(1)}/delete", {"version": "1"})
    assert r.status_code == 303  # type: ignore[attr-defined]
    assert pm.client.get(url).text.count('data-testid="artefact-row"') == 1
    no_csrf = pm.client.post(f"{url}/link", data={"kind": "plan", "title": "x",
                                                  "url": "https://a.example"},
                             follow_redirects=False)
    assert no_csrf.status_code == 403


def test_project_pages_show_the_computed_tier(app: object, make: Maker, world: World,
                                              db: Session) -> None:
    project = make.project("IT", headcount=25, risk_rating=2)
    pm = login(app, world, "it_pm")
    detail = pm.client.get(f"/projects/{project['id']}").text
    assert 'id="project-tier">2<' in detail and 'id="project-headcount">25<' in detail
    edit = pm.client.get(f"/projects/{project['id']}/edit").text
    assert 'name="tier"' not in edit and 'id="tier">Tier 2' in edit
    assert 'name="headcount"' in edit and 'value="2" selected' in edit
