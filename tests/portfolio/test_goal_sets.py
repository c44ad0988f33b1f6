"""A project's stored goal set (``project.goal_set``) follows its goal links on every path:
the API, the import, a bulk insert that bypasses the ORM (as the demo's), and a goal deleted
at the database with its links cascading."""

from __future__ import annotations

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from epmo.portfolio.models import Project, ProjectGoal
from epmo.strategy.models import Goal
from tests.conftest import Clients
from tests.factories import add_goal, add_project
from tests.imports.files import csv_file, upload
from tests.world import World

API = "/api/v1"


def _stored(db: Session, project_id: int) -> str | None:
    db.expire_all()
    return db.scalar(select(Project.goal_set).where(Project.id == project_id))


def _key(*goal_ids: int) -> str:
    return ",".join(str(g) for g in sorted(goal_ids))


def _all_true(db: Session) -> None:
    """Every project's stored key is its links' ids, ascending (None without links)."""
    links: dict[int, list[int]] = {}
    for project_id, goal_id in db.execute(select(ProjectGoal.project_id, ProjectGoal.goal_id)):
        links.setdefault(project_id, []).append(goal_id)
    for project_id, stored in db.execute(select(Project.id, Project.goal_set)):
        want = _key(*links[project_id]) if project_id in links else None
        assert stored == want, (project_id, stored, want)


def test_api_writes_keep_the_goal_set(as_: Clients, world: World, db: Session,
                                      goals: dict[str, int]) -> None:
    body = {"code": "GS-1", "name": "Goal set", "department_id": world.departments["IT"],
            "goals": [{"goal_id": goals["COST"]}, {"goal_id": goals["GROW"], "weight": 40}]}
    r = as_("admin").post(f"{API}/projects", json=body)
    assert r.status_code == 201, r.text
    project = r.json()
    assert _stored(db, project["id"]) == _key(goals["COST"], goals["GROW"])
    assert "goal_set" not in project  # the key is the database's, not the API's

    r = as_("admin").patch(f"{API}/projects/{project['id']}", json={
        "version": project["version"], "goals": [{"goal_id": goals["DIGI"]}]})
    assert r.status_code == 200, r.text
    assert _stored(db, project["id"]) == _key(goals["DIGI"])

    r = as_("admin").patch(f"{API}/projects/{project['id']}", json={
        "version": r.json()["version"], "goals": []})
    assert r.status_code == 200, r.text
    assert _stored(db, project["id"]) is None
    _all_true(db)


def test_import_keeps_the_goal_set(as_: Clients, db: Session) -> None:
    for code in ("G1", "G2"):
        r = as_("admin").post(f"{API}/goals", json={"code": code, "name": f"Goal {code}"})
        assert r.status_code == 201, r.text
    header = ["code", "name", "department_code", "goal_codes"]
    r = upload(as_("admin"), "projects", csv_file([header, ["GS-2", "Both", "IT", "G2;G1"],
                                                   ["GS-3", "One", "FIN", "G2"]]))
    assert r.status_code == 200, r.text
    ids = dict(db.execute(select(Goal.code, Goal.id).where(Goal.code.in_(["G1", "G2"]))).all())
    both = db.scalar(select(Project.id).where(Project.code == "GS-2"))
    one = db.scalar(select(Project.id).where(Project.code == "GS-3"))
    assert both is not None and one is not None
    assert _stored(db, both) == _key(ids["G1"], ids["G2"])
    assert _stored(db, one) == _key(ids["G2"])

    r = upload(as_("admin"), "projects", csv_file([header, ["GS-2", "Both", "IT", "G1"]]))
    assert r.status_code == 200, r.text
    assert _stored(db, both) == _key(ids["G1"])
    _all_true(db)


def test_bulk_insert_update_and_cascade_keep_the_goal_set(db: Session, world: World) -> None:
    """Core statements, as the demo's bulk load and a database console write."""
    first, second, third = (add_goal(db, code).id for code in ("B1", "B2", "B3"))
    project = add_project(db, world).id
    other = add_project(db, world).id
    db.execute(insert(ProjectGoal), [
        {"project_id": project, "goal_id": third}, {"project_id": project, "goal_id": first},
        {"project_id": other, "goal_id": second}])
    assert _stored(db, project) == _key(first, third)
    assert _stored(db, other) == _key(second)

    db.execute(update(ProjectGoal).where(ProjectGoal.project_id == other)
               .values(project_id=project))  # the link moves: both keys change
    assert _stored(db, project) == _key(first, second, third)
    assert _stored(db, other) is None

    db.execute(delete(Goal).where(Goal.id == first))  # its links go by ON DELETE CASCADE
    assert _stored(db, project) == _key(second, third)
    _all_true(db)
