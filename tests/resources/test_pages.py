"""The resources pages without a browser: the heatmap's links open the cell, and the lending
form's number fields take fractions (the browser journey does the rest)."""

from __future__ import annotations

import html
import re
from typing import Any

from sqlalchemy.orm import Session

from tests.resources.conftest import month
from tests.web.helpers import login
from tests.world import World


def test_every_cell_link_of_the_heatmap_opens(app: object, world: World,
                                              busy: dict[str, Any]) -> None:
    client = login(app, world, "it_lead").client
    page = client.get("/resources", params={"start": month(1), "months_shown": "3"})
    assert page.status_code == 200
    links = {html.unescape(href) for href in re.findall(r'href="(/resources/cell\?[^"]+)"',
                                                        page.text)}
    assert len(links) >= 3
    for link in sorted(links):
        cell = client.get(link)
        assert cell.status_code == 200, (link, cell.status_code)
    it = client.get(sorted(link for link in links if "Data%20engineer" in link
                           or "Data+engineer" in link)[0])
    assert "IT-DATA" in it.text


def test_lending_form_takes_fractions_of_an_fte(app: object, world: World, db: Session) -> None:
    page = login(app, world, "it_lead").client.get("/resources/lending")
    fte = re.search(r'<input[^>]*name="fte"[^>]*>', page.text)
    assert fte and 'step="0.01"' in fte.group(0) and "&#34;" not in fte.group(0)


def test_holidays_page_offers_only_what_the_reader_may_keep(app: object, world: World,
                                                            db: Session) -> None:
    admin = login(app, world, "admin").client
    page = admin.get("/resources/holidays")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    added = admin.post("/resources/holidays", data={
        "csrf_token": token.group(1), "day": "2027-12-24", "name": "<b>Eve</b>"})
    assert added.status_code in (200, 303), added.text
    shown = admin.get("/resources/holidays").text
    assert "&lt;b&gt;Eve&lt;/b&gt;" in shown and "Remove" in shown
    lead = login(app, world, "it_lead").client.get("/resources/holidays").text
    assert "&lt;b&gt;Eve&lt;/b&gt;" in lead and "Remove" not in lead  # everyone's: admins'
    assert 'name="department_id"' in lead and 'value="">everyone' not in lead
    viewer = login(app, world, "hr_viewer").client.get("/resources/holidays").text
    assert 'name="day"' not in viewer and "kept by EPMO administrators" in viewer
