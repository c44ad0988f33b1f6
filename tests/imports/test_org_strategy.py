"""Importing people, goals and programmes: create then update, access, references, all-or-nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from epmo.audit.models import AuditEntry
from epmo.org.models import Person
from epmo.portfolio.models import Programme, ProgrammeDepartment
from epmo.strategy.models import Goal
from tests.conftest import Clients
from tests.imports.files import counts, csv_file, errors_of, upload
from tests.world import World

PEOPLE = ["code", "name", "email", "department_code", "role", "weekly_capacity_hours", "active"]
GOALS = ["code", "name", "parent_code", "weight", "owner_code"]
PROGRAMMES = ["code", "name", "department_code", "manager_code", "participating_department_codes"]


def _get(db: Session, model: Any, code: str) -> Any:
    found = db.scalar(select(model).where(model.code == code))
    assert found is not None, code
    db.refresh(found)
    return found


def test_people_create_then_update_and_audit(as_: Clients, db: Session, world: World) -> None:
    first = csv_file([PEOPLE, ["PP-1", "Grace Hopper", "Grace@Example.org", "IT", "Architect", "32.5", "yes"],
                      ["PP-2", "Alan Turing", "", "IT-INFRA", "", "", ""]])
    r = upload(as_("it_lead"), "people", first)
    assert r.status_code == 200, r.text
    assert r.json()["created"] == 2
    grace = _get(db, Person, "PP-1")
    assert grace.email == "grace@example.org" and grace.weekly_capacity_hours == Decimal("32.5")
    alan = _get(db, Person, "PP-2")
    assert alan.weekly_capacity_hours == 40 and alan.active is True and alan.email is None

    second = csv_file([PEOPLE, ["PP-1", "Grace Hopper", "grace@example.org", "IT", "Architect", "32.5", "yes"],
                       ["PP-2", "Alan Turing", "alan@example.org", "IT-INFRA", "", "", "no"]])
    r = upload(as_("it_lead"), "people", second)
    assert r.status_code == 200, r.text
    assert (r.json()["updated"], r.json()["unchanged"]) == (1, 1)
    alan = _get(db, Person, "PP-2")
    assert alan.active is False and alan.email == "alan@example.org" and alan.version == 2
    entry = db.scalars(select(AuditEntry).where(AuditEntry.entity == "person",
                                                AuditEntry.entity_id == str(alan.id))
                       .order_by(AuditEntry.id.desc())).first()
    assert entry is not None and entry.action == "update"
    assert entry.after == {"email": "alan@example.org", "active": False}
    assert entry.actor == world.email("it_lead")


def test_people_access_and_unique_email(as_: Clients, db: Session) -> None:
    before = counts(db)
    content = csv_file([PEOPLE, ["PQ-1", "Ok", "ok@example.org", "IT", "", "", ""],
                        ["PQ-2", "Finance", "", "FIN", "", "", ""],
                        ["PQ-3", "Taken", "it_pm@people.example.org", "IT", "", "", ""],
                        ["PQ-4", "Twice", "ok@example.org", "IT", "", "", ""],
                        ["FIN_PM", "Steal", "", "IT", "", "", ""]])
    r = upload(as_("it_lead"), "people", content)
    assert r.status_code == 422
    assert errors_of(r) == [(3, "department_code"), (4, "email"), (5, "email"), (6, "department_code")]
    messages = [e["message"] for e in r.json()["errors"]]
    assert messages[1] == "already used by person IT_PM" and messages[2] == "also on row 2"
    assert counts(db) == before
    assert upload(as_("it_pm"), "people", content).status_code == 403  # managers do not keep people


def test_goals_tree_and_owner(as_: Clients, db: Session, world: World) -> None:
    content = csv_file([GOALS, ["GG-1.1", "Sub", "GG-1", "60", ""], ["GG-1", "Top", "", "", "IT_LEAD"],
                        ["GG-1.2", "Other", "GG-1", "40", ""]])
    r = upload(as_("admin"), "goals", content)
    assert r.status_code == 200, r.text
    top = _get(db, Goal, "GG-1")
    assert top.owner_id == world.people["it_lead"] and top.weight == 0
    assert _get(db, Goal, "GG-1.1").parent_id == top.id
    r = upload(as_("admin"), "goals", csv_file([["code", "weight"], ["GG-1.1", "55"], ["GG-1.2", "45"]]))
    assert (r.json()["updated"], r.json()["created"]) == (2, 0)
    assert _get(db, Goal, "GG-1.1").weight == Decimal(55)
    r = upload(as_("admin"), "goals", csv_file([["code", "weight"], ["GG-1.1", "101"]]))
    assert errors_of(r) == [(2, "weight")]
    assert upload(as_("it_lead"), "goals", content).status_code == 403


def test_programmes_create_update_and_access(as_: Clients, db: Session, world: World) -> None:
    r = upload(as_("it_lead"), "programmes", csv_file([
        PROGRAMMES, ["PG-A", "Alpha", "IT", "IT_PM", "FIN;IT;HR"]]))
    assert r.status_code == 200, r.text
    alpha = _get(db, Programme, "PG-A")
    links = db.scalars(select(ProgrammeDepartment.department_id)
                       .where(ProgrammeDepartment.programme_id == alpha.id)).all()
    assert sorted(links) == sorted([world.departments["FIN"], world.departments["HR"]])  # owner left out
    r = upload(as_("it_lead"), "programmes", csv_file([PROGRAMMES, ["PG-A", "Alpha", "IT", "", "FIN"]]))
    assert r.json()["updated"] == 1
    alpha = _get(db, Programme, "PG-A")
    assert alpha.manager_id is None and alpha.version == 2
    r = upload(as_("fin_lead"), "programmes", csv_file([PROGRAMMES, ["PG-A", "Mine now", "FIN", "", ""]]))
    assert errors_of(r) == [(2, "department_code")]
    assert _get(db, Programme, "PG-A").name == "Alpha"
