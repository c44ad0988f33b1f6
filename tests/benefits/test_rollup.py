"""Roll-ups recomputed by hand: by department, goal, programme and portfolio; units never
added together; dis-benefits net; cancelled left out; planned against realised over time.

"Today" is 2027-07-15, so "to date" is January to June 2027.

    b1  P1 (IT; goals G1, G2; portfolio PF1; programme PG1) money 100 a month Jan-Jun,
        realised Jan 90, Feb 100
    b2  P1 money dis-benefit 50 in Mar, realised 60 in Mar (cost over plan: behind)
    b3  P2 (IT-INFRA; goal G1) money 200 a month Jul-Dec (nothing due yet)
    b4  P2 hours 10 in Jan                       (another unit: left out of money)
    b5  P3 (FIN) money 1000 in Jan, cancelled    (left out of everything)
    b6  programme PG1 (IT) money 30 in Feb, realised 30 in Feb
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session

from tests.benefits.conftest import API
from tests.conftest import Clients
from tests.factories import Maker, add_goal
from tests.world import World


def _benefit(as_: Clients, plan: dict[str, str], actuals: dict[str, str] | None = None,
             **fields: Any) -> int:
    body = {"name": "b", "unit": "money"} | fields | {
        "plan": [{"period": p, "amount": a} for p, a in plan.items()]}
    r = as_("admin").post(f"{API}/benefits", json=body)
    assert r.status_code == 201, r.text
    for period, amount in (actuals or {}).items():
        done = as_("admin").put(f"{API}/benefits/{r.json()['id']}/actuals",
                                json={"period": period, "amount": amount})
        assert done.status_code == 200, done.text
    return int(r.json()["id"])


@pytest.fixture
def spread(as_: Clients, make: Maker, world: World, db: Session) -> dict[str, int]:
    g1, g2 = add_goal(db, code="G1"), add_goal(db, code="G2")
    pf1 = make.portfolio("IT", code="PF1")
    pg1 = make.programme("IT", code="PG1")
    p1 = make.project("IT", code="P1", programme_id=pg1["id"], portfolio_ids=[pf1["id"]],
                      goals=[{"goal_id": g1.id, "weight": "50"},
                             {"goal_id": g2.id, "weight": "50"}])
    p2 = make.project("IT-INFRA", code="P2", goals=[{"goal_id": g1.id, "weight": "100"}])
    p3 = make.project("FIN", code="P3")
    _benefit(as_, {f"2027-{m:02d}": "100" for m in range(1, 7)},
             {"2027-01": "90", "2027-02": "100"}, project_id=p1["id"])
    _benefit(as_, {"2027-03": "50"}, {"2027-03": "60"}, project_id=p1["id"], dis_benefit=True)
    _benefit(as_, {f"2027-{m:02d}": "200" for m in range(7, 13)}, project_id=p2["id"])
    _benefit(as_, {"2027-01": "10"}, project_id=p2["id"], unit="hours")
    _benefit(as_, {"2027-01": "1000"}, project_id=p3["id"], status="cancelled")
    _benefit(as_, {"2027-02": "30"}, {"2027-02": "30"}, programme_id=pg1["id"])
    return {"G1": g1.id, "G2": g2.id, "PF1": pf1["id"], "PG1": pg1["id"]}


def _rows(body: dict[str, Any]) -> dict[str, tuple[Any, ...]]:
    """code -> (benefits, behind (any unit), money planned to date, realised to date, planned, left out)"""
    return {g["code"]: (g["benefits"], g["behind"],
                        *((g["headline"]["planned_to_date"], g["headline"]["realised_to_date"],
                           g["headline"]["planned_total"]) if g["headline"] else (None,) * 3),
                        g["left_out"]) for g in [*body["groups"], body["total"]]}


IT = (3, 2, "580.00", "160.00", "580.00", 0)  # b1 + b2 (net) + b6
P1_ONLY = (2, 2, "550.00", "130.00", "550.00", 0)  # b1 + b2
P2_ONLY = (2, 1, "0.00", "0.00", "1200.00", 1)  # b3; b4 in hours left out, behind
ALL = (5, 3, "580.00", "160.00", "1780.00", 1)


@pytest.mark.parametrize("by,expected", [
    ("department", {"IT": IT, "IT-INFRA": P2_ONLY, "ALL": ALL}),
    ("programme", {"PG1": IT, "—": P2_ONLY, "ALL": ALL}),
    ("goal", {"G1": (4, 3, "550.00", "130.00", "1750.00", 1), "G2": P1_ONLY,
              "—": (1, 0, "30.00", "30.00", "30.00", 0), "ALL": ALL}),
    ("portfolio", {"PF1": P1_ONLY, "—": (3, 1, "30.00", "30.00", "1230.00", 1), "ALL": ALL}),
])
def test_rollup_by(as_: Clients, spread: dict[str, int], by: str,
                   expected: dict[str, tuple[Any, ...]]) -> None:
    body = as_("exec").get(f"{API}/benefits/rollup?by={by}").json()
    assert body["unit"] == "money"
    assert _rows(body) == expected


def test_departments_with_those_below(as_: Clients, spread: dict[str, int]) -> None:
    body = as_("exec").get(f"{API}/benefits/rollup?by=department&tree=true").json()
    # IT-INFRA sits under IT: IT's row now holds b3 and b4 too, like the total.
    assert _rows(body) == {"IT": ALL, "IT-INFRA": P2_ONLY, "ALL": ALL}


def test_the_other_units_sums_are_kept_apart(as_: Clients, spread: dict[str, int]) -> None:
    body = as_("exec").get(f"{API}/benefits/rollup?by=department").json()
    infra = next(g for g in body["groups"] if g["code"] == "IT-INFRA")
    assert {s["unit"]: (s["count"], s["planned_to_date"]) for s in infra["sums"]} == {
        "hours": (1, "10.00"), "money": (1, "0.00")}
    hours = as_("exec").get(f"{API}/benefits/rollup?by=department&unit=hours").json()
    assert hours["total"]["headline"]["planned_total"] == "10.00"
    assert hours["total"]["left_out"] == 4


def test_scope_of_the_rollup(as_: Clients, spread: dict[str, int]) -> None:
    fin = as_("fin_lead").get(f"{API}/benefits/rollup").json()
    assert fin["groups"] == [] and fin["total"]["benefits"] == 0  # P3's only one is cancelled


def test_planned_against_realised_over_time(as_: Clients, spread: dict[str, int]) -> None:
    body = as_("exec").get(f"{API}/benefits/series").json()
    assert body["unit"] == "money" and body["left_out"] == 1
    assert body["months"] == [f"2027-{m:02d}" for m in range(1, 13)]
    planned = [Decimal(v) for v in body["planned"]]
    assert planned == [Decimal(x) for x in (100, 130, 50, 100, 100, 100,
                                            200, 200, 200, 200, 200, 200)]
    assert body["realised"][:6] == ["90.00", "130.00", "-60.00", "0.00", "0.00", "0.00"]
    assert body["realised"][6:] == [None] * 6  # July on: nothing recorded yet
    assert body["realised_cumulative"][5] == "160.00"
    assert body["planned_cumulative"][-1] == "1780.00"


def test_register_page_shows_the_rollup(as_: Clients, spread: dict[str, int]) -> None:
    page = as_("exec").get("/benefits?by=goal")
    assert page.status_code == 200
    assert 'data-code="G1"' in page.text and "Planned against realised by goal" in page.text
    assert 'id="benefits-chart"' in page.text and "/static/benefits.js" in page.text
    assert 'aria-current="page" href="/benefits"' in page.text  # the Value tabs
