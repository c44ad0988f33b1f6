"""Replanning a pushed project or milestone: upstream slips, downstream re-forecasts through
every way in (API, form, status report, report upload, import) without a conflict, and the
stored implied dates stay those of a full recompute."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from epmo.engines.propagation import full_recompute
from epmo.network import cache, events, nodes
from epmo.network.models import ChangeEvent, NetworkDate
from epmo.portfolio.models import Milestone, Project
from tests.imports.files import upload
from tests.network.conftest import API, Net
from tests.web.helpers import login
from tests.world import World

PUSHED = date(2027, 6, 30)  # C's implied start once B finishes on 30 June


def _link_projects(net: Net, pred: str, succ: str) -> None:
    r = net.as_("admin").post(f"{API}/dependencies", json={
        "predecessor_project_id": net.projects[pred]["id"],
        "successor_project_id": net.projects[succ]["id"], "type": "FS"})
    assert r.status_code == 201, r.text


def _patch_project(net: Net, user: str, key: str, **fields: Any) -> Any:
    url = f"{API}/projects/{net.projects[key]['id']}"
    version = net.as_("admin").get(url).json()["version"]
    return net.as_(user).patch(url, json={"version": version, **fields})


def _implied(db: Session, node: int) -> tuple[date, date] | None:
    db.expire_all()
    row = db.get(NetworkDate, node)
    return None if row is None else (row.implied_start, row.implied_finish)


def _c_node(net: Net) -> int:
    return nodes.project_node(net.projects["C"]["id"])


def assert_stored_is_recomputed(db: Session) -> None:
    """The stored implied dates are exactly those of a full recompute of the stored network."""
    db.expire_all()
    cache.clear()
    loaded = cache.network_for(db)
    state = full_recompute(loaded.network, cache.own_dates(db, loaded.network))
    expected = {}
    for node in loaded.network.ids:
        dates = state.dates(node)
        if dates != state.base(node):
            expected[node] = (nodes.to_date(dates.start), nodes.to_date(dates.finish))
    stored = {row.node: (row.implied_start, row.implied_finish)
              for row in db.scalars(select(NetworkDate))}
    assert stored == expected


def _pushed(net: Net, db: Session) -> Net:
    """B -> C (finish to start); B slips to 30 June, so C (own start 1 May) is pushed."""
    _link_projects(net, "B", "C")
    r = _patch_project(net, "fin_pm", "B", forecast_finish="2027-06-30")
    assert r.status_code == 200, r.text
    assert _implied(db, _c_node(net)) == (PUSHED, date(2027, 7, 30))
    return net


def _events_of(db: Session, project_id: int) -> list[ChangeEvent]:
    db.expire_all()
    return list(db.scalars(select(ChangeEvent).where(ChangeEvent.project_id == project_id)))


def _caused(body: dict[str, object]) -> list[tuple[object, ...]]:
    """The change events a write's response says it caused: (id, field, new date)."""
    found = body["change_events"]
    assert isinstance(found, list)
    return [(e["id"], e["field"], e["new_date"]) for e in found]


def test_pushed_project_is_reforecast_through_the_api(net: Net, db: Session) -> None:
    _pushed(net, db)
    r = _patch_project(net, "fin_pm", "C", forecast_finish="2027-09-30")
    assert r.status_code == 200, r.text
    # Still waiting for B: the 152 days from 1 May to 30 September start on 30 June.
    assert _implied(db, _c_node(net)) == (PUSHED, date(2027, 11, 29))
    [event] = _events_of(db, net.projects["C"]["id"])
    assert (event.field, event.new_date) == ("forecast_finish", date(2027, 9, 30))
    # The PATCH says which change events it caused.
    assert _caused(r.json()) == [(event.id, "forecast_finish", "2027-09-30")]
    assert_stored_is_recomputed(db)


def test_pushed_project_moves_clear_of_its_predecessor(net: Net, db: Session) -> None:
    _pushed(net, db)
    # Start and finish both move in one write, past B's finish: C sits on its own dates.
    r = _patch_project(net, "fin_pm", "C", forecast_start="2027-07-15",
                       forecast_finish="2027-08-31")
    assert r.status_code == 200, r.text
    assert _implied(db, _c_node(net)) is None
    # Pulled in again before B's finish: C is pushed again.
    r = _patch_project(net, "fin_pm", "C", forecast_start="2027-06-01")
    assert r.status_code == 200, r.text
    assert _implied(db, _c_node(net)) == (PUSHED, date(2027, 9, 29))
    assert_stored_is_recomputed(db)


def test_pushed_milestone_is_reforecast(chain: Net, db: Session) -> None:
    assert chain.move("it_pm", "A1", "2027-01-20").status_code == 200
    b1 = nodes.milestone_node(chain.m("B1"))
    assert _implied(db, b1) == (date(2027, 1, 20), date(2027, 1, 20))
    r = chain.move("fin_pm", "B1", "2027-01-25", reason="replanned after A1")
    assert r.status_code == 200, r.text
    assert r.json()["change_event"]["reason"] == "replanned after A1"
    assert _implied(db, b1) is None  # its own date is later than A1 now
    r = chain.move("fin_pm", "B1", "2027-01-18")
    assert r.status_code == 200, r.text
    assert _implied(db, b1) == (date(2027, 1, 20), date(2027, 1, 20))
    assert_stored_is_recomputed(db)


class _FormReader(HTMLParser):
    """The values a browser would submit from the form with the given id."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id, self.inside, self.select = form_id, False, ""
        self.values: dict[str, list[str]] = {}
        self.text: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        if tag == "input" and a.get("type") not in ("submit", "button", "checkbox", "radio"):
            self.values.setdefault(a.get("name", ""), []).append(a.get("value", ""))
        elif tag == "select":
            self.select = a.get("name", "")
            self.values.setdefault(self.select, [])
        elif tag == "option" and self.select and "selected" in a:
            self.values[self.select].append(a.get("value", ""))
        elif tag == "textarea":
            self.text, self.select = "", a.get("name", "")

    def handle_data(self, data: str) -> None:
        if self.text is not None:
            self.text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = ""
        elif tag == "textarea" and self.text is not None:
            self.values[self.select] = [self.text]
            self.text, self.select = None, ""


def _form_of(html: str) -> dict[str, Any]:
    reader = _FormReader("project-form")
    reader.feed(html)
    values = {k: v if len(v) != 1 else v[0] for k, v in reader.values.items() if k}
    # A single-valued select with nothing selected sends its first option (the blank one).
    return {k: ("" if v == [] else v) for k, v in values.items()}


def test_pushed_project_is_reforecast_on_the_edit_page(net: Net, db: Session, app: object,
                                                       world: World) -> None:
    _pushed(net, db)
    browser = login(app, world, "fin_pm")
    url = f"/projects/{net.projects['C']['id']}/edit"
    page = browser.client.get(url)
    assert page.status_code == 200
    form = _form_of(page.text)
    form.pop("csrf_token", None)
    r = browser.post_form(url, form | {"forecast_finish": "2027-09-30"})
    assert r.status_code == 303, r.text  # type: ignore[attr-defined]
    assert _implied(db, _c_node(net)) == (PUSHED, date(2027, 11, 29))
    assert_stored_is_recomputed(db)


def _this_month() -> str:
    return date.today().replace(day=1).isoformat()


def test_pushed_project_is_reforecast_in_a_status_report(net: Net, db: Session) -> None:
    _pushed(net, db)
    c = net.projects["C"]
    r = net.as_("fin_pm").post(f"{API}/projects/{c['id']}/status-reports", json={
        "period_start": _this_month(), "overall": "amber", "schedule": "amber",
        "cost": "green", "achievements": "Replanned after B", "forecast_finish": "2027-09-30"})
    assert r.status_code == 201, r.text
    assert _implied(db, _c_node(net)) == (PUSHED, date(2027, 11, 29))
    [event] = _events_of(db, c["id"])
    assert (event.source, event.field) == ("report", "forecast_finish")
    assert _caused(r.json()) == [(event.id, "forecast_finish", "2027-09-30")]
    assert_stored_is_recomputed(db)


def test_pushed_project_is_reforecast_by_a_report_upload(net: Net, db: Session) -> None:
    _pushed(net, db)
    c = net.projects["C"]
    content = ("project_code,period_start,overall,schedule,cost,achievements,forecast_finish\n"
               f"{c['code']},{_this_month()},amber,amber,green,Replanned,2027-09-30\n").encode()
    r = net.as_("fin_pm").post(f"{API}/status-reports/upload",
                               files={"file": ("reports.csv", content)})
    assert r.status_code == 200, r.text
    assert _implied(db, _c_node(net)) == (PUSHED, date(2027, 11, 29))
    [event] = _events_of(db, c["id"])
    assert _caused(r.json()) == [(event.id, "forecast_finish", "2027-09-30")]
    assert_stored_is_recomputed(db)


def test_pushed_project_is_reforecast_by_an_import(net: Net, db: Session) -> None:
    _pushed(net, db)
    c = net.projects["C"]
    content = (f"code,name,department_code,forecast_finish\n"
               f"{c['code']},{c['name']},FIN,2027-09-30\n").encode()
    r = upload(net.as_("admin"), "projects", content)
    assert r.status_code in (200, 201), r.text
    assert _implied(db, _c_node(net)) == (PUSHED, date(2027, 11, 29))
    [event] = _events_of(db, c["id"])
    assert event.source == "import"
    assert _caused(r.json()) == [(event.id, "forecast_finish", "2027-09-30")]
    assert_stored_is_recomputed(db)


def test_one_import_moves_a_predecessor_and_its_pushed_successor(net: Net, db: Session) -> None:
    """Several notes in one flush: B slips further and C, pushed by B, re-forecasts."""
    _pushed(net, db)
    b, c = net.projects["B"], net.projects["C"]
    content = (f"code,name,department_code,forecast_finish\n"
               f"{c['code']},{c['name']},FIN,2027-09-30\n"
               f"{b['code']},{b['name']},FIN,2027-07-31\n").encode()
    r = upload(net.as_("admin"), "projects", content)
    assert r.status_code in (200, 201), r.text
    assert _implied(db, _c_node(net)) == (date(2027, 7, 31), date(2027, 12, 30))
    assert_stored_is_recomputed(db)


def test_one_import_frees_and_pushes_the_same_project_again(net: Net, db: Session) -> None:
    """C's implied row goes (C moves clear of B) and comes back (B slips past C) in one go."""
    _pushed(net, db)
    b, c = net.projects["B"], net.projects["C"]
    content = (f"code,name,department_code,forecast_start,forecast_finish\n"
               f"{c['code']},{c['name']},FIN,2027-07-15,2027-08-31\n"
               f"{b['code']},{b['name']},FIN,,2027-08-15\n").encode()
    r = upload(net.as_("admin"), "projects", content)
    assert r.status_code in (200, 201), r.text
    # C's own 47 days (15 July - 31 August) start when B finishes, on 15 August.
    assert _implied(db, _c_node(net)) == (date(2027, 8, 15), date(2027, 10, 1))
    assert_stored_is_recomputed(db)


def test_milestone_and_project_in_one_flush(net: Net, db: Session) -> None:
    """One transaction moves a milestone and a project that both push the same successor,
    and the successor itself (the before-commit hook processes them together)."""
    net.milestone("C1x", "C", "2027-05-20")
    _pushed(net, db)
    b1 = net.milestones.get("B1")
    assert b1 is not None
    r = net.as_("admin").post(f"{API}/dependencies", json={
        "predecessor_milestone_id": b1["id"], "successor_project_id": net.projects["C"]["id"],
        "type": "FS"})
    assert r.status_code == 201, r.text
    db.expire_all()
    milestone = db.get(Milestone, b1["id"])
    b = db.get(Project, net.projects["B"]["id"])
    c = db.get(Project, net.projects["C"]["id"])
    assert milestone is not None and b is not None and c is not None
    milestone.forecast_date = date(2027, 7, 10)
    b.forecast_finish = date(2027, 7, 5)
    c.forecast_start, c.forecast_finish = date(2027, 6, 1), date(2027, 6, 30)
    db.flush()
    found = events.settle_changes(db, "api", "one transaction")
    assert {(e.project_id, e.field) for e in found} == {
        (b.id, "forecast_finish"), (b.id, "forecast_date"), (c.id, "forecast_start")}
    db.flush()
    assert _implied(db, _c_node(net)) == (date(2027, 7, 10), date(2027, 8, 8))
    assert_stored_is_recomputed(db)
