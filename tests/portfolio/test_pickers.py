"""Pickers: forms name projects, milestones, people and followed things by what the user
types, never by an id; the suggestions hold only what the reader may read, escaped."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from epmo.network.models import Dependency
from epmo.notifications.models import Subscription
from tests.factories import Maker
from tests.network import conftest as network
from tests.network.conftest import Net
from tests.web.helpers import login
from tests.world import World

net = network.net  # projects A (IT), B (FIN, IT takes part), C (FIN, private) and milestones
OPTION = re.compile(r'<option value="([^"]*)"></option>')


def _options(app: object, world: World, user: str, url: str, **params: str) -> list[str]:
    answer = login(app, world, user).client.get(url, params=params)
    assert answer.status_code == 200, answer.text
    return OPTION.findall(answer.text)


def test_milestones_and_projects_a_reader_may_read(app: object, world: World, net: Net) -> None:
    found = _options(app, world, "it_pm", "/pick/milestones", predecessor_milestone_id="mile")
    assert found == [f"NET-A · Milestone A1 · 2027-01-10 #{net.m('A1')}",
                     f"NET-B · Milestone B1 · 2027-01-12 #{net.m('B1')}"]  # not C's: private
    assert len(_options(app, world, "fin_pm", "/pick/milestones", x="mile")) == 3
    assert _options(app, world, "it_pm", "/pick/milestones", x="c1") == []
    projects = _options(app, world, "it_pm", "/pick/projects", project_id="net-")
    assert [p.split(" · ")[0] for p in projects] == ["NET-A", "NET-B"]
    assert _options(app, world, "it_pm", "/pick/projects", project_id="%") == []  # as typed


def test_a_hostile_name_is_escaped(app: object, world: World, make: Maker) -> None:
    make.project("IT", name='"><script>alert(1)</script>')
    page = login(app, world, "it_pm").client.get("/pick/projects", params={"q": "script"}).text
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_a_dependency_proposed_by_picked_names(app: object, world: World, net: Net,
                                               db: Session) -> None:
    browser = login(app, world, "it_pm")
    pred, succ = (_options(app, world, "it_pm", "/pick/milestones", x=f"milestone {key}")[0]
                  for key in ("A1", "B1"))
    answer: Any = browser.post_form("/dependencies", {
        "predecessor_milestone_id": pred, "successor_milestone_id": succ, "type": "FS",
        "lag_days": "0", "criticality": "medium"})
    assert answer.status_code == 303, answer.text
    made = db.scalars(select(Dependency)).one()
    assert (made.pred_milestone_id, made.succ_milestone_id) == (net.m("A1"), net.m("B1"))
    # typed text that names nothing is refused for its field, and the text is kept
    refused: Any = browser.post_form("/dependencies", {
        "predecessor_milestone_id": "the big one", "successor_milestone_id": succ,
        "type": "FS", "lag_days": "0", "criticality": "medium"})
    assert refused.status_code == 422
    assert 'data-field="predecessor_milestone_id"' in refused.text
    assert 'value="the big one"' in refused.text


def test_people_and_followed_things_by_name(app: object, world: World, db: Session) -> None:
    people = _options(app, world, "fin_pm", "/pick/people", person_id="it pm")
    assert people == [f"It Pm · IT · Project manager #{world.people['it_pm']}"]
    departments = _options(app, world, "it_pm", "/pick/targets", target_kind="department",
                           target_id="i")
    assert departments and all(label.startswith("IT") for label in departments)  # theirs only
    browser = login(app, world, "it_pm")
    answer: Any = browser.post_form("/notifications/settings/subscriptions", {
        "target_kind": "department", "target_id": departments[0], "event_types": ""})
    assert answer.status_code == 303, answer.text
    followed = db.scalars(select(Subscription).where(
        Subscription.user_id == world.users["it_pm"])).one()
    assert (followed.target_kind, followed.target_id) == ("department", world.departments["IT"])
    assert _options(app, world, "it_pm", "/pick/targets", target_kind="user", x="a") == []


def test_programmes_a_reader_may_read(app: object, world: World, make: Maker) -> None:
    make.programme("IT", code="PG-IT", name="Cloud move")
    make.programme("FIN", code="PG-FIN", name="Close faster")
    found = _options(app, world, "it_pm", "/pick/programmes", programme_id="pg-")
    assert found and all(option.startswith("PG-IT · Cloud move #") for option in found)
    assert [o.split(" · ")[0] for o in _options(app, world, "exec", "/pick/programmes",
                                                 programme_id="pg-")] == ["PG-FIN", "PG-IT"]
