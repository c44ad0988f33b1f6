"""A portfolio export written by someone else (../shared/data), read through a profile."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from epmo.portfolio.models import Project
from tests.conftest import Clients

FILE = "portfolio-synthetic/project_portfolio_dataset.csv"
RISK = {"Very Low": "1", "Low": "2", "Medium": "3", "High": "4", "Very High": "5"}
USED = {"Project_ID": "code", "Project_Name": "name", "Category": "department_code",
        "Budget_USD": "budget_planned", "Risk_Level": "risk_rating"}


def _profile(path: Path) -> dict[str, Any]:
    with path.open(newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
        categories = {row["Category"] for row in csv.DictReader(handle, fieldnames=header)}
    departments = {name: "CAT-" + "-".join(name.upper().split()) for name in categories}
    return {"columns": {h: USED.get(h, "") for h in header},
            "values": {"department_code": departments, "risk_rating": RISK},
            "defaults": {"stage": "proposed"}, "create_departments": True}


def test_the_synthetic_portfolio_imports_twice(shared_data: Path, as_: Clients,
                                               db: Session) -> None:
    path = shared_data / FILE
    data = {"profile": json.dumps(_profile(path))}
    files = {"file": (path.name, path.read_bytes())}
    with path.open(newline="", encoding="utf-8") as handle:
        source = list(csv.DictReader(handle))
    r = as_("admin").post("/api/v1/imports/projects", data=data, files=files)
    assert r.status_code == 200, r.text[:2000]
    body = r.json()
    assert body["created"] == len(source) == 250
    assert len(body["departments_created"]) == len({row["Category"] for row in source})
    codes = [row["Project_ID"] for row in source]
    ratings = Counter(db.scalars(select(Project.risk_rating).where(Project.code.in_(codes))))
    assert ratings == Counter(int(RISK[row["Risk_Level"]]) for row in source)
    again = as_("admin").post("/api/v1/imports/projects", data=data, files=files).json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 250)
