"""Data engineers in IT (one) and Finance (two), and an IT project that needs two next Q1."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy.orm import Session

from epmo.org.models import Person
from tests.conftest import Clients
from tests.factories import Maker
from tests.world import World

API = "/api/v1"
YEAR = date.today().year + 1  # next year: always inside the queue's horizon


def month(m: int) -> str:
    """A month of next year, ``"YYYY-MM"``."""
    return f"{YEAR}-{m:02d}"


@pytest.fixture
def engineers(db: Session, world: World) -> dict[str, int]:
    """One data engineer in IT, two in Finance (40 h a week each): person ids by key."""
    found = {}
    for key, dept in (("it_de", "IT"), ("fin_de1", "FIN"), ("fin_de2", "FIN")):
        person = Person(code=key.upper(), name=key.replace("_", " ").title(),
                        email=f"{key}@people.example.org",
                        department_id=world.departments[dept], role="Data engineer")
        db.add(person)
        db.flush()
        found[key] = person.id
    return found


@pytest.fixture
def busy(as_: Clients, make: Maker, engineers: dict[str, int]) -> dict[str, Any]:
    """An executing IT project asking 2 FTE of data engineers all through next year's Q1."""
    project = make.project("IT", code="IT-DATA", stage="executing",
                           planned_start=f"{YEAR}-01-01", planned_finish=f"{YEAR}-12-31")
    r = as_("it_pm").put(f"{API}/projects/{project['id']}/demand", json={
        "version": project["version"],
        "lines": [{"role": "Data engineer", "period": f"{YEAR}-Q1", "fte_months": "6"}]})
    assert r.status_code == 200, r.text
    return project
