"""Who may read and change what: the full matrix for projects, then programmes and portfolios.

Every outcome is written out; 404 means "exactly like a missing project", 403 "you may see it
but not change it".
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Clients
from tests.factories import API, Maker
from tests.world import USERS, World

TARGETS = ("IT", "IT-INFRA", "FIN", "FIN-MANAGED-BY-IT_MEMBER")

READ = {  # user: outcome for each of TARGETS
    "admin":     (200, 200, 200, 200),
    "exec":      (200, 200, 200, 200),
    "it_lead":   (200, 200, 404, 404),
    "it_pm":     (200, 200, 404, 404),
    "it_member": (200, 200, 404, 200),
    "it_viewer": (200, 200, 404, 404),
    "fin_lead":  (404, 404, 200, 200),
    "fin_pm":    (404, 404, 200, 200),
    "hr_viewer": (404, 404, 404, 404),
}
WRITE = {
    "admin":     (200, 200, 200, 200),
    "exec":      (403, 403, 403, 403),
    "it_lead":   (200, 200, 404, 404),
    "it_pm":     (200, 200, 404, 404),
    "it_member": (403, 403, 404, 200),
    "it_viewer": (403, 403, 404, 404),
    "fin_lead":  (404, 404, 200, 200),
    "fin_pm":    (404, 404, 200, 200),
    "hr_viewer": (404, 404, 404, 404),
}


def test_matrix_covers_every_world_user() -> None:
    assert set(READ) == set(WRITE) == set(USERS)


def _targets(make: Maker, world: World) -> list[dict[str, Any]]:
    return [make.project("IT"), make.project("IT-INFRA"), make.project("FIN"),
            make.project("FIN", manager_id=world.people["it_member"])]


@pytest.mark.parametrize("user", list(READ))
def test_project_read_and_write_matrix(as_: Clients, make: Maker, world: World,
                                       user: str) -> None:
    projects = _targets(make, world)
    got_read, got_write = [], []
    for project in projects:
        url = f"{API}/projects/{project['id']}"
        got_read.append(as_(user).get(url).status_code)
        version = as_("admin").get(url).json()["version"]
        got_write.append(as_(user).patch(url, json={"version": version,
                                                    "name": f"Renamed by {user}"}).status_code)
    assert tuple(got_read) == READ[user], dict(zip(TARGETS, got_read, strict=True))
    assert tuple(got_write) == WRITE[user], dict(zip(TARGETS, got_write, strict=True))


@pytest.mark.parametrize("user", list(READ))
def test_lists_and_exports_are_scoped_like_reads(as_: Clients, make: Maker, world: World,
                                                 user: str) -> None:
    codes = [p["code"] for p in _targets(make, world)]
    expected = {code for code, status in zip(codes, READ[user], strict=True) if status == 200}
    listed = as_(user).get(f"{API}/projects", params={"q": "T-", "limit": 500}).json()
    assert {p["code"] for p in listed["items"]} == expected
    assert listed["total"] == len(expected)
    csv_text = as_(user).get(f"{API}/projects/export", params={"q": "T-"}).text
    assert {line.split(",")[0] for line in csv_text.splitlines()[1:]} == expected


def test_unreadable_project_answers_exactly_like_a_missing_one(as_: Clients,
                                                               make: Maker) -> None:
    fin = make.project("FIN")
    hidden = as_("it_pm").get(f"{API}/projects/{fin['id']}")
    missing = as_("it_pm").get(f"{API}/projects/999999")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["title"] == missing.json()["title"]
    assert set(hidden.json()) == set(missing.json())
    for method in ("patch", "delete"):
        r = getattr(as_("it_pm"), method)(
            f"{API}/projects/{fin['id']}", **({"json": {"version": 1}} if method == "patch"
                                                else {"params": {"version": 1}}))
        assert r.status_code == 404


def test_participating_department_reads_but_cannot_write(as_: Clients, make: Maker,
                                                         world: World) -> None:
    project = make.project("FIN", department_ids=[world.departments["IT-INFRA"]])
    url = f"{API}/projects/{project['id']}"
    assert as_("it_viewer").get(url).status_code == 200  # IT-INFRA is in IT's scope
    assert as_("it_pm").patch(url, json={"version": 1, "name": "x"}).status_code == 403
    assert as_("hr_viewer").get(url).status_code == 404


def test_sponsor_reads_but_does_not_write(as_: Clients, make: Maker, world: World) -> None:
    project = make.project("FIN", sponsor_id=world.people["it_member"])
    url = f"{API}/projects/{project['id']}"
    assert as_("it_member").get(url).status_code == 200
    assert as_("it_member").patch(url, json={"version": 1, "name": "x"}).status_code == 403


# Creating needs write rights on the owning department.
CREATE = {
    "admin":     {"IT": 201, "IT-INFRA": 201, "FIN": 201},
    "exec":      {"IT": 403, "IT-INFRA": 403, "FIN": 403},
    "it_lead":   {"IT": 201, "IT-INFRA": 201, "FIN": 403},
    "it_pm":     {"IT": 201, "IT-INFRA": 201, "FIN": 403},
    "it_member": {"IT": 403, "IT-INFRA": 403, "FIN": 403},
    "it_viewer": {"IT": 403, "IT-INFRA": 403, "FIN": 403},
    "fin_lead":  {"IT": 403, "IT-INFRA": 403, "FIN": 201},
    "fin_pm":    {"IT": 403, "IT-INFRA": 403, "FIN": 201},
    "hr_viewer": {"IT": 403, "IT-INFRA": 403, "FIN": 403},
}


@pytest.mark.parametrize("user", list(CREATE))
def test_create_needs_write_rights_on_owning_department(as_: Clients, world: World,
                                                        user: str) -> None:
    got = {}
    for dept in CREATE[user]:
        body = {"code": f"NEW-{user}-{dept}", "name": "New", "department_id": world.departments[dept]}
        got[dept] = as_(user).post(f"{API}/projects", json=body).status_code
    assert got == CREATE[user]


@pytest.mark.parametrize(("user", "owner", "target", "status"), [
    ("admin", "IT", "FIN", 200),
    ("it_lead", "IT", "IT-INFRA", 200),
    ("it_pm", "IT-INFRA", "IT", 200),
    ("it_pm", "IT", "FIN", 403),         # no rights on the target
    ("fin_lead", "FIN", "IT", 403),
    ("it_member", "FIN", "IT", 403),     # manages it, but moving needs department rights
])
def test_moving_needs_write_rights_on_both_departments(
    as_: Clients, make: Maker, world: World, user: str, owner: str, target: str, status: int,
) -> None:
    project = make.project(owner, manager_id=world.people["it_member"])
    r = as_(user).patch(f"{API}/projects/{project['id']}",
                        json={"version": 1, "department_id": world.departments[target]})
    assert r.status_code == status, r.text


@pytest.mark.parametrize(("user", "read", "write"), [
    ("admin", 200, 201), ("exec", 200, 403), ("it_lead", 200, 201), ("it_member", 200, 403),
    ("it_viewer", 200, 403), ("fin_lead", 404, 404), ("hr_viewer", 404, 404),
])
def test_milestones_follow_their_project(as_: Clients, make: Maker, world: World, user: str,
                                         read: int, write: int) -> None:
    project = make.project("IT-INFRA")
    url = f"{API}/projects/{project['id']}/milestones"
    assert as_(user).get(url).status_code == read
    assert as_(user).post(url, json={"name": "Go-live"}).status_code == write
    managed = make.project("FIN", manager_id=world.people["it_member"])
    r = as_("it_member").post(f"{API}/projects/{managed['id']}/milestones", json={"name": "M"})
    assert r.status_code == 201


# Programme owned by IT with FIN taking part.
PROGRAMME = {  # user: (read, write)
    "admin": (200, 200), "exec": (200, 403), "it_lead": (200, 200), "it_pm": (200, 403),
    "it_member": (200, 403), "it_viewer": (200, 403), "fin_lead": (200, 403),
    "fin_pm": (200, 403), "hr_viewer": (404, 404),
}


@pytest.mark.parametrize("user", list(PROGRAMME))
def test_programme_access(as_: Clients, make: Maker, world: World, user: str) -> None:
    programme = make.programme("IT", department_ids=[world.departments["FIN"]])
    url = f"{API}/programs/{programme['id']}"
    read = as_(user).get(url).status_code
    write = as_(user).patch(url, json={"version": programme["version"], "name": "P"}).status_code
    assert (read, write) == PROGRAMME[user]
    listed = {p["id"] for p in as_(user).get(f"{API}/programs").json()["items"]}
    assert (programme["id"] in listed) == (PROGRAMME[user][0] == 200)


def test_programme_create_needs_department_lead(as_: Clients, world: World) -> None:
    body = {"code": "PRG-X", "name": "X", "department_id": world.departments["IT-INFRA"]}
    assert as_("it_pm").post(f"{API}/programs", json=body).status_code == 403
    assert as_("fin_lead").post(f"{API}/programs", json=body).status_code == 403
    assert as_("it_lead").post(f"{API}/programs", json=body).status_code == 201


# Enterprise portfolio, IT's and FIN's.
PORTFOLIO = {  # user: ((read, write) for ENT, IT, FIN)
    "admin": ((200, 200), (200, 200), (200, 200)),
    "exec": ((200, 403), (200, 403), (200, 403)),
    "it_lead": ((200, 403), (200, 200), (404, 404)),
    "it_pm": ((200, 403), (200, 403), (404, 404)),
    "it_member": ((200, 403), (200, 403), (404, 404)),
    "it_viewer": ((200, 403), (200, 403), (404, 404)),
    "fin_lead": ((200, 403), (404, 404), (200, 200)),
    "fin_pm": ((200, 403), (404, 404), (200, 403)),
    "hr_viewer": ((200, 403), (404, 404), (404, 404)),
}


@pytest.mark.parametrize("user", list(PORTFOLIO))
def test_portfolio_access(as_: Clients, make: Maker, user: str) -> None:
    portfolios = [make.portfolio(None), make.portfolio("IT"), make.portfolio("FIN")]
    got = []
    for portfolio in portfolios:
        url = f"{API}/portfolios/{portfolio['id']}"
        got.append((as_(user).get(url).status_code,
                    as_(user).patch(url, json={"version": 1, "name": "N"}).status_code))
    assert tuple(got) == PORTFOLIO[user]
    listed = {p["id"] for p in as_(user).get(f"{API}/portfolios").json()["items"]}
    assert listed == {p["id"] for p, (read, _) in zip(portfolios, PORTFOLIO[user], strict=True)
                      if read == 200}


def test_department_lead_creates_portfolio_only_for_own_departments(as_: Clients,
                                                                    world: World) -> None:
    def post(user: str, dept: str | None) -> int:
        body = {"code": f"PF-{user}-{dept}", "name": "P",
                "department_id": world.departments[dept] if dept else None}
        return as_(user).post(f"{API}/portfolios", json=body).status_code

    assert post("it_lead", "IT-INFRA") == 201
    assert post("it_lead", "FIN") == 403
    assert post("it_lead", None) == 403
    assert post("admin", None) == 201
