"""Governance without bypass: a project write meets its tier contract's required fields and
the gates up to its stage as the charter says, through the API, the pages and imports alike.

The hub's default tier rules and contracts are in place: a budget of 5 million makes tier 1,
whose contract requires twelve fields and gates G1 to G4.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from epmo.cli import app
from epmo.contracts.service import ensure_defaults
from epmo.portfolio.models import Project
from tests.compliance.conftest import API, Env
from tests.conftest import Clients
from tests.factories import Maker
from tests.imports.files import csv_file, upload
from tests.intake.conftest import Requests
from tests.web.helpers import login
from tests.world import World

BIG = "6000000"  # tier 1 by the default tier rules
CONTROLLING = "the EPMO's authority over PPM administration in IT is controlling"
IMPORT_HEADER = ["code", "name", "department_code", "stage", "budget_planned", "manager_code",
                 "planned_finish"]


@pytest.fixture
def hub(db: Session, as_: Clients, world: World) -> Env:
    """The default tier rules and contracts, and the charter helper (supportive until set)."""
    ensure_defaults(db)
    return Env(db, as_, world)


def _body(world: World, **fields: Any) -> dict[str, Any]:
    """A tier-1-sized project started at executing, with a sponsor and a manager only."""
    return {"code": "BIG-1", "name": "Skipping intake", "department_id": world.departments["IT"],
            "stage": "executing", "budget_planned": BIG, "sponsor_id": world.people["it_lead"],
            "manager_id": world.people["it_pm"]} | fields


def _stored(db: Session, code: str) -> Project | None:
    return db.scalar(select(Project).where(Project.code == code))


def _complete(world: World, programme_id: int) -> dict[str, Any]:
    """Every field the tier 1 contract requires."""
    return {"description": "Replaces the ledger", "planned_start": "2026-01-01",
            "planned_finish": "2028-06-30", "baseline_start": "2026-01-01",
            "baseline_finish": "2028-06-30", "headcount": 60, "risk_rating": 4,
            "programme_id": programme_id}


def _programme(as_: Clients, world: World) -> int:
    return int(Maker(as_, world).programme("IT", code="PRG-1", name="Ledger")["id"])


# --- API --------------------------------------------------------------------------------


def test_controlling_refuses_a_tier_1_project_created_at_executing(
        hub: Env, as_: Clients, world: World, db: Session) -> None:
    hub.levels("controlling")
    r = as_("it_pm").post(f"{API}/projects", json=_body(world))
    assert r.status_code == 422, r.text
    errors = r.json()["errors"]
    fields = {e["field"] for e in errors}
    assert {"description", "planned_start", "baseline_finish", "headcount",
            "programme_id"} <= fields
    assert {"field": "programme_id", "message": "Programme is required by the tier 1 reporting "
            f"contract; {CONTROLLING}"} in errors
    gates = [e["message"].split(" has not")[0] for e in errors if e["field"] == "stage"]
    assert gates == ["gate G1 'Approval'", "gate G2 'Mobilisation'",
                     "gate G3 'Go-live of delivery'"]
    assert r.json()["detail"].startswith("BIG-1 cannot be created at executing: ")
    assert _stored(db, "BIG-1") is None


def test_a_complete_tier_1_project_starts_as_proposed(hub: Env, as_: Clients,
                                                      world: World) -> None:
    hub.levels("controlling")
    body = _body(world, stage="proposed") | _complete(world, _programme(as_, world))
    r = as_("it_pm").post(f"{API}/projects", json=body)
    assert r.status_code == 201, r.text
    assert (r.json()["tier"], r.json()["warnings"]) == (1, [])  # tier by the rules
    claimed = as_("it_pm").post(f"{API}/projects", json=body | {"code": "BIG-2", "tier": 4})
    assert claimed.status_code == 422  # the tier is not the client's to say
    moved = as_("it_pm").post(f"{API}/projects/{r.json()['id']}/transition",
                              json={"stage": "approved", "version": 1})
    assert moved.status_code == 422
    assert "gate G1 'Approval' has not been passed" in moved.json()["detail"]


def test_supportive_lets_it_through_with_warnings(hub: Env, as_: Clients,
                                                  world: World) -> None:
    hub.levels("supportive")
    r = as_("it_pm").post(f"{API}/projects", json=_body(world))
    assert r.status_code == 201, r.text
    warnings = r.json()["warnings"]
    assert {"field": "programme_id", "message": "Programme is required by the tier 1 "
            "reporting contract; the EPMO's authority over PPM administration in IT is "
            "supportive"} in warnings
    assert sum(w["field"] == "stage" for w in warnings) == 3  # G1, G2, G3
    assert r.json()["tier"] == 1


def test_an_update_that_makes_a_project_tier_1_needs_its_fields(
        hub: Env, as_: Clients, world: World, db: Session) -> None:
    hub.levels("controlling")
    small = _body(world, budget_planned="1000", planned_finish="2026-12-31")
    r = as_("it_pm").post(f"{API}/projects", json=small)
    assert r.status_code == 201, r.text  # tier 4: no gates, manager and finish are enough
    assert r.json()["tier"] == 4
    grown = as_("it_pm").patch(f"{API}/projects/{r.json()['id']}",
                               json={"version": 1, "budget_planned": BIG})
    assert grown.status_code == 422, grown.text
    assert grown.json()["detail"].startswith("BIG-1 cannot be saved: ")
    assert "programme_id" in {e["field"] for e in grown.json()["errors"]}
    project = _stored(db, "BIG-1")
    assert project is not None
    db.refresh(project)
    assert (project.tier, project.budget_planned) == (4, 1000)
    cleared = as_("it_pm").patch(f"{API}/projects/{r.json()['id']}",
                                 json={"version": 1, "manager_id": None})
    assert cleared.status_code == 422
    assert cleared.json()["errors"] == [{"field": "manager_id", "message": (
        f"Project manager is required by the tier 4 reporting contract; {CONTROLLING}")}]


def test_creating_at_approved_needs_gate_g1(hub: Env, as_: Clients, world: World) -> None:
    """A complete project still cannot skip the gate admitting into approved."""
    hub.levels("controlling")
    body = _body(world, stage="approved") | _complete(world, _programme(as_, world))
    r = as_("it_pm").post(f"{API}/projects", json=body)
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["stage"]


# --- pages ------------------------------------------------------------------------------


def _form(world: World, **extra: str) -> dict[str, Any]:
    return {"code": "WEB-BIG", "name": "Typed by hand", "department_id":
            str(world.departments["IT"]), "headcount": "0", "risk_rating": "1",
            "health": "green", "stage": "executing", "description": "",
            "manager_id": str(world.people["it_pm"]), "planned_start": "",
            "planned_finish": "2027-01-31", "budget_planned": BIG, "budget_actual": "",
            "budget_forecast": ""} | extra


def test_the_form_is_shown_again_with_the_values_and_the_reasons(
        hub: Env, app: object, world: World, db: Session) -> None:
    hub.levels("controlling")
    browser = login(app, world, "it_pm")
    r = browser.post_form("/projects/new", _form(world))
    text = r.text  # type: ignore[attr-defined]
    assert r.status_code == 422, text  # type: ignore[attr-defined]
    assert "Programme is required by the tier 1 reporting contract" in text
    assert "gate G1 &#39;Approval&#39; has not been passed" in text
    assert 'value="Typed by hand"' in text and 'value="2027-01-31"' in text
    assert _stored(db, "WEB-BIG") is None


def test_the_form_flashes_the_warnings_under_supportive(hub: Env, app: object,
                                                        world: World) -> None:
    hub.levels("supportive")
    browser = login(app, world, "it_pm")
    r = browser.post_form("/projects/new", _form(world))
    assert r.status_code == 303, r.text  # type: ignore[attr-defined]
    page = browser.client.get(r.headers["location"])  # type: ignore[attr-defined]
    assert "Project WEB-BIG created" in page.text
    assert "Warning: Programme is required by the tier 1 reporting contract" in page.text


# --- imports ----------------------------------------------------------------------------


def _rows() -> bytes:
    return csv_file([IMPORT_HEADER,
                     ["SMALL-1", "Fine", "IT", "executing", "1000", "IT_PM", "2026-12-31"],
                     ["BIG-9", "Skips intake", "IT", "executing", BIG, "IT_PM", "2027-12-31"]])


def test_an_import_with_a_blocked_row_changes_nothing(hub: Env, as_: Clients,
                                                      db: Session) -> None:
    hub.levels("controlling")
    r = upload(as_("it_pm"), "projects", _rows())
    assert r.status_code == 422, r.text
    errors = r.json()["errors"]
    assert {e["row"] for e in errors} == {3}
    assert {"field": "programme_code", "row": 3, "message": "Programme is required by the "
            f"tier 1 reporting contract; {CONTROLLING}"} in errors
    assert sum(e["field"] == "stage" for e in errors) == 3
    assert _stored(db, "SMALL-1") is None and _stored(db, "BIG-9") is None


def test_an_import_under_supportive_reports_its_warnings(hub: Env, as_: Clients,
                                                         db: Session) -> None:
    hub.levels("supportive")
    r = upload(as_("it_pm"), "projects", _rows())
    assert r.status_code == 200, r.text
    warnings = r.json()["warnings"]
    assert {w["row"] for w in warnings} == {3}
    assert {"row": 3, "field": "programme_code", "message": "Programme is required by the "
            "tier 1 reporting contract; the EPMO's authority over PPM administration in IT is "
            "supportive"} in warnings
    big = _stored(db, "BIG-9")
    assert big is not None and big.tier == 1


# --- intake -----------------------------------------------------------------------------


def test_intake_admits_the_project_into_approved_and_the_gates_follow(
        hub: Env, as_: Clients, world: World) -> None:
    hub.levels("controlling")
    requests = Requests(as_, world)
    made = requests.submit(costs=[{"period": "2027", "amount": BIG}])
    r = requests.decide(requests.move(made, "triage"), "approve", "admin", reason="Go")
    assert r.status_code == 200, r.text  # no manager yet: the decision is not refused for it
    project = as_("admin").get(f"{API}/projects/{r.json()['project_id']}").json()
    assert (project["stage"], project["tier"]) == ("approved", 1)
    moved = as_("admin").post(f"{API}/projects/{project['id']}/transition",
                              json={"stage": "planning", "version": project["version"]})
    assert moved.status_code == 422
    errors = moved.json()["errors"]
    assert "manager_id" in {e["field"] for e in errors}  # before it leaves approved
    assert [e["message"].split(" has not")[0] for e in errors if e["field"] == "stage"] == [
        "gate G1 'Approval'", "gate G2 'Mobilisation'"]


def test_gaps_a_write_leaves_alone_are_warnings(hub: Env, as_: Clients, world: World) -> None:
    """A project from before the charter turned controlling can still be worked on."""
    hub.levels("supportive")
    made = as_("it_pm").post(f"{API}/projects", json=_body(world)).json()
    hub.levels("controlling")
    r = as_("it_pm").patch(f"{API}/projects/{made['id']}",
                           json={"version": made["version"], "name": "Renamed",
                                 "programme_id": None, "forecast_finish": "2029-01-31"})
    assert r.status_code == 200, r.text
    assert r.json()["name"] == "Renamed"
    assert {"field": "programme_id", "message": "Programme is still empty; the tier 1 "
            f"reporting contract requires it; {CONTROLLING}"} in r.json()["warnings"]


# --- command line -----------------------------------------------------------------------


def test_epmo_import_meets_the_same_rule(hub: Env, world: World, db: Session,
                                         tmp_path: Path) -> None:
    path = tmp_path / "projects.csv"
    path.write_bytes(_rows())
    args = ["import", "projects", str(path), "--as", world.email("it_pm")]
    hub.levels("controlling")
    refused = CliRunner().invoke(app, args)
    assert refused.exit_code == 2, refused.output
    assert "nothing was imported" in refused.output and "Programme is required" in refused.output
    assert _stored(db, "SMALL-1") is None
    hub.levels("supportive")
    done = CliRunner().invoke(app, args)
    assert done.exit_code == 0, done.output
    assert "warning: row 3, programme_code: Programme is required by the tier 1" in " ".join(
        done.output.split())
    assert _stored(db, "BIG-9") is not None
