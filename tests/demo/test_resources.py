"""The demo's resource plan: calendars and holidays, an IT hot spot next quarter that the IT lead
sees with another department free to lend, and lendings in every state, made by the demo's users."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from epmo.auth import service as auth_service
from epmo.auth.models import User
from epmo.auth.policy import scope_below
from epmo.db import UnitOfWork
from epmo.demo.generator import make_plan
from epmo.demo.lending import next_quarter
from epmo.demo.service import load_demo
from epmo.org import repository as org_repository
from epmo.org.models import Person
from epmo.resources import months as m
from epmo.resources import repository_totals, views
from epmo.resources.heatmap import heatmap
from epmo.resources.models import Lending
from epmo.resources.queue import plan_queue
from tests.demo.conftest import fresh_engine, load_into
from tests.resources.test_demand_totals import recomputed

TODAY = date(2026, 11, 16)  # next quarter: 2027-Q1; the next three months: Dec to Feb


def _client(app: object, db: Session, email: str) -> TestClient:
    user = db.scalar(select(User).where(User.email == email))
    assert user is not None
    _, token = auth_service.create_token(db, user, "test")
    return TestClient(app, headers={"Authorization": f"Bearer {token}"})  # type: ignore[arg-type]


def _it(db: Session) -> tuple[int, frozenset[int]]:
    """The IT department's id and the departments at or below it."""
    it = db.scalar(text("SELECT id FROM department WHERE code = 'IT'"))
    assert it is not None
    return it, scope_below(org_repository.department_parents(db), {it})


def _calendar_of(db: Session, email: str) -> dict[str, object]:
    """The calendar of the person behind a demo login, as the API reads it."""
    person = db.get(Person, db.scalar(select(User.person_id).where(User.email == email)))
    assert person is not None
    return views.calendar(db, person, TODAY, keeper=True).model_dump()


def test_calendars_and_holidays_exist(db: Session) -> None:
    result = load_demo(db, make_plan("small", seed=5, today=TODAY))
    people = db.scalar(text("SELECT COUNT(*) FROM person WHERE active")) or 0
    full_time = db.scalar(text("SELECT COUNT(*) FROM person WHERE active "
                               "AND weekly_capacity_hours >= 40 AND role <> ''")) or 0
    assert result.counts["capacity_period"] == round(full_time * 0.1) > 0
    hours = db.scalars(text("SELECT DISTINCT weekly_hours FROM capacity_period")).all()
    assert {float(h) for h in hours} <= {20.0, 24.0, 28.0, 32.0}
    away = db.execute(text("SELECT person_id, COUNT(*) FROM time_off WHERE kind = 'leave' "
                           "GROUP BY person_id")).all()
    assert len(away) == people and all(1 <= n <= 4 for _, n in away)
    spans = db.execute(text("SELECT starts, ends FROM time_off")).all()
    assert all(TODAY < date.fromisoformat(str(a)) <= date.fromisoformat(str(b))
               < date(2027, 12, 31) for a, b in spans)
    holidays = db.execute(text("SELECT h.name, d.code FROM holiday h "
                               "LEFT JOIN department d ON d.id = h.department_id")).all()
    assert {name for name, code in holidays if code is None} >= {"Christmas Day",
                                                                 "New Year's Day"}
    assert {code for _, code in holidays if code is not None} == {"OPS-MFG"}
    calendar = _calendar_of(db, "member.it@demo.epmo")
    assert calendar["time_off"] and len(calendar["fte"]) == 12
    assert min(calendar["fte"]) < 1.0  # leave or a holiday shows in the month's FTE
    # the demand went in by bulk INSERTs: the load sums the kept committed demand itself
    assert repository_totals.kept_totals(db) == recomputed(db) != {}


def test_it_is_overloaded_next_quarter_and_may_borrow(app: object, db: Session) -> None:
    load_demo(db, make_plan("small", seed=1, today=TODAY))
    it, below = _it(db)
    shown = m.months_from(m.month_name(m.month_index(m.month_of(TODAY)) + 1), 3)
    mine = [o for o in heatmap(db, shown, department_id=it).overloads if o.department_id in below]
    assert mine, "no IT overload in the next three months"
    quarter = heatmap(db, next_quarter(TODAY))
    hot = [o for o in quarter.overloads if o.department_id in below]
    assert hot and all(o.month in next_quarter(TODAY) for o in hot)
    free_elsewhere = {r.role for r in quarter.rows if r.department_id not in below
                      and all(c.free > 0 for c in r.cells)}
    assert {o.role for o in hot} & free_elsewhere, "nobody outside IT could lend"
    lead = _client(app, db, "lead.it@demo.epmo")
    seen = lead.get("/api/v1/resources/heatmap", params={
        "start": next_quarter(TODAY)[0], "months": 3, "department_id": it}).json()
    words = [o["words"] for o in seen["overloads"]]
    assert any(w.startswith(f"{o.department} · {o.role} · ") for o in hot for w in words)


def test_lendings_in_every_state_by_the_demo_users(app: object, db: Session) -> None:
    result = load_demo(db, make_plan("small", seed=1, today=TODAY))
    assert result.counts["lending"] == 7
    rows = db.scalars(select(Lending).order_by(Lending.id)).all()
    assert Counter(r.status for r in rows) == {"requested": 2, "soft": 2, "countered": 1,
                                               "hard": 1, "declined": 1}
    users = {u.id: u.email for u in db.scalars(select(User))}
    _, below = _it(db)
    asked_by_it = [r for r in rows if r.borrower_department_id in below]
    assert {users[r.requested_by_id] for r in asked_by_it if r.requested_by_id} == {
        "lead.it@demo.epmo", "pm.it@demo.epmo"}
    lent_by_it = [r for r in rows if r.lender_department_id in below]
    assert [r.status for r in lent_by_it] == ["requested", "soft"]
    assert all(r.note and r.note[0].isupper() and "{" not in r.note for r in rows)
    answered = [r for r in rows if r.status != "requested"]
    assert all(r.response and r.responded_by_id for r in answered)
    countered = next(r for r in rows if r.status == "countered")
    assert countered.offer_fte is not None and countered.offer_starts is not None
    lead = _client(app, db, "lead.it@demo.epmo")
    listed = lead.get("/api/v1/lending", params={"limit": 100}).json()["items"]
    assert {"accept", "counter", "decline"} <= {a for item in listed
                                                for a in item["may_answer"]}
    found = lead.get("/api/v1/notifications", params={"limit": 100}).json()
    items = found["items"] if isinstance(found, dict) else found
    assert any("Lending requested" in (n.get("subject") or n.get("title") or "")
               for n in items), items[:3]


def test_the_same_seed_gives_the_same_plan(tmp_path: Path) -> None:
    found = []
    for name in ("one", "two"):
        engine = fresh_engine(tmp_path, name)
        load_into(engine, make_plan(projects=80, seed=9, today=TODAY))
        with UnitOfWork(engine) as session:
            found.append([session.execute(text(query)).all() for query in (
                "SELECT person_id, starts, ends, kind FROM time_off ORDER BY id",
                "SELECT person_id, starts, weekly_hours FROM capacity_period ORDER BY id",
                "SELECT project_id, role, lender_department_id, fte, status FROM lending "
                "ORDER BY id")])
        engine.dispose()
    assert found[0] == found[1] and all(found[0])


def test_the_queue_places_most_requests_and_moves_some(db: Session) -> None:
    """Requests ask a share of their own department's supply of a role, which is where the
    queue places them: most fit, some move later for a role short in the month they want, and
    every request left out says which role is short when (or that it runs past the horizon). (Sized on the enterprise's supply,
    39 of 44 never fitted.)"""
    load_demo(db, make_plan("small", seed=1, today=TODAY))
    items = [i for i in plan_queue(db, TODAY).items if i.kind == "request"]
    placed = [i for i in items if i.earliest is not None]
    moved = [i for i in placed if i.moved_by]
    assert len(placed) > len(items) / 2, [(i.code, i.reason) for i in items]
    assert moved and all(f"{i.code} moved from {i.wanted} to {i.earliest}: " in i.reason
                         and " short by " in i.reason for i in moved)
    left = [i.reason for i in items if i.earliest is None]
    assert all(" short by " in r or " past the end" in r for r in left), left
