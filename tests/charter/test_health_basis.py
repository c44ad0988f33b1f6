"""The charter's "health that counts" setting: API, editor, document, comparison and print."""

from __future__ import annotations

import re

from tests.charter.conftest import API, Charters
from tests.charter.test_pages import _form
from tests.conftest import Clients
from tests.web.helpers import login
from tests.world import World


def test_api_stores_the_setting_and_defaults_to_auto(charters: Charters, as_: Clients) -> None:
    assert charters.publish()["content"]["health_basis"] == "auto"
    body = charters.body(reason="Objective RAG")
    body["content"]["health_basis"] = "worse"
    r = as_("admin").post(API, json=body)
    assert r.status_code == 201, r.text
    assert as_("fin_pm").get(API).json()["content"]["health_basis"] == "worse"
    diff = as_("admin").get(f"{API}/compare", params={"from": 1, "to": 2}).json()
    assert (diff["health_basis_before"], diff["health_basis_after"]) == ("auto", "worse")


def test_editor_sets_it_and_the_pages_show_it(app: object, world: World, charters: Charters,
                                              as_: Clients) -> None:
    charters.publish()
    browser = login(app, world, "admin")
    form = _form(browser)
    assert form["content.health_basis"] == "auto"
    form |= {"reason": "Count derived health", "content.health_basis": "derived"}
    r = browser.post_form("/charter/edit", form)
    assert r.status_code == 303, r.text
    assert as_("admin").get(API).json()["content"]["health_basis"] == "derived"
    page = browser.client.get("/charter").text
    assert re.search(r'id="health-basis" data-basis="derived"', page)
    compare = browser.client.get("/charter/compare", params={"from": 1, "to": 2}).text
    assert re.search(r'id="health-basis-change">\s*<p>Auto \(by authority\) &rarr; '
                     r'<strong>Derived</strong>', compare)
    printed = browser.client.get("/charter/print").text
    assert 'data-basis="derived"' in printed


def test_editor_refuses_an_unknown_setting_and_keeps_the_input(
        app: object, world: World, charters: Charters) -> None:
    charters.publish()
    browser = login(app, world, "admin")
    form = _form(browser) | {"reason": "Try", "content.health_basis": "optimistic"}
    r = browser.post_form("/charter/edit", form)
    assert r.status_code == 422
    assert 'name="content.health_basis"' in r.text and "Try" in r.text
