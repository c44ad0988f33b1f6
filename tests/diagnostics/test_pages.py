"""The diagnostics pages without a browser: open a round, score it, complete it, read the
results and the PDF; errors in words with the values kept; hostile text escaped."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from tests.conftest import Clients
from tests.diagnostics.test_api import API, HOSTILE, open_round, score
from tests.web.helpers import login
from tests.world import World

ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_an_administrator_runs_a_round_through_the_pages(app: object, world: World,
                                                         db: Session) -> None:
    admin = login(app, world, "admin")
    index = admin.client.get("/diagnostics")
    assert index.status_code == 200 and 'id="open-round"' in index.text
    assert 'href="/diagnostics" aria-current' not in index.text or "Diagnostics" in index.text
    opened: Any = admin.post_form("/diagnostics", {"name": HOSTILE, "instrument_version": "2026.1",
                                                   "department_id": "", "note": HOSTILE})
    assert opened.status_code == 303, opened.text
    assess_url = opened.headers["location"]
    form = admin.client.get(assess_url)
    assert form.status_code == 200 and ESCAPED in form.text and "<script>alert" not in form.text
    assert 'name="score-PG-INT-1"' in form.text and "Optimising" in form.text
    saved: Any = admin.post_form(assess_url, {"score-PG-INT-1": "3", "note-PG-INT-1": HOSTILE,
                                              "score-PA-REP-1": "1"})
    assert saved.status_code == 303, saved.text
    again = admin.client.get(assess_url).text
    assert 'value="3" checked' in again and ESCAPED in again
    round_url = assess_url.removesuffix("/assess")
    results = admin.client.get(round_url)
    assert results.status_code == 200
    page = results.text
    assert 'id="radar-chart"' in page and 'id="heatmap"' in page and 'id="evidence"' in page
    assert ESCAPED in page and "<script>alert" not in page
    assert "no data" in page  # unscored capabilities and missing evidence say so
    version = page.split('name="version" value="')[1].split('"')[0]
    done: Any = admin.post_form(f"{round_url}/complete", {"version": version})
    assert done.status_code == 303, done.text
    locked = admin.client.get(assess_url).text
    assert "scores are locked" in locked and 'id="complete-round"' not in admin.client.get(
        round_url).text
    refused: Any = admin.post_form(assess_url, {"score-PG-INT-1": "4"})
    assert refused.status_code == 409 and "locked" in refused.text


def test_bad_scores_re_render_the_form_with_the_item_named(app: object, world: World,
                                                           as_: Clients, db: Session) -> None:
    made = open_round(as_)
    lead = login(app, world, "it_lead")
    url = f"/diagnostics/rounds/{made['id']}/assess"
    bad: Any = lead.post_form(url, {"score-PG-INT-1": "9", "note-PG-INT-1": "kept note",
                                    "score-PG-INT-2": "2"})
    assert bad.status_code == 422
    assert "PG-INT-1" in bad.text and "outside 0 to 5" in bad.text
    assert "kept note" in bad.text and 'value="2" checked' in bad.text
    words: Any = lead.post_form(url, {"score-PG-INT-1": "three"})
    assert words.status_code == 422 and "whole number" in words.text
    nothing: Any = lead.post_form(url, {})
    assert nothing.status_code == 422 and "at least one item" in nothing.text
    assert as_("it_lead").get(f"{API}/rounds/{made['id']}/scores").json() == []


def test_who_sees_what_on_the_pages(app: object, world: World, as_: Clients,
                                    db: Session) -> None:
    it_round = open_round(as_, world.departments["IT"], name="IT round")
    assert score(as_, "it_lead", it_round["id"], {"PG-INT-1": 2},
                 note="private view").status_code == 200
    viewer = login(app, world, "it_viewer").client
    index = viewer.get("/diagnostics").text
    assert "IT round" in index and 'id="open-round"' not in index
    results = viewer.get(f"/diagnostics/rounds/{it_round['id']}").text
    assert "private view" not in results and 'id="complete-round"' not in results
    assert "private view" in login(app, world, "exec").client.get(
        f"/diagnostics/rounds/{it_round['id']}").text
    form = viewer.get(f"/diagnostics/rounds/{it_round['id']}/assess").text
    assert "Save my scores" not in form and "you can read the questionnaire" in form
    assert login(app, world, "hr_viewer").client.get(
        f"/diagnostics/rounds/{it_round['id']}").status_code == 404
    instrument = viewer.get("/diagnostics/instruments/2026.1")
    assert instrument.status_code == 200 and "PG-INT-1" in instrument.text


def test_the_report_pdf_renders(app: object, world: World, as_: Clients, db: Session) -> None:
    made = open_round(as_, name=HOSTILE)
    assert score(as_, "it_lead", made["id"], {"PG-INT-1": 2, "PL-CHG-2": 4},
                 note=HOSTILE).status_code == 200
    page = login(app, world, "admin").client
    for r in (page.get(f"/diagnostics/rounds/{made['id']}/report.pdf"),
              as_("exec").get(f"{API}/rounds/{made['id']}/report.pdf")):
        assert r.status_code == 200, r.text
        assert r.headers["content-type"] == "application/pdf" and r.content[:5] == b"%PDF-"
        assert len(r.content) > 5000
