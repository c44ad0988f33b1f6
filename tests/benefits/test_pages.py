"""The benefits pages: the new form, a benefit's fields and schedule grid (values kept on
error, errors in words), who sees the forms, the project page's card."""

from __future__ import annotations

from typing import Any

from tests.benefits.conftest import API, create
from tests.conftest import Clients
from tests.web.helpers import login
from tests.world import World

HOSTILE = "<script>alert(1)</script> \"q\" ünï"


def test_new_benefit_form(app: object, world: World, project: dict[str, Any]) -> None:
    pm = login(app, world, "it_pm")
    page = pm.client.get(f"/benefits/new?project={project['code']}")
    assert page.status_code == 200 and 'value="BEN-IT"' in page.text
    bad = pm.post_form("/benefits/new", {
        "project_id": project["code"], "name": HOSTILE, "unit": "money", "kind": "non_cash",
        "status": "planned", "offset_months": "0", "confidence": "140",
        "evidence": "javascript:alert(1) click me"})
    assert bad.status_code == 422  # type: ignore[attr-defined]
    text = bad.text  # type: ignore[attr-defined]
    assert "Confidence" in text and "http://" in text  # both errors in words
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "<script>alert(1)" not in text
    assert "javascript:alert(1) click me" in text  # the typed links are kept
    unknown = pm.post_form("/benefits/new", {"project_id": "NOPE", "name": "x", "unit": "money",
                                             "kind": "non_cash", "status": "planned"})
    assert unknown.status_code == 422 and "NOPE" in unknown.text  # type: ignore[attr-defined]
    done = pm.post_form("/benefits/new", {
        "project_id": project["code"], "name": HOSTILE, "unit": "money", "kind": "societal",
        "status": "planned", "offset_months": "2", "hard": "on", "owner_id":
        str(world.people["it_lead"]), "evidence": "https://example.org/report Board paper"})
    assert done.status_code == 303, done.text  # type: ignore[attr-defined]
    shown = pm.client.get(done.headers["location"])  # type: ignore[attr-defined]
    assert "Board paper" in shown.text and "It Lead" in shown.text
    assert 'rel="noopener noreferrer nofollow"' in shown.text


def test_the_grid_saves_plan_and_actuals_and_keeps_values_on_error(
        app: object, world: World, as_: Clients, project: dict[str, Any]) -> None:
    made = create(as_, "it_pm", project["id"])
    pm = login(app, world, "it_pm")
    page = pm.client.get(f"/benefits/{made['id']}")
    assert 'name="plan-2027-01" inputmode="decimal" value="100.00"' in page.text
    assert 'name="actual-2027-08"' not in page.text  # a month still to come takes no actual
    grid = {"version": str(made["version"]), "plan-2027-01": "150", "plan-2027-02": "abc",
            "actual-2027-01": "120", "note-2027-01": HOSTILE}
    bad = pm.post_form(f"/benefits/{made['id']}/grid", grid)
    assert bad.status_code == 422  # type: ignore[attr-defined]
    text = bad.text  # type: ignore[attr-defined]
    assert "must be a number" in text and 'value="abc"' in text and 'value="150"' in text
    assert "&lt;script&gt;" in text and "<script>alert(1)" not in text
    unchanged = as_("it_pm").get(f"{API}/benefits/{made['id']}").json()
    assert unchanged["actuals"] == [] and unchanged["planned_total"] == "600.00"
    grid["plan-2027-02"] = "50"
    good = pm.post_form(f"/benefits/{made['id']}/grid", grid)
    assert good.status_code == 303, good.text  # type: ignore[attr-defined]
    saved = as_("it_pm").get(f"{API}/benefits/{made['id']}").json()
    assert saved["planned_total"] == "200.00"  # only January and February remain
    assert [(a["period"], a["amount"], a["note"], a["recorded_by"]) for a in saved["actuals"]] == [
        ("2027-01", "120.00", HOSTILE, world.email("it_pm"))]
    stale = pm.post_form(f"/benefits/{made['id']}/grid", grid)  # the version moved on
    assert stale.status_code == 409  # type: ignore[attr-defined]
    assert "reload" in stale.text  # type: ignore[attr-defined]


def test_the_fields_form(app: object, world: World, as_: Clients,
                         project: dict[str, Any]) -> None:
    made = create(as_, "it_pm", project["id"])
    lead = login(app, world, "it_lead")
    form = {"version": str(made["version"]), "name": "Renamed", "unit": "money",
            "kind": "cash_releasing", "status": "realising", "offset_months": "0",
            "target": "lots"}
    bad = lead.post_form(f"/benefits/{made['id']}", form)
    assert bad.status_code == 422 and 'value="Renamed"' in bad.text  # type: ignore[attr-defined]
    assert "Target" in bad.text  # type: ignore[attr-defined]
    form["target"] = "650"
    assert lead.post_form(f"/benefits/{made['id']}", form).status_code == 303  # type: ignore[attr-defined]
    got = as_("it_pm").get(f"{API}/benefits/{made['id']}").json()
    assert (got["name"], got["target"], got["status"]) == ("Renamed", "650.00", "realising")


def test_readers_see_no_forms(app: object, world: World, as_: Clients,
                              project: dict[str, Any]) -> None:
    made = create(as_, "it_pm", project["id"])
    viewer = login(app, world, "it_viewer")
    page = viewer.client.get(f"/benefits/{made['id']}")
    assert page.status_code == 200 and 'id="benefit-form"' not in page.text
    assert 'name="plan-2027-01"' not in page.text
    refused = viewer.post_form(f"/benefits/{made['id']}/grid", {"version": "1"})
    assert refused.status_code == 403  # type: ignore[attr-defined]
    assert login(app, world, "hr_viewer").client.get(f"/benefits/{made['id']}").status_code == 404


def test_the_project_page_links_its_benefits(as_: Clients, project: dict[str, Any]) -> None:
    create(as_, "it_pm", project["id"], name="Faster close")
    page = as_("it_pm").get(f"/projects/{project['id']}")
    assert f'hx-get="/projects/{project["id"]}/benefits/card"' in page.text
    card = as_("it_pm").get(f"/projects/{project['id']}/benefits/card")
    assert card.status_code == 200 and "Faster close" in card.text and "New benefit" in card.text
    assert "New benefit" not in as_("it_viewer").get(
        f"/projects/{project['id']}/benefits/card").text
    assert as_("hr_viewer").get(f"/projects/{project['id']}/benefits/card").status_code == 404


def test_register_filters(as_: Clients, project: dict[str, Any]) -> None:
    create(as_, "it_pm", project["id"], name="Alpha saving")
    create(as_, "it_pm", project["id"], name="Beta saving", kind="societal")
    page = as_("it_pm").get("/benefits?kind=societal&q=saving&by=portfolio")
    assert page.status_code == 200 and "Beta saving" in page.text
    assert "Alpha saving" not in page.text
    junk = as_("it_pm").get("/benefits?department_id=99999999999999&kind=x&by=nope&project=ZZ")
    assert junk.status_code == 200 and "No benefits match" in junk.text


def test_a_programme_benefit_keeps_its_anchor_when_edited(
        app: object, world: World, as_: Clients, make: Any) -> None:
    programme = make.programme("IT", code="BEN-PG", manager_id=world.people["it_pm"])
    member = make.project("IT", code="BEN-PGM", programme_id=programme["id"])
    ms = as_("admin").post(f"/api/v1/projects/{member['id']}/milestones",
                           json={"name": "Cut-over", "forecast_date": "2027-03-15"}).json()
    made = as_("it_pm").post(f"{API}/benefits", json={
        "name": "Shared", "programme_id": programme["id"], "anchor_milestone_id": ms["id"]}).json()
    pm = login(app, world, "it_pm")
    page = pm.client.get(f"/benefits/{made['id']}")
    assert f'<option value="{ms["id"]}" selected>Cut-over' in page.text
    done = pm.post_form(f"/benefits/{made['id']}", {
        "version": str(made["version"]), "name": "Shared services", "unit": "money",
        "kind": "non_cash", "status": "planned", "offset_months": "0",
        "anchor_milestone_id": str(ms["id"])})
    assert done.status_code == 303, done.text  # type: ignore[attr-defined]
    got = as_("it_pm").get(f"{API}/benefits/{made['id']}").json()
    assert (got["name"], got["anchor_milestone_id"]) == ("Shared services", ms["id"])


def test_a_benefit_registered_by_picked_names(
        app: object, world: World, as_: Clients, make: Any) -> None:
    """The form names the programme and the anchor milestone by picking them, never an id."""
    programme = make.programme("IT", code="BEN-PICK", name="Picked programme",
                               manager_id=world.people["it_pm"])
    member = make.project("IT", code="BEN-PICKM", programme_id=programme["id"])
    ms = as_("admin").post(f"/api/v1/projects/{member['id']}/milestones",
                           json={"name": "Go-live", "forecast_date": "2027-05-01"}).json()
    pm = login(app, world, "it_pm")
    form = pm.client.get("/benefits/new").text
    assert 'hx-get="/pick/programmes"' in form and 'hx-get="/pick/milestones"' in form
    assert "(id" not in form  # no field asks for an id
    done = pm.post_form("/benefits/new", {
        "programme_id": f"BEN-PICK · Picked programme #{programme['id']}", "name": "Picked",
        "unit": "money", "kind": "non_cash", "status": "planned", "offset_months": "1",
        "anchor_milestone_id": f"BEN-PICKM · Go-live · 2027-05-01 #{ms['id']}"})
    assert done.status_code == 303, done.text  # type: ignore[attr-defined]
    made = int(done.headers["location"].rsplit("/", 1)[1])  # type: ignore[attr-defined]
    got = as_("it_pm").get(f"{API}/benefits/{made}").json()
    assert (got["programme_id"], got["anchor_milestone_id"]) == (programme["id"], ms["id"])


def test_readers_are_not_offered_a_new_benefit(as_: Clients) -> None:
    assert 'data-testid="new-benefit"' not in as_("exec").get("/benefits").text
    assert 'data-testid="new-benefit"' in as_("it_pm").get("/benefits").text
