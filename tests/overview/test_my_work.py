"""My work: a manager's projects, reports due, RAID items and what waits for them; a lead's
departments and lending answers; the page and where each role lands after signing in."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.conftest import Clients
from tests.factories import Maker
from tests.network import conftest as network
from tests.network.conftest import Net
from tests.reporting.conftest import Governance
from tests.web.helpers import csrf_of, login
from tests.world import World, password_for

API = "/api/v1"
net, chain = network.net, network.chain  # the network's known projects, as fixtures here


@pytest.fixture
def gov(db: Session, world: World) -> Governance:
    """``gov.contract(cadence="monthly")``: reporting contracts."""
    return Governance(db, world)


def _mine(as_: Clients, make: Maker, world: World) -> dict[str, object]:
    """An executing IT project it_pm manages, started two months ago, with a milestone ahead
    and one behind (achieved), and a RAID action it_pm owns, due yesterday."""
    started = date.today() - timedelta(days=100)
    project = make.project("IT", name="Payroll <b>move</b>", stage="executing",
                           manager_id=world.people["it_pm"], actual_start=started.isoformat(),
                           forecast_finish=(date.today() + timedelta(days=200)).isoformat())
    url = f"{API}/projects/{project['id']}/milestones"
    ahead = (date.today() + timedelta(days=30)).isoformat()
    for body in ({"name": "Go-live", "planned_date": ahead},
                 {"name": "Design", "planned_date": (date.today() + timedelta(days=5)).isoformat(),
                  "status": "achieved"},
                 {"name": "Cut-over", "planned_date": (date.today() + timedelta(days=90)).isoformat()}):
        assert as_("it_pm").post(url, json=body).status_code == 201
    action = as_("it_pm").post(f"{API}/projects/{project['id']}/raid", json={
        "kind": "issue", "impact": 3, "title": "Book the testers", "owner_id": world.people["it_pm"],
        "due_on": (date.today() - timedelta(days=1)).isoformat()})
    assert action.status_code == 201, action.text
    return project


def test_a_managers_work(as_: Clients, make: Maker, world: World, gov: Governance) -> None:
    gov.contract(cadence="monthly")
    gov.authority("controlling", "IT")  # reminders (and My work) count where it has some
    project = _mine(as_, make, world)
    make.project("IT", stage="executing")  # the department's, not managed by it_pm
    make.project("IT", stage="closed", manager_id=world.people["it_pm"])  # finished work
    work = as_("it_pm").get(f"{API}/my-work").json()
    assert [p["code"] for p in work["projects"]] == [project["code"]]
    mine = work["projects"][0]
    assert (mine["next_milestone"], mine["health"]) == ("Go-live", None)
    assert mine["next_milestone_date"] == (date.today() + timedelta(days=30)).isoformat()
    # the months since the start have no report: one overdue line counts them all and names
    # the latest with its deadline; a period falling due within two weeks is listed apart
    overdue = [r for r in work["reports"] if r["overdue"]]
    today = date.today().isoformat()
    assert len(overdue) == 1 and overdue[0]["missing"] >= 2
    assert overdue[0]["period_end"] < overdue[0]["due_by"] < today
    due = [r for r in work["reports"] if not r["overdue"]]
    horizon = (date.today() + timedelta(days=14)).isoformat()
    assert all(today <= r["due_by"] <= horizon for r in due)
    assert all(r["period_start"] > overdue[0]["period_end"] for r in due)
    assert [(a["title"], a["overdue"]) for a in work["actions"]] == [("Book the testers", True)]
    # the department's lead sees both active projects, and nothing of it_pm's RAID items
    lead = as_("it_lead").get(f"{API}/my-work").json()
    assert lead["projects_total"] == 2 and lead["actions"] == []
    # a viewer and a member without projects get empty lists, not an error
    empty = as_("it_member").get(f"{API}/my-work").json()
    assert (empty["projects"], empty["reports"], empty["waiting"]) == ([], [], [])


def test_a_proposal_waits_for_the_other_side(net: Net) -> None:
    assert net.link("it_pm", "A1", "B1").status_code == 201  # B is Finance's: fin_pm answers
    waiting = net.as_("fin_pm").get(f"{API}/my-work").json()["waiting"]
    assert [w["kind"] for w in waiting] == ["dependency"]
    assert "accept or decline" in waiting[0]["words"] and "NET-A → NET-B" in waiting[0]["words"]
    assert net.as_("fin_pm").get(waiting[0]["link"]).status_code == 200
    assert net.as_("it_pm").get(f"{API}/my-work").json()["waiting"] == []  # the proposer


def test_an_unread_change_shows_until_acknowledged(chain: Net) -> None:
    chain.move("it_pm", "A1", "2027-01-20", reason="vendor late")
    changes = chain.as_("fin_pm").get(f"{API}/my-work").json()["changes"]
    assert len(changes) == 1 and "Change in IT" in changes[0]["subject"]
    event = changes[0]["link"]
    assert chain.as_("fin_pm").post(f"{API}{event}/acknowledge", json={}).status_code == 200
    assert chain.as_("fin_pm").get(f"{API}/my-work").json()["changes"] == []


def _landing(app: object, world: World, user: str, next_: str = "/") -> str:
    client = TestClient(app)  # type: ignore[arg-type]
    token = csrf_of(client.get("/login").text)
    answer = client.post("/login", data={"csrf_token": token, "email": world.email(user),
                                         "password": password_for(user), "next": next_},
                         follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return str(answer.headers["location"])


def test_the_page_and_the_landing(app: object, as_: Clients, make: Maker, world: World) -> None:
    _mine(as_, make, world)
    page = login(app, world, "it_pm").client.get("/my-work").text
    assert "Payroll &lt;b&gt;move&lt;/b&gt;" in page and "<b>move</b>" not in page
    assert "Book the testers" in page and 'href="/my-work">My work</a>' in page
    assert _landing(app, world, "it_pm") == "/my-work"
    assert _landing(app, world, "it_lead") == "/my-work"
    assert _landing(app, world, "it_pm", "/projects") == "/projects"  # a link followed
    assert _landing(app, world, "admin") == "/"  # the EPMO keeps the overview
    assert _landing(app, world, "exec") == "/"
