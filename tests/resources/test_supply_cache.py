"""The supply kept per worker (``heatmap.SUPPLY``, keyed by the newest audit entry of people,
calendars, holidays and departments): every write that changes the supply shows at once, the
same figures as computed afresh; a write elsewhere keeps it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from epmo.audit import repository as audit_repository
from epmo.db import unit_of_work
from epmo.resources import heatmap, supply_kept
from epmo.resources.models import CapacityPeriod
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


def _views(as_: Clients, world: Any) -> Heat:
    """What the supply shows in: the whole heatmap, a department's, a later horizon's and
    cells of two departments (each reads its own kept supply)."""
    it, fin = world.departments["IT"], world.departments["FIN"]
    found = {"all": _read(as_), "it": _read(as_, department_id=it), "later": _read(as_, month(2))}
    for department in (it, fin):
        for role, shown in (("Data engineer", 2), ("Data engineer", 4), ("Tester", 3)):
            r = as_("exec").get(f"{API}/resources/heatmap/cell", params={
                "department_id": department, "role": role, "month": month(shown)})
            found[f"cell {department} {role} {shown}"] = _ok(r)
    return found


@pytest.fixture
def counts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times the supply was counted whole (``supply_kept.count``, the real one)."""
    calls = [0]
    real = supply_kept.count

    def counted(*args: Any, **kwargs: Any) -> supply_kept.KeptSupply:
        calls[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(supply_kept, "count", counted)
    return calls


def _after(as_: Clients, world: Any, before: Heat, counts: list[int],
           patched: bool = True, new_keys: int = 0, shows: bool = True) -> Heat:
    """The views after a write: served from the kept supplies (patched, or counted again
    whole; ``new_keys``: views whose departments changed, counted for want of a kept one),
    they equal the views computed with nothing kept; the supplies they were served from stay
    kept, so the next write patches what this one patched."""
    was = counts[0]
    after = _views(as_, world)
    assert (counts[0] == was + new_keys) is patched
    assert (after["all"] != before["all"]) is shows
    _kept_as_counted()
    kept = dict(heatmap.SUPPLY.entries)
    heatmap.CACHE.clear()
    heatmap.SUPPLY.clear()
    assert after == _views(as_, world)
    heatmap.SUPPLY.clear()
    heatmap.SUPPLY.entries.update(kept)
    return after


def _kept_as_counted() -> None:
    """Every supply kept at the head now is, float for float and in the same order (which
    selection's sums over departments follow), the supply counted afresh."""
    with unit_of_work(write=False) as session:
        head = audit_repository.entity_head(session, supply_kept.SUPPLY_TABLES)
        kept = [(key, value) for (at, *key), (_, value) in heatmap.SUPPLY.entries.items()
                if at == head]
        assert len(kept) >= 3  # the whole enterprise, IT and below, the later horizon, cells
        for (months, wanted), value in kept:
            fresh = supply_kept.count(session, list(months), wanted).sheet
            assert list(value.sheet.supply.items()) == list(fresh.supply.items())
            assert list(value.sheet.spelling.items()) == list(fresh.spelling.items())


def _period(period_id: int, **changes: Any) -> None:
    """A capacity period changed through the ORM (the API only adds and deletes them)."""
    with unit_of_work(actor_label="tests") as session:
        row = session.get(CapacityPeriod, period_id)
        assert row is not None
        for name, value in changes.items():
            setattr(row, name, value)


@pytest.mark.parametrize("at_once", [False, True])
def test_every_write_to_the_supply_shows(cache_on: None, as_: Clients, world: Any,
                                         engineers: dict[str, int], counts: list[int],
                                         monkeypatch: pytest.MonkeyPatch,
                                         at_once: bool) -> None:
    """Each write patched in: the rows it touched counted again (or, ``at_once``, with this
    small enterprise's rows as if they were many, everyone added up again from the people
    kept), the same as counted afresh."""
    if at_once:
        monkeypatch.setattr(supply_kept, "ROWS_AT_ONCE", 0)
    admin, it = as_("admin"), world.departments["IT"]
    heat = _views(as_, world)
    assert heat == _views(as_, world)  # kept: the same again
    person = _ok(admin.post(f"{API}/people", json={
        "code": "NEW_DE", "name": "New engineer", "department_id": it,
        "role": "Data engineer"}), 201)
    heat = _after(as_, world, heat, counts)
    assert _capacity(heat["all"], "IT")[0] > 1.9
    person = _ok(admin.patch(f"{API}/people/{person['id']}", json={
        "version": person["version"], "weekly_capacity_hours": "20"}))
    heat = _after(as_, world, heat, counts)
    period = _ok(admin.post(f"{API}/people/{person['id']}/capacity-periods", json={
        "starts": f"{YEAR}-02-01", "ends": f"{YEAR}-04-30", "weekly_hours": "32"}), 201)
    heat = _after(as_, world, heat, counts)
    _period(period["id"], weekly_hours=Decimal("24"), ends=date(YEAR, 5, 20))
    heat = _after(as_, world, heat, counts)  # the entry does not name the person: looked up
    _ok(admin.delete(f"{API}/capacity-periods/{period['id']}",
                     params={"version": period["version"] + 1}), 204)
    heat = _after(as_, world, heat, counts)
    off = _ok(admin.post(f"{API}/people/{engineers['it_de']}/time-off", json={
        "starts": f"{YEAR}-03-02", "ends": f"{YEAR}-03-13"}), 201)
    heat = _after(as_, world, heat, counts)
    _ok(admin.delete(f"{API}/time-off/{off['id']}", params={"version": off["version"]}), 204)
    heat = _after(as_, world, heat, counts)
    holiday = _ok(admin.post(f"{API}/holidays", json={
        "day": f"{YEAR}-05-05", "name": "IT day", "department_id": it}), 201)
    heat = _after(as_, world, heat, counts)  # IT's rows (and those below) counted again
    _ok(admin.delete(f"{API}/holidays/{holiday['id']}",
                     params={"version": holiday["version"]}), 204)
    heat = _after(as_, world, heat, counts)
    everyone = _ok(admin.post(f"{API}/holidays", json={
        "day": f"{YEAR}-06-02", "name": "Everyone's day"}), 201)
    heat = _after(as_, world, heat, counts)  # every row counted again
    _ok(admin.delete(f"{API}/holidays/{everyone['id']}",
                     params={"version": everyone["version"]}), 204)
    heat = _after(as_, world, heat, counts)
    person = _ok(admin.patch(f"{API}/people/{person['id']}", json={
        "version": person["version"], "department_id": world.departments["FIN"]}))
    heat = _after(as_, world, heat, counts)
    person = _ok(admin.patch(f"{API}/people/{person['id']}", json={
        "version": person["version"], "role": "Analyst"}))
    heat = _after(as_, world, heat, counts)
    _ok(admin.patch(f"{API}/people/{person['id']}", json={
        "version": person["version"], "active": False}))
    heat = _after(as_, world, heat, counts)
    empty = _ok(admin.post(f"{API}/departments", json={
        "code": "IT-NEW", "name": "IT, new", "parent_id": it}), 201)
    heat = _after(as_, world, heat, counts, new_keys=1, shows=False)  # no one there yet;
    # IT's heatmap takes in IT-NEW: other departments, counted for the first time
    _ok(admin.post(f"{API}/holidays", json={
        "day": f"{YEAR}-07-07", "name": "New team's day", "department_id": empty["id"]}), 201)
    heat = _after(as_, world, heat, counts, shows=False)  # kept for when someone comes
    _ok(admin.post(f"{API}/people", json={
        "code": "NEW_TEAM", "name": "New team", "department_id": empty["id"],
        "role": "Data engineer"}), 201)
    heat = _after(as_, world, heat, counts)
    assert _capacity(heat["all"], "IT-NEW")[6] < 1.0  # the team's day counts


def test_a_role_keeps_the_spelling_of_its_first_holder(cache_on: None, as_: Clients,
                                                        world: Any, engineers: dict[str, int],
                                                        counts: list[int]) -> None:
    """The row's spelling is its first active holder's: when they leave, the next one's."""
    admin, fin = as_("admin"), world.departments["FIN"]
    first = _ok(admin.post(f"{API}/people", json={
        "code": "T1", "name": "Tester one", "department_id": fin, "role": "Tester"}), 201)
    _ok(admin.post(f"{API}/people", json={
        "code": "T2", "name": "Tester two", "department_id": world.departments["IT"],
        "role": "TESTER", "weekly_capacity_hours": "30"}), 201)
    heat = _views(as_, world)
    assert {r["role"] for r in heat["all"]["rows"]} >= {"Tester"}
    _ok(admin.patch(f"{API}/people/{first['id']}", json={
        "version": first["version"], "active": False}))
    heat = _after(as_, world, heat, counts)
    assert "TESTER" in {r["role"] for r in heat["all"]["rows"]}


def test_many_people_written_count_everything_again(cache_on: None, as_: Clients,
                                                     world: Any, engineers: dict[str, int],
                                                     counts: list[int],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    heat = _views(as_, world)
    monkeypatch.setattr(supply_kept, "MAX_PEOPLE", 1)
    admin = as_("admin")
    for code in ("M1", "M2"):
        _ok(admin.post(f"{API}/people", json={
            "code": code, "name": code, "department_id": world.departments["IT"],
            "role": "Data engineer"}), 201)
    _after(as_, world, heat, counts, patched=False)


def test_a_department_moved_takes_its_new_parents_holidays(cache_on: None, as_: Clients,
                                                          world: Any,
                                                          engineers: dict[str, int],
                                                          counts: list[int]) -> None:
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
    heat = _views(as_, world)
    assert _capacity(heat["all"], "FIN-SUB")[5] < 1.0  # the Finance day
    _ok(admin.patch(f"{API}/departments/{child['id']}", json={
        "version": child["version"], "parent_id": world.departments["IT"]}))
    heat = _after(as_, world, heat, counts, new_keys=1)  # FIN-SUB's rows counted again;
    # IT's heatmap now takes in FIN-SUB: other departments, counted for the first time
    assert _capacity(heat["all"], "FIN-SUB")[5] == 1.0  # no Finance day now


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
