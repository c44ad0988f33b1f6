"""An import that changes a project's stage meets the same charter and gate checks."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from epmo.portfolio.models import Project
from tests.compliance.conftest import Env
from tests.conftest import Clients
from tests.imports.files import csv_file, upload

HEADER = ["code", "name", "department_code", "stage"]


def _stage(db: Session, code: str) -> str:
    project = db.scalar(select(Project).where(Project.code == code))
    assert project is not None
    db.refresh(project)
    return project.stage


def test_controlling_rejects_the_row_until_the_gate_is_passed(env: Env, as_: Clients,
                                                              db: Session) -> None:
    env.levels("controlling")
    blocked = env.project(stage="approved")
    env.passed(blocked["id"], "G1")  # it entered approved through its gate
    other = env.project(stage="proposed")
    env.passed(other["id"], "G1")
    content = csv_file([HEADER, [other["code"], "Fine", "IT", "approved"],
                        [blocked["code"], "Blocked", "IT", "planning"]])
    r = upload(as_("it_pm"), "projects", content)
    assert r.status_code == 422, r.text
    assert r.json()["errors"] == [{
        "field": "stage", "row": 3,
        "message": "gate G2 'Plan approved' has not been passed; the EPMO's authority over "
                   "portfolio governance in IT is controlling"}]
    assert (_stage(db, blocked["code"]), _stage(db, other["code"])) == ("approved", "proposed")
    env.passed(blocked["id"], "G2")
    r = upload(as_("it_pm"), "projects", content)
    assert r.status_code == 200, r.text
    assert (_stage(db, blocked["code"]), _stage(db, other["code"])) == ("planning", "approved")


def test_directive_rejects_department_imports_of_stages(env: Env, as_: Clients) -> None:
    env.levels("supportive", portfolio_governance="directive")
    project = env.project(stage="proposed")
    r = upload(as_("it_lead"), "projects",
               csv_file([HEADER, [project["code"], "Move", "IT", "approved"]]))
    assert r.status_code == 422
    assert "only the EPMO may change a project's stage" in r.json()["errors"][0]["message"]


def test_supportive_imports_go_through(env: Env, as_: Clients, db: Session) -> None:
    env.levels("supportive")
    project = env.project(stage="approved")
    r = upload(as_("it_pm"), "projects",
               csv_file([HEADER, [project["code"], "Move", "IT", "planning"]]))
    assert r.status_code == 200, r.text
    assert _stage(db, project["code"]) == "planning"
