"""Tests for the derived-RAG engine: tables of cases and hypothesis properties."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from epmo.engines.rag import (
    Band,
    Derived,
    Disagreement,
    Facts,
    Thresholds,
    band_colour,
    derive,
    disagreements,
    overrun_percent,
    slip_days,
    thresholds_from,
)

D = Decimal
RANK = {"green": 0, "amber": 1, "red": 2}
BANDS = Thresholds(schedule=Band(D(10), D(30)), cost=Band(D(5), D(15)))
BASE = date(2026, 6, 30)


def facts(slip: int | None = None, budget: str | None = "1000", cost: str | None = None) -> Facts:
    """Facts with a slip in days against a fixed baseline and a forecast cost."""
    return Facts(baseline_finish=BASE, forecast_finish=None if slip is None else
                 BASE + timedelta(days=slip),
                 baseline_budget=None if budget is None else D(budget),
                 forecast_cost=None if cost is None else D(cost))


@pytest.mark.parametrize(("slip", "colour"), [
    (-20, "green"), (0, "green"), (9, "green"), (10, "amber"), (29, "amber"), (30, "red"),
    (400, "red"), (None, None)])
def test_schedule_bands(slip: int | None, colour: str | None) -> None:
    derived = derive(facts(slip), BANDS)
    assert derived.schedule == colour and derived.slip_days == slip


@pytest.mark.parametrize(("cost", "percent", "colour"), [
    ("800", "-20.00", "green"), ("1000", "0.00", "green"), ("1049.99", "5.00", "amber"),
    ("1049.90", "4.99", "green"), ("1050", "5.00", "amber"), ("1149.99", "15.00", "red"),
    ("1140", "14.00", "amber"), ("1150", "15.00", "red"), (None, None, None)])
def test_cost_bands(cost: str | None, percent: str | None, colour: str | None) -> None:
    derived = derive(facts(cost=cost), BANDS)
    assert derived.cost == colour
    assert derived.overrun_percent == (None if percent is None else D(percent))


def test_missing_baseline_or_thresholds_derive_nothing() -> None:
    no_baseline = Facts(forecast_finish=BASE, baseline_budget=None, forecast_cost=D(5))
    assert derive(no_baseline, BANDS) == Derived()
    zero_budget = facts(5, budget="0", cost="10")
    assert overrun_percent(zero_budget) is None and derive(zero_budget, BANDS).cost is None
    assert derive(facts(50, cost="5000"), Thresholds()).schedule is None
    assert derive(facts(50, cost="5000"), Thresholds()).slip_days == 50


@pytest.mark.parametrize(("raw", "expected"), [
    ({}, Thresholds()),
    ({"schedule": {"amber": 10, "red": 30}}, Thresholds(schedule=Band(D(10), D(30)))),
    ({"cost": {"amber": 2.5, "red": 10}}, Thresholds(cost=Band(D("2.5"), D(10)))),
    ({"cost": {"amber": 5}}, Thresholds()),
    ({"cost": {"amber": "5", "red": 10}}, Thresholds()),
    ({"cost": {"amber": True, "red": 10}}, Thresholds()),
    ({"schedule": {"amber": float("nan"), "red": 10}}, Thresholds()),
])
def test_thresholds_from_contract(raw: dict[str, Any], expected: Thresholds) -> None:
    assert thresholds_from(raw) == expected


def test_disagreements_only_where_both_exist_and_differ() -> None:
    derived = Derived(schedule="red", cost="green")
    assert disagreements({"schedule": "amber", "cost": "green"}, derived) == (
        Disagreement("schedule", "amber", "red"),)
    assert disagreements({"schedule": None, "cost": "red"}, derived) == (
        Disagreement("cost", "red", "green"),)
    assert disagreements({"schedule": "red", "cost": "green"}, derived) == ()
    assert disagreements({"scope": "red"}, Derived()) == ()


# --- properties ---------------------------------------------------------------------------

SLIPS = st.integers(min_value=-3650, max_value=3650)
AMOUNTS = st.decimals(min_value=D("0.01"), max_value=D("1e9"), places=2)
BAND = st.tuples(st.integers(0, 400), st.integers(0, 400)).map(
    lambda pair: Band(D(min(pair)), D(max(pair))))


@given(slip=SLIPS, more=st.integers(min_value=0, max_value=3650), band=BAND)
def test_more_slip_never_gives_a_better_colour(slip: int, more: int, band: Band) -> None:
    bands = Thresholds(schedule=band)
    before = derive(facts(slip), bands).schedule
    after = derive(facts(slip + more), bands).schedule
    assert before is not None and after is not None
    assert RANK[after] >= RANK[before]


@given(budget=AMOUNTS, cost=AMOUNTS, extra=AMOUNTS, band=BAND)
def test_more_overrun_never_gives_a_better_colour(budget: Decimal, cost: Decimal,
                                                  extra: Decimal, band: Band) -> None:
    bands = Thresholds(cost=band)
    before = derive(facts(budget=str(budget), cost=str(cost)), bands).cost
    after = derive(facts(budget=str(budget), cost=str(cost + extra)), bands).cost
    assert before is not None and after is not None
    assert RANK[after] >= RANK[before]


@given(slip=SLIPS, band=BAND)
def test_colour_matches_the_band_definition(slip: int, band: Band) -> None:
    colour = band_colour(slip, band)
    assert (colour == "red") == (slip >= band.red)
    assert (colour == "green") == (slip < band.amber and slip < band.red)


@given(slip=SLIPS)
def test_slip_is_forecast_minus_baseline(slip: int) -> None:
    assert slip_days(facts(slip)) == slip


@given(entered=st.sampled_from(["green", "amber", "red"]), slip=SLIPS, band=BAND)
def test_a_disagreement_is_exactly_a_differing_colour(entered: str, slip: int,
                                                      band: Band) -> None:
    derived = derive(facts(slip), Thresholds(schedule=band))
    found = disagreements({"schedule": entered}, derived)
    assert bool(found) == (entered != derived.schedule)
