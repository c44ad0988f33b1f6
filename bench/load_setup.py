"""The database side of ``bench.load``, run in a child process (``python -m bench.load_setup``).

The load generator's own process runs gevent (locust monkey-patches the standard library on
import), so everything that opens a database connection runs here instead, in a plain process:
creating and dropping the PostgreSQL database, signing up the load users and choosing the rows
they work on. Prints one JSON document (the plan) on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

DEPARTMENTS = 8  # the departments the load users belong to (those with the most projects)
POOL = 200  # projects (and milestones) per department a user picks from
# Writers get departments where they may report (under directive authority only the EPMO may).
WRITERS = frozenset({"department_lead", "project_manager"})


def create_database(admin_url: str, name: str) -> None:
    """Create database ``name`` on the server of ``admin_url`` (dropping a leftover first)."""
    _admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')


def drop_database(admin_url: str, name: str) -> None:
    """Drop database ``name`` (closing its connections)."""
    _admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _admin(admin_url: str, *statements: str) -> None:
    from epmo.db import make_engine

    engine = make_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        engine.dispose()


def plan(url: str, roles: dict[str, int], password: str) -> dict[str, Any]:
    """Create the load users (role -> how many) and return them with the rows they work on."""
    os.environ["EPMO_DATABASE_URL"] = url
    from epmo import wiring
    from epmo.db import unit_of_work

    wiring.install()  # as the CLI does: the users' creation is audited
    with unit_of_work() as session:
        session.actor_label = "bench.load"
        departments = _departments(session)
        users = _users(session, roles, password, departments)
        pools = {str(d["id"]): _pool(session, d["id"]) for d in departments}
        pools["any"] = _pool(session, None)
    return {"users": users, "pools": pools}


def _departments(session: Session) -> list[dict[str, Any]]:
    """The departments with the most projects, open to writers' status reports first."""
    from epmo.org.models import Department
    from epmo.portfolio.models import Project
    from epmo.reporting.governance import Governance

    counted = (select(Department.id, Department.code, func.count(Project.id).label("n"))
               .join(Project, Project.department_id == Department.id)
               .group_by(Department.id, Department.code).order_by(func.count(Project.id).desc()))
    governance = Governance(session)
    rows = [{"id": r.id, "code": r.code, "open": governance.authority(r.id) != "directive"}
            for r in session.execute(counted)]
    rows.sort(key=lambda r: not r["open"])  # stable: most projects first within each group
    return rows[:DEPARTMENTS]


def _users(session: Session, roles: dict[str, int], password: str,
           departments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from epmo.auth import service as auth_service

    users = []
    for role, count in roles.items():
        for n in range(count):
            department = departments[n % len(departments)]
            codes = [] if role in ("epmo_admin", "executive") else [department["code"]]
            email = f"load.{role}.{n}@bench.local"
            auth_service.create_user(session, email=email, name=f"Load {role} {n}", role=role,
                                     password=password, department_codes=codes)
            users.append({"email": email, "role": role,
                          "department": department["id"] if codes else None})
    return users


def _pool(session: Session, department_id: int | None) -> dict[str, list[Any]]:
    """Projects and (project, milestone) pairs of a department (or of the whole enterprise)."""
    from epmo.portfolio.models import Milestone, Project

    projects = select(Project.id).order_by(Project.id).limit(POOL)
    if department_id is not None:
        projects = projects.where(Project.department_id == department_id)
    ids = list(session.scalars(projects))
    pairs = session.execute(select(Milestone.project_id, Milestone.id)
                            .where(Milestone.project_id.in_(ids)).order_by(Milestone.id)
                            .limit(POOL))
    return {"projects": ids, "milestones": [list(pair) for pair in pairs]}


def main(argv: Sequence[str] | None = None) -> None:
    """``create NAME`` / ``drop NAME`` on the admin URL, or ``plan`` the users on the URL."""
    parser = argparse.ArgumentParser(prog="python -m bench.load_setup")
    parser.add_argument("action", choices=("create", "drop", "plan"))
    parser.add_argument("url", help="the SQLAlchemy URL (the server's, for create and drop)")
    parser.add_argument("--name", default="", help="database to create or drop")
    parser.add_argument("--roles", default="{}", help="JSON: role -> number of users")
    parser.add_argument("--password", default="", help="password of every load user")
    args = parser.parse_args(argv)
    if args.action == "create":
        create_database(args.url, args.name)
    elif args.action == "drop":
        drop_database(args.url, args.name)
    else:
        json.dump(plan(args.url, json.loads(args.roles), args.password), sys.stdout)


if __name__ == "__main__":
    main()
