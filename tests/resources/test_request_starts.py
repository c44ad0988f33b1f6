"""A queued request's earliest feasible start is the resources queue's: the request's API, its
page and a not-yet decision show the queue's month, and a lending booked for the borrowing
department moves it earlier (issue 13)."""

from __future__ import annotations

import re
from typing import Any

from tests.conftest import Clients
from tests.resources.conftest import API, month
from tests.resources.test_lending_api import _answer, _ask, _request


def _read(as_: Clients, code: str) -> dict[str, Any]:
    found = as_("exec").get(f"{API}/intake/requests", params={"q": code}).json()
    items = found["items"] if isinstance(found, dict) else found
    ident = next(r["id"] for r in items if r["code"] == code)
    return as_("exec").get(f"{API}/intake/requests/{ident}").json()  # type: ignore[no-any-return]


def _queued(as_: Clients, code: str) -> str | None:
    items = as_("exec").get(f"{API}/resources/queue").json()["items"]
    return next(i["earliest"] for i in items if i["code"] == code)  # type: ignore[no-any-return]


def _page(as_: Clients, ident: int) -> str | None:
    html = as_("exec").get(f"/intake/{ident}").text
    found = re.search(r'id="earliest-start">([^<]*)<', html)
    return found.group(1) if found else None


def test_a_lending_moves_the_waiting_requests_earliest_start_everywhere(
        as_: Clients, busy: dict[str, Any], world: Any) -> None:
    _request(as_, world, "REQ-DE", "3")  # 1 FTE a month through Q1: IT has none free then
    read = _read(as_, "REQ-DE")
    assert read["earliest_start"] == _queued(as_, "REQ-DE") == month(4)
    decided = as_("admin").post(f"{API}/intake/requests/{read['id']}/decision", json={
        "decision": "not_yet", "reason": "no data engineer free", "version": read["version"]})
    assert decided.status_code == 200, decided.text
    assert (decided.json()["stage"], decided.json()["earliest_start"]) == ("not_yet", month(4))
    assert _page(as_, read["id"]) == month(4)
    lending = _ask(as_, busy, world, fte="2").json()  # IT borrows two from Finance, Q1
    assert _read(as_, "REQ-DE")["earliest_start"] == month(4)  # asked for: nothing booked
    assert _answer(as_, "fin_lead", lending, "accept").status_code == 200  # soft-booked
    assert _read(as_, "REQ-DE")["earliest_start"] == _queued(as_, "REQ-DE") == month(1)
    assert _page(as_, read["id"]) == month(1)


def test_the_lenders_waiting_request_moves_later(as_: Clients, busy: dict[str, Any],
                                                 world: Any) -> None:
    fin = as_("fin_pm").post(f"{API}/intake/requests", json={
        "code": "REQ-FIN", "title": "Finance data", "department_id": world.departments["FIN"],
        "desired_start": f"{month(1)}-01",
        "demand": [{"role": "Data engineer", "period": f"{month(1)[:4]}-Q1",
                    "fte_months": "3"}]})
    assert fin.status_code == 201, fin.text
    assert fin.json()["earliest_start"] == month(1)
    lending = _ask(as_, busy, world, fte="2").json()
    _answer(as_, "fin_lead", lending, "accept")
    later = _read(as_, "REQ-FIN")["earliest_start"]
    assert later == _queued(as_, "REQ-FIN") and later is not None and later > month(1)


def test_a_decided_request_has_no_queue_start(as_: Clients, busy: dict[str, Any],
                                             world: Any) -> None:
    _request(as_, world, "REQ-NO", "3")
    read = _read(as_, "REQ-NO")
    rejected = as_("admin").post(f"{API}/intake/requests/{read['id']}/decision", json={
        "decision": "reject", "reason": "not ours", "version": read["version"]}).json()
    assert rejected["earliest_start"] is None and _page(as_, read["id"]) is None
    assert "REQ-NO" not in {i["code"] for i in
                            as_("exec").get(f"{API}/resources/queue").json()["items"]}
