"""Tiers computed wherever projects come from: imports, the defaults on an existing register,
and the export columns."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from epmo.contracts import service
from epmo.contracts.models import ReportingContract, TierRule
from epmo.portfolio.models import Project
from tests.conftest import Clients
from tests.contracts.conftest import API
from tests.factories import Maker
from tests.imports.files import csv_file, upload


def _tier(db: Session, code: str) -> Project:
    project = db.scalar(select(Project).where(Project.code == code))
    assert project is not None
    db.refresh(project)
    return project


@pytest.mark.usefixtures("defaults")
def test_imports_compute_the_tier(as_: Clients, db: Session) -> None:
    header = ["code", "name", "department_code", "budget_planned", "headcount", "risk_rating",
              "planned_start", "planned_finish"]
    r = upload(as_("admin"), "projects", csv_file([
        header,
        ["IM-1", "Big", "IT", "6000000", "", "", "", ""],
        ["IM-2", "Crowded", "FIN", "10", "25", "", "", ""],
        ["IM-3", "Long", "HR", "", "", "", "2025-01-01", "2026-06-30"],
        ["IM-4", "Small", "IT", "", "", "2", "", ""],
    ]))
    assert r.status_code == 200, r.text
    assert [_tier(db, c).tier for c in ("IM-1", "IM-2", "IM-3", "IM-4")] == [1, 2, 2, 4]
    assert _tier(db, "IM-2").headcount == 25 and _tier(db, "IM-4").risk_rating == 2
    # An update reclassifies from the new facts over the stored ones.
    r = upload(as_("admin"), "projects", csv_file([["code", "risk_rating"], ["IM-4", "5"],
                                                   ["IM-3", "3"]]))
    assert r.status_code == 200, r.text
    assert r.json()["updated_codes"] == ["IM-4", "IM-3"]
    assert (_tier(db, "IM-4").tier, _tier(db, "IM-3").tier) == (1, 2)
    assert _tier(db, "IM-4").version == 2


@pytest.mark.usefixtures("defaults")
def test_a_tier_column_is_not_imported(as_: Clients, db: Session) -> None:
    r = upload(as_("admin"), "projects", csv_file([["code", "name", "department_code", "tier"],
                                                   ["IM-9", "x", "IT", "1"]]))
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "tier"
    assert db.scalar(select(Project).where(Project.code == "IM-9")) is None
    r = upload(as_("admin"), "projects", csv_file([["code", "name", "department_code",
                                                    "risk_rating", "headcount"],
                                                   ["IM-9", "x", "IT", "6", "1.5"]]))
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["errors"]} == {"risk_rating", "headcount"}


def test_defaults_classify_an_existing_register(make: Maker, db: Session) -> None:
    big = make.project("IT", budget_planned="9000000")
    small = make.project("FIN")
    assert (big["tier"], small["tier"]) == (3, 3)  # no rules yet: tiers left alone
    assert service.ensure_defaults(db) is True
    db.flush()
    assert len(db.scalars(select(TierRule)).all()) == 4
    assert len(db.scalars(select(ReportingContract)).all()) == 4
    assert (db.get(Project, big["id"]).tier, db.get(Project, small["id"]).tier) == (1, 4)  # type: ignore[union-attr]


@pytest.mark.usefixtures("defaults")
def test_export_has_the_new_columns(as_: Clients, make: Maker) -> None:
    make.project("IT", code="EXP-1", headcount=60, risk_rating=3)
    r = as_("admin").get(f"{API}/projects/export", params={"format": "csv", "q": "EXP-1"})
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert (rows[0]["tier"], rows[0]["headcount"], rows[0]["risk_rating"]) == ("1", "60", "3")
    assert rows[0]["methodology"] == "" and rows[0]["department"] == "IT"
