"""The supply kept per worker (``heatmap.SUPPLY``, keyed by the newest audit entry of people,
calendars, holidays and departments): every write that changes the supply shows at once, the
same figures as computed afresh; a write elsewhere keeps it."""

from __future__ import annotations

from typing import Any

from epmo.resources import heatmap
from tests.conftest import Clients
from tests.resources.conftest import API, YEAR, month

Heat = dict[str, Any]


def _read(as_: Clients, start: str = month(1), **params: Any) -> Heat:
    r = as_("exec").get(f"{API}/resources/heatmap", params={"start": start, "months": 12}
                        | params)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def _fresh(as_: Clients, start: str = month(1), **params: Any) -> Heat:
    heatmap.CACHE.clear()
    heatmap.SUPPLY.clear()
    return _read(as_, start, **params)


def _changed(as_: Clients, before: Heat) -> Heat:
    """The heatmap after a write: it differs from ``before`` and equals the one computed
    with nothing kept; a department's heatmap and another horizon's likewise."""
    after = _read(as_)
    department = _read(as_, department_id=after["rows"][0]["department_id"])
    later = _read(as_, month(2))
    assert after != before
    assert after == _fresh(as_)
    assert department == _fresh(as_, department_id=after["rows"][0]["department_id"])
    assert later == _fresh(as_, month(2))
    return after


def _capacity(heat: Heat, department: str, role: str = "Data engineer") -> list[float]:
    row = next(r for r in heat["rows"] if r["department"] == department and r["role"] == role)
    return [c["capacity"] for c in row["cells"]]


def _ok(r: Any, status: int = 200) -> dict[str, Any]:
    assert r.status_code == status, r.text
    return r.json() if r.content else {}  # type: ignore[no-any-return]


def test_every_write_to_the_supply_shows(cache_on: None, as_: Clients, world: Any,
                                         engineers: dict[str, int]) -> None:
    admin, it = as_("admin"), world.departments["IT"]
    heat = _read(as_)
    assert heat == _fresh(as_)
    heat = _read(as_)  # kept: the same again
    person = _ok(admin.post(f"{API}/people", json={
        "code": "NEW_DE", "name": "New engineer", "department_id": it,
        "role": "Data engineer"}), 201)
    heat = _changed(as_, heat)
    assert _capacity(heat, "IT")[0] > 1.9
    person = _ok(admin.patch(f"{API}/people/{person['id']}", json={
        "version": person["version"], "weekly_capacity_hours": "20"}))
    heat = _changed(as_, heat)
    period = _ok(admin.post(f"{API}/people/{person['id']}/capacity-periods", json={
        "starts": f"{YEAR}-02-01", "ends": f"{YEAR}-04-30", "weekly_hours": "32"}), 201)
    heat = _changed(as_, heat)
    _ok(admin.delete(f"{API}/capacity-periods/{period['id']}",
                     params={"version": period["version"]}), 204)
    heat = _changed(as_, heat)
    off = _ok(admin.post(f"{API}/people/{engineers['it_de']}/time-off", json={
        "starts": f"{YEAR}-03-02", "ends": f"{YEAR}-03-13"}), 201)
    heat = _changed(as_, heat)
    _ok(admin.delete(f"{API}/time-off/{off['id']}", params={"version": off["version"]}), 204)
    heat = _changed(as_, heat)
    holiday = _ok(admin.post(f"{API}/holidays", json={
        "day": f"{YEAR}-05-05", "name": "IT day", "department_id": it}), 201)
    heat = _changed(as_, heat)
    _ok(admin.delete(f"{API}/holidays/{holiday['id']}",
                     params={"version": holiday["version"]}), 204)
    heat = _changed(as_, heat)
    person = _ok(admin.patch(f"{API}/people/{person['id']}", json={
        "version": person["version"], "department_id": world.departments["FIN"]}))
    heat = _changed(as_, heat)
    person = _ok(admin.patch(f"{API}/people/{person['id']}", json={
        "version": person["version"], "role": "Analyst"}))
    heat = _changed(as_, heat)
    _ok(admin.patch(f"{API}/people/{person['id']}", json={
        "version": person["version"], "active": False}))
    _changed(as_, heat)


def test_a_department_moved_takes_its_new_parents_holidays(cache_on: None, as_: Clients,
                                                          world: Any,
                                                          engineers: dict[str, int]) -> None:
    admin = as_("admin")
    _ok(admin.post(f"{API}/holidays", json={
        "day": f"{YEAR}-06-09", "name": "Finance day",
        "department_id": world.departments["FIN"]}), 201)
    child = _ok(admin.post(f"{API}/departments", json={
        "code": "FIN-SUB", "name": "Finance below", "parent_id": world.departments["FIN"]}),
        201)
    _ok(admin.post(f"{API}/people", json={
        "code": "SUB_DE", "name": "Sub engineer", "department_id": child["id"],
        "role": "Data engineer"}), 201)
    heat = _read(as_)
    assert heat == _fresh(as_)
    _ok(admin.patch(f"{API}/departments/{child['id']}", json={
        "version": child["version"], "parent_id": world.departments["IT"]}))
    heat = _changed(as_, heat)
    assert _capacity(heat, "FIN-SUB")[5] == 1.0  # no Finance day now


def test_a_write_elsewhere_keeps_the_supply(cache_on: None, as_: Clients,
                                            busy: dict[str, Any]) -> None:
    heat = _read(as_)
    kept = len(heatmap.SUPPLY)
    r = as_("it_pm").put(f"{API}/projects/{busy['id']}/demand", json={
        "version": as_("it_pm").get(f"{API}/projects/{busy['id']}").json()["version"],
        "lines": [{"role": "Data engineer", "period": f"{YEAR}-Q1", "fte_months": "3"}]})
    assert r.status_code == 200, r.text
    after = _read(as_)
    assert after != heat and len(heatmap.SUPPLY) == kept  # the kept supply served it
    assert after == _fresh(as_)
